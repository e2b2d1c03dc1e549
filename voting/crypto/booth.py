"""Encrypting a ballot, and the Benaloh audit that lets a voter check the booth.

``encrypt_ballot`` returns the ballot and its ``BallotSecrets`` (every plaintext and nonce). A
voter who challenges the booth instead of casting gets the secrets revealed; anyone can then run
``verify_audited_ballot`` to re-encrypt and compare, which catches a booth that encrypted
something other than what it showed. An audited ballot must never be cast.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from voting.crypto.ballot import (
    EncryptedBallot,
    EncryptedContest,
    EncryptedSelection,
    contest_statement,
    selection_statement,
)
from voting.crypto.curve import Q
from voting.crypto.election import ElectionContext
from voting.crypto.elgamal import encrypt
from voting.crypto.errors import EncodingError, VerificationError
from voting.crypto.group import Scalar, scalar_from_hex, scalar_to_hex
from voting.crypto.hashing import TAG_CONTEST, TAG_SELECTION
from voting.crypto.proofs import prove_range
from voting.crypto.strict import hex_field, list_field, require, str_field
from voting.crypto.verify import verify_ballot

Choices = Mapping[str, Mapping[str, int]]


@dataclass(frozen=True)
class BallotSecrets:
    """Plaintexts and nonces, ``contests[contest_id][selection_id] = (vote, nonce)``."""

    tracker: str
    contests: dict[str, dict[str, tuple[int, Scalar]]]

    def to_json(self) -> dict:
        return {
            "tracker": self.tracker,
            "contests": [
                {
                    "id": cid,
                    "selections": [
                        {"id": sid, "vote": vote, "nonce": scalar_to_hex(nonce)}
                        for sid, (vote, nonce) in sels.items()
                    ],
                }
                for cid, sels in self.contests.items()
            ],
        }

    @classmethod
    def from_json(cls, obj: dict) -> "BallotSecrets":
        require(obj, ("tracker", "contests"), "ballot secrets")
        tracker = hex_field(obj["tracker"], "ballot secrets tracker", 32).hex()
        contests = {}
        for c in list_field(obj["contests"], "ballot secrets contests"):
            require(c, ("id", "selections"), "ballot secrets contest")
            cid = str_field(c["id"], "ballot secrets contest id")
            sels = contests[cid] = {}
            for s in list_field(c["selections"], f"ballot secrets contest {cid!r} selections"):
                require(s, ("id", "vote", "nonce"), f"ballot secrets contest {cid!r} selection")
                sid = str_field(s["id"], f"ballot secrets contest {cid!r} selection id")
                sels[sid] = (_vote(s["vote"]), scalar_from_hex(s["nonce"]))
        return cls(tracker, contests)

    def choices(self) -> dict[str, dict[str, int]]:
        return {c: {s: v for s, (v, _) in sels.items()} for c, sels in self.contests.items()}


def _vote(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise EncodingError("a revealed vote must be a non-negative integer")
    return value


def check_choices(ctx: ElectionContext, choices: Choices) -> None:
    """Raise ValueError saying what is wrong when ``choices`` break a contest's rules."""
    unknown = set(choices) - {c.id for c in ctx.contests}
    if unknown:
        raise ValueError(f"unknown contest(s): {sorted(unknown)}")
    for contest in ctx.contests:
        picked = choices.get(contest.id, {})
        extra = set(picked) - set(contest.selections)
        if extra:
            raise ValueError(f"contest {contest.id!r}: unknown selection(s) {sorted(extra)}")
        for sid, vote in picked.items():
            if not isinstance(vote, int) or not 0 <= vote <= contest.max_per_selection:
                raise ValueError(
                    f"contest {contest.id!r} selection {sid!r}: vote must be an integer "
                    f"0..{contest.max_per_selection}"
                )
        total = sum(picked.values())
        if not contest.min_votes <= total <= contest.max_votes:
            raise ValueError(
                f"contest {contest.id!r}: {total} vote(s) given, allowed "
                f"{contest.min_votes}..{contest.max_votes}"
            )


def encrypt_ballot(
    ctx: ElectionContext, voter: str, choices: Choices
) -> tuple[EncryptedBallot, BallotSecrets]:
    """Encrypt and prove every selection and contest; selections not named in ``choices`` are 0."""
    check_choices(ctx, choices)
    contests = []
    secrets: dict[str, dict[str, tuple[int, Scalar]]] = {}
    for contest in ctx.contests:
        picked = choices.get(contest.id, {})
        selections = []
        revealed: dict[str, tuple[int, Scalar]] = {}
        for sid in contest.selections:
            vote = picked.get(sid, 0)
            nonce = Scalar.random_nonzero()
            ct = encrypt(ctx.g, ctx.k, vote, nonce)
            proof = prove_range(
                ctx,
                tag=TAG_SELECTION,
                statement=selection_statement(ctx, voter, contest, sid, ct),
                value=vote,
                nonce=nonce,
                lo=0,
                hi=contest.max_per_selection,
            )
            selections.append(EncryptedSelection(sid, ct, proof))
            revealed[sid] = (vote, nonce)
        total = sum(v for v, _ in revealed.values())
        total_nonce = sum(r for _, r in revealed.values()) % Q
        proof = prove_range(
            ctx,
            tag=TAG_CONTEST,
            statement=contest_statement(ctx, voter, contest, [s.ciphertext for s in selections]),
            value=total,
            nonce=total_nonce,
            lo=contest.min_votes,
            hi=contest.max_votes,
        )
        contests.append(EncryptedContest(contest.id, tuple(selections), proof))
        secrets[contest.id] = revealed
    ballot = EncryptedBallot(ctx.fingerprint, voter, tuple(contests))
    return ballot, BallotSecrets(ballot.tracker, secrets)


def verify_audited_ballot(
    ctx: ElectionContext, ballot: EncryptedBallot, secrets: BallotSecrets
) -> dict[str, dict[str, int]]:
    """Check a spoiled ballot against its revealed secrets; return the plaintext choices.

    Verifies the ballot's proofs, that the secrets belong to this tracker, and that re-encrypting
    every revealed (vote, nonce) gives exactly the ciphertext on the ballot.
    """
    verify_ballot(ctx, ballot)
    if secrets.tracker != ballot.tracker:
        raise VerificationError("audit: the revealed secrets are for another ballot tracker")
    for contest in ballot.contests:
        revealed = secrets.contests.get(contest.id)
        if revealed is None or set(revealed) != {s.id for s in contest.selections}:
            raise VerificationError(f"contest {contest.id!r}: audit secrets do not match")
        for sel in contest.selections:
            vote, nonce = revealed[sel.id]
            if encrypt(ctx.g, ctx.k, vote, nonce) != sel.ciphertext:
                raise VerificationError(
                    f"contest {contest.id!r} selection {sel.id!r}: the ciphertext is not an "
                    f"encryption of the revealed vote {vote} with the revealed nonce"
                )
    return secrets.choices()
