"""The refusals of the governance services (see ``polity.refusals``)."""

from polity.refusals import Conflict, Invalid, NotAllowed, Refusal, Unprocessable, WrongState


class EvidenceRejected(Unprocessable):
    """Well-formed evidence whose signature or registration does not hold (422)."""

    code = "evidence_rejected"


__all__ = ["Conflict", "EvidenceRejected", "Invalid", "NotAllowed", "Refusal", "WrongState"]
