"""Re-derive the whole log from the stored entries and compare it with everything stored.

For each leaf index in order: recompute the leaf bytes from the entry's kind, payload and time;
append its hash to a fresh tree (``CompactRange``); compare every completed node with the stored
``TreeNode`` and, at every checkpoint's size, the recomputed root with the signed root. Every
checkpoint signature and every stored cosignature is verified too. An edited entry row, a
reordering, a truncation or a rewritten node shows up as the first leaf index where the recomputed
log and the stored one part ways. Streams in chunks: memory stays flat whatever the log's size.

The database alone cannot prove it was not cut short: whoever deletes the last leaves can delete
their checkpoints too. So the audit also takes signed checkpoints kept *outside* the database
(``anchors``: an auditor's saved ``/ledger/checkpoint``, a witness's last cosigned checkpoint):
each must be signed by the log and its root must be the recomputed tree's at its size. And an
entry that is stored but neither in the log nor waiting for the sequencer (its queue row was
deleted) is reported: it would otherwise never be anchored.
"""

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from ledger import keys
from ledger.checkpoint import Checkpoint as CheckpointBody
from ledger.checkpoint import CheckpointError, open_checkpoint
from ledger.cosignature import CosignatureVerifier
from ledger.leaf import Entry as Leaf
from ledger.leaf import EntryError
from ledger.merkle import NodeId, hash_leaf
from ledger.models import Checkpoint, Cosignature, Entry, LogHead, LogLeaf, TreeNode
from ledger.note import Ed25519Verifier, NoteError, open_note
from ledger.tree import CompactRange

CHUNK = 4096
MAX_PROBLEMS = 50


@dataclass
class AuditReport:
    leaves: int = 0
    checkpoints: int = 0
    cosignatures: int = 0
    anchors: int = 0
    problems: list[str] = field(default_factory=list)
    first_bad_index: int | None = None
    # Where a difference is known to start at or after (a root differs, leaves and nodes agree).
    lower_bounds: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem(self, index: int | None, message: str) -> None:
        if index is not None and (self.first_bad_index is None or index < self.first_bad_index):
            self.first_bad_index = index
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(message)


def _checkpoints() -> Iterator[Checkpoint]:
    last = -1
    while True:
        page = list(Checkpoint.objects.filter(size__gt=last).order_by("size")[:1000])
        if not page:
            return
        yield from page
        last = page[-1].size


def _leaf_rows(start: int) -> list[tuple]:
    return list(
        LogLeaf.objects.filter(index__gte=start)
        .order_by("index")
        .values_list("index", "entry__kind", "entry__payload", "entry__appended_at", "entry__leaf")[
            :CHUNK
        ]
    )


def _recomputed_leaf(report: AuditReport, index: int, row: tuple) -> bytes:
    _index, kind, payload, appended_at, stored_leaf = row
    try:
        leaf = Leaf.create(kind, payload, appended_at).encode()
    except EntryError as exc:
        report.problem(index, f"leaf {index}: the entry row cannot be encoded: {exc}")
        return bytes(stored_leaf)
    if leaf != bytes(stored_leaf):
        report.problem(
            index, f"leaf {index}: stored leaf bytes differ from the entry's kind, payload and time"
        )
    return leaf


def _compare_nodes(
    report: AuditReport, created: list[tuple[NodeId, bytes]], bad_leaves: list[int]
) -> None:
    """Compare completed nodes with stored ones. A differing leaf node pins the index; a
    differing interior node over matching leaves means the stored interior node was rewritten."""
    by_level: dict[int, dict[int, bytes]] = defaultdict(dict)
    for node, digest in created:
        by_level[node.level][node.index] = digest
    for level in sorted(by_level):
        wanted = by_level[level]
        rows = TreeNode.objects.filter(
            level=level, index__gte=min(wanted), index__lte=max(wanted)
        ).values_list("index", "hash")
        stored = {index: bytes(digest) for index, digest in rows}
        for index, digest in sorted(wanted.items()):
            node = NodeId(level, index)
            if stored.get(index) == digest:
                continue
            if level == 0:
                bad_leaves.append(index)
            elif any(node.start <= leaf < node.end for leaf in bad_leaves):
                continue  # explained by a leaf below it
            what = "is missing" if index not in stored else "differs from the recomputed tree"
            report.problem(node.start, f"tree node {tuple(node)} (leaves from {node.start}) {what}")


def _check_checkpoint(
    report: AuditReport, checkpoint: Checkpoint, log: Ed25519Verifier, root: bytes, first: int
) -> None:
    report.checkpoints += 1
    try:
        body = open_checkpoint(checkpoint.note, log).checkpoint
    except CheckpointError as exc:
        report.problem(None, f"checkpoint {checkpoint.size}: {exc}")
        return
    if (body.size, body.root) != (checkpoint.size, bytes(checkpoint.root)):
        report.problem(None, f"checkpoint {checkpoint.size}: columns differ from the signed note")
    if body.root != root:
        report.lower_bounds.append(first)
        report.problem(
            None,
            f"checkpoint {checkpoint.size}: signed root differs from the tree recomputed from the "
            f"entries (the first difference is at or after index {first})",
        )


def _open_anchors(
    report: AuditReport, log: Ed25519Verifier, anchors: Sequence[tuple[str, str]]
) -> dict[int, list[tuple[str, CheckpointBody]]]:
    """The outside checkpoints by size; a bad signature is a problem of its own."""
    by_size: dict[int, list[tuple[str, CheckpointBody]]] = defaultdict(list)
    for source, note in anchors:
        try:
            body = open_checkpoint(note, log).checkpoint
        except CheckpointError as exc:
            report.problem(None, f"saved checkpoint {source}: {exc}")
            continue
        by_size[body.size].append((source, body))
    return by_size


def _check_anchor(
    report: AuditReport, source: str, body: CheckpointBody, root: bytes, first: int
) -> None:
    report.anchors += 1
    if body.root != root:
        report.lower_bounds.append(first)
        report.problem(
            None,
            f"saved checkpoint {source} (size {body.size}): its signed root differs from the "
            f"tree recomputed from the entries: the log was rewritten (the first difference is "
            f"at or after index {first})",
        )


def audit_log(anchors: Sequence[tuple[str, str]] = ()) -> AuditReport:
    """Check the whole log; the report lists problems and the first leaf index that differs.

    `anchors` are (source, signed checkpoint text) pairs kept outside the database.
    """
    report = AuditReport()
    log = Ed25519Verifier(keys.log_verifier_key())
    outside = _open_anchors(report, log, anchors)
    for source, body in outside.pop(0, []):
        _check_anchor(report, source, body, CompactRange().root(), 0)
    checkpoints = _checkpoints()
    pending = next(checkpoints, None)
    compact = CompactRange()
    last_good = 0  # largest checkpoint size whose root matched
    gap = False
    bad_leaves: list[int] = []
    while not gap and (rows := _leaf_rows(compact.size)):
        created: list[tuple[NodeId, bytes]] = []
        for row in rows:
            index = compact.size
            if row[0] != index:
                report.problem(index, f"leaf {index} is missing (the next stored leaf is {row[0]})")
                gap = True  # what follows cannot line up with the signed trees any more
                break
            created.extend(compact.append(hash_leaf(_recomputed_leaf(report, index, row))))
            good_below = last_good  # the largest matched size before this one
            while pending is not None and pending.size == compact.size:
                root = compact.root()
                _check_checkpoint(report, pending, log, root, last_good)
                if root == bytes(pending.root):
                    last_good = pending.size
                pending = next(checkpoints, None)
            for source, body in outside.pop(compact.size, []):
                _check_anchor(report, source, body, compact.root(), good_below)
        _compare_nodes(report, created, bad_leaves)
    report.leaves = compact.size
    for size in sorted(outside):
        for source, _body in outside[size]:
            report.anchors += 1
            report.problem(
                compact.size,
                f"log truncated: saved checkpoint {source} was signed at size {size}, but only "
                f"the first {compact.size} leaves are stored in order",
            )
    _check_tail(report, pending)
    _check_unanchored(report)
    _check_cosignatures(report)
    if report.first_bad_index is None and report.lower_bounds:
        report.first_bad_index = min(report.lower_bounds)
    return report


def _check_tail(report: AuditReport, pending: Checkpoint | None) -> None:
    if pending is not None:
        report.problem(
            report.leaves,
            f"log truncated: checkpoint {pending.size} was signed but only the first "
            f"{report.leaves} leaves are stored in order",
        )
    head = LogHead.objects.filter(pk=LogHead.SINGLETON).values_list("size", flat=True).first()
    if head is not None and head != report.leaves:
        report.problem(
            min(head, report.leaves), f"the log head says size {head}, {report.leaves} leaves"
        )
    expected = sum(report.leaves >> level for level in range(report.leaves.bit_length()))
    stored = TreeNode.objects.count()
    if stored != expected:
        report.problem(
            None, f"{stored} tree nodes are stored, a tree of {report.leaves} leaves has {expected}"
        )


def _check_unanchored(report: AuditReport) -> None:
    lost = Entry.objects.filter(log_leaf__isnull=True, pendingentry__isnull=True)
    count = lost.count()
    if count:
        ids = ", ".join(str(pk) for pk in lost.order_by("pk").values_list("pk", flat=True)[:10])
        report.problem(
            None,
            f"{count} stored entr{'y is' if count == 1 else 'ies are'} neither in the log nor "
            f"waiting for the sequencer (entry id {ids}{', …' if count > 10 else ''})",
        )


def _check_cosignatures(report: AuditReport) -> None:
    rows = Cosignature.objects.select_related("checkpoint", "witness").order_by("pk")
    for cosignature in rows.iterator(chunk_size=1000):
        report.cosignatures += 1
        witness = cosignature.witness
        try:
            open_note(
                cosignature.checkpoint.note + cosignature.line,
                [CosignatureVerifier(witness.verifier_key)],
            )
        except NoteError as exc:
            report.problem(
                None,
                f"cosignature of {witness.name} on checkpoint {cosignature.checkpoint.size}: {exc}",
            )
