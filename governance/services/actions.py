"""What an executed proposal does, each action exactly once and anchored.

``run_actions`` (the Celery task's body) takes the actions in order, each in its own
transaction: lock the action row, skip it if done, perform its effect (whose table has its own
unique key: one ``Decision`` per proposal, one ``Allocation`` per proposal and project, one
``Disbursement`` per milestone) and mark it done. A redelivered task or a second worker finds the
action done and does nothing.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import Allocation, Decision, Milestone, Project, Proposal, ProposalAction
from governance.services.anchoring import anchor, stamp
from governance.services.errors import WrongState
from governance.services.milestones import release_if_ready
from governance.services.proposals import sha256_text, unallocated_cents

Kind = ProposalAction.Kind


def run_actions(*, proposal: Proposal, now: datetime | None = None) -> list[str]:
    """Run every action of an executed proposal that is not done yet; returns what each did."""
    if proposal.state != Proposal.State.EXECUTED:
        raise WrongState(_("only an executed proposal's actions run"))
    done = []
    for action_id in proposal.actions.filter(done_at__isnull=True).values_list("pk", flat=True):
        done.append(run_action(action_id=action_id, now=now))
    return done


@transaction.atomic
def run_action(*, action_id: int, now: datetime | None = None) -> str:
    now = now or timezone.now()
    action = ProposalAction.objects.select_for_update().select_related("proposal").get(pk=action_id)
    if action.done_at is not None:
        return action.result
    perform = {
        Kind.PUBLISH_DECISION: _publish_decision,
        Kind.ALLOCATE_BUDGET: _allocate_budget,
        Kind.RELEASE_MILESTONE: _approve_milestone,
    }[action.kind]
    action.result = perform(action, now)[:300]
    action.done_at = now
    action.save(update_fields=["result", "done_at"])
    return action.result


def _publish_decision(action: ProposalAction, now: datetime) -> str:
    proposal = action.proposal
    payload = {
        "proposal": proposal.pk,
        "text_sha256": sha256_text(action.text),
        "outcome": (proposal.outcome or {}).get("adopted", []),
        "at": stamp(now),
    }
    entry = anchor("decision.published", payload, now=now, proposal=proposal)
    Decision.objects.create(proposal=proposal, text=action.text, published_at=now, entry=entry)
    return "decision published"


def _allocate_budget(action: ProposalAction, now: datetime) -> str:
    project = Project.objects.select_for_update().get(pk=action.project_id)
    remaining = unallocated_cents(project)
    if action.amount_cents > remaining:
        # Checked when the proposal was published, but another proposal may have allocated since.
        # The action is done (it is not retried) and the refusal is on the ledger.
        payload = {
            "proposal": action.proposal_id,
            "project": project.pk,
            "amount_cents": action.amount_cents,
            "unallocated_cents": remaining,
            "at": stamp(now),
        }
        anchor(
            "project.allocation-refused",
            payload,
            now=now,
            proposal=action.proposal,
            project=project,
        )
        return (
            f"refused: {action.amount_cents} cents is more than the {remaining} cents of project "
            f"{project.pk}'s contract value not yet allocated"
        )
    payload = {
        "proposal": action.proposal_id,
        "project": project.pk,
        "amount_cents": action.amount_cents,
        "at": stamp(now),
    }
    entry = anchor(
        "project.allocation", payload, now=now, proposal=action.proposal, project=project
    )
    Allocation.objects.create(
        project=project,
        proposal=action.proposal,
        amount_cents=action.amount_cents,
        created_at=now,
        entry=entry,
    )
    # Money arriving in the escrow may unblock milestones that were approved and attested.
    for milestone in project.milestones.filter(approved_at__isnull=False, disbursement=None):
        release_if_ready(milestone=milestone, now=now)
    return f"{action.amount_cents} cents allocated to project {project.pk}"


def _approve_milestone(action: ProposalAction, now: datetime) -> str:
    milestone = Milestone.objects.select_for_update().get(pk=action.milestone_id)
    if milestone.approved_at is None:
        milestone.approved_at = now
        milestone.approved_by = action.proposal
        milestone.save(update_fields=["approved_at", "approved_by"])
        payload = {
            "proposal": action.proposal_id,
            "project": milestone.project_id,
            "milestone": milestone.pk,
            "amount_cents": milestone.amount_cents,
            "at": stamp(now),
        }
        anchor(
            "milestone.approved",
            payload,
            now=now,
            proposal=action.proposal,
            project=milestone.project,
            milestone=milestone,
        )
    return release_if_ready(milestone=milestone, now=now)
