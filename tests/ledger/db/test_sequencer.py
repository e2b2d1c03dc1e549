"""append + sequence: what the database log promises to every app that anchors something."""

import pytest
from django.db import IntegrityError, transaction

from ledger import keys, selectors, services
from ledger.checkpoint import open_checkpoint
from ledger.leaf import Entry as Leaf
from ledger.leaf import EntryError, payload_digest
from ledger.merkle import hash_leaf, tree_hash
from ledger.models import Checkpoint, LogHead, LogLeaf, PendingEntry, TreeNode
from ledger.note import Ed25519Verifier
from ledger.proof_verify import verify_consistency, verify_inclusion

pytestmark = pytest.mark.django_db


def test_append_stores_the_leaf_but_no_index_until_sequenced():
    entry = services.append("ballot.cast", {"tracker": "trk-1", "election": "e1"})
    leaf = Leaf.decode(bytes(entry.leaf))
    assert leaf.kind == "ballot.cast"
    assert leaf.payload_sha256 == payload_digest({"election": "e1", "tracker": "trk-1"})
    assert bytes(entry.leaf_hash) == hash_leaf(bytes(entry.leaf))
    assert selectors.entry_index(entry) is None
    with pytest.raises(selectors.NotSequenced):
        selectors.receipt_for(entry)
    checkpoint = services.sequence()
    assert checkpoint.size == 1
    assert selectors.entry_index(entry) == 0
    assert not PendingEntry.objects.exists()


def test_sequenced_indexes_are_consecutive_in_append_order_and_root_matches():
    entries = services.append_many([("test.item", {"n": i}) for i in range(13)])
    services.sequence(batch_size=5)
    services.sequence(batch_size=5)
    last = services.sequence(batch_size=5)
    assert services.sequence() is None  # nothing left
    assert [c.size for c in Checkpoint.objects.order_by("size")] == [5, 10, 13]
    leaves = list(LogLeaf.objects.order_by("index").values_list("index", "entry_id"))
    assert leaves == [(i, e.pk) for i, e in enumerate(entries)]
    leaf_hashes = [bytes(e.leaf_hash) for e in entries]
    assert bytes(last.root) == tree_hash(leaf_hashes)
    for size in (5, 10):
        assert bytes(Checkpoint.objects.get(size=size).root) == tree_hash(leaf_hashes[:size])
    assert LogHead.objects.get().size == 13
    # Every perfect subtree is stored once: 13 leaves + 6 + 3 + 1 interior nodes.
    assert TreeNode.objects.count() == 13 + 6 + 3 + 1


def test_checkpoint_note_is_signed_by_the_log_key_and_names_the_origin():
    services.append_many([("test.item", {"n": i}) for i in range(3)])
    checkpoint = services.sequence_pending()
    signed = open_checkpoint(checkpoint.note, Ed25519Verifier(keys.log_verifier_key()))
    assert signed.checkpoint.origin == keys.origin()
    assert signed.checkpoint.size == 3
    assert signed.checkpoint.root == bytes(checkpoint.root)


def test_proofs_from_stored_nodes_verify_against_the_checkpoints():
    entries = services.append_many([("test.item", {"n": i}) for i in range(21)])
    services.sequence(batch_size=8)
    services.sequence_pending()
    small, big = Checkpoint.objects.get(size=8), Checkpoint.objects.get(size=21)
    for index in (0, 7, 8, 20):
        proof = selectors.inclusion_proof(index, 21)
        verify_inclusion(index, 21, bytes(entries[index].leaf_hash), proof, bytes(big.root))
    proof = selectors.consistency_proof(8, 21)
    verify_consistency(8, 21, proof, bytes(small.root), bytes(big.root))
    assert selectors.root_at(8) == bytes(small.root)


def test_refused_payload_stores_nothing():
    with pytest.raises(EntryError, match="floats are not canonical"):
        services.append("test.item", {"amount": 1.5})
    with pytest.raises(EntryError, match="kind"):
        services.append("Bad Kind", {})
    assert not PendingEntry.objects.exists()


def test_append_rolls_back_with_the_callers_transaction():
    with pytest.raises(RuntimeError), transaction.atomic():
        services.append("test.item", {"n": 1})
        raise RuntimeError("the caller's write failed")
    assert services.sequence() is None


def test_a_failing_batch_rolls_back_entirely(monkeypatch):
    services.append_many([("test.item", {"n": i}) for i in range(4)])

    def crash(*args, **kwargs):
        raise RuntimeError("power cut while signing")

    monkeypatch.setattr(services, "sign_checkpoint", crash)
    with pytest.raises(RuntimeError):
        services.sequence()
    assert not LogLeaf.objects.exists() and not TreeNode.objects.exists()
    assert PendingEntry.objects.count() == 4 and LogHead.objects.get().size == 0
    monkeypatch.undo()
    assert services.sequence().size == 4


def test_a_second_checkpoint_for_one_size_is_refused_by_the_database():
    services.append("test.item", {"n": 1})
    checkpoint = services.sequence()
    with pytest.raises(IntegrityError), transaction.atomic():
        Checkpoint.objects.create(
            size=checkpoint.size, root=bytes(32), note="x", created_at=checkpoint.created_at
        )
