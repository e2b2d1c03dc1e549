"""Reading proposals: search and filters, what a page needs, who may do what now."""

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from governance import voting_bridge
from governance.models import Proposal, ProposalType

MANAGE = "identity.manage_proposals"
S = Proposal.State


def proposals(
    *, query: str = "", state: str = "", type_key: str = "", vote_type: str = ""
) -> QuerySet[Proposal]:
    """Proposals matching a free-text query (title or summary) and filters, newest first."""
    found = Proposal.objects.select_related("proposal_type", "district")
    if query.strip():
        words = query.split()[:8]
        for word in words:
            found = found.filter(Q(title__icontains=word) | Q(summary__icontains=word))
    if state:
        found = found.filter(state=state)
    if type_key:
        found = found.filter(proposal_type__key=type_key)
    if vote_type:
        found = found.filter(vote_type=vote_type)
    return found.order_by("-created_at", "-pk")


def active_types() -> QuerySet[ProposalType]:
    return ProposalType.objects.filter(active=True).order_by("name")


def state_counts() -> dict[str, int]:
    counts = dict.fromkeys(S.values, 0)
    for state in Proposal.objects.values_list("state", flat=True):
        counts[state] += 1
    return counts


def can_cancel(proposal: Proposal, user: object) -> bool:
    if not getattr(user, "is_authenticated", False) or proposal.is_final:
        return False
    if user.has_perm(MANAGE):
        return True
    return proposal.state == S.PENDING and user.pk == proposal.proposer_id


def can_execute(proposal: Proposal, user: object, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        getattr(user, "is_authenticated", False)
        and user.has_perm(MANAGE)
        and proposal.state == S.QUEUED
        and proposal.eta <= now < proposal.expires_at
    )


def voting_links(proposal: Proposal) -> dict:
    """Where to vote (while Active) and where the election's own pages are."""
    return {
        "booth": voting_bridge.booth_url(proposal) if proposal.state == S.ACTIVE else None,
        "election": voting_bridge.election_url(proposal),
    }


def results(proposal: Proposal) -> list[dict]:
    """One row per option with its count and share of the decisive votes (after decision)."""
    if not proposal.outcome:
        return []
    counts = proposal.outcome.get("counts", {})
    adopted = set(proposal.outcome.get("adopted", []))
    funded = proposal.outcome.get("funded", {})
    total = sum(counts.values()) or 1
    return [
        {
            "option": option,
            "count": counts.get(option.key, 0),
            "permille": 1000 * counts.get(option.key, 0) // total,
            "adopted": option.key in adopted,
            "funded": funded.get(option.key),
        }
        for option in proposal.options.order_by("position")
    ]
