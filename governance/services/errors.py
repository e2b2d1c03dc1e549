"""Why a governance service refused: an HTTP-like status, a code and a reason a person can read.

Services raise these and write nothing (each runs in one transaction); the API turns them into
the JSON error shape of ``polity.api`` and pages show the reason.
"""


class Refusal(Exception):
    status = 400
    code = "refused"

    def __init__(self, reason: str, *, code: str | None = None) -> None:
        super().__init__(reason)
        self.reason = str(reason)
        if code:
            self.code = code


class Invalid(Refusal):
    """The input is malformed or breaks a rule (400)."""

    status = 400
    code = "invalid"


class NotAllowed(Refusal):
    """This person may not do this (403)."""

    status = 403
    code = "forbidden"


class WrongState(Refusal):
    """Not now: the object is not in a state that allows it (409)."""

    status = 409
    code = "wrong_state"


class Conflict(Refusal):
    """Already done, or contradicts what was done (a replayed reading, a second support) (409)."""

    status = 409
    code = "conflict"


class EvidenceRejected(Refusal):
    """Well-formed evidence whose signature or registration does not hold (422)."""

    status = 422
    code = "evidence_rejected"
