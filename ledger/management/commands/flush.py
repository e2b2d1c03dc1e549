"""Django's ``flush``, able to erase the ledger's append-only tables too.

Erasing the whole database is an operator's act (and what Django's transactional tests do between
tests); the append-only triggers exist to refuse changing history row by row. So this command lifts
the triggers inside one transaction, runs Django's flush, and puts them back before committing:
no other connection ever sees the tables unguarded.

A worker process may be running a task (the sequencer, a count) while the tables are truncated;
PostgreSQL then may break the lock cycle by aborting the flush with "deadlock detected". The
flush is all-or-nothing, so it is simply tried again.
"""

import time

from django.core.management.base import CommandError
from django.core.management.commands import flush
from django.db import DatabaseError, connections, transaction

from ledger import triggers

ATTEMPTS = 5


def _is_deadlock(exc: BaseException | None) -> bool:
    while exc is not None:
        if "deadlock detected" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


class Command(flush.Command):
    def handle(self, **options: object) -> None:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                self._flush(**options)
                return
            except (CommandError, DatabaseError) as exc:
                if attempt == ATTEMPTS or not _is_deadlock(exc):
                    raise
                time.sleep(0.2 * attempt)

    def _flush(self, **options: object) -> None:
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
