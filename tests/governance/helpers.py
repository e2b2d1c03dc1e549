"""Building governance test data: people, proposal types, projects, keys, a fake election."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from governance import voting_bridge
from governance.models import InitiativePolicy, Milestone, Partner, ProposalType
from governance.services import projects as project_services
from governance.signing import public_key_hex
from tests.voting.factories import make_admin, make_citizens, make_trustees, make_user

__all__ = [
    "T0",
    "FakeElections",
    "make_admin",
    "make_citizens",
    "make_trustees",
    "make_user",
]

# A fixed start time: tests move time explicitly with `now=` instead of sleeping.
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def seconds(n: float) -> timedelta:
    return timedelta(seconds=n)


def proposal_type(key: str = "ordinance", **overrides: object) -> ProposalType:
    values = {
        "name": key.title(),
        "voting_delay": 60,
        "voting_period": 3600,
        "quorum_bps": 1000,
        "threshold": "simple_majority",
        "timelock": 600,
        "grace_period": 1800,
    }
    values.update(overrides)
    return ProposalType.objects.create(key=key, **values)


def initiative_policy(debate: int = 2, response: int = 3, days: int = 14) -> InitiativePolicy:
    return InitiativePolicy.objects.create(
        name="Test policy", debate_threshold=debate, response_threshold=response, response_days=days
    )


@dataclass
class FakeElections:
    """Stands in for the elections engine in state-machine tests: the test says what phase each
    proposal's election is in and what its published result is. The real bridge is exercised
    by tests/governance/test_voting_bridge.py against the real engine."""

    phases: dict[int, str] = field(default_factory=dict)
    results: dict[int, voting_bridge.VoteResult] = field(default_factory=dict)
    calls: list[tuple[str, int]] = field(default_factory=list)

    def install(self, monkeypatch: object) -> "FakeElections":
        monkeypatch.setattr(voting_bridge, "create_election", self.create_election)
        monkeypatch.setattr(voting_bridge, "phase", self.phase)
        monkeypatch.setattr(voting_bridge, "open_voting", self.open_voting)
        monkeypatch.setattr(voting_bridge, "close_voting", self.close_voting)
        monkeypatch.setattr(voting_bridge, "result", self.result)
        monkeypatch.setattr(voting_bridge, "cancel", self.cancel)
        return self

    def create_election(self, *, proposal, by):
        self.calls.append(("create", proposal.pk))
        self.phases[proposal.pk] = voting_bridge.READY
        return None

    def phase(self, proposal):
        return self.phases[proposal.pk]

    def open_voting(self, *, proposal, now):
        self.calls.append(("open", proposal.pk))
        self.phases[proposal.pk] = voting_bridge.OPEN

    def close_voting(self, *, proposal, now):
        self.calls.append(("close", proposal.pk))
        self.phases[proposal.pk] = voting_bridge.COUNTING

    def result(self, proposal):
        return self.results.get(proposal.pk)

    def cancel(self, *, proposal, reason, by):
        self.calls.append(("cancel", proposal.pk))
        self.phases[proposal.pk] = voting_bridge.CANCELLED

    def publish(self, proposal, counts: dict, *, ballots: int | None = None, eligible: int = 100):
        self.phases[proposal.pk] = voting_bridge.PUBLISHED
        total = sum(counts.values()) if ballots is None else ballots
        self.results[proposal.pk] = voting_bridge.VoteResult(dict(counts), total, eligible)


def partners() -> tuple[Partner, Partner, Partner]:
    return (
        Partner.objects.create(name="Lumen Works Ltd", role=Partner.Role.CONTRACTOR),
        Partner.objects.create(name="City Lights Operations", role=Partner.Role.OPERATOR),
        Partner.objects.create(name="Civic Inspection Office", role=Partner.Role.INSPECTION),
    )


def street_lighting(admin, *, window: int = 60, gap: int = 20, now=T0):
    """A project with an inspector-attested milestone (1) and a device-attested one (2)."""
    contractor, operator, _inspection = partners()
    return project_services.create_project(
        by=admin,
        title="Street lighting, Harbour",
        description="Replace 40 sodium lamps with connected LED lights.",
        contractor=contractor,
        operator=operator,
        contract_reference="PPP-2026-007",
        budget_cents=10_000_000,
        milestones=[
            project_services.MilestoneInput(
                title="Poles installed",
                amount_cents=3_000_000,
                evidence=Milestone.Evidence.INSPECTOR,
            ),
            project_services.MilestoneInput(
                title="Lights working",
                amount_cents=5_000_000,
                evidence=Milestone.Evidence.DEVICES,
                device_metric="working",
                device_quorum_bps=9500,
                device_window=window,
                device_max_gap=gap,
            ),
        ],
        now=now,
    )


def new_key() -> tuple[Ed25519PrivateKey, str]:
    key = Ed25519PrivateKey.generate()
    return key, public_key_hex(key)


def executed(admin, ptype, elections, *, actions=(), title="Approve works", counts=None):
    """A for/against/abstain proposal taken through a (fake) vote to Executed at its eta;
    returns it (its actions have not run yet: ``run_actions`` is the Celery task's body)."""
    from governance.services import lifecycle
    from governance.services.proposals import create_proposal, execute_proposal

    proposal = create_proposal(
        proposer=admin,
        proposal_type=ptype,
        title=title,
        summary="The council asks residents to approve this.",
        vote_type="for_against_abstain",
        actions=list(actions),
        now=T0,
    )
    lifecycle.advance(proposal=proposal, now=proposal.vote_start)
    proposal.refresh_from_db()
    lifecycle.advance(proposal=proposal, now=proposal.vote_end)
    elections.publish(proposal, counts or {"for": 20, "against": 5, "abstain": 0})
    queued = lifecycle.advance(proposal=proposal, now=proposal.vote_end + seconds(1))
    return execute_proposal(proposal=queued, by=admin, now=queued.eta)


def reading(key, device_id: str, counter: int, at: datetime, **metrics) -> dict:
    from governance.signing import format_time, sign_reading

    body = {
        "device": device_id,
        "counter": counter,
        "timestamp": format_time(at),
        "metrics": metrics or {"working": True},
    }
    return sign_reading(key, body)
