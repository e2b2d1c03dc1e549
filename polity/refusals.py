"""Why a service refused: one exception family shared by every app.

A service raises a ``Refusal`` (and writes nothing: each service runs in one transaction). It
carries an HTTP-like status, a stable code and a reason a person can read; the API's exception
handler (``polity.api``) turns it into the JSON error shape, and pages show the reason.
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
    """Already done, or contradicts what was done (a replay, a second support) (409)."""

    status = 409
    code = "conflict"


class Unprocessable(Refusal):
    """Well-formed input whose proof, signature or registration does not hold (422)."""

    status = 422
    code = "unprocessable"
