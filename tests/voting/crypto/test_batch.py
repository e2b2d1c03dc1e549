"""Batch verification folds many ballots into one MSM and, on failure, finds the bad ones."""

import json

import pytest

from tests.voting.crypto.conftest import make_context
from voting.crypto import (
    REFERENCE,
    BatchVerificationError,
    Contest,
    EncryptedBallot,
    batch_verify,
    encrypt_ballot,
    find_invalid_ballots,
)
from voting.crypto.curve import Q


@pytest.fixture(scope="module")
def ctx():
    return make_context((Contest("mayor", ("alice", "bob", "carol")),))


@pytest.fixture(scope="module")
def ballots(ctx):
    names = ("alice", "bob", "carol")
    return [encrypt_ballot(ctx, f"v{i}", {"mayor": {names[i % 3]: 1}})[0] for i in range(40)]


def _corrupt_response(ballot: EncryptedBallot, selection: int) -> EncryptedBallot:
    wire = json.loads(json.dumps(ballot.to_json()))
    branch = wire["contests"][0]["selections"][selection]["proof"][0]
    branch["v"] = f"{(int(branch['v'], 16) + 1) % Q:064x}"
    return EncryptedBallot.from_json(wire)


def test_valid_batch_passes(ctx, ballots):
    batch_verify(ctx, ballots)
    assert find_invalid_ballots(ctx, ballots) == []
    assert find_invalid_ballots(ctx, []) == []


def test_bisection_finds_every_bad_ballot(ctx, ballots):
    bad = list(ballots)
    bad[3] = _corrupt_response(bad[3], 0)
    bad[29] = _corrupt_response(bad[29], 2)
    with pytest.raises(BatchVerificationError) as caught:
        batch_verify(ctx, bad)
    failures = caught.value.failures
    assert [i for i, _ in failures] == [3, 29]
    assert "selection 'alice'" in str(failures[0][1])
    assert "selection 'carol'" in str(failures[1][1])
    assert "ballot 3:" in str(caught.value)


def test_non_linear_failures_are_reported_with_the_linear_ones(ctx, ballots):
    other = make_context(ctx.contests, name="elsewhere")
    foreign, _ = encrypt_ballot(other, "x", {})
    bad = [*ballots[:5], foreign, _corrupt_response(ballots[5], 1)]
    failures = find_invalid_ballots(ctx, bad)
    assert [i for i, _ in failures] == [5, 6]
    assert "another election" in str(failures[0][1])


def test_reference_backend_batch_agrees(ctx, ballots):
    ref = ctx.with_backend(REFERENCE)
    batch_verify(ref, ballots[:3])
    assert [
        i for i, _ in find_invalid_ballots(ref, [ballots[0], _corrupt_response(ballots[1], 1)])
    ] == [1]
