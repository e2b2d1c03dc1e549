"""The tree's node store in the database: :class:`ledger.tree.NodeReader` over ``TreeNode``.

``get_nodes`` answers with one query, ``WHERE (level, index) IN ((l1, i1), ...)``, whatever the
operation (a proof needs at most ~2·log2(n) nodes, a sequencer batch at most 64).
"""

from collections.abc import Iterable, Sequence

from ledger.merkle import NodeId
from ledger.models import TreeNode
from ledger.tree import MissingNodeError

# Rows per INSERT statement: well under SQLite's 32766 bound variables (3 per node).
INSERT_BATCH = 2000


class DatabaseNodeStore:
    """Reads and writes ``TreeNode`` rows on the default database connection."""

    def get_nodes(self, ids: Sequence[NodeId]) -> list[bytes]:
        if not ids:
            return []
        wanted = [(int(level), int(index)) for level, index in ids]
        rows = TreeNode.objects.filter(pk__in=wanted).values_list("level", "index", "hash")
        found = {(level, index): bytes(digest) for level, index, digest in rows}
        missing = [node for node in wanted if node not in found]
        if missing:
            raise MissingNodeError(f"tree node {NodeId(*missing[0])} is not stored")
        return [found[node] for node in wanted]

    def put_nodes(self, items: Iterable[tuple[NodeId, bytes]]) -> None:
        """Insert new nodes. A node that already exists is an error: stored nodes never change."""
        TreeNode.objects.bulk_create(
            [TreeNode(level=node.level, index=node.index, hash=digest) for node, digest in items],
            batch_size=INSERT_BATCH,
        )
