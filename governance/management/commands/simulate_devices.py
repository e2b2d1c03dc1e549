"""Simulate a project's IoT devices: sign readings with their keys and POST them to the API.

    manage.py simulate_devices [--url http://127.0.0.1:8000] [--dir DATA_DIR/demo-devices]
                               [--project ID] [--backfill SECONDS] [--interval SECONDS]
                               [--rounds N] [--failing N]

``--backfill`` first makes up that many seconds of history, one round every ``--interval``. This
is SIMULATION ONLY and works on this installation's database, not over ``--url``: the server
refuses readings from before a device's registration or older than its store-and-forward buffer,
so the simulator backdates its devices' ``registered_at`` to the start of the history and records
each past reading through the same service as the API, as if received live at its timestamp.
``--rounds`` then posts N live rounds to ``--url``, one every ``--interval`` seconds.
``--failing`` makes that many devices report ``working: false``. Counters are derived from the
timestamp (milliseconds), so they grow across runs as the server requires; a refused reading is
printed with the server's reason.
"""

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from governance import device_keys
from governance.models import Device
from governance.services import evidence
from governance.services.errors import Refusal
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
        if steps:
            backdate_registration(keys, now - timedelta(seconds=steps * interval))
        for step in range(steps, 0, -1):
            moment = now - timedelta(seconds=step * interval)
            a, r = self._round(record_as_if_live(moment), keys, failing, moment)
            accepted, refused = accepted + a, refused + r
        for round_number in range(options["rounds"]):
            if round_number:
                time.sleep(interval)
            moment = datetime.now(UTC).replace(microsecond=0)
            a, r = self._round(lambda reading, url=url: post(url, reading), keys, failing, moment)
            accepted, refused = accepted + a, refused + r
        self.stdout.write(f"{accepted} readings accepted, {refused} refused ({len(keys)} devices)")

    def _round(
        self, send: Callable[[dict], tuple[bool, str]], keys: list, failing: set, moment: datetime
    ) -> tuple[int, int]:
        accepted = refused = 0
        for item in keys:
            body = {
                "device": item.device,
                "counter": int(moment.timestamp() * 1000),
                "timestamp": format_time(moment),
                "metrics": {"working": item.device not in failing},
            }
            ok, reason = send(sign_reading(item.key, body))
            if ok:
                accepted += 1
            else:
                refused += 1
                self.stderr.write(f"{item.device} {body['timestamp']}: {reason}")
        return accepted, refused


def backdate_registration(keys: list, start: datetime) -> None:
    """Simulation only: pretend the devices were registered by `start`, so that history made up
    from then on is not refused as predating their registration."""
    Device.objects.filter(device_id__in=[k.device for k in keys], registered_at__gt=start).update(
        registered_at=start
    )


def record_as_if_live(moment: datetime) -> Callable[[dict], tuple[bool, str]]:
    """Simulation only: record a made-up past reading as if the server had received it at
    `moment` (the API stamps readings with the real time of receipt)."""

    def send(reading: dict) -> tuple[bool, str]:
        try:
            evidence.record_reading(data=reading, now=moment)
        except Refusal as exc:
            return False, exc.reason
        return True, ""

    return send


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
