"""PostgreSQL: refuse TRUNCATE on the history tables too (it fires no row triggers)."""

from django.db import migrations

from ledger import triggers


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in triggers.truncate_guard_sql():
            schema_editor.execute(sql, params=None)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in triggers.APPEND_ONLY_TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_append_only_triggers")]

    operations = [migrations.RunPython(install, uninstall)]
