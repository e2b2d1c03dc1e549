"""Checking Merkle proofs (RFC 9162 §2.1.3.2 and §2.1.4.2, and MTC subtree proofs).

Every function returns None when the proof holds and raises :class:`ProofError` with a sentence a
person can act on when it does not. They are pure and need only ``hashlib``, so the offline verifier
(:mod:`ledger.verify`) and the witnesses use exactly this code.

Hash lengths are not policed here beyond what the algorithms need: parsers of checkpoints and
proofs (:mod:`ledger.checkpoint`, :mod:`ledger.receipt`) already insist on 32-byte hashes.
"""

from collections.abc import Sequence

from ledger.merkle import (
    EMPTY_ROOT,
    hash_children,
    is_power_of_two,
    is_valid_subtree,
    largest_power_of_two_below,
)


class ProofError(ValueError):
    """A Merkle proof does not hold; the message says which check failed."""


def verify_inclusion(
    index: int, size: int, leaf_hash: bytes, proof: Sequence[bytes], root: bytes
) -> None:
    """Check that `leaf_hash` is leaf `index` of the tree of `size` leaves whose root is `root`."""
    root_found = root_from_inclusion(index, size, leaf_hash, proof)
    if root_found != root:
        raise ProofError(
            f"inclusion proof for leaf {index} leads to root {root_found.hex()}, "
            f"not the expected {root.hex()} of tree size {size}"
        )


def root_from_inclusion(index: int, size: int, leaf_hash: bytes, proof: Sequence[bytes]) -> bytes:
    """The root implied by an inclusion proof, following RFC 9162 §2.1.3.2 step by step."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is outside a tree of size {size}")
    if len(leaf_hash) != 32:
        raise ProofError(f"leaf hash must be 32 bytes, got {len(leaf_hash)}")
    fn, sn, r = index, size - 1, leaf_hash
    for position, p in enumerate(proof):
        if len(p) != 32:
            raise ProofError(f"proof hash {position} is {len(p)} bytes, not 32")
        if sn == 0:
            raise ProofError(f"inclusion proof is too long: {len(proof)} hashes, {position} needed")
        if fn & 1 or fn == sn:
            r = hash_children(p, r)
            while not fn & 1 and fn:
                fn >>= 1
                sn >>= 1
        else:
            r = hash_children(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError(f"inclusion proof is too short: {len(proof)} hashes for tree size {size}")
    return r


def verify_consistency(
    size1: int, size2: int, proof: Sequence[bytes], root1: bytes, root2: bytes
) -> None:
    """Check that tree (`size2`, `root2`) extends tree (`size1`, `root1`) (RFC 9162 §2.1.4.2).

    Equal sizes need an empty proof and equal roots (a different root at the same size is a fork).
    A proof from the empty tree proves nothing and is refused: handle size 0 before calling.
    """
    if size1 > size2:
        raise ProofError(f"tree shrank: size {size1} cannot be followed by size {size2}")
    if size1 == size2:
        if proof:
            raise ProofError("trees of the same size need an empty consistency proof")
        if size1 == 0 and (root1 != EMPTY_ROOT or root2 != EMPTY_ROOT):
            raise ProofError("the empty tree's root must be SHA-256 of the empty string")
        if root1 != root2:
            raise ProofError(
                f"two different roots for tree size {size1}: {root1.hex()} and {root2.hex()} "
                "(the log forked)"
            )
        return
    if size1 == 0:
        raise ProofError("a consistency proof from the empty tree is meaningless")
    if not proof:
        raise ProofError(f"missing consistency proof from size {size1} to {size2}")
    if any(len(p) != 32 for p in proof):
        raise ProofError("every consistency proof hash must be 32 bytes")
    path = list(proof)
    if is_power_of_two(size1):
        path.insert(0, root1)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError(f"consistency proof is too long: {len(proof)} hashes")
        if fn & 1 or fn == sn:
            fr = hash_children(c, fr)
            sr = hash_children(c, sr)
            while not fn & 1 and fn:
                fn >>= 1
                sn >>= 1
        else:
            sr = hash_children(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError(f"consistency proof is too short: {len(proof)} hashes")
    if fr != root1:
        raise ProofError(
            f"consistency proof does not reproduce the old root of size {size1} "
            f"(got {fr.hex()}, expected {root1.hex()})"
        )
    if sr != root2:
        raise ProofError(
            f"consistency proof does not reproduce the new root of size {size2} "
            f"(got {sr.hex()}, expected {root2.hex()})"
        )


def verify_subtree_inclusion(
    index: int, start: int, end: int, leaf_hash: bytes, proof: Sequence[bytes], subtree_root: bytes
) -> None:
    """Check that `leaf_hash` is leaf `index` of subtree [start, end) with hash `subtree_root`.

    A subtree has the shape of a whole tree of ``end - start`` leaves, so this is an RFC 9162
    inclusion proof of leaf ``index - start`` in a tree of that size.
    """
    if not is_valid_subtree(start, end):
        raise ProofError(f"[{start}, {end}) is not a valid subtree")
    if not start <= index < end:
        raise ProofError(f"leaf {index} is outside subtree [{start}, {end})")
    verify_inclusion(index - start, end - start, leaf_hash, proof, subtree_root)


def verify_subtree_consistency(
    start: int, end: int, size: int, proof: Sequence[bytes], subtree_root: bytes, root: bytes
) -> None:
    """Check that subtree [start, end) hashing to `subtree_root` is in the tree (`size`, `root`).

    Replays the descent of :func:`ledger.proof.proof_ranges` bottom-up, computing the subtree hash
    and the tree root together from the proof. An empty subtree (start == end <= size) is contained
    in every tree; its hash must be the empty root and its proof empty.
    """
    if start == end and 0 <= start <= size:
        if proof:
            raise ProofError("an empty subtree needs an empty proof")
        if subtree_root != EMPTY_ROOT:
            raise ProofError("the hash of an empty subtree must be SHA-256 of the empty string")
        return
    if not is_valid_subtree(start, end):
        raise ProofError(f"[{start}, {end}) is not a valid subtree")
    if end > size:
        raise ProofError(f"subtree [{start}, {end}) ends beyond tree size {size}")
    if any(len(p) != 32 for p in proof):
        raise ProofError("every proof hash must be 32 bytes")
    steps: list[str] = []  # from the root down: which side the (remaining) target is on
    lo, hi, known = 0, size, True
    while (lo, hi) != (start, end):
        mid = lo + largest_power_of_two_below(hi - lo)
        if end <= mid:
            steps.append("left")
            hi = mid
        elif start >= mid:
            steps.append("right")
            lo = mid
        else:
            steps.append("straddle")
            lo = start = mid
            known = False
    expected = len(steps) + (0 if known else 1)
    if len(proof) != expected:
        raise ProofError(f"subtree proof has {len(proof)} hashes, expected {expected}")
    hashes = iter(proof)
    sub = node = subtree_root if known else next(hashes)
    for step in reversed(steps):
        sibling = next(hashes)
        if step == "left":
            node = hash_children(node, sibling)
        elif step == "right":
            node = hash_children(sibling, node)
        else:
            node, sub = hash_children(sibling, node), hash_children(sibling, sub)
    if sub != subtree_root:
        raise ProofError(f"subtree proof does not reproduce the subtree hash {subtree_root.hex()}")
    if node != root:
        raise ProofError(f"subtree proof leads to root {node.hex()}, not {root.hex()}")
