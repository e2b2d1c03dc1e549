"""The database refuses UPDATE, DELETE and TRUNCATE on the log's history tables.

One ``BEFORE UPDATE OR DELETE`` row trigger per table, on PostgreSQL and on SQLite, raising an
error that names the table; on PostgreSQL also a ``BEFORE TRUNCATE`` statement trigger (TRUNCATE
fires no row triggers; SQLite has no TRUNCATE). The migrations install them; ``manage.py flush``
(erasing the whole database, as tests do between transactional tests) lifts them for its own
transaction only (``ledger/management/commands/flush.py``). A role that may drop triggers can
still rewrite history: ``manage.py ledger_audit`` and the witnesses are what catch that.
"""

from django.db.backends.base.base import BaseDatabaseWrapper

APPEND_ONLY_TABLES = (
    "ledger_entry",
    "ledger_logleaf",
    "ledger_treenode",
    "ledger_checkpoint",
    "ledger_cosignature",
)
_FUNCTION = "ledger_refuse_change"


def _trigger(table: str) -> str:
    return f"{table}_append_only"


def _truncate_trigger(table: str) -> str:
    return f"{table}_no_truncate"


def truncate_guard_sql(tables: tuple[str, ...] = APPEND_ONLY_TABLES) -> list[str]:
    """PostgreSQL: (re)create the BEFORE TRUNCATE trigger of each table (idempotent)."""
    statements = []
    for table in tables:
        statements += [
            f"DROP TRIGGER IF EXISTS {_truncate_trigger(table)} ON {table}",
            f"CREATE TRIGGER {_truncate_trigger(table)} BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {_FUNCTION}()",
        ]
    return statements


def install_sql(vendor: str, tables: tuple[str, ...] = APPEND_ONLY_TABLES) -> list[str]:
    if vendor == "postgresql":
        statements = [
            f"CREATE OR REPLACE FUNCTION {_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'the ledger is append-only: % on % is refused', "
            "TG_OP, TG_TABLE_NAME USING ERRCODE = 'raise_exception'; END $$"
        ]
        for table in tables:
            statements.append(
                f"CREATE TRIGGER {_trigger(table)} BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {_FUNCTION}()"
            )
        return statements + truncate_guard_sql(tables)
    if vendor == "sqlite":
        statements = []
        for table in tables:
            for op in ("UPDATE", "DELETE"):
                statements.append(
                    f"CREATE TRIGGER {_trigger(table)}_{op.lower()} BEFORE {op} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: {op} on {table} "
                    "is refused'); END"
                )
        return statements
    raise NotImplementedError(f"no append-only triggers for database vendor {vendor!r}")


def uninstall_sql(vendor: str, tables: tuple[str, ...] = APPEND_ONLY_TABLES) -> list[str]:
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {name} ON {t}"
            for t in tables
            for name in (_trigger(t), _truncate_trigger(t))
        ]
    if vendor == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {_trigger(t)}_{op}"
            for t in tables
            for op in ("update", "delete")
        ]
    raise NotImplementedError(f"no append-only triggers for database vendor {vendor!r}")


def install(connection: BaseDatabaseWrapper, tables: tuple[str, ...] = APPEND_ONLY_TABLES) -> None:
    with connection.cursor() as cursor:
        for sql in install_sql(connection.vendor, tables):
            cursor.execute(sql)


def uninstall(
    connection: BaseDatabaseWrapper, tables: tuple[str, ...] = APPEND_ONLY_TABLES
) -> None:
    with connection.cursor() as cursor:
        for sql in uninstall_sql(connection.vendor, tables):
            cursor.execute(sql)


def installed(connection: BaseDatabaseWrapper) -> bool:
    """True when every append-only table has its trigger(s)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = [n for t in APPEND_ONLY_TABLES for n in (_trigger(t), _truncate_trigger(t))]
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgname = ANY(%s) AND NOT tgisinternal",
                [names],
            )
            return cursor.fetchone()[0] == len(names)
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'ledger_%'"
        )
        return cursor.fetchone()[0] == 2 * len(APPEND_ONLY_TABLES)
