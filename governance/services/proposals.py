"""Creating, canceling and executing proposals (the transitions people make; the scheduled ones
are in ``lifecycle``)."""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import rules, voting_bridge
from governance.models import (
    Milestone,
    Project,
    Proposal,
    ProposalAction,
    ProposalOption,
    ProposalType,
)
from governance.models.proposals import VoteType
from governance.services.anchoring import anchor, stamp
from governance.services.errors import Invalid, NotAllowed, WrongState
from governance.services.lifecycle import move

MANAGE = "identity.manage_proposals"
MAX_OPTIONS = 20
MAX_ACTIONS = 10
MAX_BUDGET_POINTS = 100
FAA_OPTIONS = ((rules.FOR, "For"), (rules.AGAINST, "Against"), (rules.ABSTAIN, "Abstain"))
Kind = ProposalAction.Kind
S = Proposal.State
COUNCIL_CANCELABLE = frozenset({S.PENDING, S.ACTIVE, S.TALLYING, S.SUCCEEDED, S.QUEUED})


@dataclass(frozen=True)
class OptionInput:
    label: str
    project: Project | None = None
    amount_cents: int | None = None


@dataclass(frozen=True)
class ActionInput:
    kind: str
    text: str = ""
    project: Project | None = None
    milestone: Milestone | None = None
    amount_cents: int | None = None


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def unallocated_cents(project: Project) -> int:
    """What can still be allocated to `project`: its contract value minus its allocations."""
    allocated = project.allocations.aggregate(total=Sum("amount_cents"))["total"] or 0
    return project.budget_cents - allocated


def _check_within_budget(project: Project, amount_cents: int, field: str) -> None:
    # Checked again when the allocation runs, under the project's lock (actions._allocate_budget):
    # another proposal may allocate in between.
    remaining = unallocated_cents(project)
    if amount_cents > remaining:
        raise Invalid(
            _(
                "%(field)s: %(amount)s cents for project %(project)s is more than the "
                "%(remaining)s cents of its contract value not yet allocated"
            )
            % {
                "field": field,
                "amount": amount_cents,
                "project": project.pk,
                "remaining": remaining,
            }
        )


def _check_options(vote_type: str, options: list[OptionInput], budget: dict) -> list[OptionInput]:
    if vote_type == VoteType.FOR_AGAINST_ABSTAIN:
        if options:
            raise Invalid(_("options: a for/against/abstain vote has its three fixed options"))
        return [OptionInput(label) for _key, label in FAA_OPTIONS]
    if not 2 <= len(options) <= MAX_OPTIONS:
        raise Invalid(
            _("options: give between 2 and %(MAX_OPTIONS)s options") % {"MAX_OPTIONS": MAX_OPTIONS}
        )
    labels = [o.label.strip() for o in options]
    if any(not label or len(label) > 200 for label in labels):
        raise Invalid(_("options: every option needs a label of at most 200 characters"))
    if len(set(labels)) != len(labels):
        raise Invalid(_("options: two options have the same label"))
    if vote_type == VoteType.BUDGET:
        if any(o.project is None or not o.amount_cents or o.amount_cents <= 0 for o in options):
            raise Invalid(_("options: each budget option needs a project and a positive amount"))
        if len({o.project.pk for o in options}) != len(options):
            raise Invalid(_("options: a project appears twice"))
        for option in options:
            _check_within_budget(option.project, option.amount_cents, "options")
        if not budget["budget_cents"] or budget["budget_cents"] <= 0:
            raise Invalid(_("budget_cents: a participatory budget needs a positive total"))
        points, cap = budget["budget_points"], budget["points_cap"]
        if not points or not 1 <= points <= MAX_BUDGET_POINTS:
            raise Invalid(
                _("budget_points: must be 1 to %(MAX_BUDGET_POINTS)s")
                % {"MAX_BUDGET_POINTS": MAX_BUDGET_POINTS}
            )
        if not cap or not 1 <= cap <= points:
            raise Invalid(_("points_cap: must be 1 to the number of budget points"))
    elif any(o.project or o.amount_cents for o in options):
        raise Invalid(_("options: projects and amounts belong to participatory budgets only"))
    return options


def _check_actions(vote_type: str, actions: list[ActionInput]) -> None:
    if len(actions) > MAX_ACTIONS:
        raise Invalid(_("actions: at most %(MAX_ACTIONS)s") % {"MAX_ACTIONS": MAX_ACTIONS})
    kinds = [a.kind for a in actions]
    if kinds.count(Kind.PUBLISH_DECISION) > 1:
        raise Invalid(_("actions: a proposal publishes at most one decision"))
    projects = [a.project.pk for a in actions if a.kind == Kind.ALLOCATE_BUDGET]
    milestones = [a.milestone.pk for a in actions if a.kind == Kind.RELEASE_MILESTONE]
    if len(set(projects)) != len(projects) or len(set(milestones)) != len(milestones):
        raise Invalid(_("actions: the same project or milestone appears twice"))
    for action in actions:
        if action.kind == Kind.PUBLISH_DECISION:
            if not action.text.strip():
                raise Invalid(_("actions: publishing a decision needs its text"))
        elif action.kind == Kind.ALLOCATE_BUDGET:
            if vote_type == VoteType.BUDGET:
                raise Invalid(_("actions: a participatory budget allocates what the vote funds"))
            if action.project is None or not action.amount_cents or action.amount_cents <= 0:
                raise Invalid(_("actions: an allocation needs a project and a positive amount"))
            _check_within_budget(action.project, action.amount_cents, "actions")
        elif action.kind == Kind.RELEASE_MILESTONE:
            if action.milestone is None:
                raise Invalid(_("actions: releasing a payment needs its milestone"))
            if action.milestone.approved_at is not None:
                raise Invalid(
                    _("actions: milestone %(pk)s is already approved") % {"pk": action.milestone.pk}
                )
        else:
            raise Invalid(_("actions: unknown kind %(kind)s") % {"kind": repr(action.kind)})


@transaction.atomic
def create_proposal(
    *,
    proposer: object,
    proposal_type: ProposalType,
    title: str,
    summary: str,
    vote_type: str,
    options: list[OptionInput] = (),
    actions: list[ActionInput] = (),
    district: object = None,
    vote_start: datetime | None = None,
    budget_cents: int | None = None,
    budget_points: int | None = None,
    points_cap: int | None = None,
    initiative: object = None,
    now: datetime | None = None,
) -> Proposal:
    """Publish a proposal (Pending) with its election, scheduled at `vote_start` (default: now
    plus the type's voting delay, which is also the earliest allowed)."""
    now = now or timezone.now()
    if not proposer.has_perm(MANAGE):
        raise NotAllowed(_("only council admins may publish proposals"))
    if not proposal_type.active:
        raise Invalid(_("proposal_type: this type is no longer in use"))
    title, summary = title.strip(), summary.strip()
    if not title or len(title) > 200:
        raise Invalid(_("title: required, at most 200 characters"))
    if not summary:
        raise Invalid(_("summary: required"))
    if vote_type not in VoteType.values:
        raise Invalid(_("vote_type: must be one of %(values)s") % {"values": VoteType.values})
    budget = {
        "budget_cents": budget_cents,
        "budget_points": budget_points,
        "points_cap": points_cap,
    }
    if vote_type != VoteType.BUDGET and any(v is not None for v in budget.values()):
        raise Invalid(_("budget_cents: only a participatory budget has a budget"))
    options = _check_options(vote_type, list(options), budget)
    _check_actions(vote_type, list(actions))
    earliest = now + timedelta(seconds=proposal_type.voting_delay)
    if vote_start is None:
        vote_start = earliest
    elif vote_start < earliest:
        raise Invalid(
            _("vote_start: must be at least the voting delay from now (%(value)s)")
            % {"value": stamp(earliest)}
        )
    proposal = Proposal.objects.create(
        title=title,
        summary=summary,
        proposal_type=proposal_type,
        vote_type=vote_type,
        district=district,
        proposer=proposer,
        initiative=initiative,
        state=S.PENDING,
        voting_delay=proposal_type.voting_delay,
        voting_period=proposal_type.voting_period,
        quorum_bps=proposal_type.quorum_bps,
        threshold=proposal_type.threshold,
        timelock=proposal_type.timelock,
        grace_period=proposal_type.grace_period,
        created_at=now,
        vote_start=vote_start,
        vote_end=vote_start + timedelta(seconds=proposal_type.voting_period),
        **budget,
    )
    keys = [k for k, _ in FAA_OPTIONS] if vote_type == VoteType.FOR_AGAINST_ABSTAIN else None
    for position, option in enumerate(options, start=1):
        ProposalOption.objects.create(
            proposal=proposal,
            position=position,
            key=keys[position - 1] if keys else f"o{position}",
            label=option.label.strip(),
            project=option.project,
            amount_cents=option.amount_cents,
        )
    for position, action in enumerate(actions, start=1):
        ProposalAction.objects.create(
            proposal=proposal,
            position=position,
            kind=action.kind,
            text=action.text.strip(),
            project=action.project or (action.milestone.project if action.milestone else None),
            milestone=action.milestone,
            amount_cents=action.milestone.amount_cents if action.milestone else action.amount_cents,
        )
    try:
        proposal.election = voting_bridge.create_election(proposal=proposal, by=proposer)
    except voting_bridge.BridgeError as exc:
        raise WrongState(
            _("the vote cannot be prepared: %(exc)s") % {"exc": exc}, code="election"
        ) from None
    proposal.save(update_fields=["election"])
    anchor("proposal.created", created_payload(proposal), now=now, proposal=proposal)
    return proposal


def created_payload(proposal: Proposal) -> dict:
    """What the ledger records when a proposal is published: its rules, schedule, options and
    actions. Texts are represented by their SHA-256 (the page shows the text to compare)."""
    return {
        "proposal": proposal.pk,
        "title": proposal.title,
        "summary_sha256": sha256_text(proposal.summary),
        "type": proposal.proposal_type.key,
        "vote_type": proposal.vote_type,
        "district": proposal.scope,
        "proposer": proposal.proposer.public_alias,
        "initiative": proposal.initiative_id,
        "election": proposal.election_id,
        "parameters": {
            "voting_delay": proposal.voting_delay,
            "voting_period": proposal.voting_period,
            "quorum_bps": proposal.quorum_bps,
            "threshold": proposal.threshold,
            "timelock": proposal.timelock,
            "grace_period": proposal.grace_period,
            "budget_cents": proposal.budget_cents,
            "budget_points": proposal.budget_points,
            "points_cap": proposal.points_cap,
        },
        "vote_start": stamp(proposal.vote_start),
        "vote_end": stamp(proposal.vote_end),
        "options": [
            {
                "key": o.key,
                "label": o.label,
                "project": o.project_id,
                "amount_cents": o.amount_cents,
            }
            for o in proposal.options.order_by("position")
        ],
        "actions": [
            {
                "kind": a.kind,
                "project": a.project_id,
                "milestone": a.milestone_id,
                "amount_cents": a.amount_cents,
                "text_sha256": sha256_text(a.text) if a.text else None,
            }
            for a in proposal.actions.order_by("position")
        ],
    }


@transaction.atomic
def cancel_proposal(
    *, proposal: Proposal, by: object, reason: str = "", now: datetime | None = None
) -> Proposal:
    """The proposer may cancel while Pending; the council may cancel any proposal that is not
    yet final, with a public reason."""
    now = now or timezone.now()
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    reason = reason.strip()
    if len(reason) > 500:
        raise Invalid(_("reason: at most 500 characters"))
    if proposal.state == S.PENDING and by.pk == proposal.proposer_id:
        pass
    elif by.has_perm(MANAGE):
        if proposal.state not in COUNCIL_CANCELABLE:
            raise WrongState(
                _("a %(state)s proposal can no longer be canceled") % {"state": proposal.state}
            )
        if not reason:
            raise Invalid(_("reason: the council must give a public reason"))
    elif by.pk == proposal.proposer_id:
        raise WrongState(_("the proposer may cancel only while the proposal is Pending"))
    else:
        raise NotAllowed(_("only the proposer or the council may cancel a proposal"))
    try:
        voting_bridge.cancel(proposal=proposal, reason=reason or "canceled by the proposer", by=by)
    except voting_bridge.BridgeError as exc:
        raise WrongState(
            _("the vote cannot be canceled: %(exc)s") % {"exc": exc}, code="election"
        ) from None
    proposal.canceled_at = now
    proposal.canceled_by = by
    proposal.cancel_reason = reason
    move(proposal, S.CANCELED, now=now, reason=reason, by=by.public_alias)
    return proposal


@transaction.atomic
def execute_proposal(*, proposal: Proposal, by: object, now: datetime | None = None) -> Proposal:
    """Execute a Queued proposal once its timelock has passed and before its grace period ends.
    Its actions then run in a Celery task (``governance.run_actions``)."""
    now = now or timezone.now()
    if not by.has_perm(MANAGE):
        raise NotAllowed(_("only council admins may execute proposals"))
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state != S.QUEUED:
        raise WrongState(
            _("only a Queued proposal can be executed; this one is %(state)s")
            % {"state": proposal.state}
        )
    if now < proposal.eta:
        raise WrongState(
            _("the timelock has not passed: executable from %(value)s")
            % {"value": stamp(proposal.eta)}
        )
    if now >= proposal.expires_at:
        raise WrongState(
            _("the grace period ended at %(value)s: it expired")
            % {"value": stamp(proposal.expires_at)}
        )
    if proposal.vote_type == VoteType.BUDGET:
        _add_budget_allocations(proposal)
    proposal.executed_at = now
    move(proposal, S.EXECUTED, now=now, by=by.public_alias)
    transaction.on_commit(lambda: _schedule_actions(proposal.pk), robust=True)
    return proposal


def _add_budget_allocations(proposal: Proposal) -> None:
    """A participatory budget allocates to each project the vote funded (stored outcome)."""
    funded = (proposal.outcome or {}).get("funded", {})
    position = proposal.actions.count()
    for option in proposal.options.filter(key__in=funded).order_by("position"):
        position += 1
        ProposalAction.objects.create(
            proposal=proposal,
            position=position,
            kind=Kind.ALLOCATE_BUDGET,
            project=option.project,
            amount_cents=funded[option.key],
        )


def _schedule_actions(proposal_id: int) -> None:
    from governance.tasks import run_actions_task

    run_actions_task.delay(proposal_id)
