"""The database refuses edits to history, and the audit finds them when the guard is removed."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from ledger import keys, selectors, services, triggers
from ledger.audit import audit_log
from ledger.checkpoint import Checkpoint as CheckpointBody
from ledger.checkpoint import sign_checkpoint
from ledger.models import (
    Checkpoint,
    Cosignature,
    Entry,
    LogHead,
    LogLeaf,
    PendingEntry,
    TreeNode,
)
from tests.ledger.db.helpers import cosign, make_witness, sequenced

pytestmark = pytest.mark.django_db


@pytest.fixture
def log():
    entries = services.append_many([("test.item", {"n": i}) for i in range(11)])
    services.sequence(batch_size=4)
    checkpoint = sequenced(11)
    witness, signer = make_witness("auditor.example/w")
    cosign(checkpoint, witness, signer)
    return entries


def sql(statement: str, params: tuple = ()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.mark.parametrize("table", triggers.APPEND_ONLY_TABLES)
def test_the_database_refuses_update_and_delete(log, table):
    assert triggers.installed(connection)
    column = {"ledger_treenode": "level", "ledger_logleaf": '"index"'}.get(table, "id")
    statements = (f"UPDATE {table} SET {column} = {column}", f"DELETE FROM {table}")  # noqa: S608
    for statement in statements:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            sql(statement)


@pytest.mark.django_db(transaction=True)  # committed rows: nothing pending for TRUNCATE to trip on
def test_postgresql_refuses_truncate(log):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE (its DELETE is refused above)")
    for table in triggers.APPEND_ONLY_TABLES:
        refused = pytest.raises(DatabaseError, match=f"append-only: TRUNCATE on {table}")
        with refused, transaction.atomic():
            sql(f"TRUNCATE {table} CASCADE")
    assert Entry.objects.count() == 11


def test_the_orm_cannot_edit_or_delete_history_either(log):
    entry = Entry.objects.get(pk=log[0].pk)
    entry.payload = {"n": 999}
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        entry.save()
    for queryset in (
        Cosignature.objects.all(),
        LogLeaf.objects.filter(index=0),
        TreeNode.objects.filter(level=1),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            queryset.delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        TreeNode.objects.filter(level=0).update(hash=bytes(32))
    assert Entry.objects.get(pk=log[0].pk).payload == {"n": 0}


def test_audit_passes_on_an_intact_log(log, capsys):
    report = audit_log()
    assert report.ok, report.problems
    assert (report.leaves, report.checkpoints, report.cosignatures) == (11, 2, 1)
    call_command("ledger_audit")
    assert "the log is intact" in capsys.readouterr().out


def test_audit_finds_an_edited_entry_row(log):
    triggers.uninstall(connection)
    Entry.objects.filter(pk=log[6].pk).update(payload={"n": 666})
    report = audit_log()
    assert not report.ok
    assert report.first_bad_index == 6
    assert any("leaf 6" in p for p in report.problems)
    with pytest.raises(CommandError, match="first differing index 6"):
        call_command("ledger_audit")


def test_audit_finds_an_entry_rewritten_with_a_consistent_leaf(log):
    """Payload, leaf bytes and leaf hash all rewritten: the stored tree and roots still object."""
    triggers.uninstall(connection)
    forged = services.append("test.item", {"n": "forged"})
    Entry.objects.filter(pk=log[9].pk).update(leaf=forged.leaf, payload={"n": "forged"})
    Entry.objects.filter(pk=log[9].pk).update(
        kind=forged.kind, leaf_hash=forged.leaf_hash, appended_at=forged.appended_at
    )
    report = audit_log()
    assert report.first_bad_index == 9
    assert any("checkpoint 11" in p for p in report.problems)


def test_audit_finds_reordered_leaves(log):
    triggers.uninstall(connection)
    LogLeaf.objects.filter(index=3).update(index=10**9)
    LogLeaf.objects.filter(index=5).update(index=3)
    LogLeaf.objects.filter(index=10**9).update(index=5)
    report = audit_log()
    assert report.first_bad_index == 3
    assert any("checkpoint 4" in p for p in report.problems)


def test_audit_finds_a_truncated_log(log):
    triggers.uninstall(connection)
    LogLeaf.objects.filter(index__gte=8).delete()
    report = audit_log()
    assert report.first_bad_index == 8
    assert any("truncated" in p for p in report.problems)


def _cut_to(size: int) -> None:
    """Truncate the log to `size` leaves the thorough way: its later checkpoints go too."""
    triggers.uninstall(connection)
    Cosignature.objects.filter(checkpoint__size__gt=size).delete()
    Checkpoint.objects.filter(size__gt=size).delete()
    leaves = LogLeaf.objects.filter(index__gte=size)
    entry_ids = list(leaves.values_list("entry_id", flat=True))
    leaves.delete()
    Entry.objects.filter(pk__in=entry_ids).delete()
    TreeNode.objects.filter(level=0, index__gte=size).delete()
    for level in range(1, 5):
        TreeNode.objects.filter(level=level, index__gte=size >> level).delete()
    LogHead.objects.update(size=size)


def test_a_log_cut_short_with_its_checkpoints_is_caught_only_by_a_saved_checkpoint(log, tmp_path):
    saved = selectors.checkpoint_text(selectors.latest_checkpoint())  # size 11, kept outside
    _cut_to(8)
    assert audit_log().ok  # the database alone is consistent: this is why anchors exist
    report = audit_log([("auditor.txt", saved)])
    assert report.first_bad_index == 8
    assert report.problems == [
        "log truncated: saved checkpoint auditor.txt was signed at size 11, but only the first "
        "8 leaves are stored in order"
    ]
    path = tmp_path / "auditor.txt"
    path.write_text(saved)
    with pytest.raises(CommandError, match="first differing index 8"):
        call_command("ledger_audit", "--checkpoint", str(path))


def test_a_saved_checkpoint_catches_a_rewritten_history(log):
    # The log's own key signed a different tree of size 4 once (a fork shown to this auditor).
    forged = sign_checkpoint(CheckpointBody(keys.origin(), 4, bytes(32)), keys.log_signer())
    report = audit_log([("fork.txt", forged)])
    assert any(p.startswith("saved checkpoint fork.txt (size 4)") for p in report.problems)
    assert report.first_bad_index == 0
    intact = selectors.checkpoint_text(Checkpoint.objects.get(size=4))
    assert audit_log([("good.txt", intact)]).ok
    assert audit_log([("good.txt", intact)]).anchors == 1


def test_a_saved_checkpoint_must_be_signed_by_the_log(log):
    note = selectors.checkpoint_text(Checkpoint.objects.get(size=4)).replace("\n4\n", "\n5\n")
    report = audit_log([("edited.txt", note)])
    assert len(report.problems) == 1 and report.problems[0].startswith(
        "saved checkpoint edited.txt"
    )


def test_audit_finds_an_entry_dropped_from_the_sequencer_queue():
    entries = services.append_many([("test.item", {"n": i}) for i in range(3)])
    services.sequence_pending()
    lost = services.append("test.item", {"n": 3})
    PendingEntry.objects.filter(entry=lost).delete()  # the queue has no triggers: it must shrink
    report = audit_log()
    assert report.problems == [
        f"1 stored entry is neither in the log nor waiting for the sequencer (entry id {lost.pk})"
    ]
    assert len(entries) == 3


def test_audit_finds_a_missing_leaf_in_the_middle(log):
    triggers.uninstall(connection)
    LogLeaf.objects.filter(index=2).delete()
    report = audit_log()
    assert report.first_bad_index == 2
    assert any("leaf 2 is missing" in p for p in report.problems)


def test_audit_finds_a_forged_checkpoint_signature(log):
    triggers.uninstall(connection)
    checkpoint = Checkpoint.objects.get(size=4)
    note = checkpoint.note.replace("\n4\n", "\n5\n", 1)
    Checkpoint.objects.filter(pk=checkpoint.pk).update(note=note)
    report = audit_log()
    assert any("checkpoint 4" in p and "signature" in p for p in report.problems)


def test_audit_finds_a_forged_cosignature(log):
    triggers.uninstall(connection)
    cosignature = Cosignature.objects.get()
    line = (
        cosignature.line[:-6]
        + ("A" if cosignature.line[-6] != "A" else "B")
        + cosignature.line[-5:]
    )
    Cosignature.objects.filter(pk=cosignature.pk).update(line=line)
    report = audit_log()
    assert any("cosignature of auditor.example/w" in p for p in report.problems)


@pytest.mark.django_db(transaction=True)
def test_flush_erases_the_ledger_and_keeps_the_guard():
    """What transactional tests do between tests; the triggers must survive it."""
    services.append("test.item", {"n": 1})
    services.sequence()
    call_command("flush", interactive=False, verbosity=0)
    assert not Entry.objects.exists()
    assert triggers.installed(connection)


def test_flush_retries_a_flush_that_postgresql_aborted_as_a_deadlock(monkeypatch):
    from django.core.management.base import CommandError

    from ledger.management.commands import flush

    calls = []

    def flaky(self, **options):
        calls.append(options)
        if len(calls) < 3:
            raise CommandError("Database couldn't be flushed") from RuntimeError(
                "deadlock detected"
            )

    monkeypatch.setattr(flush.Command, "_flush", flaky)
    monkeypatch.setattr(flush.time, "sleep", lambda seconds: None)
    flush.Command().handle(database="default")
    assert len(calls) == 3

    def broken(self, **options):
        raise CommandError("Database couldn't be flushed") from RuntimeError("no such table")

    monkeypatch.setattr(flush.Command, "_flush", broken)
    with pytest.raises(CommandError):
        flush.Command().handle(database="default")
