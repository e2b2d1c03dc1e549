"""The one seam between proposals and the elections engine: every proposal vote IS an encrypted,
verifiable election (``voting``). Governance never touches ballots; it asks this module to
create the proposal's election, open and close it, and read its published result.

How a proposal maps onto an election (docs/spec/governance.md §2):

* one contest, ``c1``, whose options are the proposal's options in order (``o1``, ``o2``, …):
  for/against/abstain and single choice are 1-of-n, approval is approval, a participatory
  budget is cumulative (``budget_points`` to share, at most ``points_cap`` per project);
* the trustees are every account holding the trustee role (through a group or directly), and
  any majority of them can decrypt (``n // 2 + 1``);
* the election has no schedule of its own: the proposal's lifecycle opens and closes it, so a
  voting period extended for a late key ceremony is honoured;
* the key ceremony starts as soon as the proposal is published; when every trustee confirmed
  their shares, opening freezes the election first (roll, joint key, manifest anchored).

Phases the proposal lifecycle understands (``phase``): ``preparing`` (key ceremony running),
``ready`` (it can open), ``open``, ``counting`` (closed, tallying or waiting for trustees'
decryptions), ``published``, ``cancelled``.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import Permission
from django.db.models import Q
from django.urls import reverse

from governance.models import Proposal
from governance.models.proposals import VoteType
from identity.models import User
from voting import services as elections
from voting.models import Contest, Election, Trustee
from voting.services.errors import ElectionRefusal

PREPARING, READY, OPEN, COUNTING, PUBLISHED, CANCELLED = (
    "preparing",
    "ready",
    "open",
    "counting",
    "published",
    "cancelled",
)
E = Election.State
_PHASES = {
    E.DRAFT: PREPARING,
    E.KEY_CEREMONY: PREPARING,
    E.READY: READY,
    E.OPEN: OPEN,
    E.CLOSED: COUNTING,
    E.TALLYING: COUNTING,
    E.DECRYPTING: COUNTING,
    E.PUBLISHED: PUBLISHED,
    E.CANCELLED: CANCELLED,
}
CONTEST = "c1"

# The elections a proposal runs are driven by governance: only this bridge opens, closes or cancels
# them, on the proposal's schedule (voting.models.Election.driven_by).
DRIVER = "governance"


@dataclass(frozen=True)
class VoteResult:
    """The published result, keyed by the proposal's option keys."""

    counts: dict[str, int]
    ballots: int  # ballots counted
    eligible: int  # size of the frozen voter roll: the quorum's denominator


class BridgeError(RuntimeError):
    """The elections engine refused; the message says why."""


def trustees() -> list[User]:
    """Accounts given the trustee role (a group or a direct grant; superuser alone is not)."""
    perm = Permission.objects.get(content_type__app_label="identity", codename="act_as_trustee")
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(groups__permissions=perm) | Q(user_permissions=perm))
        .distinct()
        .order_by("username")
    )


def _contest_rules(proposal: Proposal) -> dict:
    """The contest's kind and limits (docs/spec/ballot.md §1)."""
    if proposal.vote_type in (VoteType.FOR_AGAINST_ABSTAIN, VoteType.SINGLE_CHOICE):
        return {"kind": Contest.Kind.ONE_OF_N}
    if proposal.vote_type == VoteType.APPROVAL:
        return {"kind": Contest.Kind.APPROVAL}
    # A participatory budget: each resident shares `budget_points` points, at most `points_cap`
    # on one project (max_votes and max_per_selection), summed homomorphically per project.
    return {
        "kind": Contest.Kind.CUMULATIVE,
        "votes_allowed": proposal.budget_points,
        "max_per_option": proposal.points_cap,
    }


def create_election(*, proposal: Proposal, by: User) -> Election:
    """Create the proposal's election and start its key ceremony, in the caller's transaction."""
    people = trustees()
    if not people:
        raise BridgeError("no account holds the trustee role: nobody could decrypt the vote")
    try:
        election = elections.create_election(
            title=f"#{proposal.pk} {proposal.title}"[:200],
            description=proposal.summary[:2000],
            district=proposal.district,
            created_by=by,
            driven_by=DRIVER,
        )
        elections.add_contest(
            election=election,
            title=proposal.title[:300],
            options=[o.label for o in proposal.options.order_by("position")],
            **_contest_rules(proposal),
        )
        elections.set_trustees(election=election, users=people, threshold=len(people) // 2 + 1)
        return elections.start_ceremony(election=election, by=by)
    except ElectionRefusal as exc:
        raise BridgeError(exc.reason) from exc


def _election(proposal: Proposal) -> Election:
    if proposal.election_id is None:
        raise BridgeError(f"proposal {proposal.pk} has no election")
    return Election.objects.get(pk=proposal.election_id)


def _ceremony_done(election: Election) -> bool:
    people = election.trustees.all()
    return people.exists() and not people.exclude(verdict=Trustee.Verdict.OK).exists()


def phase(proposal: Proposal) -> str:
    election = _election(proposal)
    if election.state == E.KEY_CEREMONY and _ceremony_done(election):
        return READY
    return _PHASES[election.state]


def open_voting(*, proposal: Proposal, now: datetime) -> None:
    """Freeze (if the ceremony is done) and open; opening an open election does nothing."""
    election = _election(proposal)
    try:
        if election.state == E.KEY_CEREMONY:
            election = elections.freeze_election(election=election)
        if election.state == E.READY:
            elections.open_election(election=election, driver=DRIVER)
    except ElectionRefusal as exc:
        raise BridgeError(exc.reason) from exc


def close_voting(*, proposal: Proposal, now: datetime) -> None:
    """Close; the elections engine starts the count after commit."""
    election = _election(proposal)
    if election.state != E.OPEN:
        return
    try:
        elections.close_election(election=election, driver=DRIVER)
    except ElectionRefusal as exc:
        raise BridgeError(exc.reason) from exc


def result(proposal: Proposal) -> VoteResult | None:
    """The published counts mapped to the proposal's options, or None before publication."""
    election = _election(proposal)
    if election.state != E.PUBLISHED or not election.result:
        return None
    published = election.result["counts"].get(CONTEST, {})
    counts = {
        option.key: int(published.get(f"o{option.position}", 0))
        for option in proposal.options.order_by("position")
    }
    return VoteResult(
        counts=counts, ballots=int(election.result["ballots"]), eligible=election.roll.count()
    )


def cancel(*, proposal: Proposal, reason: str, by: User | None) -> None:
    """Cancel the election unless it is already published or cancelled."""
    election = _election(proposal)
    if election.state in (E.PUBLISHED, E.CANCELLED):
        return
    try:
        elections.cancel_election(election=election, reason=reason, by=by, driver=DRIVER)
    except ElectionRefusal as exc:
        raise BridgeError(exc.reason) from exc


def booth_url(proposal: Proposal) -> str | None:
    if proposal.election_id is None:
        return None
    return reverse("voting:vote", args=[proposal.election_id])


def election_url(proposal: Proposal) -> str | None:
    if proposal.election_id is None:
        return None
    return reverse("voting:detail", args=[proposal.election_id])
