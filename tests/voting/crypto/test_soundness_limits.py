"""Over- and under-limit ballots are rejected for every kind of contest, not only 1-of-n.

The ballots come from the real booth (``encrypt_ballot``) with its own checks bypassed: the
choice check is switched off, and the range prover is run for a value outside its range in one of
the two ways a cheating booth could:

- "simulate": the prover's arithmetic is run for the true (out-of-range) value, so every branch is
  simulated and each branch equation holds, but no branch is left to absorb the challenge;
- "claim": the prover is told the nearest allowed value, so the challenge closes but the branch
  for that value is built on a plaintext the ciphertext does not hold.
"""

import pytest

from tests.voting.crypto.conftest import make_context
from voting.crypto import (
    Contest,
    ElectionContext,
    VerificationError,
    booth,
    encrypt_ballot,
    verify_ballot,
)
from voting.crypto.booth import check_choices
from voting.crypto.proofs import prove_range


class _Unchecked(int):
    """An int that passes ``lo <= value <= hi`` (Python asks the subclass's reflected method
    first), so ``prove_range`` runs its arithmetic for a value outside its range."""

    def __ge__(self, other):
        return True

    def __le__(self, other):
        return True


def _cheating_prover(strategy: str):
    def prove(ctx, *, value, lo, hi, **kwargs):
        if not lo <= value <= hi:  # "claim" keeps the real nonce and misstates the plaintext
            value = _Unchecked(value) if strategy == "simulate" else min(max(value, lo), hi)
        return prove_range(ctx, value=value, lo=lo, hi=hi, **kwargs)

    return prove


@pytest.fixture(scope="module")
def ctx() -> ElectionContext:
    return make_context(
        (
            Contest("council", ("dan", "erin", "frank", "grace"), max_votes=2),
            Contest("board", ("hal", "ivy", "jo"), max_votes=2, min_votes=2),
            Contest("budget", ("parks", "roads", "schools"), max_votes=5, max_per_selection=3),
        )
    )


@pytest.fixture(params=["simulate", "claim"])
def cheat(request, monkeypatch):
    """``encrypt_ballot`` as a cheating booth runs it; yields the strategy name."""
    monkeypatch.setattr(booth, "check_choices", lambda ctx, choices: None)
    monkeypatch.setattr(booth, "prove_range", _cheating_prover(request.param))
    return request.param


VALID = {
    "council": {"dan": 1, "grace": 1},
    "board": {"hal": 1, "jo": 1},
    "budget": {"parks": 3, "schools": 2},
}

# (name, the cheating contest choice, where verification must fail)
CASES = [
    ("3 of a 2-of-4 contest", ("council", {"dan": 1, "erin": 1, "frank": 1}), "contest 'council'"),
    ("1 in an exactly-2 contest", ("board", {"ivy": 1}), "contest 'board'"),
    (
        "4 points on one option capped at 3",
        ("budget", {"roads": 4}),
        "contest 'budget' selection 'roads'",
    ),
    ("6 points of 5 allowed", ("budget", {"parks": 3, "roads": 3}), "contest 'budget'"),
]

REASON = {
    "simulate": "range proof challenge mismatch",
    "claim": r"range proof equation for value \d+ fails",
}


def test_cheating_booth_still_makes_valid_ballots_for_valid_choices(ctx, cheat):
    ballot, _ = booth.encrypt_ballot(ctx, "v", VALID)
    verify_ballot(ctx, ballot)


@pytest.mark.parametrize(("contest_id", "choice"), [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_honest_booth_refuses_the_choice(ctx, contest_id, choice):
    with pytest.raises(ValueError):
        check_choices(ctx, {**VALID, contest_id: choice})
    with pytest.raises(ValueError):
        encrypt_ballot(ctx, "v", {**VALID, contest_id: choice})


@pytest.mark.parametrize(
    ("contest_id", "choice", "where"), [(*c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES]
)
def test_over_or_under_limit_ballot_is_rejected_with_reason(ctx, cheat, contest_id, choice, where):
    ballot, secrets = booth.encrypt_ballot(ctx, "v", {**VALID, contest_id: choice})
    assert secrets.choices()[contest_id] == {
        sid: choice.get(sid, 0) for sid in ctx.contest(contest_id).selections
    }  # the ciphertexts really hold the invalid choice
    with pytest.raises(VerificationError, match=rf"^{where}: {REASON[cheat]}"):
        verify_ballot(ctx, ballot)
