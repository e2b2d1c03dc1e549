"""Re-proving a ballot from its revealed secrets: the same ciphertexts under fresh proofs.

This is what anyone can do with an audited ballot (its nonces are public), and what the cast
and audit rules must catch: the copy has a new tracker but the ciphertexts of the original.
"""

from voting.crypto import BallotSecrets, ElectionContext, EncryptedBallot
from voting.crypto.ballot import (
    EncryptedContest,
    EncryptedSelection,
    contest_statement,
    selection_statement,
)
from voting.crypto.curve import Q
from voting.crypto.hashing import TAG_CONTEST, TAG_SELECTION
from voting.crypto.proofs import prove_range


def reprove(
    ctx: ElectionContext,
    ballot: EncryptedBallot,
    secrets: BallotSecrets,
    voter: str | None = None,
) -> EncryptedBallot:
    """``ballot`` with every selection and contest proof made anew from ``secrets``, bound to
    ``voter`` (the ballot's own voter unless given)."""
    voter = voter or ballot.voter
    contests = []
    for enc, contest in zip(ballot.contests, ctx.contests, strict=True):
        revealed = secrets.contests[contest.id]
        selections = []
        for sel in enc.selections:
            vote, nonce = revealed[sel.id]
            statement = selection_statement(ctx, voter, contest, sel.id, sel.ciphertext)
            proof = prove_range(
                ctx,
                tag=TAG_SELECTION,
                statement=statement,
                value=vote,
                nonce=nonce,
                lo=0,
                hi=contest.max_per_selection,
            )
            selections.append(EncryptedSelection(sel.id, sel.ciphertext, proof))
        cts = [s.ciphertext for s in selections]
        proof = prove_range(
            ctx,
            tag=TAG_CONTEST,
            statement=contest_statement(ctx, voter, contest, cts),
            value=sum(v for v, _ in revealed.values()),
            nonce=sum(r for _, r in revealed.values()) % Q,
            lo=contest.min_votes,
            hi=contest.max_votes,
        )
        contests.append(EncryptedContest(contest.id, tuple(selections), proof))
    copy = EncryptedBallot(ballot.election, voter, tuple(contests))
    assert copy.tracker != ballot.tracker, "fresh proofs make a new tracker"
    return copy
