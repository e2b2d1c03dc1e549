"""The encrypted ballot: data classes, canonical JSON form, tracker, and proof statements.

JSON form (docs/spec/ballot.md "Ballot"):

    {"version": "polity-ballot-v1", "election": <fingerprint hex>, "voter": <credential or alias>,
     "contests": [{"id": ..., "proof": [branch, ...],
                   "selections": [{"id": ..., "alpha": <point>, "beta": <point>,
                                   "proof": [branch, ...]}, ...]}, ...]}

Contests and selections appear in manifest order. The tracker is SHA-256 over
``"polity-ballot-tracker-v1" || canonical_json(ballot)``; it is what a voter checks on the ledger.
"""

import hashlib
from dataclasses import dataclass

from voting.crypto.canonical import canonical_json
from voting.crypto.election import FINGERPRINT_BYTES, Contest, ElectionContext
from voting.crypto.elgamal import Ciphertext
from voting.crypto.errors import EncodingError
from voting.crypto.proofs import RangeProof
from voting.crypto.strict import hex_field

BALLOT_VERSION = "polity-ballot-v1"
TRACKER_PREFIX = b"polity-ballot-tracker-v1"
MAX_VOTER_BYTES = 256


@dataclass(frozen=True, slots=True)
class EncryptedSelection:
    id: str
    ciphertext: Ciphertext
    proof: RangeProof

    def to_json(self) -> dict:
        return {"id": self.id, **self.ciphertext.to_json(), "proof": self.proof.to_json()}

    @classmethod
    def from_json(cls, obj: dict) -> "EncryptedSelection":
        if not isinstance(obj, dict) or set(obj) != {"id", "alpha", "beta", "proof"}:
            raise EncodingError("selection must have exactly id, alpha, beta, proof")
        if not isinstance(obj["id"], str):
            raise EncodingError("selection id must be a string")
        return cls(obj["id"], Ciphertext.from_json(obj), RangeProof.from_json(obj["proof"]))


@dataclass(frozen=True, slots=True)
class EncryptedContest:
    id: str
    selections: tuple[EncryptedSelection, ...]
    proof: RangeProof

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "selections": [s.to_json() for s in self.selections],
            "proof": self.proof.to_json(),
        }

    @classmethod
    def from_json(cls, obj: dict) -> "EncryptedContest":
        if not isinstance(obj, dict) or set(obj) != {"id", "selections", "proof"}:
            raise EncodingError("contest must have exactly id, selections, proof")
        if not isinstance(obj["id"], str) or not isinstance(obj["selections"], list):
            raise EncodingError("contest id must be a string and selections a list")
        selections = tuple(EncryptedSelection.from_json(s) for s in obj["selections"])
        return cls(obj["id"], selections, RangeProof.from_json(obj["proof"]))


@dataclass(frozen=True, slots=True)
class EncryptedBallot:
    election: bytes
    voter: str
    contests: tuple[EncryptedContest, ...]

    def to_json(self) -> dict:
        return {
            "version": BALLOT_VERSION,
            "election": self.election.hex(),
            "voter": self.voter,
            "contests": [c.to_json() for c in self.contests],
        }

    @classmethod
    def from_json(cls, obj: dict) -> "EncryptedBallot":
        """Strict decoding: exact keys, canonical hex, points on the curve, scalars below q."""
        if not isinstance(obj, dict) or set(obj) != {"version", "election", "voter", "contests"}:
            raise EncodingError("ballot must have exactly version, election, voter, contests")
        if obj["version"] != BALLOT_VERSION:
            raise EncodingError(f"unknown ballot version {obj['version']!r}")
        fingerprint = hex_field(obj["election"], "ballot election fingerprint", FINGERPRINT_BYTES)
        voter = obj["voter"]
        if not isinstance(voter, str) or not voter or not _utf8_length_ok(voter):
            raise EncodingError(
                f"ballot voter must be a string of 1..{MAX_VOTER_BYTES} UTF-8 bytes"
            )
        if not isinstance(obj["contests"], list):
            raise EncodingError("ballot contests must be a list")
        contests = tuple(EncryptedContest.from_json(c) for c in obj["contests"])
        return cls(fingerprint, voter, contests)

    def canonical_bytes(self) -> bytes:
        return canonical_json(self.to_json())

    @property
    def tracker(self) -> str:
        """Hex SHA-256 of the canonical encoding: stable across re-encodings of the same ballot."""
        return hashlib.sha256(TRACKER_PREFIX + self.canonical_bytes()).hexdigest()


def _utf8_length_ok(text: str) -> bool:
    try:
        return len(text.encode()) <= MAX_VOTER_BYTES
    except UnicodeEncodeError:  # lone surrogates from JSON escapes
        return False


def _u32(n: int) -> bytes:
    return n.to_bytes(4, "big")


def selection_statement(
    ctx: ElectionContext, voter: str, contest: Contest, selection_id: str, ct: Ciphertext
) -> list[bytes]:
    """Hash parts of a selection proof: who, which election and key, where, range, ciphertext."""
    return [
        ctx.fingerprint,
        voter.encode(),
        ctx.public_key.to_evm(),
        contest.id.encode(),
        selection_id.encode(),
        _u32(0),
        _u32(contest.max_per_selection),
        ct.alpha.to_evm(),
        ct.beta.to_evm(),
    ]


def contest_statement(
    ctx: ElectionContext, voter: str, contest: Contest, cts: list[Ciphertext]
) -> list[bytes]:
    """Hash parts of a contest proof; the statement is about the sum of these ciphertexts."""
    parts = [
        ctx.fingerprint,
        voter.encode(),
        ctx.public_key.to_evm(),
        contest.id.encode(),
        _u32(contest.min_votes),
        _u32(contest.max_votes),
    ]
    for ct in cts:
        parts.append(ct.alpha.to_evm())
        parts.append(ct.beta.to_evm())
    return parts
