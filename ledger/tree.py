"""The log's Merkle tree as stored nodes: the node-store interface and the incremental builder.

The log stores the hash of every complete (perfect) subtree as ``(level, index) -> hash`` (see
:class:`ledger.merkle.NodeId`). Those rows never change once written, so they are safe to cache and
to write idempotently. With them:

- the sequencer appends a batch of leaves knowing only the current *right border* (the perfect
  subtrees along the right edge, one per set bit of the size, at most 64): :class:`CompactRange`;
- the root of any past size is a fold of at most 64 stored nodes: :func:`root_from_store`;
- inclusion and consistency proofs need O(log n) stored nodes, read in one batch
  (:mod:`ledger.proof`).

Nothing here rebuilds a tree from its leaves.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from ledger.merkle import HASH_SIZE, NodeId, border_nodes, fold_nodes, hash_children


class MissingNodeError(LookupError):
    """A node the tree needs is not in the store: the store is behind or damaged."""


class NodeReader(Protocol):
    """Read access to stored complete-subtree nodes.

    ``get_nodes(ids)`` returns the hash of every requested node, in the order asked, and raises
    :class:`MissingNodeError` (or any ``LookupError``) if one is absent. Callers ask for all the
    nodes one operation needs in a single call, so a database implementation answers with one
    query (``WHERE (level, index) IN ...``) of at most ~2·log2(n) rows.
    """

    def get_nodes(self, ids: Sequence[NodeId]) -> Sequence[bytes]: ...


class MemoryNodeStore:
    """A dict-backed node store: the reference implementation for tests, benchmarks and audits."""

    def __init__(self) -> None:
        self.nodes: dict[NodeId, bytes] = {}

    def get_nodes(self, ids: Sequence[NodeId]) -> list[bytes]:
        try:
            return [self.nodes[NodeId(*node)] for node in ids]
        except KeyError as missing:
            raise MissingNodeError(f"node {missing.args[0]} is not stored") from None

    def put_nodes(self, items: Iterable[tuple[NodeId, bytes]]) -> None:
        """Store nodes; rewriting a node with its same hash is a no-op, another hash an error."""
        for node, digest in items:
            old = self.nodes.setdefault(node, digest)
            if old != digest:
                raise ValueError(f"node {node} is already stored with a different hash")


class CompactRange:
    """The right border of a tree: enough state to append leaves and compute the root.

    ``hashes[i]`` is the hash of ``border_nodes(size)[i]``: the perfect subtrees covering
    ``[0, size)``, largest (leftmost) first. Appending never needs any other node.
    """

    def __init__(self, size: int = 0, hashes: Sequence[bytes] = ()) -> None:
        expected = border_nodes(size)
        if len(hashes) != len(expected):
            raise ValueError(
                f"a tree of size {size} has {len(expected)} border nodes, got {len(hashes)}"
            )
        if any(len(h) != HASH_SIZE for h in hashes):
            raise ValueError("border hashes must be 32 bytes each")
        self.size = size
        self.nodes: list[NodeId] = expected
        self.hashes: list[bytes] = list(hashes)

    @classmethod
    def from_store(cls, reader: NodeReader, size: int) -> "CompactRange":
        """Load the border of a stored tree of `size` leaves (one read of at most 64 nodes)."""
        ids = border_nodes(size)
        return cls(size, list(reader.get_nodes(ids)) if ids else [])

    def append(self, leaf_hash: bytes) -> list[tuple[NodeId, bytes]]:
        """Append one leaf hash; return every node it completes, the leaf itself first."""
        if len(leaf_hash) != HASH_SIZE:
            raise ValueError(f"leaf hash must be {HASH_SIZE} bytes, got {len(leaf_hash)}")
        node, digest = NodeId(0, self.size), leaf_hash
        created = [(node, digest)]
        # Two border subtrees of the same level merge into their parent, like a binary carry.
        while self.nodes and self.nodes[-1].level == node.level:
            left = self.hashes.pop()
            self.nodes.pop()
            node, digest = NodeId(node.level + 1, node.index >> 1), hash_children(left, digest)
            created.append((node, digest))
        self.nodes.append(node)
        self.hashes.append(digest)
        self.size += 1
        return created

    def extend(self, leaf_hashes: Iterable[bytes]) -> list[tuple[NodeId, bytes]]:
        """Append leaves in order; return all completed nodes (about two per leaf) to store."""
        created: list[tuple[NodeId, bytes]] = []
        for leaf_hash in leaf_hashes:
            created.extend(self.append(leaf_hash))
        return created

    def root(self) -> bytes:
        """The RFC 6962 root hash of the tree of the current size."""
        return fold_nodes(self.hashes)


@dataclass(frozen=True)
class TreeUpdate:
    """What the sequencer writes after integrating a batch: nodes to store, new size and root."""

    size: int
    root: bytes
    nodes: list[tuple[NodeId, bytes]]


def extend_tree(reader: NodeReader, size: int, leaf_hashes: Sequence[bytes]) -> TreeUpdate:
    """Integrate `leaf_hashes` at indexes ``size, size+1, ...`` of the stored tree of `size` leaves.

    Reads only the border of the current tree. Pure otherwise: the caller stores ``nodes`` (writing
    a node twice with the same hash is harmless, so a retried batch is safe) and signs ``root``.
    """
    compact = CompactRange.from_store(reader, size)
    nodes = compact.extend(leaf_hashes)
    return TreeUpdate(size=compact.size, root=compact.root(), nodes=nodes)


def root_from_store(reader: NodeReader, size: int) -> bytes:
    """The root hash of the stored tree at any `size` up to the stored size, in one read."""
    ids = border_nodes(size)
    return fold_nodes(list(reader.get_nodes(ids)) if ids else [])
