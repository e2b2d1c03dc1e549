"""Decrypting the tally: trustees' partial decryptions, then the published result.

Each partial decryption is checked on arrival against the trustee's public key share (computed
from the ceremony's commitments), so a bad one is refused with the reason and never stored. Once
``threshold`` are in, ``publish_result`` combines them, decodes and re-verifies the counts,
publishes the result and anchors ``election.published``; the election record is built after
that entry is sequenced (``voting.export``).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from identity.models import User
from voting import record
from voting.context import election_context
from voting.crypto import (
    CryptoError,
    EncryptedTally,
    PartialDecryption,
    decrypt_tally,
    public_key_share,
    verify_partial_decryption,
    verify_tally,
)
from voting.models import Election, TallyJob, TrusteeDecryption
from voting.services.anchors import anchor, digest
from voting.services.casting import parse_json
from voting.services.errors import Conflict, Invalid, NotAllowed, ProofRejected, WrongState
from voting.services.lifecycle import ceremony_publics, lock

State = Election.State


def encrypted_tally(election: Election) -> EncryptedTally:
    job = TallyJob.objects.filter(election=election).first()
    if job is None or job.encrypted_tally is None:
        raise WrongState(_("The ballots have not been counted yet."))
    return EncryptedTally.from_json(job.encrypted_tally)


def post_decryption(*, election: Election, user: User, payload: object) -> TrusteeDecryption:
    """Store a trustee's partial decryption after verifying every proof in it."""
    election = Election.objects.get(pk=election.pk)
    if election.state != State.DECRYPTING:
        raise WrongState(_("The tally is not waiting for decryptions."))
    trustee = election.trustees.filter(user=user).first()
    if trustee is None:
        raise NotAllowed(_("You are not a trustee of this election."))
    try:
        partial = PartialDecryption.from_json(parse_json(payload, "partial decryption"))
    except (CryptoError, TypeError, ValueError, AttributeError) as exc:
        raise Invalid(f"malformed partial decryption: {exc}") from exc
    if partial.trustee != trustee.index:
        raise Invalid(
            _("Your trustee number is %(index)d, not %(got)d.")
            % {"index": trustee.index, "got": partial.trustee}
        )
    ctx = election_context(election)
    tally = encrypted_tally(election)
    share = public_key_share(ceremony_publics(election), trustee.index)
    try:
        verify_partial_decryption(ctx, tally, partial, share)
    except CryptoError as exc:
        raise ProofRejected(str(exc)) from exc
    with transaction.atomic():
        election = lock(election)
        if election.state != State.DECRYPTING:
            raise WrongState(_("The tally is not waiting for decryptions."))
        if TrusteeDecryption.objects.filter(trustee=trustee).exists():
            raise Conflict(_("You already posted your partial decryption."))
        stored = TrusteeDecryption.objects.create(
            election=election, trustee=trustee, payload=partial.to_json()
        )
        anchor(
            election,
            "election.decryption",
            {
                "election": election.public_id,
                "trustee": trustee.index,
                "sha256": digest(stored.payload),
            },
        )
        if election.decryptions.count() >= election.threshold:
            from voting.tasks import publish_result_task

            transaction.on_commit(lambda: publish_result_task.delay(election.pk), robust=True)
    return stored


def decryption_documents(election: Election) -> list[dict]:
    return [d.payload for d in election.decryptions.order_by("trustee__index")]


@transaction.atomic
def publish_result(*, election: Election) -> Election:
    """decrypting -> published: combine, decode, re-verify, publish and anchor the result."""
    election = lock(election)
    if election.state == State.PUBLISHED:
        return election
    if election.state != State.DECRYPTING:
        raise WrongState(_("The tally is not waiting for decryptions."))
    documents = decryption_documents(election)
    if len(documents) < election.threshold:
        raise WrongState(
            _("%(have)d of the %(need)d partial decryptions needed are in.")
            % {"have": len(documents), "need": election.threshold}
        )
    ctx = election_context(election)
    tally = encrypted_tally(election)
    partials = [PartialDecryption.from_json(d) for d in documents]
    publics = ceremony_publics(election)
    counts = decrypt_tally(ctx, tally, partials, publics, election.threshold)
    verify_tally(ctx, tally, partials, publics, election.threshold, counts)
    election.result = record.result_json(counts, tally.ballots)
    election.state = State.PUBLISHED
    election.published_at = timezone.now()
    election.save(update_fields=["result", "state", "published_at", "updated_at"])
    payload = record.published_payload(
        election.public_id, tally.to_json(), documents, election.result
    )
    anchor(election, "election.published", payload)
    from voting.tasks import build_record_task

    transaction.on_commit(lambda: build_record_task.delay(election.pk), robust=True)
    return election
