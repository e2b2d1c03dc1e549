"""Writing the log: ``append`` (the only way any app anchors anything) and the sequencer.

``append`` stores the entry and its leaf inside the caller's transaction; the entry has no index
yet. After the caller commits, one sequencer run is scheduled (debounced through the cache, so a
burst of appends queues one task, not one per entry). ``sequence`` integrates a batch in ONE
transaction: lock the head row, number the pending entries consecutively in id order, store the
leaves and the new tree nodes, sign and store the checkpoint for the new size. A crash rolls the
whole batch back; two sequencers serialise on the lock, so the log never forks (and ``size`` is
unique, so there is never a second checkpoint for one size).
"""

import logging
from collections.abc import Iterable

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from ledger import keys
from ledger.checkpoint import Checkpoint as CheckpointBody
from ledger.checkpoint import sign_checkpoint
from ledger.leaf import Entry as Leaf
from ledger.merkle import hash_leaf
from ledger.models import Checkpoint, Entry, LogHead, LogLeaf, PendingEntry
from ledger.store import INSERT_BATCH, DatabaseNodeStore, bulk_insert
from ledger.tree import extend_tree

logger = logging.getLogger(__name__)

BATCH_SIZE = 10_000
SCHEDULED_KEY = "ledger:sequencer-scheduled"
# If a scheduled run is lost (no worker), the next append may schedule again after this long;
# Celery beat runs the sequencer every few seconds anyway.
SCHEDULE_DEBOUNCE_SECONDS = 30


def append(kind: str, payload: dict) -> Entry:
    """Anchor `payload` under `kind` (``[a-z][a-z0-9._-]{0,63}``); returns the stored Entry.

    The payload must be canonical-JSON encodable (no floats, integers within 2**53 - 1) and must
    hold only commitments, aliases or non-personal data: it is public. Raises
    ``ledger.leaf.EntryError`` with the reason when the payload or kind is refused. The entry gets
    its index when the sequencer runs (see ``ledger.selectors.receipt_for``).
    """
    return append_many([(kind, payload)])[0]


def append_many(items: Iterable[tuple[str, dict]]) -> list[Entry]:
    """Anchor several (kind, payload) pairs at once, in order; one transaction, bulk inserts."""
    now = timezone.now()
    entries = []
    for kind, payload in items:
        leaf = Leaf.create(kind, payload, now).encode()
        entries.append(
            Entry(kind=kind, payload=payload, leaf=leaf, leaf_hash=hash_leaf(leaf), appended_at=now)
        )
    if not entries:
        return []
    # Inside the caller's transaction no savepoint is needed: a failure here fails the caller too.
    with transaction.atomic(savepoint=False):
        Entry.objects.bulk_create(entries, batch_size=INSERT_BATCH)
        bulk_insert(PendingEntry._meta.db_table, ("entry_id",), ((e.pk,) for e in entries))
        transaction.on_commit(_schedule_sequencer, robust=True)
    return entries


def _schedule_sequencer() -> None:
    if cache.add(SCHEDULED_KEY, True, timeout=SCHEDULE_DEBOUNCE_SECONDS):
        from ledger.tasks import sequence_task

        sequence_task.delay()


def sequencer_started() -> None:
    """Called by the task before it reads pending entries: later appends schedule a new run."""
    cache.delete(SCHEDULED_KEY)


def _lock_head() -> LogHead:
    try:
        return LogHead.objects.select_for_update().get(pk=LogHead.SINGLETON)
    except LogHead.DoesNotExist:
        # Only after a flush of the whole database: recreate the (empty) head, then lock it.
        LogHead.objects.bulk_create([LogHead(pk=LogHead.SINGLETON, size=0)], ignore_conflicts=True)
        return LogHead.objects.select_for_update().get(pk=LogHead.SINGLETON)


def sequence(*, batch_size: int = BATCH_SIZE) -> Checkpoint | None:
    """Integrate up to `batch_size` pending entries and sign the new checkpoint.

    Returns the new Checkpoint, or None when nothing was pending. Safe to run concurrently from
    any number of processes: they take turns on the head row's lock.
    """
    signer = keys.log_signer()
    store = DatabaseNodeStore()
    with transaction.atomic():
        head = _lock_head()
        pending = list(
            PendingEntry.objects.order_by("entry_id").values_list("entry_id", "entry__leaf_hash")[
                :batch_size
            ]
        )
        if not pending:
            return None
        update = extend_tree(store, head.size, [bytes(leaf_hash) for _, leaf_hash in pending])
        bulk_insert(
            LogLeaf._meta.db_table,
            ("index", "entry_id"),
            ((head.size + offset, entry_id) for offset, (entry_id, _) in enumerate(pending)),
        )
        store.put_nodes(update.nodes)
        _delete_pending([entry_id for entry_id, _ in pending])
        body = CheckpointBody(keys.origin(), update.size, update.root)
        checkpoint = Checkpoint.objects.create(
            size=update.size,
            root=update.root,
            note=sign_checkpoint(body, signer),
            created_at=timezone.now(),
        )
        head.size = update.size
        head.save(update_fields=["size"])
    logger.info("ledger sequenced %d entries: size %d", len(pending), update.size)
    return checkpoint


def _delete_pending(ids: list[int]) -> None:
    table = PendingEntry._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(ids), INSERT_BATCH):
            chunk = ids[start : start + INSERT_BATCH]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {table} WHERE entry_id IN ({marks})", chunk)  # noqa: S608


def sequence_pending(*, batch_size: int = BATCH_SIZE) -> Checkpoint | None:
    """Run the sequencer until nothing is pending; the last new checkpoint, or None.

    Tests call this to sequence synchronously what they appended.
    """
    latest = None
    while (checkpoint := sequence(batch_size=batch_size)) is not None:
        latest = checkpoint
    return latest
