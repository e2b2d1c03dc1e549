"""A trustee's steps as pure functions of what is public about the key ceremony and the tally.

Pure (no Django), so that two front ends share one implementation: ``voting.trustee_local``
reads the public data from the database (``manage.py trustee`` on the server, the demo) and
``voting.trustee_client`` reads it from the API over HTTPS (on the trustee's own device). The
browser runs the same steps with frontend/src/crypto/trustee.js. The secret lives only in the
trustee's file (``voting.trustee_file``); each step returns what the trustee posts.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from voting.crypto import (
    ElectionContext,
    EncryptedShare,
    EncryptedTally,
    PartialDecryption,
    ShareError,
    TrusteePublic,
    combine_key_share,
    deal_shares,
    generate_trustee,
    partial_decrypt,
    receive_share,
)
from voting.trustee_file import TrusteeFile


class StepError(ValueError):
    """The step cannot run yet, or the file does not fit this trustee and ceremony."""


@dataclass(frozen=True)
class Ceremony:
    """The public facts of one key ceremony, as one trustee (``index``, ``name``) sees them.

    ``publics`` maps every trustee's index to their published record (None until posted).
    """

    election: str
    ceremony: bytes
    threshold: int
    index: int
    name: str
    publics: Mapping[int, TrusteePublic | None]


def generate(c: Ceremony) -> tuple[TrusteeFile, TrusteePublic]:
    """A fresh secret (for the file) and the public record to post."""
    secret, public = generate_trustee(c.ceremony, c.index, c.name, c.threshold)
    return TrusteeFile(c.election, c.ceremony, c.threshold, secret), public


def check_file(c: Ceremony, tf: TrusteeFile) -> None:
    """Refuse a file made for another election, ceremony or trustee."""
    if tf.election != c.election or tf.ceremony != c.ceremony:
        raise StepError("this key file belongs to another election or key ceremony")
    if tf.secret.index != c.index:
        raise StepError(f"this key file is trustee {tf.secret.index}'s, not {c.index}'s")


def deal(c: Ceremony, tf: TrusteeFile) -> list[dict]:
    """The sealed shares (JSON) for every other trustee; needs every trustee's public record."""
    check_file(c, tf)
    if any(p is None for p in c.publics.values()):
        raise StepError("not every trustee has published a key record yet")
    publics = [c.publics[i] for i in sorted(c.publics)]
    return [box.to_json() for box in deal_shares(tf.ceremony, tf.secret, publics)]


def check_shares(c: Ceremony, tf: TrusteeFile, boxes: Iterable[tuple[int, object]]) -> TrusteeFile:
    """Open and check every share addressed to this trustee; the file with its key share.

    ``boxes`` are (sender index, sealed share JSON) pairs. Raises ``ShareError`` naming the
    sender of the first share that does not check out (a malformed box is its sender's fault).
    """
    check_file(c, tf)
    boxes = list(boxes)
    others = sorted(i for i in c.publics if i != c.index)
    if sorted(sender for sender, _ in boxes) != others:
        raise StepError("not every trustee has sent you a share yet")
    received = {}
    for index, box in boxes:
        sender = c.publics[index]
        if sender is None:
            raise StepError(f"trustee {index} has not published a key record")
        try:
            share = EncryptedShare.from_json(box)
        except Exception as exc:
            raise ShareError(sender.index, sender.name, str(exc)) from exc
        received[index] = receive_share(tf.ceremony, tf.secret, sender, share)
    return replace(tf, key_share=combine_key_share(tf.secret, received))


def complaint(tf: TrusteeFile, error: ShareError) -> dict:
    """The verdict to post when ``check_shares`` found a bad share: a complaint anyone can judge.

    It reveals this trustee's box secret for the ceremony, so that the server (and anyone
    re-checking the record) can open the accused's box and check the share; it opens only the
    shares sent to this trustee, and an upheld complaint restarts the ceremony with fresh keys.
    """
    return {
        "ok": False,
        "against": error.trustee,
        "reason": str(error)[:500],
        "box_secret": tf.secret.box_secret.hex(),
    }


def decrypt(
    c: Ceremony, tf: TrusteeFile, ctx: ElectionContext, tally: EncryptedTally
) -> PartialDecryption:
    """This trustee's partial decryption (with proofs) of the election's encrypted tally."""
    check_file(c, tf)
    if tf.key_share is None:
        raise StepError("this key file has no key share: check the shares first (trustee verify)")
    return partial_decrypt(ctx, tally, c.index, tf.key_share)
