"""Reading the log: checkpoints with their cosignatures, entries, proofs and receipts.

Proofs are built from stored tree nodes in one query each (``ledger.store``), never by rebuilding
the tree. An entry that is stored but not yet sequenced has no index: ``receipt_for`` and
``entry_index`` say so with :class:`NotSequenced` / ``None``.
"""

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Max, Q

from ledger import proof
from ledger.models import Checkpoint, Cosignature, Entry, LogLeaf, Witness
from ledger.receipt import build_receipt
from ledger.store import DatabaseNodeStore
from ledger.tree import root_from_store


def decode_hash(text: str) -> bytes:
    """32 bytes from 64 hex digits or (url-safe) base64, as people paste hashes; else ValueError."""
    text = text.strip()
    decoded = b""
    try:
        if len(text) == 64:
            decoded = bytes.fromhex(text)
        else:
            decoded = base64.b64decode(text.replace("-", "+").replace("_", "/"), validate=True)
    except (ValueError, binascii.Error):
        pass
    if len(decoded) != 32:
        raise ValueError("a hash must be 64 hex digits or the base64 of 32 bytes")
    return decoded


class NotSequenced(LookupError):
    """The entry is stored but the sequencer has not given it an index yet: retry later."""


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-size").first()


def tree_size() -> int:
    """The size of the latest signed checkpoint (0 for an empty log)."""
    checkpoint = latest_checkpoint()
    return checkpoint.size if checkpoint else 0


def checkpoint_at(size: int) -> Checkpoint | None:
    return Checkpoint.objects.filter(size=size).first()


def cosignatures_of(checkpoint: Checkpoint) -> list[Cosignature]:
    return list(checkpoint.cosignatures.select_related("witness").order_by("witness__name"))


def checkpoint_text(checkpoint: Checkpoint) -> str:
    """The signed note with the log's signature and every stored cosignature, as served."""
    return checkpoint.note + "".join(c.line for c in cosignatures_of(checkpoint))


def active_witnesses() -> list[Witness]:
    return list(Witness.objects.filter(active=True).order_by("name"))


def witness_quorum() -> int:
    return settings.LEDGER_WITNESS_QUORUM


def is_witnessed(checkpoint: Checkpoint) -> bool:
    """Whether at least ``LEDGER_WITNESS_QUORUM`` distinct active partners cosigned it."""
    count = checkpoint.cosignatures.filter(witness__active=True).count()
    return count >= witness_quorum()


def latest_witnessed_checkpoint(min_size: int = 0) -> Checkpoint | None:
    return (
        Checkpoint.objects.filter(size__gte=min_size)
        .annotate(cosigners=Count("cosignatures", filter=Q(cosignatures__witness__active=True)))
        .filter(cosigners__gte=witness_quorum())
        .order_by("-size")
        .first()
    )


def entry_index(entry: Entry) -> int | None:
    """The entry's position in the log, or None while it waits for the sequencer."""
    leaf = LogLeaf.objects.filter(entry=entry).values_list("index", flat=True).first()
    return leaf


def entry_at(index: int) -> Entry | None:
    leaf = LogLeaf.objects.filter(index=index).select_related("entry").first()
    return leaf.entry if leaf else None


def entry_by_leaf_hash(leaf_hash: bytes) -> tuple[int | None, Entry] | None:
    """(index or None if pending, entry) of the first entry with this leaf hash, or None."""
    leaf = (
        LogLeaf.objects.filter(entry__leaf_hash=leaf_hash)
        .select_related("entry")
        .order_by("index")
        .first()
    )
    if leaf:
        return leaf.index, leaf.entry
    entry = Entry.objects.filter(leaf_hash=leaf_hash).order_by("id").first()
    return (None, entry) if entry else None


@dataclass(frozen=True)
class LoggedEntry:
    index: int
    entry: Entry


def entries_between(start: int, end: int) -> list[LoggedEntry]:
    """Sequenced entries with index in [start, end), in index order."""
    leaves = LogLeaf.objects.filter(index__gte=start, index__lt=end).select_related("entry")
    return [LoggedEntry(leaf.index, leaf.entry) for leaf in leaves.order_by("index")]


def inclusion_proof(index: int, size: int) -> list[bytes]:
    """RFC 9162 inclusion proof of leaf `index` in the tree of `size` (one node query)."""
    return proof.inclusion_proof(DatabaseNodeStore(), index, size)


def consistency_proof(size1: int, size2: int) -> list[bytes]:
    """RFC 9162 consistency proof from size1 to size2 (empty when size1 is 0 or size2)."""
    return proof.consistency_proof(DatabaseNodeStore(), size1, size2)


def root_at(size: int) -> bytes:
    """The root hash of the tree at any size up to the sequenced size (one node query)."""
    return root_from_store(DatabaseNodeStore(), size)


def receipt_checkpoint(index: int, size: int | None = None) -> Checkpoint:
    """The checkpoint a receipt for leaf `index` is made against.

    With `size`, exactly that checkpoint (LookupError if none, ValueError if it does not cover
    the leaf). Otherwise the latest witnessed checkpoint covering it, else the latest one.
    """
    if size is not None:
        checkpoint = checkpoint_at(size)
        if checkpoint is None:
            raise LookupError(f"no checkpoint of size {size}")
        if index >= size:
            raise ValueError(f"leaf {index} is not in the checkpoint of size {size}")
        return checkpoint
    checkpoint = latest_witnessed_checkpoint(min_size=index + 1) or latest_checkpoint()
    if checkpoint is None or checkpoint.size <= index:
        raise NotSequenced(f"no checkpoint covers leaf {index} yet")
    return checkpoint


def receipt_at(index: int, size: int | None = None) -> str:
    """The C2SP tlog-proof receipt for leaf `index` (see :func:`receipt_checkpoint`)."""
    entry = entry_at(index)
    if entry is None:
        raise LookupError(f"no leaf {index} in the log")
    checkpoint = receipt_checkpoint(index, size)
    hashes = inclusion_proof(index, checkpoint.size)
    return build_receipt(index, hashes, checkpoint_text(checkpoint), bytes(entry.leaf))


def receipt_for(entry: Entry, *, size: int | None = None) -> str:
    """The receipt (C2SP tlog-proof text) of an appended entry, verifiable offline with
    ``python -m ledger.verify``. Raises :class:`NotSequenced` until the sequencer ran."""
    index = entry_index(entry)
    if index is None:
        raise NotSequenced(f"entry {entry.pk} is waiting for the sequencer")
    return receipt_at(index, size)


def cosigned_sizes(witnesses: Sequence[Witness]) -> dict[int, int]:
    """For each witness id, the largest checkpoint size we hold its cosignature for (or 0)."""
    sizes = {w.pk: 0 for w in witnesses}
    rows = (
        Cosignature.objects.filter(witness__in=witnesses)
        .values("witness_id")
        .annotate(largest=Max("checkpoint__size"))
    )
    sizes.update({row["witness_id"]: row["largest"] for row in rows})
    return sizes
