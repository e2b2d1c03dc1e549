"""Verifying ballots, one at a time or in batches folded into a single MSM.

For one ballot, ``ballot_fold`` does every check that is not a group equation (shape against the
manifest, election and voter binding, challenge sums) and returns the ballot's group equations
folded with random weights. ``verify_ballot`` checks that fold; only if it fails does it re-check
each equation alone, to name the one that is false.

``batch_verify`` folds many ballots into one MSM. When that fails it bisects: each half is checked
with its own (already weighted) folds, down to single ballots, which are then explained.
"""

from collections.abc import Sequence

from voting.crypto.ballot import EncryptedBallot, contest_statement, selection_statement
from voting.crypto.election import ElectionContext
from voting.crypto.errors import BatchVerificationError, VerificationError
from voting.crypto.fold import Fold, combine
from voting.crypto.hashing import TAG_CONTEST, TAG_SELECTION
from voting.crypto.proofs import check_range_challenge, explain_range_proof, fold_range_proof


def _check_shape(ctx: ElectionContext, ballot: EncryptedBallot, voter: str | None) -> None:
    if ballot.election != ctx.fingerprint:
        raise VerificationError("ballot is for another election (fingerprint mismatch)")
    if voter is not None and ballot.voter != voter:
        raise VerificationError(f"ballot is bound to voter {ballot.voter!r}, not {voter!r}")
    got = [c.id for c in ballot.contests]
    want = [c.id for c in ctx.contests]
    if got != want:
        raise VerificationError(f"ballot contests {got} do not match the manifest {want}")
    for contest, enc in zip(ctx.contests, ballot.contests, strict=True):
        sels = [s.id for s in enc.selections]
        if sels != list(contest.selections):
            raise VerificationError(
                f"contest {contest.id!r}: selections {sels} do not match the manifest"
            )


def ballot_fold(ctx: ElectionContext, ballot: EncryptedBallot, voter: str | None = None) -> Fold:
    """All non-linear checks of ``ballot``; returns its linear equations folded (unchecked)."""
    _check_shape(ctx, ballot, voter)
    fold = Fold()
    for contest, enc in zip(ctx.contests, ballot.contests, strict=True):
        cts = [s.ciphertext for s in enc.selections]
        where = f"contest {contest.id!r}"
        check_range_challenge(
            enc.proof,
            tag=TAG_CONTEST,
            statement=contest_statement(ctx, ballot.voter, contest, cts),
            lo=contest.min_votes,
            hi=contest.max_votes,
            where=where,
        )
        sum_alpha, sum_beta = fold_range_proof(fold, enc.proof, contest.min_votes)
        for sel in enc.selections:
            check_range_challenge(
                sel.proof,
                tag=TAG_SELECTION,
                statement=selection_statement(ctx, ballot.voter, contest, sel.id, sel.ciphertext),
                lo=0,
                hi=contest.max_per_selection,
                where=f"{where} selection {sel.id!r}",
            )
            ca, cb = fold_range_proof(fold, sel.proof, 0)
            fold.add(sel.ciphertext.alpha, ca + sum_alpha)
            fold.add(sel.ciphertext.beta, cb + sum_beta)
    return fold


def explain_ballot(ctx: ElectionContext, ballot: EncryptedBallot) -> None:
    """Check every equation of ``ballot`` separately; raise naming the first false one."""
    be = ctx.backend
    for contest, enc in zip(ctx.contests, ballot.contests, strict=True):
        where = f"contest {contest.id!r}"
        for sel in enc.selections:
            ct = sel.ciphertext
            label = f"{where} selection {sel.id!r}"
            explain_range_proof(ctx, sel.proof, ct.alpha, ct.beta, 0, label)
        alpha = be.sum([s.ciphertext.alpha for s in enc.selections])
        beta = be.sum([s.ciphertext.beta for s in enc.selections])
        explain_range_proof(ctx, enc.proof, alpha, beta, contest.min_votes, where)


def verify_ballot(ctx: ElectionContext, ballot: EncryptedBallot, voter: str | None = None) -> None:
    """Raise ``VerificationError`` with a reason unless every proof on ``ballot`` holds.

    Pass ``voter`` to also require that the ballot is bound to that credential or alias.
    """
    if not ballot_fold(ctx, ballot, voter).holds(ctx):
        explain_ballot(ctx, ballot)
        raise VerificationError("ballot equations do not hold")  # pragma: no cover (2^-128)


def find_invalid_ballots(
    ctx: ElectionContext, ballots: Sequence[EncryptedBallot]
) -> list[tuple[int, VerificationError]]:
    """Indexes of the invalid ballots, each with its reason; empty when all are valid."""
    failures: list[tuple[int, VerificationError]] = []
    folds: list[tuple[int, Fold]] = []
    for i, ballot in enumerate(ballots):
        try:
            folds.append((i, ballot_fold(ctx, ballot)))
        except VerificationError as error:
            failures.append((i, error))
    for i in _bisect(ctx, folds):
        try:
            explain_ballot(ctx, ballots[i])
            raise VerificationError("ballot equations do not hold")
        except VerificationError as error:
            failures.append((i, error))
    failures.sort(key=lambda item: item[0])
    return failures


def _bisect(ctx: ElectionContext, folds: list[tuple[int, Fold]]) -> list[int]:
    if not folds or combine(f for _, f in folds).holds(ctx):
        return []
    if len(folds) == 1:
        return [folds[0][0]]
    mid = len(folds) // 2
    return _bisect(ctx, folds[:mid]) + _bisect(ctx, folds[mid:])


def batch_verify(ctx: ElectionContext, ballots: Sequence[EncryptedBallot]) -> None:
    """Verify many ballots with one MSM; raise ``BatchVerificationError`` naming each bad one."""
    failures = find_invalid_ballots(ctx, ballots)
    if failures:
        raise BatchVerificationError(failures)
