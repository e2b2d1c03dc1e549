"""What the checks decode from a record and hand on to later checks."""

from dataclasses import dataclass, field

from voting.crypto import (
    BallotSecrets,
    Contest,
    ElectionContext,
    EncryptedBallot,
    EncryptedTally,
    PartialDecryption,
    TrusteePublic,
)
from voting.record.build import counted
from voting.record.ledger_view import LedgerView


@dataclass
class State:
    record: dict
    ledger: LedgerView
    election: str = ""
    contests: tuple[Contest, ...] = ()
    ctx: ElectionContext | None = None
    ceremony: bytes = b""
    threshold: int = 0
    trustees: list[TrusteePublic] = field(default_factory=list)
    roll: dict[str, int] = field(default_factory=dict)
    ballots: list[EncryptedBallot | None] = field(default_factory=list)
    audited: list[tuple[EncryptedBallot, BallotSecrets] | None] = field(default_factory=list)
    tally: EncryptedTally | None = None
    partials: list[PartialDecryption] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def section(self, key: str):
        return self.record[key]

    def counted(self) -> list[int]:
        """Positions of the ballots that count: the last one of each alias in ledger order."""
        return counted(self.record["ballots"])
