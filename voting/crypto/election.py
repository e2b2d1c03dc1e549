"""What a ballot is encrypted against: the contests, the joint public key, the fingerprint.

``Contest`` covers the usual rules with three numbers: each selection counts 0..max_per_selection
and the contest total lies in min_votes..max_votes. 1-of-n: (1, 0, 1); k-of-n: (k, 0, 1);
approval: (n, 0, 1); exactly k: (k, k, 1); cumulative with L points, at most R each: (L, 0, R).
"""

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from voting.crypto.backend import FAST, Backend, FixedBase
from voting.crypto.canonical import canonical_json
from voting.crypto.errors import EncodingError
from voting.crypto.group import G, Point, point_from_hex, point_to_hex
from voting.crypto.strict import hex_field, list_field, require

_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
MAX_RANGE = 1000  # a range proof has one branch per allowed value; keep proofs bounded
FINGERPRINT_BYTES = 32  # SHA-256


@dataclass(frozen=True)
class Contest:
    id: str
    selections: tuple[str, ...]
    max_votes: int = 1
    min_votes: int = 0
    max_per_selection: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "selections", tuple(self.selections))
        for name in (self.id, *self.selections):
            if not isinstance(name, str) or not _ID.match(name):
                raise EncodingError(f"id {name!r} must be 1-64 of A-Z a-z 0-9 _ . : -")
        if len(set(self.selections)) != len(self.selections) or not self.selections:
            raise EncodingError(f"contest {self.id!r}: selections must be non-empty and unique")
        for n in (self.max_votes, self.min_votes, self.max_per_selection):
            if not isinstance(n, int) or isinstance(n, bool) or n < 0:
                raise EncodingError(f"contest {self.id!r}: limits must be non-negative integers")
        if self.max_per_selection < 1 or self.max_per_selection > MAX_RANGE:
            raise EncodingError(f"contest {self.id!r}: max_per_selection must be 1..{MAX_RANGE}")
        if not self.min_votes <= self.max_votes <= MAX_RANGE or self.max_votes < 1:
            raise EncodingError(
                f"contest {self.id!r}: need min_votes <= max_votes and 1 <= max_votes <= "
                f"{MAX_RANGE}"
            )
        if self.min_votes > len(self.selections) * self.max_per_selection:
            raise EncodingError(f"contest {self.id!r}: min_votes cannot be reached")

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "selections": list(self.selections),
            "max_votes": self.max_votes,
            "min_votes": self.min_votes,
            "max_per_selection": self.max_per_selection,
        }

    @classmethod
    def from_json(cls, obj: dict) -> "Contest":
        if not isinstance(obj, dict) or not isinstance(obj.get("selections"), list):
            raise EncodingError("contest must be an object with a 'selections' list")
        return cls(
            id=obj.get("id"),
            selections=tuple(obj["selections"]),
            max_votes=obj.get("max_votes", 1),
            min_votes=obj.get("min_votes", 0),
            max_per_selection=obj.get("max_per_selection", 1),
        )


def election_fingerprint(election_id: str, contests: Sequence[Contest], public_key: Point) -> bytes:
    """SHA-256 of the canonical JSON of the election id, contests and joint public key.

    Every proof hashes this, so a proof made for one election (or one key, or one manifest) never
    verifies in another.
    """
    doc = {
        "version": "polity-election-v1",
        "election": election_id,
        "contests": [c.to_json() for c in contests],
        "public_key": point_to_hex(public_key),
    }
    return hashlib.sha256(canonical_json(doc)).digest()


@dataclass(frozen=True)
class ElectionContext:
    """Everything needed to encrypt or verify: build once per election and reuse.

    Building it precomputes fixed-base tables for G and the public key (about 25 ms each on the
    fast backend), which make encryption and verification several times faster.
    """

    fingerprint: bytes
    public_key: Point
    contests: tuple[Contest, ...]
    backend: Backend = FAST
    g: FixedBase = field(init=False, repr=False, compare=False)
    k: FixedBase = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.fingerprint, bytes) or not self.fingerprint:
            raise EncodingError("election fingerprint must be non-empty bytes")
        if not isinstance(self.public_key, Point) or self.public_key.is_identity:
            raise EncodingError("election public key must be a point other than the identity")
        object.__setattr__(self, "contests", tuple(self.contests))
        ids = [c.id for c in self.contests]
        if len(set(ids)) != len(ids) or not ids:
            raise EncodingError("contest ids must be non-empty and unique")
        object.__setattr__(self, "g", self.backend.fixed(G))
        object.__setattr__(self, "k", self.backend.fixed(self.public_key))

    def contest(self, contest_id: str) -> Contest:
        for c in self.contests:
            if c.id == contest_id:
                return c
        raise KeyError(contest_id)

    def to_json(self) -> dict:
        """The public record a booth or verifier needs (the same shape the JS ``makeContext`` takes)."""
        return {
            "fingerprint": self.fingerprint.hex(),
            "public_key": point_to_hex(self.public_key),
            "contests": [c.to_json() for c in self.contests],
        }

    @classmethod
    def from_json(cls, obj: dict, backend: Backend = FAST) -> "ElectionContext":
        require(obj, ("fingerprint", "public_key", "contests"), "election context")
        fingerprint = hex_field(
            obj["fingerprint"], "election context fingerprint", FINGERPRINT_BYTES
        )
        contests = tuple(
            Contest.from_json(c) for c in list_field(obj["contests"], "election context contests")
        )
        key = point_from_hex(obj["public_key"])
        return cls(fingerprint, key, contests, backend)

    def with_backend(self, backend: Backend) -> "ElectionContext":
        return ElectionContext(self.fingerprint, self.public_key, self.contests, backend)
