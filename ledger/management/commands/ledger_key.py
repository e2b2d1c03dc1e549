"""``manage.py ledger_key show|new``: the log's verifier key, or a fresh signer key for production.

``new`` prints a signer key named ``LEDGER_ORIGIN`` (to store as the ``LEDGER_SIGNER_KEY`` secret)
and its verifier key (to publish); it stores nothing. ``show`` prints the verifier key in use.
"""

from django.core.management.base import BaseCommand, CommandParser

from ledger import keys
from ledger.note import generate_signer_key


class Command(BaseCommand):
    help = "Print the log's verifier key (show) or generate a new signer key (new)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["show", "new"])

    def handle(self, *args: object, action: str, **options: object) -> None:
        if action == "show":
            self.stdout.write(keys.log_verifier_key())
            return
        skey, vkey = generate_signer_key(keys.origin())
        self.stdout.write(f"LEDGER_SIGNER_KEY={skey}\n# verifier key (publish it): {vkey}")
