"""Ballots that break the rules are rejected, each with a reason naming what failed."""

import json

import pytest

from tests.voting.crypto.conftest import make_context
from voting.crypto import (
    Contest,
    ElectionContext,
    EncodingError,
    EncryptedBallot,
    Scalar,
    VerificationError,
    encrypt,
    encrypt_ballot,
    verify_ballot,
)
from voting.crypto.ballot import (
    EncryptedContest,
    EncryptedSelection,
    contest_statement,
    selection_statement,
)
from voting.crypto.curve import Q
from voting.crypto.hashing import TAG_CONTEST, TAG_SELECTION
from voting.crypto.proofs import prove_range


def _forge(ctx: ElectionContext, voter: str, votes: list[int], claim: list[int], total_claim: int):
    """A ballot whose ciphertexts encrypt ``votes`` but whose proofs were made for ``claim``.

    This is what a cheating booth would have to do: the prover is run honestly except that it is
    told a different plaintext than the one encrypted.
    """
    contest = ctx.contests[0]
    sels = []
    nonces = []
    for sid, vote, claimed in zip(contest.selections, votes, claim, strict=True):
        r = Scalar.random_nonzero()
        ct = encrypt(ctx.g, ctx.k, vote, r)
        statement = selection_statement(ctx, voter, contest, sid, ct)
        proof = prove_range(
            ctx, tag=TAG_SELECTION, statement=statement, value=claimed, nonce=r, lo=0, hi=1
        )
        sels.append(EncryptedSelection(sid, ct, proof))
        nonces.append(r)
    statement = contest_statement(ctx, voter, contest, [s.ciphertext for s in sels])
    proof = prove_range(
        ctx,
        tag=TAG_CONTEST,
        statement=statement,
        value=total_claim,
        nonce=sum(nonces) % Q,
        lo=contest.min_votes,
        hi=contest.max_votes,
    )
    return EncryptedBallot(
        ctx.fingerprint, voter, (EncryptedContest(contest.id, tuple(sels), proof),)
    )


@pytest.fixture(scope="module")
def ctx() -> ElectionContext:
    return make_context((Contest("mayor", ("alice", "bob", "carol")),))


def test_honest_forgery_helper_makes_valid_ballots(ctx):
    verify_ballot(ctx, _forge(ctx, "v", [0, 1, 0], [0, 1, 0], 1))


def test_selection_encrypting_two_is_rejected(ctx):
    ballot = _forge(ctx, "v", [2, 0, 0], [1, 0, 0], 1)
    with pytest.raises(VerificationError, match="contest 'mayor' selection 'alice': range proof"):
        verify_ballot(ctx, ballot)


def test_over_limit_contest_is_rejected(ctx):
    ballot = _forge(ctx, "v", [1, 1, 0], [1, 1, 0], 1)
    with pytest.raises(VerificationError, match=r"^contest 'mayor': range proof equation"):
        verify_ballot(ctx, ballot)


def test_ballot_for_another_election_is_rejected(ctx):
    other = make_context(ctx.contests, name="other-election")
    ballot, _ = encrypt_ballot(other, "v", {})
    with pytest.raises(VerificationError, match="another election"):
        verify_ballot(ctx, ballot)
    # Relabelled with this election's fingerprint, its proofs are still bound to the other one.
    relabelled = EncryptedBallot(ctx.fingerprint, ballot.voter, ballot.contests)
    with pytest.raises(VerificationError, match="challenge mismatch"):
        verify_ballot(ctx, relabelled)


def test_ballot_bound_to_another_voter_is_rejected(ctx):
    ballot, _ = encrypt_ballot(ctx, "alice-alias", {"mayor": {"bob": 1}})
    with pytest.raises(VerificationError, match="bound to voter 'alice-alias'"):
        verify_ballot(ctx, ballot, "mallory-alias")
    stolen = EncryptedBallot(ballot.election, "mallory-alias", ballot.contests)
    with pytest.raises(VerificationError, match=r"contest 'mayor'.*challenge mismatch"):
        verify_ballot(ctx, stolen)


def _tampered(ctx, path, value):
    ballot, _ = encrypt_ballot(ctx, "v", {"mayor": {"bob": 1}})
    wire = json.loads(json.dumps(ballot.to_json()))
    target = wire
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value(target[path[-1]])
    return EncryptedBallot.from_json(wire)


def _bump(hex_scalar: str) -> str:
    return f"{(int(hex_scalar, 16) + 1) % Q:064x}"


def test_tampered_challenge_is_rejected(ctx):
    path = ["contests", 0, "selections", 1, "proof", 0, "c"]
    with pytest.raises(VerificationError, match="selection 'bob': range proof challenge mismatch"):
        verify_ballot(ctx, _tampered(ctx, path, _bump))


def test_tampered_response_is_rejected(ctx):
    path = ["contests", 0, "selections", 2, "proof", 1, "v"]
    with pytest.raises(
        VerificationError, match="selection 'carol': range proof equation for value 1 fails"
    ):
        verify_ballot(ctx, _tampered(ctx, path, _bump))


def test_tampered_contest_response_is_rejected(ctx):
    path = ["contests", 0, "proof", 0, "v"]
    with pytest.raises(VerificationError, match=r"^contest 'mayor': range proof equation"):
        verify_ballot(ctx, _tampered(ctx, path, _bump))


def test_swapped_ciphertext_is_rejected(ctx):
    ballot, _ = encrypt_ballot(ctx, "v", {"mayor": {"bob": 1}})
    wire = ballot.to_json()
    sels = wire["contests"][0]["selections"]
    sels[0]["alpha"], sels[1]["alpha"] = sels[1]["alpha"], sels[0]["alpha"]
    with pytest.raises(VerificationError, match=r"contest 'mayor'.*challenge mismatch"):
        verify_ballot(ctx, EncryptedBallot.from_json(wire))


def test_off_curve_point_is_rejected_with_reason(ctx):
    path = ["contests", 0, "selections", 0, "alpha"]
    with pytest.raises(EncodingError, match="not on the BN254 curve"):
        _tampered(ctx, path, lambda h: h[:-1] + ("1" if h[-1] != "1" else "2"))


def test_non_canonical_scalar_is_rejected(ctx):
    path = ["contests", 0, "selections", 0, "proof", 0, "v"]
    with pytest.raises(EncodingError, match="below the group order"):
        _tampered(
            ctx, path, lambda h: f"{int(h, 16) + Q:064x}" if int(h, 16) + Q < 2**256 else "f" * 64
        )


def test_identity_ciphertext_is_rejected(ctx):
    path = ["contests", 0, "selections", 0, "beta"]
    with pytest.raises(EncodingError, match="identity"):
        _tampered(ctx, path, lambda _: "0" * 128)


def test_wrong_number_of_branches_is_rejected(ctx):
    ballot, _ = encrypt_ballot(ctx, "v", {})
    wire = ballot.to_json()
    proof = wire["contests"][0]["selections"][0]["proof"]
    proof.append(proof[0])
    with pytest.raises(VerificationError, match="has 3 branches, expected 2"):
        verify_ballot(ctx, EncryptedBallot.from_json(wire))


def test_missing_selection_is_rejected(ctx):
    ballot, _ = encrypt_ballot(ctx, "v", {})
    wire = ballot.to_json()
    wire["contests"][0]["selections"].pop()
    with pytest.raises(VerificationError, match="do not match the manifest"):
        verify_ballot(ctx, EncryptedBallot.from_json(wire))
