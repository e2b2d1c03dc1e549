"""Random message sets and disclosures: what is signed verifies, anything altered does not."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from identity.bbs import (
    BBSError,
    InvalidProof,
    InvalidSignature,
    generate_secret_key,
    keygen,
    proof_gen,
    proof_verify,
    sign,
    sk_to_pk,
    verify,
)

SK = keygen(b"polity test issuer key material!", b"round-trip tests")
PK = sk_to_pk(SK)
OTHER_PK = sk_to_pk(keygen(b"another issuer's key material...."))

message_lists = st.lists(st.binary(max_size=40), min_size=1, max_size=12)
headers = st.binary(max_size=24)
examples = settings(max_examples=12, deadline=None)


@examples
@given(messages=message_lists, header=headers, data=st.data())
def test_signature_round_trip_and_tampering(messages, header, data):
    signature = sign(SK, PK, messages, header=header)
    verify(PK, signature, messages, header=header)

    index = data.draw(st.integers(0, len(messages) - 1))
    altered = list(messages)
    altered[index] = messages[index] + b"!"
    with pytest.raises(InvalidSignature, match="does not verify"):
        verify(PK, signature, altered, header=header)
    with pytest.raises(InvalidSignature):
        verify(PK, signature, [*messages, b"extra"], header=header)
    with pytest.raises(InvalidSignature):
        verify(PK, signature, messages, header=header + b"?")
    with pytest.raises(InvalidSignature):
        verify(OTHER_PK, signature, messages, header=header)
    if len(set(messages)) > 1:
        with pytest.raises(InvalidSignature):
            verify(PK, signature, messages[::-1] if messages[::-1] != messages else messages[1:])


@examples
@given(messages=message_lists, header=headers, ph=headers, data=st.data())
def test_proof_round_trip_for_random_disclosures(messages, header, ph, data):
    indexes = sorted(data.draw(st.sets(st.integers(0, len(messages) - 1))))
    disclosed = [messages[i] for i in indexes]
    signature = sign(SK, PK, messages, header=header)
    proof = proof_gen(PK, signature, messages, indexes, header=header, presentation_header=ph)
    assert len(proof) == 3 * 48 + 32 * (4 + len(messages) - len(indexes))
    proof_verify(PK, proof, disclosed, indexes, header=header, presentation_header=ph)

    with pytest.raises(InvalidProof, match="challenge mismatch"):
        proof_verify(PK, proof, disclosed, indexes, header=header, presentation_header=ph + b"x")
    with pytest.raises(InvalidProof):
        proof_verify(PK, proof, disclosed, indexes, header=header + b"x", presentation_header=ph)
    with pytest.raises(InvalidProof):
        proof_verify(OTHER_PK, proof, disclosed, indexes, header=header, presentation_header=ph)
    if indexes:
        changed = [disclosed[0] + b"?", *disclosed[1:]]
        with pytest.raises(InvalidProof):
            proof_verify(PK, proof, changed, indexes, header=header, presentation_header=ph)

    position = data.draw(st.integers(0, len(proof) - 1))
    bit = 1 << data.draw(st.integers(0, 7))
    tampered = proof[:position] + bytes([proof[position] ^ bit]) + proof[position + 1 :]
    with pytest.raises(BBSError):
        proof_verify(PK, tampered, disclosed, indexes, header=header, presentation_header=ph)


def test_proofs_of_one_signature_are_unlinkable_bytes():
    messages = [b"a", b"b", b"c"]
    signature = sign(SK, PK, messages)
    first = proof_gen(PK, signature, messages, [1])
    second = proof_gen(PK, signature, messages, [1])
    assert first != second
    assert signature[:48] not in first and signature[48:] not in first


def test_proof_from_a_forged_signature_is_rejected():
    messages = [b"a", b"b"]
    forged = sign(SK, PK, [b"a", b"c"])  # a real signature, but over other messages
    proof = proof_gen(PK, forged, messages, [0])
    with pytest.raises(InvalidProof, match="pairing check failed"):
        proof_verify(PK, proof, [b"a"], [0])


@pytest.mark.parametrize(
    ("indexes", "reason"),
    [([1, 0], "strictly ascending"), ([0, 0], "strictly ascending"), ([3], "outside 0..2")],
)
def test_disclosed_indexes_are_checked(indexes, reason):
    messages = [b"a", b"b", b"c"]
    signature = sign(SK, PK, messages)
    with pytest.raises(BBSError, match=reason):
        proof_gen(PK, signature, messages, indexes)


def test_proof_verify_checks_disclosure_shape():
    messages = [b"a", b"b", b"c"]
    proof = proof_gen(PK, sign(SK, PK, messages), messages, [0, 2])
    with pytest.raises(BBSError, match="2 disclosed indexes"):
        proof_verify(PK, proof, [b"a"], [0, 2])
    with pytest.raises(BBSError, match="outside"):
        proof_verify(PK, proof, [b"a", b"c"], [0, 3])
    with pytest.raises(InvalidProof):
        proof_verify(PK, proof, [b"a", b"c"], [0, 1])


def test_keygen_requires_enough_key_material():
    with pytest.raises(BBSError, match="at least 32 bytes"):
        keygen(b"short")
    assert generate_secret_key() != generate_secret_key()


def test_message_count_is_bounded_before_any_work():
    too_many = [b"m"] * 257
    with pytest.raises(BBSError, match="at most 256 messages"):
        sign(SK, PK, too_many)
    proof = proof_gen(PK, sign(SK, PK, [b"a"]), [b"a"], [0])
    padded = proof[:-32] + bytes.fromhex("01" * 32) * 300 + proof[-32:]
    with pytest.raises(BBSError, match="at most 256 messages"):
        proof_verify(PK, padded, [b"a"], [0])
