"""Writing a draft election: its details, contests, options, trustees and threshold.

Only drafts can be edited, except the trustees, who can still be replaced during the key
ceremony. Everything is checked again when the key ceremony starts (``lifecycle.start_ceremony``),
since a draft may be saved half-done.
"""

from datetime import datetime

from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from identity.models import District, User
from voting.models import Contest, Election, Option, Trustee
from voting.services import lifecycle
from voting.services.errors import Invalid, NotAllowed, WrongState

MAX_TRUSTEES = 20


def _locked_draft(election: Election) -> Election:
    locked = lifecycle.lock(election)
    if locked.state != Election.State.DRAFT:
        raise WrongState(_("Only a draft election can be edited."))
    return locked


def _check_schedule(opens_at: datetime | None, closes_at: datetime | None) -> None:
    if opens_at and closes_at and closes_at <= opens_at:
        raise Invalid(_("The election must close after it opens."))


@transaction.atomic
def create_election(
    *,
    title: str,
    description: str = "",
    district: District | None = None,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    threshold: int = 1,
    created_by: User | None = None,
    driven_by: str = "",
) -> Election:
    """A draft. ``driven_by`` names the app that alone may open, close and cancel it."""
    if not title.strip():
        raise Invalid(_("An election needs a title."))
    _check_schedule(opens_at, closes_at)
    return Election.objects.create(
        title=title.strip(),
        description=description,
        district=district,
        opens_at=opens_at,
        closes_at=closes_at,
        threshold=threshold,
        created_by=created_by,
        driven_by=driven_by,
    )


@transaction.atomic
def update_election(*, election: Election, **fields: object) -> Election:
    """Change any of title, description, district, opens_at, closes_at, threshold of a draft."""
    allowed = {"title", "description", "district", "opens_at", "closes_at", "threshold"}
    unknown = set(fields) - allowed
    if unknown:
        raise Invalid(f"unknown fields: {', '.join(sorted(unknown))}")
    locked = _locked_draft(election)
    for name, value in fields.items():
        setattr(locked, name, value)
    if not locked.title.strip():
        raise Invalid(_("An election needs a title."))
    _check_schedule(locked.opens_at, locked.closes_at)
    locked.save()
    return locked


@transaction.atomic
def add_contest(
    *,
    election: Election,
    title: str,
    kind: str = Contest.Kind.ONE_OF_N,
    votes_allowed: int = 1,
    max_per_option: int = 1,
    description: str = "",
    options: list[str] | None = None,
) -> Contest:
    """Add a contest (and its options, in ballot order) to a draft.

    ``kind``: one_of_n, k_of_n (``votes_allowed`` = k), approval, or cumulative
    (``votes_allowed`` points to share, at most ``max_per_option`` on one option).
    """
    locked = _locked_draft(election)
    if kind not in Contest.Kind.values:
        raise Invalid(f"unknown contest kind {kind!r}")
    position = locked.contests.count() + 1
    contest = Contest.objects.create(
        election=locked,
        position=position,
        title=title,
        description=description,
        kind=kind,
        votes_allowed=max(1, votes_allowed),
        max_per_option=max(1, max_per_option),
    )
    for label in options or []:
        Option.objects.create(contest=contest, position=contest.options.count() + 1, label=label)
    return contest


@transaction.atomic
def update_contest(*, contest: Contest, **fields: object) -> Contest:
    _locked_draft(contest.election)
    allowed = {"title", "description", "kind", "votes_allowed", "max_per_option", "position"}
    unknown = set(fields) - allowed
    if unknown:
        raise Invalid(f"unknown fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(contest, name, value)
    if contest.kind not in Contest.Kind.values:
        raise Invalid(f"unknown contest kind {contest.kind!r}")
    contest.save()
    return contest


@transaction.atomic
def delete_contest(*, contest: Contest) -> None:
    _locked_draft(contest.election)
    contest.delete()


@transaction.atomic
def set_options(*, contest: Contest, labels: list[str]) -> list[Option]:
    """Replace the contest's options by ``labels``, in order (blank labels are dropped)."""
    _locked_draft(contest.election)
    labels = [label.strip() for label in labels if label.strip()]
    if len(set(labels)) != len(labels):
        raise Invalid(_("Two options have the same label."))
    contest.options.all().delete()
    return [
        Option.objects.create(contest=contest, position=i, label=label)
        for i, label in enumerate(labels, start=1)
    ]


def trustee_candidates():
    """Active accounts holding the ``act_as_trustee`` permission (through a group or directly)."""
    perm = Permission.objects.get(content_type__app_label="identity", codename="act_as_trustee")
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__permissions=perm) | Q(user_permissions=perm) | Q(is_superuser=True))
        .distinct()
        .order_by("username")
    )


@transaction.atomic
def set_trustees(*, election: Election, users: list[User], threshold: int) -> list[Trustee]:
    """Replace the trustees by ``users`` (numbered 1..n in that order) and set k of n.

    In a draft this is an edit. During the key ceremony it replaces people (a trustee named by an
    upheld complaint, or one who lost their device or left): the ceremony starts over under a new
    ceremony id, anchored with the new trustees, and every trustee generates fresh keys.
    """
    locked = lifecycle.lock(election)
    if locked.state not in (Election.State.DRAFT, Election.State.KEY_CEREMONY):
        raise WrongState(_("Trustees can be changed only until the key is frozen."))
    if len({u.pk for u in users}) != len(users):
        raise Invalid(_("A person can be a trustee only once."))
    if not 1 <= len(users) <= MAX_TRUSTEES:
        raise Invalid(_("Choose between 1 and %(max)d trustees.") % {"max": MAX_TRUSTEES})
    if not 1 <= threshold <= len(users):
        raise Invalid(_("The threshold must be between 1 and the number of trustees."))
    allowed = set(trustee_candidates().values_list("pk", flat=True))
    for user in users:
        if user.pk not in allowed:
            raise NotAllowed(
                _("%(alias)s does not have the trustee role.") % {"alias": user.public_alias}
            )
    locked.trustees.all().delete()
    locked.threshold = threshold
    locked.save(update_fields=["threshold", "updated_at"])
    trustees = [
        Trustee.objects.create(election=locked, user=user, index=i)
        for i, user in enumerate(users, start=1)
    ]
    if locked.state == Election.State.KEY_CEREMONY:
        lifecycle.start_over(locked)
    return trustees
