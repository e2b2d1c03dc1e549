"""cosignature/v1 signatures and the witness's add-checkpoint decision (c2sp.org/tlog-witness)."""

import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ledger.checkpoint import Checkpoint, sign_checkpoint
from ledger.cosignature import (
    COSIGNATURE_V1,
    CosignatureSigner,
    CosignatureVerifier,
    add_cosignatures,
    cosignature_time,
    cosigned_message,
    format_add_checkpoint,
    parse_add_checkpoint,
    witness_add_checkpoint,
)
from ledger.merkle import hash_leaf
from ledger.note import (
    Ed25519Signer,
    Ed25519Verifier,
    NoteError,
    Signature,
    decode_verifier_key,
    generate_signer_key,
    open_note,
    parse_note,
)
from ledger.proof import consistency_proof
from ledger.tree import MemoryNodeStore, extend_tree

ORIGIN = "polity.example/ledger"


@pytest.fixture
def log():
    skey, vkey = generate_signer_key(ORIGIN)
    wskey, wvkey = generate_signer_key("auditor.example/w1", COSIGNATURE_V1)
    store = MemoryNodeStore()
    return {
        "signer": Ed25519Signer(skey),
        "verifier": Ed25519Verifier(vkey),
        "witness": CosignatureSigner(wskey),
        "witness_vkey": wvkey,
        "store": store,
        "size": 0,
    }


def grow(log, count, tag=b""):
    update = extend_tree(
        log["store"],
        log["size"],
        [hash_leaf(tag + b"%d" % (log["size"] + i)) for i in range(count)],
    )
    log["store"].put_nodes(update.nodes)
    log["size"] = update.size
    return sign_checkpoint(Checkpoint(ORIGIN, update.size, update.root), log["signer"])


def add(log, note, latest, old_size=None, proof=None, now=1_700_000_000):
    old = latest.size if latest else 0
    return witness_add_checkpoint(
        signer=log["witness"],
        log_keys=[log["verifier"]],
        latest=latest,
        old_size=old if old_size is None else old_size,
        proof=consistency_proof(log["store"], old, log["size"]) if proof is None else proof,
        checkpoint_note=note,
        now=now,
    )


def test_cosignature_bytes_follow_the_spec(log):
    cp = Checkpoint(ORIGIN, 5, hashlib.sha256(b"x").digest())
    sig = log["witness"].cosign(cp, 1679315147)
    assert len(sig.data) == 8 + 64 and cosignature_time(sig) == 1679315147
    name, _kid, key_type, public = decode_verifier_key(log["witness_vkey"])
    assert key_type == 0x04
    expected_id = hashlib.sha256(name.encode() + b"\n\x04" + public).digest()[:4]
    assert sig.key_id == int.from_bytes(expected_id, "big")
    message = cosigned_message(cp.format(), 1679315147)
    assert message == b"cosignature/v1\ntime 1679315147\n" + cp.format().encode()
    Ed25519PublicKey.from_public_bytes(public).verify(sig.data[8:], message)  # raises if wrong


def test_cosignature_verifies_as_a_note_signature_and_tampering_fails(log):
    note = grow(log, 3)
    outcome = add(log, note, None)
    assert outcome.accepted and outcome.checkpoint.size == 3
    cosigned = parse_note(note).with_signatures([outcome.cosignature]).format()
    witness = CosignatureVerifier(log["witness_vkey"])
    assert open_note(cosigned, [witness]).verified[0].name == "auditor.example/w1"
    other_time = outcome.cosignature.data[:7] + b"\x01" + outcome.cosignature.data[8:]
    forged = cosigned.replace(
        outcome.cosignature.line(),
        type(outcome.cosignature)("auditor.example/w1", witness.key_id, other_time).line(),
    )
    with pytest.raises(NoteError, match="does not verify"):
        open_note(forged, [witness])
    with pytest.raises(NoteError, match="not 0x04"):
        CosignatureVerifier(Ed25519Signer(generate_signer_key("x")[0]).verifier_key())


def test_witness_follows_a_growing_log_and_refuses_rollbacks_and_forks(log):
    first = grow(log, 4)
    latest = add(log, first, None).checkpoint
    second = grow(log, 7)
    outcome = add(log, second, latest)
    assert outcome.status == 200, outcome.reason
    latest = outcome.checkpoint
    assert add(log, second, latest).status == 200  # same checkpoint again: re-cosigned
    stale = add(log, first, latest, old_size=4)
    assert stale.status == 409 and stale.size == 11
    rollback = add(log, first, latest, old_size=11, proof=[])
    assert rollback.status == 400 and "larger" in rollback.reason
    # A forked log: same size, different leaves, validly signed.
    forked_log = dict(log, store=MemoryNodeStore(), size=0)
    fork = grow(forked_log, 11, tag=b"evil")
    forked = add(log, fork, latest, old_size=11, proof=[])
    assert forked.status == 409 and "fork" in forked.reason
    # A rewritten history: bigger, but not an extension of what was cosigned.
    rewritten = grow(forked_log, 5, tag=b"evil")
    bad = add(log, rewritten, latest, proof=consistency_proof(forked_log["store"], 11, 16))
    assert bad.status == 422 and "consistent" in bad.reason


def test_witness_refuses_unknown_logs_bad_signatures_and_bad_requests(log):
    note = grow(log, 2)
    stranger_skey, _ = generate_signer_key("elsewhere.example/log")
    foreign = sign_checkpoint(
        Checkpoint("elsewhere.example/log", 1, bytes(32)), Ed25519Signer(stranger_skey)
    )
    assert add(log, foreign, None, proof=[]).status == 404
    impostor_skey, _ = generate_signer_key(ORIGIN)
    impostor = sign_checkpoint(Checkpoint(ORIGIN, 2, bytes(32)), Ed25519Signer(impostor_skey))
    assert add(log, impostor, None, proof=[]).status == 403
    assert add(log, note, None, proof=[bytes(32)]).status == 422
    assert add(log, "not a note", None, proof=[]).status == 400
    assert add(log, note, None, proof=[bytes(32)] * 64).status == 400


def test_the_log_keeps_only_valid_cosignatures_from_the_witness_it_asked(log):
    note = grow(log, 6)
    outcome = add(log, note, None)
    witness = CosignatureVerifier(log["witness_vkey"])
    stranger = CosignatureSigner(generate_signer_key("stranger.example", COSIGNATURE_V1)[0])
    noise = stranger.cosign(outcome.checkpoint, 1).line()
    merged = add_cosignatures(note, outcome.cosignature.line() + noise, witness)
    assert parse_note(merged).signatures[1:] == (outcome.cosignature,)
    assert add_cosignatures(merged, outcome.cosignature.line(), witness) == merged  # idempotent
    with pytest.raises(NoteError, match="trusted key"):
        add_cosignatures(note, noise, witness)
    sig = outcome.cosignature
    forged = Signature(sig.name, sig.key_id, sig.data[:-1] + bytes([sig.data[-1] ^ 1])).line()
    with pytest.raises(NoteError, match="does not verify"):
        add_cosignatures(note, forged, witness)


def test_add_checkpoint_body_round_trips(log):
    note = grow(log, 9)
    proof = consistency_proof(log["store"], 3, 9)
    body = format_add_checkpoint(3, proof, note)
    assert body.startswith("old 3\n")
    assert parse_add_checkpoint(body) == (3, proof, note)
    for broken in ("old 03\n\n" + note, "old 3\nAAAA\n\n" + note, "3\n\n" + note, "old 3\n" + note):
        with pytest.raises(ValueError):
            parse_add_checkpoint(broken)
