"""Encrypting, encoding and verifying ballots for the usual contest rules; Benaloh audits."""

import json

import pytest

from tests.voting.crypto.conftest import make_context
from voting.crypto import (
    REFERENCE,
    BallotSecrets,
    Contest,
    EncodingError,
    EncryptedBallot,
    VerificationError,
    canonical_json,
    encrypt_ballot,
    verify_audited_ballot,
    verify_ballot,
)


def test_one_of_three_ballot_verifies_and_round_trips(mayor_ctx):
    ballot, _ = encrypt_ballot(mayor_ctx, "alias-7", {"mayor": {"bob": 1}})
    verify_ballot(mayor_ctx, ballot, "alias-7")
    wire = json.loads(json.dumps(ballot.to_json()))
    decoded = EncryptedBallot.from_json(wire)
    assert decoded == ballot
    assert decoded.tracker == ballot.tracker
    verify_ballot(mayor_ctx, decoded)


def test_tracker_is_hash_of_canonical_encoding(mayor_ctx):
    ballot, secrets = encrypt_ballot(mayor_ctx, "v", {})
    reordered = json.loads(json.dumps(ballot.to_json(), indent=3, sort_keys=False))
    assert EncryptedBallot.from_json(reordered).tracker == ballot.tracker
    assert secrets.tracker == ballot.tracker
    assert len(ballot.tracker) == 64
    other, _ = encrypt_ballot(mayor_ctx, "v", {})
    assert other.tracker != ballot.tracker  # fresh nonces every time
    assert canonical_json(ballot.to_json()).startswith(b'{"contests":[{"id":"mayor"')


@pytest.mark.parametrize(
    ("contest", "choices"),
    [
        (Contest("c", ("a", "b", "c", "d", "e")), {"c": 1}),
        (Contest("c", ("a", "b", "c", "d"), max_votes=2), {"a": 1, "d": 1}),
        (Contest("c", tuple("abcdefghij"), max_votes=10), {k: 1 for k in "acegi"}),
        (Contest("c", ("a", "b", "c"), max_votes=2, min_votes=2), {"a": 1, "b": 1}),
        (Contest("c", ("a", "b", "c"), max_votes=5, max_per_selection=3), {"a": 3, "c": 2}),
        (Contest("c", ("a", "b")), {}),
    ],
    ids=["1-of-5", "2-of-4", "approval-10", "exactly-2", "cumulative-5-max-3", "blank"],
)
def test_contest_rules_encrypt_and_verify(contest, choices):
    ctx = make_context((contest,))
    ballot, secrets = encrypt_ballot(ctx, "voter", {"c": choices})
    verify_ballot(ctx, ballot)
    assert len(ballot.contests[0].proof.branches) == contest.max_votes - contest.min_votes + 1
    expected = {sid: choices.get(sid, 0) for sid in contest.selections}
    assert verify_audited_ballot(ctx, ballot, secrets) == {"c": expected}


@pytest.mark.parametrize(
    ("choices", "reason"),
    [
        ({"mayor": {"alice": 1, "bob": 1}}, "2 vote\\(s\\) given, allowed 0..1"),
        ({"mayor": {"alice": 2}}, "vote must be an integer 0..1"),
        ({"mayor": {"zed": 1}}, "unknown selection"),
        ({"senate": {}}, "unknown contest"),
    ],
)
def test_booth_refuses_invalid_choices(mayor_ctx, choices, reason):
    with pytest.raises(ValueError, match=reason):
        encrypt_ballot(mayor_ctx, "v", choices)


def test_audit_catches_a_booth_that_lies(mayor_ctx):
    ballot, secrets = encrypt_ballot(mayor_ctx, "v", {"mayor": {"alice": 1}})
    shown = secrets.to_json()
    # The booth claims it encrypted "bob" while the ciphertexts say "alice".
    for sel in shown["contests"][0]["selections"]:
        sel["vote"] = 1 if sel["id"] == "bob" else 0
    with pytest.raises(VerificationError, match="selection 'alice': the ciphertext is not"):
        verify_audited_ballot(mayor_ctx, ballot, BallotSecrets.from_json(shown))


def test_audit_rejects_secrets_of_another_ballot(mayor_ctx):
    ballot, _ = encrypt_ballot(mayor_ctx, "v", {})
    _, other = encrypt_ballot(mayor_ctx, "v", {})
    with pytest.raises(VerificationError, match="another ballot tracker"):
        verify_audited_ballot(mayor_ctx, ballot, other)


def test_audit_secrets_round_trip(mayor_ctx):
    ballot, secrets = encrypt_ballot(mayor_ctx, "v", {"council": {"erin": 1}})
    again = BallotSecrets.from_json(json.loads(json.dumps(secrets.to_json())))
    assert again == secrets
    assert verify_audited_ballot(mayor_ctx, ballot, again)["council"]["erin"] == 1


def test_reference_backend_agrees(mayor_ctx):
    ref_ctx = mayor_ctx.with_backend(REFERENCE)
    ballot, _ = encrypt_ballot(ref_ctx, "v", {"mayor": {"carol": 1}})
    verify_ballot(mayor_ctx, ballot)
    fast_ballot, _ = encrypt_ballot(mayor_ctx, "v", {"mayor": {"carol": 1}})
    verify_ballot(ref_ctx, fast_ballot)


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda b: b.pop("voter"), "exactly version, election, voter, contests"),
        (lambda b: b.update(version="polity-ballot-v0"), "unknown ballot version"),
        (lambda b: b.update(election="ABCD"), "lowercase hex"),
        (lambda b: b["contests"][0]["selections"][0].update(extra=1), "exactly id, alpha"),
        (lambda b: b["contests"][0].update(proof=[]), "non-empty list"),
        (lambda b: b.update(voter=""), "voter must be a string"),
    ],
)
def test_malformed_json_is_rejected(mayor_ctx, mutate, reason):
    ballot, _ = encrypt_ballot(mayor_ctx, "v", {})
    wire = ballot.to_json()
    mutate(wire)
    with pytest.raises(EncodingError, match=reason):
        EncryptedBallot.from_json(wire)


def test_contest_definitions_are_validated():
    with pytest.raises(EncodingError, match="unique"):
        Contest("c", ("a", "a"))
    with pytest.raises(EncodingError, match="min_votes <= max_votes"):
        Contest("c", ("a", "b"), max_votes=1, min_votes=2)
    with pytest.raises(EncodingError, match="must be 1-64"):
        Contest("bad id", ("a",))
    assert Contest.from_json(Contest("c", ("a",)).to_json()) == Contest("c", ("a",))
