"""Releasing a milestone payment: only with both keys turned, and only once.

A payment leaves the escrow when (1) the milestone's approval proposal was executed
(``approved_at``), (2) an attestation was accepted, and (3) the project's escrow holds the
amount. Whichever of these arrives last triggers the release; each caller runs
``release_if_ready``, which locks the project row (serialising every movement of its escrow) and
finds the ``Disbursement`` (unique per milestone) if another caller was first.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from governance.models import Attestation, Disbursement, Milestone, Project
from governance.services.anchoring import anchor, stamp


def escrow_cents(project: Project) -> int:
    """Allocated to the project minus disbursed from it."""
    allocated = project.allocations.aggregate(total=Sum("amount_cents"))["total"] or 0
    paid = Disbursement.objects.filter(milestone__project=project).aggregate(
        total=Sum("amount_cents")
    )["total"]
    return allocated - (paid or 0)


@transaction.atomic
def release_if_ready(*, milestone: Milestone, now: datetime | None = None) -> str:
    """Pay the milestone if every condition holds; returns what happened, in words."""
    now = now or timezone.now()
    project = Project.objects.select_for_update().get(pk=milestone.project_id)
    milestone = Milestone.objects.get(pk=milestone.pk)
    if Disbursement.objects.filter(milestone=milestone).exists():
        return "already released"
    if milestone.approved_at is None:
        return "waiting for the approval proposal to be executed"
    if not Attestation.objects.filter(milestone=milestone).exists():
        return "approved; waiting for the attestation"
    available = escrow_cents(project)
    if available < milestone.amount_cents:
        return f"approved and attested; the escrow holds {available} of {milestone.amount_cents}"
    payload = {
        "project": project.pk,
        "milestone": milestone.pk,
        "amount_cents": milestone.amount_cents,
        "approved_by": milestone.approved_by_id,
        # The attestation's ledger leaf hash: anyone can look it up (/ledger/search).
        "attestation_leaf": bytes(milestone.attestation.entry.leaf_hash).hex(),
        "at": stamp(now),
    }
    entry = anchor("milestone.released", payload, now=now, project=project, milestone=milestone)
    Disbursement.objects.create(
        milestone=milestone, amount_cents=milestone.amount_cents, created_at=now, entry=entry
    )
    return f"released {milestone.amount_cents} cents"
