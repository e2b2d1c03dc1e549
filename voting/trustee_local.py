"""One trustee's steps on their own machine, in Python: what ``manage.py trustee`` and the demo
run (the browser runs the same steps with frontend/src/crypto/trustee.js).

The secret (polynomial, share-box key, later the key share) lives only in the trustee's file
(``voting.trustee_file``); these functions read public data from the election and return what
the trustee posts: the public record, the sealed shares, the verdict, the partial decryption.
"""

from dataclasses import replace

from identity.models import User
from voting.context import election_context
from voting.crypto import (
    EncryptedShare,
    PartialDecryption,
    ShareError,
    TrusteePublic,
    combine_key_share,
    deal_shares,
    generate_trustee,
    partial_decrypt,
    receive_share,
)
from voting.models import Election, Trustee
from voting.services.ceremony import boxes_for
from voting.services.decryption import encrypted_tally
from voting.services.errors import NotAllowed, WrongState
from voting.trustee_file import TrusteeFile


def trustee_for(election: Election, user: User) -> Trustee:
    trustee = election.trustees.filter(user=user).first()
    if trustee is None:
        raise NotAllowed(f"{user.username} is not a trustee of election {election.pk}")
    return trustee


def _check_file(election: Election, trustee: Trustee, tf: TrusteeFile) -> None:
    if tf.election != election.public_id or tf.ceremony.hex() != election.ceremony_id:
        raise WrongState("this key file belongs to another election or key ceremony")
    if tf.secret.index != trustee.index:
        raise WrongState(f"this key file is trustee {tf.secret.index}'s, not {trustee.index}'s")


def generate(election: Election, user: User) -> tuple[TrusteeFile, TrusteePublic]:
    """A fresh secret (for the file) and the public record to post, for the running ceremony."""
    if election.state != Election.State.KEY_CEREMONY:
        raise WrongState("the key ceremony of this election is not running")
    trustee = trustee_for(election, user)
    ceremony = bytes.fromhex(election.ceremony_id)
    secret, public = generate_trustee(
        ceremony, trustee.index, user.public_alias, election.threshold
    )
    return TrusteeFile(election.public_id, ceremony, election.threshold, secret), public


def deal(election: Election, user: User, tf: TrusteeFile) -> list[dict]:
    """The sealed shares for every other trustee; needs every trustee's public record."""
    trustee = trustee_for(election, user)
    _check_file(election, trustee, tf)
    trustees = list(election.trustees.order_by("index"))
    if any(t.public is None for t in trustees):
        raise WrongState("not every trustee has published a key record yet")
    publics = [TrusteePublic.from_json(t.public) for t in trustees]
    return [box.to_json() for box in deal_shares(tf.ceremony, tf.secret, publics)]


def check_shares(election: Election, user: User, tf: TrusteeFile) -> TrusteeFile:
    """Open and check every share addressed to this trustee; the file with its key share.

    Raises ``ShareError`` naming the sender of the first share that does not check out.
    """
    trustee = trustee_for(election, user)
    _check_file(election, trustee, tf)
    boxes = boxes_for(election, trustee)
    if len(boxes) != election.trustees.count() - 1:
        raise WrongState("not every trustee has sent you a share yet")
    publics = {t.index: TrusteePublic.from_json(t.public) for t in election.trustees.all()}
    received = {}
    for box in boxes:
        sender = publics[box.sender]
        try:
            share = EncryptedShare.from_json(box.box)
        except Exception as exc:  # a malformed box is the sender's fault too
            raise ShareError(sender.index, sender.name, str(exc)) from exc
        received[box.sender] = receive_share(tf.ceremony, tf.secret, sender, share)
    return replace(tf, key_share=combine_key_share(tf.secret, received))


def decrypt(election: Election, user: User, tf: TrusteeFile) -> PartialDecryption:
    """This trustee's partial decryption (with proofs) of the election's encrypted tally."""
    trustee = trustee_for(election, user)
    _check_file(election, trustee, tf)
    if tf.key_share is None:
        raise WrongState("this key file has no key share: check the shares first (trustee verify)")
    return partial_decrypt(
        election_context(election), encrypted_tally(election), trustee.index, tf.key_share
    )
