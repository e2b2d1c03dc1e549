"""The proposal state machine (OpenZeppelin Governor's, plus Tallying) and ``advance``.

    Pending ──vote_start──► Active ──vote_end──► Tallying ──result──► Succeeded ──► Queued
       │                      │                     │                    │            │ │
       └──────────────────────┴──── Canceled ◄──────┴────────────────────┴────────────┘ │
                                                    └──► Defeated     Executed ◄───────┤
                                                                      Expired ◄────────┘

Every transition is stored and anchored (``proposal.state`` with from/to) in one transaction.
``advance`` applies every transition that is due at ``now`` and is idempotent: running it twice,
or from two workers at once (the proposal row is locked), changes nothing the second time.
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import rules, voting_bridge
from governance.models import Proposal
from governance.services.anchoring import anchor, stamp
from governance.services.errors import WrongState

logger = logging.getLogger(__name__)
S = Proposal.State

TRANSITIONS: dict[str, frozenset[str]] = {
    S.PENDING: frozenset({S.ACTIVE, S.CANCELED}),
    S.ACTIVE: frozenset({S.TALLYING, S.CANCELED}),
    S.TALLYING: frozenset({S.SUCCEEDED, S.DEFEATED, S.CANCELED}),
    S.SUCCEEDED: frozenset({S.QUEUED, S.CANCELED}),
    S.QUEUED: frozenset({S.EXECUTED, S.EXPIRED, S.CANCELED}),
}


def move(proposal: Proposal, to: str, *, now: datetime, **details: object) -> None:
    """Record one transition and anchor it; the caller holds the row lock and the transaction."""
    if to not in TRANSITIONS.get(proposal.state, frozenset()):
        raise WrongState(
            _("a proposal cannot go from %(state)s to %(to)s") % {"state": proposal.state, "to": to}
        )
    previous = proposal.state
    proposal.state = to
    proposal.save()
    payload = {"proposal": proposal.pk, "from": previous, "to": to, "at": stamp(now), **details}
    anchor("proposal.state", payload, now=now, proposal=proposal)


def _open(proposal: Proposal, now: datetime) -> bool:
    election_phase = voting_bridge.phase(proposal)
    if election_phase == voting_bridge.READY:
        voting_bridge.open_voting(proposal=proposal, now=now)
    elif election_phase != voting_bridge.OPEN:
        return False  # trustees have not finished the key ceremony: keep waiting
    # Voters always get the whole voting period, even when the ceremony finished late.
    proposal.vote_end = max(proposal.vote_end, now + timedelta(seconds=proposal.voting_period))
    move(proposal, S.ACTIVE, now=now, vote_end=stamp(proposal.vote_end))
    return True


def _close(proposal: Proposal, now: datetime) -> bool:
    voting_bridge.close_voting(proposal=proposal, now=now)
    move(proposal, S.TALLYING, now=now)
    return True


def decide(proposal: Proposal, result: voting_bridge.VoteResult) -> rules.Outcome:
    """Apply the proposal's rules to its published result (see governance/rules.py)."""
    options = [
        rules.OptionSpec(o.key, o.amount_cents) for o in proposal.options.order_by("position")
    ]
    proposal_rules = rules.Rules(
        vote_type=proposal.vote_type,
        quorum_bps=proposal.quorum_bps,
        threshold=proposal.threshold,
        budget_cents=proposal.budget_cents,
    )
    return rules.decide(
        proposal_rules, options, result.counts, ballots=result.ballots, eligible=result.eligible
    )


def _count(proposal: Proposal, now: datetime) -> bool:
    result = voting_bridge.result(proposal)
    if result is None:
        return False  # still tallying or waiting for trustees' decryptions
    outcome = decide(proposal, result)
    proposal.outcome = {
        **outcome.to_json(),
        "counts": dict(result.counts),
        "ballots": result.ballots,
        "eligible": result.eligible,
    }
    proposal.decided_at = now
    move(proposal, S.SUCCEEDED if outcome.succeeded else S.DEFEATED, now=now, **proposal.outcome)
    return True


def _queue(proposal: Proposal, now: datetime) -> bool:
    proposal.eta = now + timedelta(seconds=proposal.timelock)
    proposal.expires_at = proposal.eta + timedelta(seconds=proposal.grace_period)
    move(
        proposal, S.QUEUED, now=now, eta=stamp(proposal.eta), expires_at=stamp(proposal.expires_at)
    )
    return True


def _expire(proposal: Proposal, now: datetime) -> bool:
    move(proposal, S.EXPIRED, now=now)
    return True


def _election_cancelled(proposal: Proposal, now: datetime) -> bool:
    proposal.canceled_at = now
    proposal.cancel_reason = "the proposal's election was cancelled"
    move(proposal, S.CANCELED, now=now, reason=proposal.cancel_reason, by=None)
    return True


def _next_step(proposal: Proposal, now: datetime):
    if proposal.is_final:
        return None
    if (
        proposal.state in (S.PENDING, S.ACTIVE, S.TALLYING)
        and voting_bridge.phase(proposal) == voting_bridge.CANCELLED
    ):
        return _election_cancelled
    if proposal.state == S.PENDING and now >= proposal.vote_start:
        return _open
    if proposal.state == S.ACTIVE and now >= proposal.vote_end:
        return _close
    if proposal.state == S.TALLYING:
        return _count
    if proposal.state == S.SUCCEEDED:
        return _queue
    if proposal.state == S.QUEUED and now >= proposal.expires_at:
        return _expire
    return None


def advance(*, proposal: Proposal, now: datetime | None = None) -> Proposal:
    """Apply every transition due at `now` (default: the current time); idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        while (step := _next_step(locked, now)) is not None:
            if not step(locked, now):
                break
    return locked


def advance_due(*, now: datetime | None = None) -> int:
    """Advance every proposal that is not final (Celery beat calls this); returns how many
    changed state. One proposal failing (e.g. the elections engine refusing) does not stop the
    others; the failure is logged and retried on the next run."""
    now = now or timezone.now()
    changed = 0
    open_states = [s for s in S.values if s not in Proposal.FINAL_STATES]
    for pk, state in Proposal.objects.filter(state__in=open_states).values_list("pk", "state"):
        try:
            after = advance(proposal=Proposal(pk=pk), now=now)
        except Exception:
            logger.exception("advancing proposal %s failed", pk)
            continue
        changed += after.state != state
    return changed
