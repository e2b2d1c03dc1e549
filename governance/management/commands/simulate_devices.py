"""Simulate a project's IoT devices: sign readings with their keys and POST them to the API.

    manage.py simulate_devices [--url http://127.0.0.1:8000] [--dir DATA_DIR/demo-devices]
                               [--project ID] [--backfill SECONDS] [--interval SECONDS]
                               [--rounds N] [--failing N]

``--backfill`` first posts the readings the devices would have buffered over that many seconds
(store-and-forward: timestamps in the past, one every ``--interval``); ``--rounds`` then posts N
live rounds, one every ``--interval`` seconds. ``--failing`` makes that many devices report
``working: false``. Counters are derived from the timestamp (milliseconds), so they grow across
runs as the server requires; a refused reading is printed with the server's reason.
"""

import json
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from governance import device_keys
from governance.signing import format_time, sign_reading

READINGS_PATH = "/api/governance/devices/readings"


class Command(BaseCommand):
    help = "Post signed readings from simulated devices (keys in a device key folder)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="the Polity server")
        parser.add_argument("--dir", type=Path, help="device key folder (default: the demo's)")
        parser.add_argument("--project", type=int, help="only this project's devices")
        parser.add_argument("--backfill", type=int, default=0, help="seconds of past readings")
        parser.add_argument("--interval", type=float, default=60.0, help="seconds between readings")
        parser.add_argument("--rounds", type=int, default=1, help="live rounds after the backfill")
        parser.add_argument("--failing", type=int, default=0, help="devices reporting a failure")

    def handle(self, *args: object, **options: object) -> None:
        folder = options["dir"] or Path(settings.DATA_DIR) / "demo-devices"
        keys = device_keys.read_keys(folder, options["project"])
        if not keys:
            raise CommandError(f"no device keys in {folder} (run manage.py seed_demo first)")
        interval = options["interval"]
        if interval <= 0:
            raise CommandError("--interval must be positive")
        failing = {k.device for k in keys[: options["failing"]]}
        if not options["url"].startswith(("http://", "https://")):
            raise CommandError("--url must be an http:// or https:// address")
        url = options["url"].rstrip("/") + READINGS_PATH
        now = datetime.now(UTC).replace(microsecond=0)
        accepted = refused = 0
        steps = int(options["backfill"] // interval)
        for step in range(steps, 0, -1):
            moment = now - timedelta(seconds=step * interval)
            a, r = self._round(url, keys, failing, moment)
            accepted, refused = accepted + a, refused + r
        for round_number in range(options["rounds"]):
            if round_number:
                time.sleep(interval)
            a, r = self._round(url, keys, failing, datetime.now(UTC).replace(microsecond=0))
            accepted, refused = accepted + a, refused + r
        self.stdout.write(f"{accepted} readings accepted, {refused} refused ({len(keys)} devices)")

    def _round(self, url: str, keys: list, failing: set, moment: datetime) -> tuple[int, int]:
        accepted = refused = 0
        for item in keys:
            body = {
                "device": item.device,
                "counter": int(moment.timestamp() * 1000),
                "timestamp": format_time(moment),
                "metrics": {"working": item.device not in failing},
            }
            ok, reason = post(url, sign_reading(item.key, body))
            if ok:
                accepted += 1
            else:
                refused += 1
                self.stderr.write(f"{item.device} {body['timestamp']}: {reason}")
        return accepted, refused


def post(url: str, reading: dict) -> tuple[bool, str]:
    request = urllib.request.Request(  # noqa: S310 - http(s) only, checked in handle()
        url,
        data=json.dumps(reading).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our server
            return response.status == 201, ""
    except urllib.error.HTTPError as exc:
        try:
            return False, json.loads(exc.read())["error"]["reason"]
        except (ValueError, KeyError):
            return False, f"HTTP {exc.code}"
