"""Why a service refused: one exception type carrying an HTTP-like status, a code and a reason.

Services raise these; the API maps them to the JSON error shape of ``polity.api`` and pages show
the reason. Nothing is written when a service raises (each runs in one transaction).
"""


class ElectionRefusal(Exception):
    status = 400
    code = "refused"

    def __init__(self, reason: str, *, code: str | None = None) -> None:
        super().__init__(reason)
        self.reason = str(reason)
        if code:
            self.code = code


class Invalid(ElectionRefusal):
    """The input is malformed or breaks a rule of the election (400)."""

    status = 400
    code = "invalid"


class ProofRejected(ElectionRefusal):
    """Well-formed input whose cryptographic proof does not hold (422)."""

    status = 422
    code = "proof_rejected"


class NotAllowed(ElectionRefusal):
    """The person may not do this (not on the roll, not a trustee of the election) (403)."""

    status = 403
    code = "forbidden"


class WrongState(ElectionRefusal):
    """The election is not in a state that allows this (409)."""

    status = 409
    code = "wrong_state"


class Conflict(ElectionRefusal):
    """It was already done, or contradicts what was done (replay, audited ballot) (409)."""

    status = 409
    code = "conflict"
