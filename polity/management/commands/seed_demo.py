"""Load the demo city: districts, a council admin, citizens, trustees and an auditor.

Idempotent: a second run keeps what exists. Each app may add its own demo data in a ``demo.py``
module with a ``seed(stdout)`` function; they run in dependency order. Refused in production.
"""

import importlib
import importlib.util

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

APPS_IN_ORDER = ["identity", "ledger", "voting", "governance"]


class Command(BaseCommand):
    help = "Load the demo city and print its logins (development only)."

    def handle(self, *args: object, **options: object) -> None:
        if settings.PRODUCTION:
            raise CommandError("Demo data is for development; refusing with POLITY_ENV=production.")
        for app in APPS_IN_ORDER:
            if importlib.util.find_spec(f"{app}.demo") is not None:
                importlib.import_module(f"{app}.demo").seed(self.stdout)
