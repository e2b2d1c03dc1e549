"""The refusals of the elections services (see ``polity.refusals``)."""

from polity.refusals import Conflict, Invalid, NotAllowed, Refusal, Unprocessable, WrongState

# Callers catch ``ElectionRefusal``; it is the shared base, so every refusal a service raises.
ElectionRefusal = Refusal


class ProofRejected(Unprocessable):
    """Well-formed input whose cryptographic proof does not hold (422)."""

    code = "proof_rejected"


__all__ = ["Conflict", "ElectionRefusal", "Invalid", "NotAllowed", "ProofRejected", "WrongState"]
