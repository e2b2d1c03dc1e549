"""One trustee's steps, with the public data read from the database: what ``manage.py trustee``
(on the server) and the demo run. The crypto is ``voting.trustee_steps``, shared with
``voting.trustee_client`` (over HTTPS, on the trustee's own device); the browser runs the same
steps with frontend/src/crypto/trustee.js.

The secret (polynomial, share-box key, later the key share) lives only in the trustee's file
(``voting.trustee_file``); these functions return what the trustee posts: the public record,
the sealed shares, the file with its key share, the complaint, the partial decryption.
"""

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from identity.models import User
from voting import trustee_steps
from voting.context import election_context
from voting.crypto import PartialDecryption, TrusteePublic
from voting.models import Election, Trustee
from voting.services.ceremony import boxes_for
from voting.services.decryption import encrypted_tally
from voting.services.errors import NotAllowed, WrongState
from voting.trustee_file import TrusteeFile

__all__ = [
    "TrusteeFile",
    "check_shares",
    "complaint",
    "deal",
    "decrypt",
    "generate",
    "trustee_for",
]

# The complaint to post after a bad share: the same payload as over HTTPS.
complaint = trustee_steps.complaint

P = ParamSpec("P")
R = TypeVar("R")


def trustee_for(election: Election, user: User) -> Trustee:
    trustee = election.trustees.filter(user=user).first()
    if trustee is None:
        raise NotAllowed(f"{user.username} is not a trustee of election {election.pk}")
    return trustee


def ceremony_of(election: Election, trustee: Trustee) -> trustee_steps.Ceremony:
    """The public facts of the election's key ceremony, as ``trustee`` sees them."""
    return trustee_steps.Ceremony(
        election=election.public_id,
        ceremony=bytes.fromhex(election.ceremony_id),
        threshold=election.threshold,
        index=trustee.index,
        name=trustee.user.public_alias,
        publics={
            t.index: None if t.public is None else TrusteePublic.from_json(t.public)
            for t in election.trustees.order_by("index")
        },
    )


def _refusing(step: Callable[P, R]) -> Callable[P, R]:
    """A step that cannot run is the service refusal ``WrongState``, as everywhere on the server."""

    @wraps(step)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return step(*args, **kwargs)
        except trustee_steps.StepError as exc:
            raise WrongState(str(exc)) from exc

    return run


def generate(election: Election, user: User) -> tuple[TrusteeFile, TrusteePublic]:
    """A fresh secret (for the file) and the public record to post, for the running ceremony."""
    if election.state != Election.State.KEY_CEREMONY:
        raise WrongState("the key ceremony of this election is not running")
    return trustee_steps.generate(ceremony_of(election, trustee_for(election, user)))


@_refusing
def deal(election: Election, user: User, tf: TrusteeFile) -> list[dict]:
    """The sealed shares for every other trustee; needs every trustee's public record."""
    return trustee_steps.deal(ceremony_of(election, trustee_for(election, user)), tf)


@_refusing
def check_shares(election: Election, user: User, tf: TrusteeFile) -> TrusteeFile:
    """Open and check every share addressed to this trustee; the file with its key share.

    Raises ``ShareError`` naming the sender of the first share that does not check out.
    """
    trustee = trustee_for(election, user)
    boxes = [(box.sender, box.box) for box in boxes_for(election, trustee)]
    return trustee_steps.check_shares(ceremony_of(election, trustee), tf, boxes)


@_refusing
def decrypt(election: Election, user: User, tf: TrusteeFile) -> PartialDecryption:
    """This trustee's partial decryption (with proofs) of the election's encrypted tally."""
    c = ceremony_of(election, trustee_for(election, user))
    trustee_steps.check_file(c, tf)
    return trustee_steps.decrypt(c, tf, election_context(election), encrypted_tally(election))
