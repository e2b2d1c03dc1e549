"""Building Merkle proofs from stored complete-subtree nodes (RFC 9162 §2.1.3.1 and §2.1.4.1).

Every proof element is the hash of a range of leaves that appears in the RFC 6962 tree: a sibling
on the path from the proven part up to the root. Such a range is either a perfect subtree (one
stored node) or, on the right edge of the tree, a short run of perfect subtrees that is folded
(:func:`ledger.merkle.fold_nodes`). So a proof over a tree of n leaves needs at most about
2·log2(n) stored nodes, fetched in **one** ``reader.get_nodes`` call.

The one descent, :func:`proof_ranges`, covers the three proofs the ledger serves:

- inclusion of leaf ``i`` in a tree of size ``n``      = ranges of subtree ``[i, i+1)`` in ``n``;
- consistency from size ``m`` to size ``n`` (RFC 9162) = ranges of subtree ``[0, m)``   in ``n``;
- subtree consistency of ``[start, end)`` in ``n``     (the generalisation used by Merkle Tree
  Certificates, draft-ietf-plants-merkle-tree-certs §4.4, and by c2sp.org/tlog-mirror).
"""

from collections.abc import Sequence

from ledger.merkle import (
    NodeId,
    fold_nodes,
    is_valid_subtree,
    largest_power_of_two_below,
    range_nodes,
)
from ledger.tree import NodeReader


def proof_ranges(start: int, end: int, size: int) -> list[tuple[int, int]]:
    """Leaf ranges whose hashes form the proof that subtree [start, end) is in the tree of `size`.

    The order is the RFC 9162 order: from the bottom of the tree up to the children of the root.
    Follows SUBPROOF(m, D[n], b) of RFC 9162 §2.1.4.1, generalised to a subtree that need not start
    at leaf 0: descend from the root towards [start, end), recording the sibling at each step; when
    the target straddles the split point, its left part is shared by both trees and only its right
    part is still to be proven, whose hash the verifier does not know (b = false).
    """
    if not is_valid_subtree(start, end) or end > size:
        raise ValueError(f"[{start}, {end}) is not a subtree of a tree of size {size}")
    siblings: list[tuple[int, int]] = []
    lo, hi, known = 0, size, True
    while (lo, hi) != (start, end):
        mid = lo + largest_power_of_two_below(hi - lo)
        if end <= mid:
            siblings.append((mid, hi))
            hi = mid
        elif start >= mid:
            siblings.append((lo, mid))
            lo = mid
        else:
            # Only a subtree starting at the node's first leaf can straddle the split.
            assert start == lo, (start, end, lo, hi)
            siblings.append((lo, mid))
            lo = start = mid
            known = False
    if not known:
        siblings.append((lo, hi))
    return siblings[::-1]


def hashes_for_ranges(reader: NodeReader, ranges: Sequence[tuple[int, int]]) -> list[bytes]:
    """Hash each (aligned) leaf range from stored nodes, reading all of them in one call."""
    per_range = [range_nodes(a, b) for a, b in ranges]
    wanted = list(dict.fromkeys(node for nodes in per_range for node in nodes))
    if not wanted:
        return []
    stored: dict[NodeId, bytes] = dict(zip(wanted, reader.get_nodes(wanted), strict=True))
    return [fold_nodes([stored[node] for node in nodes]) for nodes in per_range]


def inclusion_proof(reader: NodeReader, index: int, size: int) -> list[bytes]:
    """RFC 9162 inclusion proof (audit path) of leaf `index` in the stored tree of `size` leaves."""
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} is outside a tree of size {size}")
    return hashes_for_ranges(reader, proof_ranges(index, index + 1, size))


def consistency_proof(reader: NodeReader, size1: int, size2: int) -> list[bytes]:
    """RFC 9162 consistency proof from the tree of `size1` leaves to the tree of `size2` leaves.

    Empty when ``size1 == size2`` or ``size1 == 0`` (nothing to prove, as in c2sp.org/tlog-witness).
    """
    if not 0 <= size1 <= size2:
        raise ValueError(f"no consistency proof from size {size1} to size {size2}")
    if size1 in (0, size2):
        return []
    return hashes_for_ranges(reader, proof_ranges(0, size1, size2))


def subtree_consistency_proof(reader: NodeReader, start: int, end: int, size: int) -> list[bytes]:
    """Proof that subtree [start, end) is contained in the tree of `size` leaves (MTC §4.4)."""
    return hashes_for_ranges(reader, proof_ranges(start, end, size))


def subtree_inclusion_proof(reader: NodeReader, index: int, start: int, end: int) -> list[bytes]:
    """Proof that leaf `index` is in subtree [start, end) (MTC §4.3): its path in the subtree."""
    if not is_valid_subtree(start, end) or not start <= index < end:
        raise ValueError(f"leaf {index} is not in a valid subtree [{start}, {end})")
    local = proof_ranges(index - start, index - start + 1, end - start)
    ranges = [(a + start, b + start) for a, b in local]
    return hashes_for_ranges(reader, ranges)
