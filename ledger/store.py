"""The tree's node store in the database: :class:`ledger.tree.NodeReader` over ``TreeNode``.

``get_nodes`` answers with one query, ``WHERE (level, index) IN ((l1, i1), ...)``, whatever the
operation (a proof needs at most ~2·log2(n) nodes, a sequencer batch at most 64).
"""

from collections.abc import Iterable, Sequence

from django.db import connection

from ledger.merkle import NodeId
from ledger.models import TreeNode
from ledger.tree import MissingNodeError

# Rows per INSERT statement for Django's bulk_create: under SQLite's 32766 bound variables.
INSERT_BATCH = 2000


def bulk_insert(table: str, columns: Sequence[str], rows: Iterable[tuple]) -> None:
    """Insert many rows fast: COPY on PostgreSQL, executemany elsewhere (no model instances).

    The sequencer writes ~3 rows per entry; Django's bulk_create spends most of its time building
    SQL, so this is what lets it integrate thousands of entries per second.
    """
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"  # noqa: S608 - fixed names
            cursor.executemany(sql, list(rows))


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
        rows = ((node.level, node.index, digest) for node, digest in items)
        bulk_insert(TreeNode._meta.db_table, ("level", "index", "hash"), rows)
