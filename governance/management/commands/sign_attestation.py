"""An inspector signs a milestone sign-off on their own machine (docs/spec/governance.md §5.4).

    manage.py sign_attestation --milestone ID --project ID --amount-cents N --inspector KEY_ID
                               --key-file PATH [--report FILE] [--post URL]

Prints the JSON body ``{"statement": ..., "signature": ...}``; with ``--post`` it is sent to
``URL/api/governance/milestones/<ID>/attestations`` and the server's answer is printed. The key
file holds the raw Ed25519 private key as 64 hex digits (the demo's is in
``DATA_DIR/demo-inspectors/``). Nothing here reads the database: the inspector states what they
inspected, and the server checks it against the milestone.
"""

import hashlib
import json
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from governance.signing import format_time, parse_statement, sign_statement


class Command(BaseCommand):
    help = "Sign (and optionally post) an inspector's sign-off of a milestone."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--milestone", type=int, required=True)
        parser.add_argument("--project", type=int, required=True)
        parser.add_argument("--amount-cents", type=int, required=True)
        parser.add_argument("--inspector", required=True, help="the registered key id")
        parser.add_argument("--key-file", type=Path, required=True)
        parser.add_argument("--report", type=Path, help="the inspection report (hashed)")
        parser.add_argument("--site", default=settings.POLITY_DOMAIN)
        parser.add_argument("--post", metavar="URL", help="the Polity server to send it to")

    def handle(self, *args: object, **options: object) -> None:
        try:
            raw = bytes.fromhex(options["key_file"].read_text().strip())
            key = Ed25519PrivateKey.from_private_bytes(raw)
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read the key file: {exc}") from None
        report = options["report"]
        statement = parse_statement(
            {
                "site": options["site"],
                "project": options["project"],
                "milestone": options["milestone"],
                "amount_cents": options["amount_cents"],
                "inspector": options["inspector"],
                "inspected_at": format_time(datetime.now(UTC)),
                "result": "delivered",
                "report_sha256": hashlib.sha256(report.read_bytes()).hexdigest() if report else "",
            }
        )
        body = {"statement": statement, "signature": sign_statement(key, statement)}
        if not options["post"]:
            self.stdout.write(json.dumps(body, indent=2))
            return
        if not options["post"].startswith(("http://", "https://")):
            raise CommandError("--post must be an http:// or https:// address")
        url = f"{options['post'].rstrip('/')}/api/governance/milestones/{options['milestone']}/attestations"
        request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
            url, json.dumps(body).encode(), {"Content-Type": "application/json"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                self.stdout.write(response.read().decode())
        except urllib.error.HTTPError as exc:
            raise CommandError(f"refused: {exc.read().decode()}") from None
