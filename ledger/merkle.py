"""RFC 6962 / RFC 9162 Merkle tree hashing, and arithmetic on tree sizes.

This module is the hashing rule and nothing else, so that every other part of the ledger (proof
building, proof checking, the sequencer, the offline verifier) agrees on one definition:

- the hash of the empty tree is ``SHA-256()``;
- a leaf hash is ``SHA-256(0x00 || leaf bytes)``;
- an interior node hash is ``SHA-256(0x01 || left || right)``.

Nodes of complete (perfect) subtrees are addressed by ``(level, index)``: level 0 holds the leaf
hashes, and node ``(level, index)`` is the root of the perfect subtree over leaves
``[index * 2**level, (index + 1) * 2**level)``. Such a node never changes once its last leaf is
appended, which is what lets the log store it once and answer proofs from storage.
"""

from hashlib import sha256
from typing import NamedTuple

HASH_SIZE = 32
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = sha256(b"").digest()


class NodeId(NamedTuple):
    """The root of the perfect subtree over leaves [index * 2**level, (index + 1) * 2**level)."""

    level: int
    index: int

    @property
    def start(self) -> int:
        return self.index << self.level

    @property
    def end(self) -> int:
        return (self.index + 1) << self.level


def hash_leaf(data: bytes) -> bytes:
    """RFC 6962 leaf hash: SHA-256(0x00 || data)."""
    return sha256(LEAF_PREFIX + data).digest()


def hash_children(left: bytes, right: bytes) -> bytes:
    """RFC 6962 interior node hash: SHA-256(0x01 || left || right)."""
    return sha256(NODE_PREFIX + left + right).digest()


def largest_power_of_two_below(n: int) -> int:
    """The split point k of RFC 6962: the largest power of two strictly smaller than n (n >= 2)."""
    if n < 2:
        raise ValueError(f"no power of two is below {n} in a Merkle split (need n >= 2)")
    return 1 << ((n - 1).bit_length() - 1)


def is_power_of_two(n: int) -> bool:
    return n > 0 and n & (n - 1) == 0


def is_valid_subtree(start: int, end: int) -> bool:
    """[start, end) is a subtree (MTC §4.1): non-empty, start a multiple of BIT_CEIL(width).

    Every node of an RFC 6962 tree is one, and so is every prefix [0, m).
    """
    if not 0 <= start < end:
        return False
    width = 1 << (end - start - 1).bit_length()  # BIT_CEIL(end - start)
    return start % width == 0


def range_nodes(start: int, end: int) -> list[NodeId]:
    """Decompose the leaf range [start, end) into maximal perfect subtrees, left to right.

    Every range that appears in an RFC 6962 tree (a whole tree, a left child, a right child) is
    "aligned": its perfect subtrees shrink from left to right. For those ranges
    ``MTH(D[start:end]) == fold_right(hashes of these nodes)`` (see :func:`fold_nodes`).
    """
    if not 0 <= start <= end:
        raise ValueError(f"invalid leaf range [{start}, {end})")
    nodes: list[NodeId] = []
    while start < end:
        # The biggest perfect subtree that starts at `start` (alignment) and fits before `end`.
        level = (end - start).bit_length() - 1
        if start:
            level = min(level, (start & -start).bit_length() - 1)
        nodes.append(NodeId(level, start >> level))
        start += 1 << level
    return nodes


def border_nodes(size: int) -> list[NodeId]:
    """The right border (compact range) of a tree of `size` leaves: one perfect subtree per set bit.

    Their hashes, folded right to left, give the root of the tree of that size.
    """
    return range_nodes(0, size)


def fold_nodes(hashes: list[bytes]) -> bytes:
    """Hash of an aligned range from its perfect-subtree hashes (left to right), or the empty root.

    The RFC 6962 split of an aligned range puts its first (largest) perfect subtree on the left and
    the rest on the right, so the hash is ``h0 . (h1 . (h2 . ...))``.
    """
    if not hashes:
        return EMPTY_ROOT
    acc = hashes[-1]
    for left in reversed(hashes[:-1]):
        acc = hash_children(left, acc)
    return acc


def tree_hash(leaf_hashes: list[bytes]) -> bytes:
    """MTH of a list of leaf hashes by the recursive definition of RFC 6962 §2.1 (for tests)."""
    n = len(leaf_hashes)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return leaf_hashes[0]
    k = largest_power_of_two_below(n)
    return hash_children(tree_hash(leaf_hashes[:k]), tree_hash(leaf_hashes[k:]))
