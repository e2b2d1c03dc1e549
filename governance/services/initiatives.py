"""Citizen initiatives: drafting, supporting, withdrawing, thresholds, the council's response.

Rules (docs/spec/governance.md §4):

* only verified residents (of the initiative's district, if it has one) draft and support;
* one standing support per resident (a partial unique constraint in the database);
* a support can be withdrawn while the initiative is still collecting toward its first
  threshold; from then on supports are final, so the count that moved it forward never shrinks;
* reaching a threshold moves the initiative forward at once, in the same transaction as the
  support that reached it, and is anchored (``initiative.stage``);
* supports are accepted until the response threshold is reached.

The ledger sees supports only as salted commitments, never who supported.
"""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import commitments
from governance.models import Initiative, InitiativePolicy, InitiativeSupport
from governance.services.anchoring import anchor, stamp
from governance.services.errors import Conflict, Invalid, NotAllowed, WrongState
from governance.services.proposals import MANAGE, sha256_text
from identity.selectors import eligible_voters

S = Initiative.State
COLLECTING_STATES = (S.COLLECTING, S.DEBATE)


def is_resident(user: object, district: object = None) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    scope = district.number if district is not None else None
    return eligible_voters(scope).filter(pk=user.pk).exists()


def _stage(initiative: Initiative, to: str, *, now: datetime, supports: int) -> None:
    previous = initiative.state
    initiative.state = to
    initiative.save()
    payload = {
        "initiative": initiative.pk,
        "from": previous,
        "to": to,
        "supports": supports,
        "at": stamp(now),
        "response_due": stamp(initiative.response_due),
    }
    anchor("initiative.stage", payload, now=now, initiative=initiative)


def standing_supports(initiative: Initiative) -> int:
    return initiative.supports.filter(withdrawn_at__isnull=True).count()


@transaction.atomic
def create_initiative(
    *, author: object, title: str, text: str, district: object = None, now: datetime | None = None
) -> Initiative:
    now = now or timezone.now()
    if not is_resident(author, district):
        raise NotAllowed(
            _("only verified residents (of the district, if one is chosen) may do this")
        )
    title, text = title.strip(), text.strip()
    if not title or len(title) > 200:
        raise Invalid(_("title: required, at most 200 characters"))
    if not text or len(text) > 20_000:
        raise Invalid(_("text: required, at most 20000 characters"))
    policy = InitiativePolicy.objects.filter(active=True).first()
    if policy is None:
        raise WrongState(_("the city has not set initiative thresholds yet"))
    initiative = Initiative.objects.create(
        title=title,
        text=text,
        district=district,
        author=author,
        debate_threshold=policy.debate_threshold,
        response_threshold=policy.response_threshold,
        response_days=policy.response_days,
        created_at=now,
    )
    payload = {
        "initiative": initiative.pk,
        "title": title,
        "text_sha256": sha256_text(text),
        "author": author.public_alias,
        "district": district.number if district is not None else None,
        "debate_threshold": policy.debate_threshold,
        "response_threshold": policy.response_threshold,
        "response_days": policy.response_days,
        "at": stamp(now),
    }
    anchor("initiative.created", payload, now=now, initiative=initiative)
    return initiative


def _move_forward(initiative: Initiative, supports: int, now: datetime) -> None:
    if initiative.state == S.COLLECTING and supports >= initiative.debate_threshold:
        initiative.debate_at = now
        _stage(initiative, S.DEBATE, now=now, supports=supports)
    if initiative.state == S.DEBATE and supports >= initiative.response_threshold:
        initiative.response_required_at = now
        initiative.response_due = now + timedelta(days=initiative.response_days)
        _stage(initiative, S.RESPONSE_DUE, now=now, supports=supports)


@transaction.atomic
def support_initiative(
    *, initiative: Initiative, user: object, now: datetime | None = None
) -> InitiativeSupport:
    now = now or timezone.now()
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if initiative.state not in COLLECTING_STATES:
        raise WrongState(_("this initiative no longer collects supports"))
    if not is_resident(user, initiative.district):
        raise NotAllowed(_("only verified residents (of the initiative's district) may support"))
    if initiative.supports.filter(user=user, withdrawn_at__isnull=True).exists():
        raise Conflict(_("you already support this initiative"))
    salt = commitments.new_salt()
    opening = commitments.support_opening(
        salt=salt, initiative=initiative.pk, supporter=user.public_alias
    )
    try:
        with transaction.atomic():
            support = InitiativeSupport.objects.create(
                initiative=initiative,
                user=user,
                salt=salt,
                commitment=commitments.commit(opening),
                created_at=now,
            )
    except IntegrityError:
        raise Conflict(_("you already support this initiative")) from None
    payload = {"initiative": initiative.pk, "support": support.commitment, "at": stamp(now)}
    anchor("initiative.support", payload, now=now, initiative=initiative)
    _move_forward(initiative, standing_supports(initiative), now)
    return support


@transaction.atomic
def withdraw_support(
    *, initiative: Initiative, user: object, now: datetime | None = None
) -> InitiativeSupport:
    now = now or timezone.now()
    if not getattr(user, "is_authenticated", False):
        raise NotAllowed(_("sign in to withdraw your support"))
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    support = initiative.supports.filter(user=user, withdrawn_at__isnull=True).first()
    if support is None:
        raise Conflict(_("you do not support this initiative"))
    if initiative.supports_locked:
        raise WrongState(_("supports are final once the initiative reached its first threshold"))
    support.withdrawn_at = now
    support.save(update_fields=["withdrawn_at"])
    payload = {"initiative": initiative.pk, "support": support.commitment, "at": stamp(now)}
    anchor("initiative.support-withdrawn", payload, now=now, initiative=initiative)
    return support


@transaction.atomic
def respond_to_initiative(
    *, initiative: Initiative, by: object, response: str, now: datetime | None = None
) -> Initiative:
    """The council's public answer (it may answer once a debate was reached; late is recorded)."""
    now = now or timezone.now()
    if not by.has_perm(MANAGE):
        raise NotAllowed(_("only the council responds to initiatives"))
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if initiative.state not in (S.DEBATE, S.RESPONSE_DUE, S.OVERDUE):
        raise WrongState(
            _("a %(state)s initiative cannot be answered") % {"state": initiative.state}
        )
    response = response.strip()
    if not response or len(response) > 20_000:
        raise Invalid(_("response: required, at most 20000 characters"))
    initiative.response = response
    initiative.answered_at = now
    previous = initiative.state
    initiative.state = S.ANSWERED
    initiative.save()
    payload = {
        "initiative": initiative.pk,
        "from": previous,
        "to": S.ANSWERED,
        "response_sha256": sha256_text(response),
        "late": previous == S.OVERDUE,
        "by": by.public_alias,
        "at": stamp(now),
    }
    anchor("initiative.response", payload, now=now, initiative=initiative)
    return initiative


def mark_overdue(*, now: datetime | None = None) -> int:
    """Record every response deadline the council missed (the worker's job); idempotent."""
    now = now or timezone.now()
    late = 0
    due = Initiative.objects.filter(state=S.RESPONSE_DUE, response_due__lt=now)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            initiative = Initiative.objects.select_for_update().get(pk=pk)
            if initiative.state == S.RESPONSE_DUE and initiative.response_due < now:
                initiative.overdue_at = now
                _stage(initiative, S.OVERDUE, now=now, supports=standing_supports(initiative))
                late += 1
    return late
