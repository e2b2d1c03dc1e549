"""The election's tables, split by concept; import them from here."""

from voting.models.ballots import AuditedBallot, Ballot, VoterRollEntry
from voting.models.ceremony import ShareBox, Trustee
from voting.models.election import Contest, Election, ElectionAnchor, Option
from voting.models.tally import TallyChunk, TallyJob, TrusteeDecryption

__all__ = [
    "AuditedBallot",
    "Ballot",
    "Contest",
    "Election",
    "ElectionAnchor",
    "Option",
    "ShareBox",
    "TallyChunk",
    "TallyJob",
    "Trustee",
    "TrusteeDecryption",
    "VoterRollEntry",
]
