"""Reading PPP projects: the spending tracker (budget, escrow, milestones, evidence, payments)."""

from dataclasses import dataclass

from django.db.models import Sum

from governance.models import Disbursement, Milestone, Project
from governance.selectors.timeline import Event, entry_event


@dataclass(frozen=True)
class Spending:
    budget: int
    allocated: int
    released: int

    @property
    def escrow(self) -> int:
        return self.allocated - self.released

    @property
    def unallocated(self) -> int:
        return max(0, self.budget - self.allocated)


def spending(project: Project) -> Spending:
    allocated = project.allocations.aggregate(total=Sum("amount_cents"))["total"] or 0
    released = (
        Disbursement.objects.filter(milestone__project=project).aggregate(
            total=Sum("amount_cents")
        )["total"]
        or 0
    )
    return Spending(project.budget_cents, allocated, released)


def city_spending() -> list[tuple[Project, Spending]]:
    projects = Project.objects.select_related("contractor", "operator").order_by("title")
    return [(p, spending(p)) for p in projects]


def milestone_status(milestone: Milestone) -> str:
    """``released``, ``ready`` (both conditions, waiting for escrow), ``approved``,
    ``attested`` or ``planned``."""
    released = hasattr(milestone, "disbursement")
    attested = hasattr(milestone, "attestation")
    if released:
        return "released"
    if milestone.approved_at and attested:
        return "ready"
    if milestone.approved_at:
        return "approved"
    return "attested" if attested else "planned"


@dataclass(frozen=True)
class MilestoneRow:
    milestone: Milestone
    status: str
    approval: Event | None
    attestation: Event | None
    disbursement: Event | None


def milestone_rows(project: Project) -> list[MilestoneRow]:
    rows = []
    milestones = project.milestones.select_related(
        "attestation__entry", "disbursement__entry", "approved_by"
    ).order_by("position")
    for m in milestones:
        approval = m.anchors.filter(kind="milestone.approved").select_related("entry").first()
        attestation = getattr(m, "attestation", None)
        disbursement = getattr(m, "disbursement", None)
        rows.append(
            MilestoneRow(
                milestone=m,
                status=milestone_status(m),
                approval=entry_event(approval.entry) if approval else None,
                attestation=entry_event(attestation.entry) if attestation else None,
                disbursement=entry_event(disbursement.entry) if disbursement else None,
            )
        )
    return rows
