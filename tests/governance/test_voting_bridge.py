"""Proposals on the real elections engine: a key ceremony, encrypted ballots, a homomorphic
tally, trustees' decryptions, and the proposal decided from the published result."""

import pytest

from governance import voting_bridge
from governance.models import Allocation, Anchor, Proposal
from governance.services import lifecycle
from governance.services.actions import run_actions
from governance.services.errors import WrongState
from governance.services.projects import MilestoneInput, create_project
from governance.services.proposals import (
    OptionInput,
    cancel_proposal,
    create_proposal,
    execute_proposal,
)
from tests.governance.helpers import (
    T0,
    make_citizens,
    make_trustees,
    partners,
    proposal_type,
    seconds,
)
from tests.voting.factories import cast, decrypt_as, run_ceremony
from tests.voting.pipeline import count_in_process
from voting import services as elections
from voting.models import Election

pytestmark = pytest.mark.django_db
S = Proposal.State


@pytest.fixture
def trustees(db):
    return make_trustees(3, prefix="keeper")


@pytest.fixture
def voters(db):
    return make_citizens(6, prefix="voter")


def publish(admin, ptype, vote_type="for_against_abstain", **kwargs):
    return create_proposal(
        proposer=admin,
        proposal_type=ptype,
        title="Extend the tram to the university",
        summary="Build 2.4 km of tram line from Market Square to the campus.",
        vote_type=vote_type,
        now=T0,
        **kwargs,
    )


def vote_and_publish(proposal, trustees, voters, choices, points=None):
    """Ceremony, open, cast `choices` (option key per voter) or `points` (selections per voter),
    close, count, decrypt 2 of 3."""
    election = proposal.election
    kits = run_ceremony(election, trustees)
    assert voting_bridge.phase(proposal) == voting_bridge.READY
    assert lifecycle.advance(proposal=proposal, now=proposal.vote_start).state == S.ACTIVE
    election.refresh_from_db()
    assert election.state == Election.State.OPEN
    for voter, choice in zip(voters, choices, strict=False):
        if choice is not None:
            cast(election, voter, {"c1": {choice: 1}})
    for voter, selections in zip(voters, points or [], strict=False):
        cast(election, voter, {"c1": selections})
    proposal.refresh_from_db()
    assert lifecycle.advance(proposal=proposal, now=proposal.vote_end).state == S.TALLYING
    election.refresh_from_db()
    assert election.state == Election.State.CLOSED
    count_in_process(election)
    decrypt_as(election, kits[1])
    decrypt_as(election, kits[2])
    elections.publish_result(election=election)
    return lifecycle.advance(proposal=proposal, now=proposal.vote_end + seconds(60))


def test_a_proposal_is_an_encrypted_election_with_one_contest(admin, ordinance, trustees):
    proposal = publish(admin, ordinance)
    election = proposal.election
    assert election.state == Election.State.KEY_CEREMONY
    assert election.threshold == 2 and election.trustees.count() == 3
    contest = election.manifest["contests"][0]
    assert contest["id"] == "c1" and contest["selections"] == ["o1", "o2", "o3"]
    labels = [o.label for o in election.contests.get().options.order_by("position")]
    assert labels == ["For", "Against", "Abstain"]
    assert contest["max_votes"] == 1
    assert voting_bridge.phase(proposal) == voting_bridge.PREPARING
    # Until the trustees finish the ceremony, the vote cannot start.
    assert lifecycle.advance(proposal=proposal, now=proposal.vote_start).state == S.PENDING


def test_it_succeeds_queues_and_executes_from_the_decrypted_result(
    admin, ordinance, trustees, voters
):
    proposal = publish(admin, ordinance)
    # o1 = for, o2 = against, o3 = abstain; one voter stays home.
    queued = vote_and_publish(proposal, trustees, voters, ["o1", "o1", "o1", "o2", "o3", None])
    assert queued.state == S.QUEUED
    assert queued.outcome["counts"] == {"for": 3, "against": 1, "abstain": 1}
    assert queued.outcome["ballots"] == 5 and queued.outcome["eligible"] == 6
    executed = execute_proposal(proposal=queued, by=admin, now=queued.eta)
    assert executed.state == S.EXECUTED
    kinds = [a.entry.payload.get("to") for a in Anchor.objects.filter(proposal=proposal)]
    assert kinds == [None, "active", "tallying", "succeeded", "queued", "executed"]


def test_quorum_missed_by_one_vote_on_a_real_roll(admin, voters, trustees):
    # 6 eligible residents (the voters); 50% quorum needs 3 participants; 2 vote for.
    half = proposal_type("charter", quorum_bps=5000)
    proposal = publish(admin, half)
    defeated = vote_and_publish(proposal, trustees, voters, ["o1", "o1"])
    assert defeated.state == S.DEFEATED
    assert defeated.outcome["quorum_required"] == 3
    assert defeated.outcome["participation"] == 2


def test_single_choice_and_approval_map_to_the_engines_contests(admin, ordinance, trustees, voters):
    options = [OptionInput("North park"), OptionInput("South park"), OptionInput("River walk")]
    single = publish(admin, ordinance, vote_type="single_choice", options=options)
    assert single.election.contests.get().kind == "one_of_n"
    approval = publish(admin, ordinance, vote_type="approval", options=options)
    assert approval.election.contests.get().kind == "approval"
    decided = vote_and_publish(approval, trustees, voters, ["o1", "o1", "o1", "o1", "o2", "o3"])
    assert decided.state == S.QUEUED and decided.outcome["adopted"] == ["o1"]


def test_canceling_a_proposal_cancels_its_election(admin, ordinance, trustees):
    proposal = publish(admin, ordinance)
    cancel_proposal(proposal=proposal, by=admin, reason="Drafting error")
    proposal.election.refresh_from_db()
    assert proposal.election.state == Election.State.CANCELLED


def test_without_trustees_no_proposal_can_be_published(admin, ordinance):
    with pytest.raises(WrongState, match="trustee"):
        publish(admin, ordinance)
    assert not Proposal.objects.exists()


def test_a_participatory_budget_is_a_cumulative_contest_tallied_homomorphically(
    admin, trustees, voters
):
    """Each resident shares 10 points, at most 6 on one project; the encrypted points are summed
    per project, decrypted, and the budget funds projects by points until it runs out."""
    contractor, _, _ = partners()
    projects = [
        create_project(
            by=admin, title=f"Park {n}", description="Benches and trees",
            contractor=contractor, contract_reference=f"P-{n}", budget_cents=cost,
            milestones=[MilestoneInput("Done", cost, "inspector")],
        )
        for n, cost in ((1, 600_00), (2, 500_00), (3, 300_00))
    ]  # fmt: skip
    budget = proposal_type("budget")
    proposal = publish(
        admin,
        budget,
        vote_type="budget",
        budget_cents=1000_00,
        budget_points=10,
        points_cap=6,
        options=[OptionInput(p.title, project=p, amount_cents=p.budget_cents) for p in projects],
    )
    contest = proposal.election.contests.get()
    assert (contest.kind, contest.votes_allowed, contest.max_per_option) == ("cumulative", 10, 6)
    assert proposal.election.manifest["contests"][0]["max_per_selection"] == 6
    ballots = [
        {"o1": 6, "o2": 4},
        {"o1": 5, "o2": 5},
        {"o2": 4, "o3": 6},
        {"o1": 6, "o3": 4},
    ]
    queued = vote_and_publish(proposal, trustees, voters, [None] * len(voters), ballots)
    # Points: Park 1 = 17, Park 2 = 13, Park 3 = 10. Park 1 (600) fits; Park 2 (500) does not fit
    # in the 400 left; Park 3 (300) does.
    assert queued.outcome["counts"] == {"o1": 17, "o2": 13, "o3": 10}
    assert queued.state == S.QUEUED
    assert queued.outcome["funded"] == {"o1": 600_00, "o3": 300_00}
    executed = execute_proposal(proposal=queued, by=admin, now=queued.eta)
    run_actions(proposal=executed)
    allocated = dict(Allocation.objects.values_list("project__title", "amount_cents"))
    assert allocated == {"Park 1": 600_00, "Park 3": 300_00}
