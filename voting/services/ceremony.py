"""The trustees' side of the key ceremony, as the server sees it: publish, relay, confirm.

Each trustee generates its polynomial on its own device, then (1) posts its public record
(commitments with Schnorr proofs and a share-box key), checked here; (2) once every trustee's
record is in, posts one sealed share for each other trustee; (3) opens the boxes addressed to it,
checks them against the senders' commitments on its device and posts "shares OK" or a complaint
naming the sender. The server never sees a share or a secret, except the box secret a
complainer reveals so that its complaint can be judged in public (``judge_complaint``).
"""

import re

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from identity.models import User
from voting.crypto import (
    CryptoError,
    EncryptedShare,
    TrusteePublic,
    check_share,
    verify_trustee_public,
)
from voting.crypto.sharebox import open_share
from voting.models import Election, ShareBox, Trustee
from voting.models.ceremony import Complaint
from voting.services.anchors import anchor
from voting.services.errors import Conflict, Invalid, NotAllowed, ProofRejected, WrongState
from voting.services.lifecycle import lock


def _trustee_of(election: Election, user: User) -> Trustee:
    trustee = election.trustees.filter(user=user).first()
    if trustee is None:
        raise NotAllowed(_("You are not a trustee of this election."))
    return trustee


def _in_ceremony(election: Election) -> Election:
    election = lock(election)
    if election.state != Election.State.KEY_CEREMONY:
        raise WrongState(_("The key ceremony of this election is not running."))
    return election


@transaction.atomic
def post_trustee_public(*, election: Election, user: User, public: dict) -> Trustee:
    """Step 1: store the trustee's public record after checking its proofs and its identity."""
    election = _in_ceremony(election)
    trustee = _trustee_of(election, user)
    try:
        record = TrusteePublic.from_json(public)
    except CryptoError as exc:
        raise Invalid(str(exc)) from exc
    if record.index != trustee.index:
        raise Invalid(
            _("Your trustee number is %(index)d, not %(got)d.")
            % {"index": trustee.index, "got": record.index}
        )
    if record.name != user.public_alias:
        raise Invalid(_("The record must carry your public alias as its name."))
    try:
        verify_trustee_public(bytes.fromhex(election.ceremony_id), record, election.threshold)
    except CryptoError as exc:
        raise ProofRejected(str(exc)) from exc
    if trustee.public is not None:
        if trustee.public == record.to_json():
            return trustee
        raise Conflict(_("You already published a different key record in this ceremony."))
    trustee.public = record.to_json()
    trustee.posted_at = timezone.now()
    trustee.save(update_fields=["public", "posted_at"])
    return trustee


@transaction.atomic
def post_share_boxes(*, election: Election, user: User, boxes: list[dict]) -> list[ShareBox]:
    """Step 2: one sealed share from this trustee to every other trustee, all at once."""
    election = _in_ceremony(election)
    trustee = _trustee_of(election, user)
    if trustee.public is None:
        raise WrongState(_("Publish your key record first."))
    others = list(election.trustees.exclude(pk=trustee.pk).order_by("index"))
    if any(t.public is None for t in others):
        raise WrongState(_("Wait until every trustee has published a key record."))
    if trustee.shares_posted_at is not None:
        raise Conflict(_("You already sent your shares in this ceremony."))
    if not isinstance(boxes, list):
        raise Invalid("boxes must be a list")
    try:
        shares = [EncryptedShare.from_json(b) for b in boxes]
    except (CryptoError, AttributeError) as exc:
        raise Invalid(str(exc)) from exc
    if any(s.sender != trustee.index for s in shares):
        raise Invalid(_("Every share must name you as its sender."))
    if sorted(s.recipient for s in shares) != [t.index for t in others]:
        raise Invalid(_("Send exactly one share to each other trustee."))
    stored = ShareBox.objects.bulk_create(
        [
            ShareBox(election=election, sender=s.sender, recipient=s.recipient, box=s.to_json())
            for s in shares
        ]
    )
    trustee.shares_posted_at = timezone.now()
    trustee.save(update_fields=["shares_posted_at"])
    return stored


def boxes_for(election: Election, trustee: Trustee) -> list[ShareBox]:
    return list(election.share_boxes.filter(recipient=trustee.index).order_by("sender"))


def judge_complaint(
    ceremony: bytes,
    complainer: int,
    box_secret: bytes,
    box_key: bytes,
    box: dict,
    accused: TrusteePublic,
) -> str | None:
    """Re-check a complaint from public data alone: why the share is bad, or None if it is good.

    Anyone can run this on a stored complaint (docs/spec/ballot.md "Complaints"): the secret
    must be the one of the complainer's published ``box_key``; the accused's box is opened with
    it and the share checked against the accused's commitments. Raises ``ProofRejected`` if the
    secret does not belong to the complainer and ``Invalid`` if the box is not the accused's box
    for the complainer (then nothing can be concluded).
    """
    if X25519PrivateKey.from_private_bytes(box_secret).public_key().public_bytes_raw() != box_key:
        raise ProofRejected(
            _("This box secret does not belong to the box key you published in this ceremony.")
        )
    if not isinstance(box, dict) or (box.get("sender"), box.get("recipient")) != (
        accused.index,
        complainer,
    ):
        raise Invalid(_("This is not the box trustee %(n)d sent you.") % {"n": accused.index})
    try:
        share = EncryptedShare.from_json(box)
        value = open_share(ceremony, box_secret, share)
        check_share(accused, complainer, value)
    except CryptoError as exc:
        return str(exc)
    return None


_HEX64 = re.compile(r"[0-9a-f]{64}")


@transaction.atomic
def post_share_verdict(
    *,
    election: Election,
    user: User,
    ok: bool,
    against: int | None = None,
    reason: str = "",
    box_secret: str | None = None,
) -> Trustee:
    """Step 3: the trustee checked the shares addressed to it: all good, or a complaint.

    A complaint reveals the complainer's box secret (``box_secret``, 64 hex digits), so that the
    server, and anyone after it, can open the accused's box and judge it: an upheld complaint is
    stored and anchored with that evidence and names the cheating sender; a complaint against a
    good share is refused (``ProofRejected``) and leaves no trace.
    """
    election = _in_ceremony(election)
    trustee = _trustee_of(election, user)
    expected = election.trustees.count() - 1
    if len(boxes_for(election, trustee)) != expected:
        raise WrongState(_("Not every trustee has sent you a share yet."))
    if trustee.verdict:
        raise Conflict(_("You already reported on your shares in this ceremony."))
    if ok:
        if box_secret is not None:
            raise Invalid(_("Reveal your box secret only with a complaint."))
        trustee.verdict = Trustee.Verdict.OK
        trustee.save(update_fields=["verdict"])
        return trustee
    accused = election.trustees.filter(index=against).exclude(pk=trustee.pk).first()
    if against is None or accused is None:
        raise Invalid(_("A complaint must name another trustee of this election."))
    if not isinstance(box_secret, str) or not _HEX64.fullmatch(box_secret):
        raise Invalid(_("A complaint must reveal your box secret (64 lowercase hex digits)."))
    box = election.share_boxes.get(sender=against, recipient=trustee.index).box
    finding = judge_complaint(
        bytes.fromhex(election.ceremony_id),
        trustee.index,
        bytes.fromhex(box_secret),
        bytes.fromhex(trustee.public["box_key"]),
        box,
        TrusteePublic.from_json(accused.public),
    )
    if finding is None:
        raise ProofRejected(
            _("The share trustee %(n)d sent you is valid: your complaint is refused.")
            % {"n": against}
        )
    trustee.verdict = Trustee.Verdict.COMPLAINT
    trustee.complaint_against = against
    trustee.complaint_reason = (reason or "")[:500]
    trustee.save(update_fields=["verdict", "complaint_against", "complaint_reason"])
    Complaint.objects.create(
        election=election,
        attempt=election.ceremony_attempt,
        trustee=trustee.index,
        against=against,
        reason=trustee.complaint_reason,
        finding=finding[:500],
        box_secret=box_secret,
        box_key=trustee.public["box_key"],
        box=box,
        accused_public=accused.public,
    )
    anchor(
        election,
        "election.complaint",
        {
            "election": election.public_id,
            "ceremony": election.ceremony_id,
            "trustee": trustee.index,
            "against": against,
            "reason": trustee.complaint_reason,
            "box_secret": box_secret,
            "upheld": True,
        },
    )
    return trustee
