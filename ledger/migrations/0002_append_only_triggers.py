"""Make the history tables append-only in the database, and create the sequencer's lock row."""

from django.db import migrations

from ledger import triggers


def install_triggers(apps, schema_editor):
    for sql in triggers.install_sql(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)


def uninstall_triggers(apps, schema_editor):
    for sql in triggers.uninstall_sql(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)


def create_head(apps, schema_editor):
    apps.get_model("ledger", "LogHead").objects.get_or_create(id=1, defaults={"size": 0})


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [
        migrations.RunPython(install_triggers, uninstall_triggers),
        migrations.RunPython(create_head, migrations.RunPython.noop),
    ]
