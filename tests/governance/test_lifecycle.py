"""Every transition of the proposal lifecycle, its schedule edges and cancel rules.

The elections engine is replaced by ``FakeElections`` here so each test pins one rule of the
state machine; test_voting_bridge.py runs the same lifecycle on real encrypted elections.
"""

import pytest

from governance import voting_bridge
from governance.models import Anchor, Proposal
from governance.services import lifecycle
from governance.services.errors import Invalid, NotAllowed, WrongState
from governance.services.proposals import cancel_proposal, create_proposal, execute_proposal
from ledger.models import Entry
from tests.governance.helpers import T0, make_admin, seconds

pytestmark = pytest.mark.django_db
S = Proposal.State


def publish(admin, ptype, **kwargs):
    values = {
        "proposer": admin,
        "proposal_type": ptype,
        "title": "Car-free Sundays on the riverside",
        "summary": "Close Riverside Avenue to cars on Sundays from May to September.",
        "vote_type": "for_against_abstain",
        "now": T0,
    }
    values.update(kwargs)
    return create_proposal(**values)


def states(proposal):
    return [
        (a.entry.payload["from"], a.entry.payload["to"])
        for a in Anchor.objects.filter(proposal=proposal, kind="proposal.state").select_related(
            "entry"
        )
    ]


def advance(proposal, at):
    return lifecycle.advance(proposal=proposal, now=at)


def succeeded(admin, ordinance, elections, **counts):
    proposal = publish(admin, ordinance)
    advance(proposal, proposal.vote_start)
    advance(proposal, proposal.vote_end)
    elections.publish(proposal, {"for": 0, "against": 0, "abstain": 0, **counts})
    return advance(proposal, proposal.vote_end + seconds(5))


# --- publication ------------------------------------------------------------------------------


def test_a_published_proposal_is_pending_with_the_types_parameters_and_anchored(
    admin, ordinance, elections
):
    proposal = publish(admin, ordinance)
    assert proposal.state == S.PENDING
    assert proposal.vote_start == T0 + seconds(60)
    assert proposal.vote_end == proposal.vote_start + seconds(3600)
    assert [o.key for o in proposal.options.all()] == ["for", "against", "abstain"]
    created = Anchor.objects.get(proposal=proposal, kind="proposal.created").entry
    assert created.payload["parameters"]["quorum_bps"] == 1000
    assert created.payload["proposer"] == admin.public_alias
    assert created.payload["vote_start"] == "2026-03-02T09:01:00.000000Z"
    assert ("create", proposal.pk) in elections.calls
    # Editing the type later changes nothing for this proposal.
    ordinance.quorum_bps = 9000
    ordinance.save()
    proposal.refresh_from_db()
    assert proposal.quorum_bps == 1000


def test_voting_cannot_start_before_the_voting_delay(admin, ordinance, elections):
    with pytest.raises(Invalid, match="voting delay"):
        publish(admin, ordinance, vote_start=T0 + seconds(59))
    assert not Proposal.objects.exists() and not Entry.objects.exists()
    later = publish(admin, ordinance, vote_start=T0 + seconds(3600))
    assert later.vote_start == T0 + seconds(3600)


def test_only_the_council_publishes(residents, ordinance, elections):
    with pytest.raises(NotAllowed):
        publish(residents[0], ordinance)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"title": "  "}, "title"),
        ({"summary": ""}, "summary"),
        ({"vote_type": "ranked"}, "vote_type"),
        ({"vote_type": "single_choice"}, "between 2 and"),
        ({"budget_cents": 100}, "only a participatory budget"),
    ],
)
def test_malformed_proposals_are_refused_and_nothing_is_stored(
    admin, ordinance, elections, changes, reason
):
    with pytest.raises(Invalid, match=reason):
        publish(admin, ordinance, **changes)
    assert not Proposal.objects.exists() and not Entry.objects.exists()


# --- scheduled transitions --------------------------------------------------------------------


def test_pending_until_the_vote_starts_then_active(admin, ordinance, elections):
    proposal = publish(admin, ordinance)
    assert advance(proposal, proposal.vote_start - seconds(1)).state == S.PENDING
    active = advance(proposal, proposal.vote_start)
    assert active.state == S.ACTIVE
    assert states(proposal) == [("pending", "active")]
    assert ("open", proposal.pk) in elections.calls


def test_a_late_key_ceremony_keeps_it_pending_and_voters_get_the_whole_period(
    admin, ordinance, elections
):
    proposal = publish(admin, ordinance)
    elections.phases[proposal.pk] = voting_bridge.PREPARING
    assert advance(proposal, proposal.vote_start + seconds(100)).state == S.PENDING
    elections.phases[proposal.pk] = voting_bridge.READY
    late = proposal.vote_start + seconds(900)
    active = advance(proposal, late)
    assert active.state == S.ACTIVE
    assert active.vote_end == late + seconds(3600)


def test_active_until_the_vote_ends_then_tallying(admin, ordinance, elections):
    proposal = publish(admin, ordinance)
    advance(proposal, proposal.vote_start)
    proposal.refresh_from_db()
    assert advance(proposal, proposal.vote_end - seconds(1)).state == S.ACTIVE
    assert advance(proposal, proposal.vote_end).state == S.TALLYING
    assert ("close", proposal.pk) in elections.calls


def test_tallying_waits_for_the_trustees_decryption(admin, ordinance, elections):
    proposal = publish(admin, ordinance)
    advance(proposal, proposal.vote_start)
    advance(proposal, proposal.vote_end)
    assert advance(proposal, proposal.vote_end + seconds(3600)).state == S.TALLYING


def test_success_is_queued_at_once_with_its_timelock_and_grace_period(admin, ordinance, elections):
    proposal = publish(admin, ordinance)
    advance(proposal, proposal.vote_start)
    advance(proposal, proposal.vote_end)
    elections.publish(proposal, {"for": 8, "against": 3, "abstain": 1}, eligible=100)
    decided_at = proposal.vote_end + seconds(30)
    queued = advance(proposal, decided_at)
    assert queued.state == S.QUEUED
    assert queued.eta == decided_at + seconds(600)
    assert queued.expires_at == queued.eta + seconds(1800)
    assert queued.outcome["succeeded"] and queued.outcome["counts"]["for"] == 8
    assert states(proposal)[-2:] == [("tallying", "succeeded"), ("succeeded", "queued")]


def test_quorum_missed_by_one_vote_is_defeated(admin, ordinance, elections):
    # quorum 10% of 100 eligible = 10; 9 took part, all for.
    defeated = succeeded(admin, ordinance, elections, **{"for": 9})
    assert defeated.state == S.DEFEATED
    assert defeated.outcome["quorum_required"] == 10 and not defeated.outcome["quorum_met"]
    assert states(defeated)[-1] == ("tallying", "defeated")
    assert advance(defeated, defeated.vote_end + seconds(10**6)).state == S.DEFEATED


def test_a_tie_is_defeated(admin, ordinance, elections):
    assert succeeded(admin, ordinance, elections, **{"for": 6, "against": 6}).state == S.DEFEATED


def test_timelock_not_yet_elapsed_refuses_execution(admin, ordinance, elections):
    queued = succeeded(admin, ordinance, elections, **{"for": 10, "against": 2})
    with pytest.raises(WrongState, match="timelock"):
        execute_proposal(proposal=queued, by=admin, now=queued.eta - seconds(1))
    assert Proposal.objects.get(pk=queued.pk).state == S.QUEUED
    executed = execute_proposal(proposal=queued, by=admin, now=queued.eta)
    assert executed.state == S.EXECUTED
    assert states(queued)[-1] == ("queued", "executed")


def test_grace_period_expired_refuses_execution_and_expires(admin, ordinance, elections):
    queued = succeeded(admin, ordinance, elections, **{"for": 10, "against": 2})
    with pytest.raises(WrongState, match="grace period"):
        execute_proposal(proposal=queued, by=admin, now=queued.expires_at)
    assert advance(queued, queued.expires_at - seconds(1)).state == S.QUEUED
    expired = advance(queued, queued.expires_at)
    assert expired.state == S.EXPIRED
    with pytest.raises(WrongState):
        execute_proposal(proposal=expired, by=admin, now=queued.eta)


def test_only_the_council_executes(admin, ordinance, elections, residents):
    queued = succeeded(admin, ordinance, elections, **{"for": 10})
    with pytest.raises(NotAllowed):
        execute_proposal(proposal=queued, by=residents[0], now=queued.eta)


def test_execution_is_refused_unless_queued(admin, ordinance, elections):
    proposal = publish(admin, ordinance)
    with pytest.raises(WrongState, match="Queued"):
        execute_proposal(proposal=proposal, by=admin, now=proposal.vote_start)


def test_advance_is_idempotent(admin, ordinance, elections):
    proposal = publish(admin, ordinance)
    at = proposal.vote_start + seconds(5)
    advance(proposal, at)
    anchors = Anchor.objects.count()
    for _ in range(3):
        assert advance(proposal, at).state == S.ACTIVE
    assert Anchor.objects.count() == anchors


def test_advance_due_moves_every_due_proposal_and_survives_a_failure(
    admin, ordinance, elections, monkeypatch
):
    first = publish(admin, ordinance)
    second = publish(admin, ordinance, title="Second")
    broken = publish(admin, ordinance, title="Broken")
    real_phase = elections.phase

    def phase(proposal):
        if proposal.pk == broken.pk:
            raise voting_bridge.BridgeError("engine down")
        return real_phase(proposal)

    monkeypatch.setattr(voting_bridge, "phase", phase)
    assert lifecycle.advance_due(now=first.vote_start) == 2
    assert {p.state for p in Proposal.objects.exclude(pk=broken.pk)} == {S.ACTIVE}
    assert Proposal.objects.get(pk=broken.pk).state == S.PENDING
    assert Proposal.objects.get(pk=second.pk).state == S.ACTIVE


def test_an_election_cancelled_by_the_engine_cancels_the_proposal(admin, ordinance, elections):
    proposal = publish(admin, ordinance)
    advance(proposal, proposal.vote_start)
    elections.phases[proposal.pk] = voting_bridge.CANCELLED
    canceled = advance(proposal, proposal.vote_start + seconds(1))
    assert canceled.state == S.CANCELED
    assert "election was cancelled" in canceled.cancel_reason


def brought_to(state, admin, ptype):
    """A proposal published by `admin`, left Pending or taken to Active or Tallying."""
    proposal = publish(admin, ptype)
    if state in (S.ACTIVE, S.TALLYING):
        advance(proposal, proposal.vote_start)
    if state == S.TALLYING:
        advance(proposal, proposal.vote_end)  # the fake engine publishes no result: it waits
    proposal.refresh_from_db()
    assert proposal.state == state
    return proposal


@pytest.mark.parametrize("state", [S.PENDING, S.TALLYING])
def test_an_election_cancelled_by_the_engine_while_pending_or_tallying_cancels_the_proposal(
    admin, ordinance, elections, state
):
    proposal = brought_to(state, admin, ordinance)
    elections.phases[proposal.pk] = voting_bridge.CANCELLED
    canceled = advance(proposal, proposal.vote_end + seconds(1))
    assert canceled.state == S.CANCELED
    assert canceled.cancel_reason == "the proposal's election was cancelled"
    entry = Anchor.objects.filter(proposal=proposal, kind="proposal.state").last().entry
    assert (entry.payload["from"], entry.payload["to"]) == (state, "canceled")
    assert entry.payload["by"] is None


# --- cancel rules ------------------------------------------------------------------------------


@pytest.fixture
def proposer(db):
    return make_admin("proposer")


def test_the_proposer_may_cancel_while_pending_without_a_reason(proposer, ordinance, elections):
    proposal = publish(proposer, ordinance)
    canceled = cancel_proposal(proposal=proposal, by=proposer, now=T0 + seconds(1))
    assert canceled.state == S.CANCELED
    assert states(proposal) == [("pending", "canceled")]
    assert ("cancel", proposal.pk) in elections.calls


def test_a_proposer_who_is_not_council_cannot_cancel_once_active(proposer, ordinance, elections):
    proposal = publish(proposer, ordinance)
    advance(proposal, proposal.vote_start)
    proposer.groups.clear()  # no longer a council admin
    proposer = type(proposer).objects.get(pk=proposer.pk)
    with pytest.raises(WrongState, match="only while the proposal is Pending"):
        cancel_proposal(proposal=proposal, by=proposer, reason="changed my mind")


def test_someone_else_cannot_cancel(admin, ordinance, elections, residents):
    proposal = publish(admin, ordinance)
    with pytest.raises(NotAllowed):
        cancel_proposal(proposal=proposal, by=residents[0], reason="I do not like it")


def test_the_council_cancels_an_active_proposal_with_a_public_reason(admin, ordinance, elections):
    proposal = publish(make_admin("another-admin"), ordinance)
    advance(proposal, proposal.vote_start)
    with pytest.raises(Invalid, match="public reason"):
        cancel_proposal(proposal=proposal, by=admin, reason=" ")
    canceled = cancel_proposal(proposal=proposal, by=admin, reason="Court injunction 12/2026")
    assert canceled.state == S.CANCELED and canceled.cancel_reason == "Court injunction 12/2026"
    entry = Anchor.objects.filter(proposal=proposal, kind="proposal.state").last().entry
    assert entry.payload["reason"] == "Court injunction 12/2026"
    assert entry.payload["by"] == admin.public_alias


@pytest.mark.parametrize("state", [S.PENDING, S.TALLYING])
def test_the_council_cancels_someone_elses_pending_or_tallying_proposal_with_a_reason(
    admin, ordinance, elections, state
):
    proposal = brought_to(state, make_admin("another-admin"), ordinance)
    with pytest.raises(Invalid, match="public reason"):
        cancel_proposal(proposal=proposal, by=admin, reason="")
    canceled = cancel_proposal(proposal=proposal, by=admin, reason="Withdrawn by the council")
    assert canceled.state == S.CANCELED and canceled.canceled_by == admin
    assert states(proposal)[-1] == (state, "canceled")
    assert ("cancel", proposal.pk) in elections.calls
    assert elections.phases[proposal.pk] == voting_bridge.CANCELLED


@pytest.mark.parametrize("counts", [{"for": 10}, {"for": 1}])
def test_the_council_can_cancel_until_executed_but_not_after_a_final_state(
    admin, ordinance, elections, counts
):
    decided = succeeded(admin, ordinance, elections, **counts)
    if decided.state == S.QUEUED:
        cancel_proposal(proposal=decided, by=admin, reason="Superseded by proposal 12")
        assert Proposal.objects.get(pk=decided.pk).state == S.CANCELED
    else:
        assert decided.state == S.DEFEATED
        with pytest.raises(WrongState, match="can no longer be canceled"):
            cancel_proposal(proposal=decided, by=admin, reason="Too late")


def test_executed_and_expired_proposals_cannot_be_canceled(admin, ordinance, elections):
    executed = succeeded(admin, ordinance, elections, **{"for": 10})
    execute_proposal(proposal=executed, by=admin, now=executed.eta)
    with pytest.raises(WrongState):
        cancel_proposal(proposal=executed, by=admin, reason="Too late")
    expired = succeeded(admin, ordinance, elections, **{"for": 10})
    advance(expired, expired.expires_at)
    with pytest.raises(WrongState):
        cancel_proposal(proposal=expired, by=admin, reason="Too late")


def test_every_transition_is_anchored_in_order(admin, ordinance, elections):
    queued = succeeded(admin, ordinance, elections, **{"for": 10})
    execute_proposal(proposal=queued, by=admin, now=queued.eta)
    assert states(queued) == [
        ("pending", "active"),
        ("active", "tallying"),
        ("tallying", "succeeded"),
        ("succeeded", "queued"),
        ("queued", "executed"),
    ]


def test_no_transition_is_possible_outside_the_table(admin, ordinance, elections):
    proposal = publish(admin, ordinance)
    with pytest.raises(WrongState):
        lifecycle.move(proposal, S.EXECUTED, now=T0)
