"""Node-store trees and proofs against the naive recursive RFC 6962 definition, random sizes."""

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.merkle import (
    EMPTY_ROOT,
    NodeId,
    border_nodes,
    hash_leaf,
    is_valid_subtree,
    range_nodes,
    tree_hash,
)
from ledger.proof import (
    consistency_proof,
    inclusion_proof,
    subtree_consistency_proof,
    subtree_inclusion_proof,
)
from ledger.proof_verify import (
    ProofError,
    verify_consistency,
    verify_inclusion,
    verify_subtree_consistency,
    verify_subtree_inclusion,
)
from ledger.tree import (
    CompactRange,
    MemoryNodeStore,
    MissingNodeError,
    extend_tree,
    root_from_store,
)


def leaves(n: int) -> list[bytes]:
    return [hash_leaf(b"entry %d" % i) for i in range(n)]


def built_store(n: int, batches: list[int] | None = None) -> MemoryNodeStore:
    """A store filled through the sequencer path, in the given batch sizes."""
    store, size, all_leaves = MemoryNodeStore(), 0, leaves(n)
    for batch in batches or [n]:
        update = extend_tree(store, size, all_leaves[size : size + batch])
        store.put_nodes(update.nodes)
        size = update.size
    return store


def flip(digest: bytes, bit: int) -> bytes:
    out = bytearray(digest)
    out[bit // 8 % 32] ^= 1 << (bit % 8)
    return bytes(out)


sizes = st.integers(min_value=1, max_value=300)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=8))
def test_batched_appends_store_every_perfect_subtree_and_give_the_naive_root(batches):
    n = sum(batches)
    store = built_store(n, batches)
    all_leaves = leaves(n)
    for size in range(n + 1):
        assert root_from_store(store, size) == tree_hash(all_leaves[:size])
    for node, digest in store.nodes.items():
        assert digest == tree_hash(all_leaves[node.start : node.end])
    # Every perfect subtree inside [0, n) is stored, and nothing else.
    expected = {NodeId(lvl, i) for lvl in range(n.bit_length()) for i in range(n >> lvl)}
    assert set(store.nodes) == expected


@settings(max_examples=80, deadline=None)
@given(sizes, st.data())
def test_inclusion_proofs_from_the_store_verify_and_tampering_fails(n, data):
    store, all_leaves = built_store(n), leaves(n)
    root = tree_hash(all_leaves)
    index = data.draw(st.integers(0, n - 1))
    proof = inclusion_proof(store, index, n)
    verify_inclusion(index, n, all_leaves[index], proof, root)
    assert len(proof) <= 2 * n.bit_length()
    with pytest.raises(ProofError):
        verify_inclusion(index, n, hash_leaf(b"forged"), proof, root)
    if proof:
        k = data.draw(st.integers(0, len(proof) - 1))
        bad = list(proof)
        bad[k] = flip(bad[k], data.draw(st.integers(0, 255)))
        with pytest.raises(ProofError):
            verify_inclusion(index, n, all_leaves[index], bad, root)
        with pytest.raises(ProofError):
            verify_inclusion(index, n, all_leaves[index], proof[:-1], root)
    with pytest.raises(ProofError):
        verify_inclusion(index, n, all_leaves[index], [*proof, root], root)
    if n > 1:
        other = (index + 1) % n
        with pytest.raises(ProofError):
            verify_inclusion(other, n, all_leaves[index], proof, root)


@settings(max_examples=80, deadline=None)
@given(sizes, st.data())
def test_consistency_proofs_from_the_store_verify_and_tampering_fails(n, data):
    store, all_leaves = built_store(n), leaves(n)
    m = data.draw(st.integers(1, n))
    root1, root2 = tree_hash(all_leaves[:m]), tree_hash(all_leaves)
    proof = consistency_proof(store, m, n)
    verify_consistency(m, n, proof, root1, root2)
    if m < n:
        forked = tree_hash([*all_leaves[: m - 1], hash_leaf(b"rewritten"), *all_leaves[m:]])
        with pytest.raises(ProofError):
            verify_consistency(m, n, proof, root1, forked)
        with pytest.raises(ProofError):
            verify_consistency(m, n, proof, tree_hash([*all_leaves[: m - 1], EMPTY_ROOT]), root2)
        k = data.draw(st.integers(0, len(proof) - 1))
        bad = list(proof)
        bad[k] = flip(bad[k], data.draw(st.integers(0, 255)))
        with pytest.raises(ProofError):
            verify_consistency(m, n, bad, root1, root2)
        with pytest.raises(ProofError):
            verify_consistency(m, n, proof[1:], root1, root2)


@settings(max_examples=80, deadline=None)
@given(sizes, st.data())
def test_subtree_proofs_from_the_store_verify(n, data):
    store, all_leaves = built_store(n), leaves(n)
    block = 1 << data.draw(st.integers(0, n.bit_length()))
    start = block * data.draw(st.integers(0, (n - 1) // block))
    end = data.draw(st.integers(start + 1, min(start + block, n)))
    assert is_valid_subtree(start, end)
    sub_root, root = tree_hash(all_leaves[start:end]), tree_hash(all_leaves)
    proof = subtree_consistency_proof(store, start, end, n)
    verify_subtree_consistency(start, end, n, proof, sub_root, root)
    with pytest.raises(ProofError):
        verify_subtree_consistency(start, end, n, proof, hash_leaf(b"x"), root)
    index = data.draw(st.integers(start, end - 1))
    path = subtree_inclusion_proof(store, index, start, end)
    verify_subtree_inclusion(index, start, end, all_leaves[index], path, sub_root)


def test_the_consistency_proof_is_the_subtree_proof_of_the_prefix():
    store = built_store(37)
    for m in range(1, 37):
        assert consistency_proof(store, m, 37) == subtree_consistency_proof(store, 0, m, 37)


def test_known_small_tree_matches_rfc_definition_by_hand():
    a, b, c = (hash_leaf(x) for x in (b"a", b"b", b"c"))
    h = lambda left, right: hashlib.sha256(b"\x01" + left + right).digest()  # noqa: E731
    compact = CompactRange()
    compact.extend([a, b, c])
    assert compact.root() == h(h(a, b), c)
    assert compact.nodes == [NodeId(1, 0), NodeId(0, 2)]
    assert CompactRange().root() == hashlib.sha256(b"").digest()


def test_range_and_border_decomposition():
    assert border_nodes(13) == [NodeId(3, 0), NodeId(2, 2), NodeId(0, 12)]
    assert range_nodes(8, 13) == [NodeId(2, 2), NodeId(0, 12)]
    assert border_nodes(0) == []


def test_missing_nodes_and_bad_arguments_are_refused():
    store = built_store(5)
    with pytest.raises(MissingNodeError):
        inclusion_proof(store, 0, 9)
    with pytest.raises(ValueError, match="outside"):
        inclusion_proof(store, 5, 5)
    with pytest.raises(ValueError, match="consistency"):
        consistency_proof(store, 4, 3)
    with pytest.raises(ValueError, match="border nodes"):
        CompactRange(3, [EMPTY_ROOT])
    store.put_nodes([(NodeId(0, 0), store.nodes[NodeId(0, 0)])])  # idempotent rewrite
    with pytest.raises(ValueError, match="different hash"):
        store.put_nodes([(NodeId(0, 0), EMPTY_ROOT)])


class CountingStore(MemoryNodeStore):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[int] = []

    def get_nodes(self, ids):
        self.calls.append(len(ids))
        return super().get_nodes(ids)


def test_proofs_read_the_store_once_and_logarithmically():
    store = CountingStore()
    store.nodes = built_store(1000).nodes
    inclusion_proof(store, 517, 1000)
    consistency_proof(store, 333, 1000)
    root_from_store(store, 999)
    extend_tree(store, 1000, leaves(3))
    assert len(store.calls) == 4
    assert max(store.calls) <= 2 * 10
