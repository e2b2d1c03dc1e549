"""Citizen feedback: post (verified residents), moderate (with a public reason), anchor in
batches, and check an opening against its commitment.

The ledger entry of an item (``feedback.received``) holds its target, rating, the author's
alias and its commitment — never the text. Moderation hides the text from public pages and is
itself anchored (``feedback.moderated``), but keeps both the text and the commitment, so the
original remains provable by whoever holds the opening.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import commitments
from governance.models import CityService, Feedback, Project, Proposal
from governance.services.anchoring import stamp
from governance.services.errors import Invalid, NotAllowed, WrongState
from governance.services.initiatives import is_resident
from ledger import services as ledger
from ledger.leaf import format_time

MODERATE = "identity.moderate_feedback"
MAX_TEXT = 5000
BATCH = 500
BATCH_DEBOUNCE_SECONDS = 2


def opening_of(feedback: Feedback) -> dict:
    """The opening of an item's commitment (what its author can download and show anyone)."""
    return commitments.feedback_opening(
        salt=feedback.salt,
        target=feedback.target_ref,
        author=feedback.author_alias,
        rating=feedback.rating,
        text=feedback.text,
        created=format_time(feedback.created_at),
    )


@transaction.atomic
def post_feedback(
    *,
    author: object,
    target: Proposal | Project | CityService,
    rating: int | None = None,
    text: str = "",
    now: datetime | None = None,
) -> Feedback:
    """Store a comment and/or a 1-5 rating; the ledger entry follows in the next batch."""
    now = now or timezone.now()
    if not is_resident(author):
        raise NotAllowed(_("only verified residents may give feedback"))
    text = text.strip()
    if rating is not None and (isinstance(rating, bool) or rating not in range(1, 6)):
        raise Invalid(_("rating: must be 1 to 5"))
    if len(text) > MAX_TEXT:
        raise Invalid(_("text: at most %(MAX_TEXT)s characters") % {"MAX_TEXT": MAX_TEXT})
    if rating is None and not text:
        raise Invalid(_("give a rating, a comment, or both"))
    try:
        format_time(now)
        commitments.commit({"text": text})
    except ValueError as exc:
        raise Invalid(_("text: %(exc)s") % {"exc": exc}) from None
    kind = {Proposal: "proposal", Project: "project", CityService: "service"}.get(type(target))
    if kind is None:
        raise Invalid(_("target: feedback is about a proposal, a project or a city service"))
    feedback = Feedback(
        target=kind,
        author=author,
        author_alias=author.public_alias,
        rating=rating,
        text=text,
        salt=commitments.new_salt(),
        created_at=now,
        **{kind: target},
    )
    feedback.commitment = commitments.commit(opening_of(feedback))
    feedback.save()
    transaction.on_commit(_schedule_batch, robust=True)
    return feedback


def received_payload(feedback: Feedback) -> dict:
    return {
        "feedback": feedback.pk,
        "target": feedback.target_ref,
        "author": feedback.author_alias,
        "rating": feedback.rating,
        "commitment": feedback.commitment,
        "created": format_time(feedback.created_at),
    }


def anchor_pending(*, batch: int = BATCH) -> int:
    """Anchor up to `batch` un-anchored items in one transaction, one ledger entry each (so each
    item gets its own receipt); returns how many. Rows are locked and skipped if another worker
    holds them, so concurrent runs never anchor an item twice."""
    with transaction.atomic():
        items = list(
            Feedback.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(entry__isnull=True)
            .select_related("service")
            .order_by("pk")[:batch]
        )
        if not items:
            return 0
        entries = ledger.append_many(("feedback.received", received_payload(f)) for f in items)
        for item, entry in zip(items, entries, strict=True):
            item.entry = entry
        Feedback.objects.bulk_update(items, ["entry"])
    return len(items)


@transaction.atomic
def moderate_feedback(
    *, feedback: Feedback, by: object, reason: str, now: datetime | None = None
) -> Feedback:
    """Hide an item's text from public pages, with a public reason; the commitment stays."""
    now = now or timezone.now()
    if not by.has_perm(MODERATE):
        raise NotAllowed(_("only moderators may hide feedback"))
    feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
    if feedback.state == Feedback.State.HIDDEN:
        raise WrongState(_("this feedback is already hidden"))
    reason = reason.strip()
    if not reason or len(reason) > 500:
        raise Invalid(_("reason: a public reason is required (at most 500 characters)"))
    feedback.state = Feedback.State.HIDDEN
    feedback.moderation_reason = reason
    feedback.moderated_by = by
    feedback.moderated_at = now
    payload = {
        "feedback": feedback.pk,
        "commitment": feedback.commitment,
        "reason": reason,
        "moderator": by.public_alias,
        "at": stamp(now),
    }
    feedback.moderation_entry = ledger.append("feedback.moderated", payload)
    feedback.save()
    return feedback


def _schedule_batch() -> None:
    """One batch task for a burst of posts (debounced through the cache); beat catches the rest."""
    from django.core.cache import cache

    from governance.tasks import anchor_feedback_task

    if cache.add("governance:feedback-batch-scheduled", True, timeout=BATCH_DEBOUNCE_SECONDS):
        anchor_feedback_task.apply_async(countdown=BATCH_DEBOUNCE_SECONDS)
