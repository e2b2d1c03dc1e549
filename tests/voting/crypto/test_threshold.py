"""Threshold keys, verifiable shares, partial decryption and the decrypted tally."""

import itertools
import json
from dataclasses import replace

import pytest

from voting.crypto import (
    Contest,
    DecryptionError,
    ElectionContext,
    EncryptedShare,
    EncryptedTally,
    PartialDecryption,
    Scalar,
    ShareError,
    TrusteePublic,
    VerificationError,
    add_tallies,
    aggregate,
    batch_verify,
    combine,
    combine_key_share,
    deal_shares,
    decrypt_tally,
    election_fingerprint,
    encrypt_ballot,
    generate_trustee,
    joint_public_key,
    lagrange_at_zero,
    partial_decrypt,
    receive_share,
    verify_aggregate,
    verify_tally,
    verify_trustee_public,
)
from voting.crypto.curve import Q
from voting.crypto.decode import DiscreteLog
from voting.crypto.group import G
from voting.crypto.sharebox import open_share
from voting.crypto.threshold import check_share, evaluate, public_key_share

CEREMONY = b"ceremony:test-election"
NAMES = ["ada", "bo", "cy", "di", "ed"]
K, N = 3, 5


def run_ceremony(n: int = N, k: int = K):
    """All n trustees generate, publish, deal and receive; returns (publics, key shares)."""
    pairs = [generate_trustee(CEREMONY, i + 1, NAMES[i], k) for i in range(n)]
    secrets = [s for s, _ in pairs]
    publics = [p for _, p in pairs]
    for pub in publics:
        verify_trustee_public(CEREMONY, TrusteePublic.from_json(pub.to_json()), k)
    outbox = [box for s in secrets for box in deal_shares(CEREMONY, s, publics)]
    wire = [EncryptedShare.from_json(json.loads(json.dumps(b.to_json()))) for b in outbox]
    key_shares = {}
    for s in secrets:
        received = {
            b.sender: receive_share(CEREMONY, s, publics[b.sender - 1], b)
            for b in wire
            if b.recipient == s.index
        }
        assert len(received) == n - 1
        key_shares[s.index] = combine_key_share(s, received)
    return secrets, publics, key_shares


@pytest.fixture(scope="module")
def ceremony():
    return run_ceremony()


@pytest.fixture(scope="module")
def election(ceremony):
    _, publics, _ = ceremony
    key = joint_public_key(publics)
    contests = (Contest("mayor", ("alice", "bob", "carol")), Contest("park", ("yes", "no")))
    ctx = ElectionContext(election_fingerprint("e", contests, key), key, contests)
    votes = [("alice", "yes"), ("bob", "yes"), ("alice", "no"), ("alice", "yes"), ("carol", "no")]
    ballots = [
        encrypt_ballot(ctx, f"v{i}", {"mayor": {m: 1}, "park": {p: 1}})[0]
        for i, (m, p) in enumerate(votes)
    ]
    batch_verify(ctx, ballots)
    return ctx, ballots, aggregate(ctx, ballots)


EXPECTED = {"mayor": {"alice": 3, "bob": 1, "carol": 1}, "park": {"yes": 3, "no": 2}}


def test_key_shares_interpolate_to_the_joint_secret(ceremony):
    secrets, publics, key_shares = ceremony
    joint_secret = sum(s.coefficients[0] for s in secrets) % Q
    assert G * joint_secret == joint_public_key(publics)
    for index, share in key_shares.items():
        assert G * share == public_key_share(publics, index)
    for subset in itertools.combinations(sorted(key_shares), K):
        weights = lagrange_at_zero(subset)
        assert sum(weights[i] * key_shares[i] for i in subset) % Q == joint_secret


@pytest.mark.parametrize("present", [(1, 2, 3), (2, 4, 5), (1, 3, 5), (1, 2, 3, 4, 5)])
def test_any_k_trustees_decrypt_the_tally(ceremony, election, present):
    _, publics, key_shares = ceremony
    ctx, _, tally = election
    partials = [partial_decrypt(ctx, tally, i, key_shares[i]) for i in present]
    counts = decrypt_tally(ctx, tally, partials, publics, K)
    assert counts == EXPECTED
    verify_tally(ctx, tally, partials, publics, K, counts)


def test_k_minus_one_trustees_cannot_decrypt(ceremony, election):
    _, publics, key_shares = ceremony
    ctx, _, tally = election
    partials = [partial_decrypt(ctx, tally, i, key_shares[i]) for i in (2, 5)]
    with pytest.raises(DecryptionError, match="2 trustee\\(s\\) decrypted; at least 3"):
        decrypt_tally(ctx, tally, partials, publics, K)
    # Interpolating the two shares anyway does not give the plaintexts.
    forced = combine(ctx, tally, partials, threshold=2)
    assert forced[0] != G * EXPECTED["mayor"]["alice"]


def test_wrong_count_is_rejected_by_tally_verification(ceremony, election):
    _, publics, key_shares = ceremony
    ctx, _, tally = election
    partials = [partial_decrypt(ctx, tally, i, key_shares[i]) for i in (1, 2, 3)]
    wrong = {"mayor": {"alice": 2, "bob": 2, "carol": 1}, "park": {"yes": 3, "no": 2}}
    with pytest.raises(VerificationError, match="'alice': published count 2 does not match"):
        verify_tally(ctx, tally, partials, publics, K, wrong)


def test_forged_partial_decryption_names_the_trustee(ceremony, election):
    _, publics, key_shares = ceremony
    ctx, _, tally = election
    honest = partial_decrypt(ctx, tally, 4, key_shares[4])
    m, proof = honest.shares[1]
    forged = PartialDecryption(4, (honest.shares[0], (m + G, proof), *honest.shares[2:]))
    wire = PartialDecryption.from_json(json.loads(json.dumps(forged.to_json())))
    partials = [partial_decrypt(ctx, tally, i, key_shares[i]) for i in (1, 2)] + [wire]
    with pytest.raises(VerificationError, match="trustee 4: decryption proof for contest 'mayor'"):
        decrypt_tally(ctx, tally, partials, publics, K)
    # A trustee using a key share that is not its own is caught the same way.
    wrong_key = partial_decrypt(ctx, tally, 3, key_shares[2])
    with pytest.raises(VerificationError, match="trustee 3: decryption proof"):
        decrypt_tally(ctx, tally, [*partials[:2], wrong_key], publics, K)


def test_wrong_share_is_caught_and_its_trustee_named(ceremony):
    secrets, publics, _ = ceremony
    cheat = replace(secrets[1], coefficients=(*secrets[1].coefficients[:-1], Scalar(7)))
    boxes = deal_shares(CEREMONY, cheat, publics)
    to_cy = next(b for b in boxes if b.recipient == 3)
    with pytest.raises(
        ShareError, match="trustee 2 \\(bo\\): share for trustee 3 does not match"
    ) as caught:
        receive_share(CEREMONY, secrets[2], publics[1], to_cy)
    assert caught.value.trustee == 2
    assert caught.value.trustee_name == "bo"


def test_share_box_is_bound_to_recipient_and_ceremony(ceremony):
    secrets, publics, _ = ceremony
    box = next(b for b in deal_shares(CEREMONY, secrets[0], publics) if b.recipient == 2)
    assert open_share(CEREMONY, secrets[1].box_secret, box) == evaluate(secrets[0].coefficients, 2)
    with pytest.raises(VerificationError, match="does not decrypt"):
        open_share(CEREMONY, secrets[2].box_secret, box)
    with pytest.raises(VerificationError, match="does not decrypt"):
        open_share(b"another ceremony", secrets[1].box_secret, box)
    with pytest.raises(ShareError, match="trustee 1 \\(ada\\): share is addressed"):
        receive_share(CEREMONY, secrets[2], publics[0], box)


def test_bad_coefficient_proof_names_the_trustee(ceremony):
    _, publics, _ = ceremony
    pub = publics[3]
    swapped = replace(pub, proofs=(pub.proofs[1], pub.proofs[0], *pub.proofs[2:]))
    with pytest.raises(ShareError, match="trustee 4 \\(di\\): Schnorr proof for coefficient 0"):
        verify_trustee_public(CEREMONY, swapped, K)
    with pytest.raises(ShareError, match="trustee 4 \\(di\\): Schnorr proof"):
        verify_trustee_public(b"other ceremony", pub, K)
    with pytest.raises(ShareError, match="must publish 2 commitments"):
        verify_trustee_public(CEREMONY, pub, 2)
    check_share(publics[0], 2, evaluate(ceremony[0][0].coefficients, 2))


def test_weighted_tally(ceremony, election):
    _, publics, key_shares = ceremony
    ctx, ballots, _ = election
    tally = aggregate(ctx, ballots, weights=[1, 3, 0, 2, 1])
    tally = EncryptedTally.from_json(json.loads(json.dumps(tally.to_json())))
    partials = [partial_decrypt(ctx, tally, i, key_shares[i]) for i in (1, 4, 5)]
    counts = decrypt_tally(ctx, tally, partials, publics, K)
    assert counts == {"mayor": {"alice": 3, "bob": 3, "carol": 1}, "park": {"yes": 6, "no": 1}}


def test_discrete_log_is_bounded():
    dlog = DiscreteLog(100)
    assert [dlog.solve(G * m) for m in (0, 1, 9, 10, 11, 99, 100)] == [0, 1, 9, 10, 11, 99, 100]
    with pytest.raises(DecryptionError, match=r"not a count in 0\.\.100"):
        dlog.solve(G * 101)
    with pytest.raises(DecryptionError):
        dlog.solve(G * (Q - 1))


def test_chunked_tallies_add_up_and_the_aggregate_verifies(ceremony, election):
    _, publics, key_shares = ceremony
    ctx, ballots, tally = election
    chunks = [
        aggregate(ctx, ballots[:2]),
        aggregate(ctx, ballots[2:3]),
        aggregate(ctx, ballots[3:]),
    ]
    summed = add_tallies(ctx, chunks)
    assert summed == tally
    verify_aggregate(ctx, ballots, summed)
    with pytest.raises(VerificationError, match=r"claims 5 ballot\(s\).*the record has 4"):
        verify_aggregate(ctx, ballots[:4], summed)
    short = add_tallies(ctx, chunks[:2])
    padded = EncryptedTally(short.contests, 5)
    with pytest.raises(
        VerificationError, match="'mayor' selection 'alice': tally ciphertext is not"
    ):
        verify_aggregate(ctx, ballots, padded)
    partials = [partial_decrypt(ctx, summed, i, key_shares[i]) for i in (2, 3, 4)]
    assert decrypt_tally(ctx, summed, partials, publics, K) == EXPECTED
