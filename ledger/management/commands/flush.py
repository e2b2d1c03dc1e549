"""Django's ``flush``, able to erase the ledger's append-only tables too.

Erasing the whole database is an operator's act (and what Django's transactional tests do between
tests); the append-only triggers exist to refuse changing history row by row. So this command lifts
the triggers inside one transaction, runs Django's flush, and puts them back before committing:
no other connection ever sees the tables unguarded.
"""

from django.core.management.commands import flush
from django.db import connections, transaction

from ledger import triggers


class Command(flush.Command):
    def handle(self, **options: object) -> None:
        connection = connections[options["database"]]
        existing = set(connection.introspection.table_names())
        guarded = tuple(t for t in triggers.APPEND_ONLY_TABLES if t in existing)
        if not guarded:
            super().handle(**options)
            return
        with transaction.atomic(using=connection.alias):
            triggers.uninstall(connection, guarded)
            super().handle(**options)
            triggers.install(connection, guarded)
