"""Actions on execution and milestone payments: both conditions, the escrow, exactly once."""

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction

from governance import signing
from governance.models import (
    Allocation,
    Attestation,
    Decision,
    Disbursement,
    Milestone,
    Partner,
    ProposalAction,
)
from governance.services import evidence, milestones
from governance.services import projects as project_services
from governance.services.actions import run_actions
from governance.services.errors import Conflict, EvidenceRejected, Invalid, WrongState
from governance.services.proposals import ActionInput
from ledger.models import Entry
from tests.governance.helpers import T0, executed, new_key, partners, street_lighting

pytestmark = pytest.mark.django_db
Kind = ProposalAction.Kind


@pytest.fixture
def lighting(admin):
    return street_lighting(admin)


@pytest.fixture
def poles(lighting) -> Milestone:
    return lighting.milestones.get(position=1)


@pytest.fixture
def inspector(admin, lighting):
    body = Partner.objects.get(role=Partner.Role.INSPECTION)
    key, public = new_key()
    project_services.register_inspector(
        by=admin, partner=body, key_id="insp-7", public_key=public, now=T0
    )
    return key


def statement_for(milestone, **changes):
    statement = {
        "site": settings.POLITY_DOMAIN,
        "project": milestone.project_id,
        "milestone": milestone.pk,
        "amount_cents": milestone.amount_cents,
        "inspector": "insp-7",
        "inspected_at": "2026-03-02T08:30:00Z",
        "result": "delivered",
        "report_sha256": "",
    }
    statement.update(changes)
    return statement


def attest(milestone, key, **changes):
    statement = statement_for(milestone, **changes)
    return evidence.attest_by_inspector(
        milestone=milestone,
        statement=statement,
        signature=signing.sign_statement(key, statement),
        now=T0,
    )


def fund_and_approve(admin, ordinance, elections, lighting, milestone, amount=None):
    proposal = executed(
        admin,
        ordinance,
        elections,
        actions=[
            ActionInput(Kind.PUBLISH_DECISION, text="Phase 1 is approved."),
            ActionInput(Kind.ALLOCATE_BUDGET, project=lighting, amount_cents=amount or 8_000_000),
            ActionInput(Kind.RELEASE_MILESTONE, milestone=milestone),
        ],
    )
    return proposal, run_actions(proposal=proposal, now=proposal.executed_at)


def test_actions_run_in_order_once_each_and_are_anchored(
    admin, ordinance, elections, lighting, poles
):
    proposal, results = fund_and_approve(admin, ordinance, elections, lighting, poles)
    assert results[0] == "decision published"
    assert results[1] == f"8000000 cents allocated to project {lighting.pk}"
    assert results[2] == "approved; waiting for the attestation"
    assert Decision.objects.get(proposal=proposal).text == "Phase 1 is approved."
    assert Allocation.objects.get(proposal=proposal).amount_cents == 8_000_000
    kinds = list(Entry.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds[-3:] == ["decision.published", "project.allocation", "milestone.approved"]
    entries = Entry.objects.count()
    assert run_actions(proposal=proposal) == []  # a redelivered task does nothing
    assert Entry.objects.count() == entries


def test_approved_but_not_attested_is_not_paid_until_the_attestation_arrives(
    admin, ordinance, elections, lighting, poles, inspector
):
    fund_and_approve(admin, ordinance, elections, lighting, poles)
    assert not Disbursement.objects.exists()
    attest(poles, inspector)
    paid = Disbursement.objects.get(milestone=poles)
    assert paid.amount_cents == 3_000_000 and paid.entry.kind == "milestone.released"
    assert paid.entry.payload["attestation_leaf"] == (
        bytes(poles.attestation.entry.leaf_hash).hex()
    )
    assert milestones.escrow_cents(lighting) == 5_000_000


def test_attested_but_not_approved_is_not_paid_until_the_proposal_executes(
    admin, ordinance, elections, lighting, poles, inspector
):
    attest(poles, inspector)
    assert milestones.release_if_ready(milestone=poles) == (
        "waiting for the approval proposal to be executed"
    )
    assert not Disbursement.objects.exists()
    fund_and_approve(admin, ordinance, elections, lighting, poles)
    assert Disbursement.objects.filter(milestone=poles).count() == 1


def test_a_defeated_approval_pays_nothing(admin, ordinance, elections, lighting, poles, inspector):
    from governance.services import lifecycle
    from governance.services.proposals import create_proposal
    from tests.governance.helpers import seconds

    attest(poles, inspector)
    proposal = create_proposal(
        proposer=admin,
        proposal_type=ordinance,
        title="Pay for the poles",
        summary="Release the first payment.",
        vote_type="for_against_abstain",
        actions=[ActionInput(Kind.RELEASE_MILESTONE, milestone=poles)],
        now=T0,
    )
    lifecycle.advance(proposal=proposal, now=proposal.vote_start)
    proposal.refresh_from_db()
    lifecycle.advance(proposal=proposal, now=proposal.vote_end)
    elections.publish(proposal, {"for": 5, "against": 20, "abstain": 0})
    assert lifecycle.advance(proposal=proposal, now=proposal.vote_end + seconds(1)).state == (
        "defeated"
    )
    with pytest.raises(WrongState):
        run_actions(proposal=proposal)
    assert not Disbursement.objects.exists()


def test_without_enough_escrow_the_payment_waits_for_an_allocation(
    admin, ordinance, elections, lighting, poles, inspector
):
    fund_and_approve(admin, ordinance, elections, lighting, poles, amount=1_000_000)
    attest(poles, inspector)
    assert not Disbursement.objects.exists()
    assert "escrow holds 1000000 of 3000000" in milestones.release_if_ready(milestone=poles)
    top_up = executed(
        admin,
        ordinance,
        elections,
        title="Top up",
        actions=[ActionInput(Kind.ALLOCATE_BUDGET, project=lighting, amount_cents=2_000_000)],
    )
    run_actions(proposal=top_up)
    assert Disbursement.objects.get(milestone=poles).amount_cents == 3_000_000
    assert milestones.escrow_cents(lighting) == 0


def test_a_milestone_is_paid_exactly_once(admin, ordinance, elections, lighting, poles, inspector):
    fund_and_approve(admin, ordinance, elections, lighting, poles)
    attest(poles, inspector)
    for _ in range(3):
        assert milestones.release_if_ready(milestone=poles) == "already released"
    assert Disbursement.objects.filter(milestone=poles).count() == 1
    assert Entry.objects.filter(kind="milestone.released").count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Disbursement.objects.create(
            milestone=poles, amount_cents=1, created_at=T0, entry=Entry.objects.last()
        )


def test_a_milestone_cannot_be_put_to_a_second_approval_once_approved(
    admin, ordinance, elections, lighting, poles
):
    fund_and_approve(admin, ordinance, elections, lighting, poles)
    poles.refresh_from_db()
    with pytest.raises(Invalid, match="already approved"):
        executed(
            admin,
            ordinance,
            elections,
            actions=[ActionInput(Kind.RELEASE_MILESTONE, milestone=poles)],
        )


# --- inspectors' sign-offs ---------------------------------------------------------------------


def test_the_attestation_message_is_the_documented_canonical_form(poles):
    message = signing.attestation_message(statement_for(poles))
    assert message.startswith(b'polity-milestone-attestation-v1\n{"amount_cents":3000000,')
    assert message.endswith(
        b'"result":"delivered","site":"' + settings.POLITY_DOMAIN.encode() + b'"}'
    )


def test_an_accepted_sign_off_is_anchored(poles, inspector):
    attestation = attest(poles, inspector)
    assert attestation.inspector.key_id == "insp-7"
    assert attestation.entry.kind == "milestone.attested"
    assert attestation.entry.payload["statement"]["milestone"] == poles.pk


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"amount_cents": 3_000_001}, "amount_cents"),
        ({"site": "other-city.example"}, "site"),
        ({"inspector": "insp-8"}, "not registered"),
    ],
)
def test_sign_offs_for_something_else_are_refused(poles, inspector, change, reason):
    with pytest.raises(EvidenceRejected, match=reason):
        attest(poles, inspector, **change)
    assert not Attestation.objects.exists()


def test_a_sign_off_by_an_unregistered_key_is_refused(poles, inspector):
    impostor, _ = new_key()
    statement = statement_for(poles)
    with pytest.raises(EvidenceRejected, match="does not verify"):
        evidence.attest_by_inspector(
            milestone=poles,
            statement=statement,
            signature=signing.sign_statement(impostor, statement),
        )


def test_a_malformed_statement_is_refused(poles, inspector):
    with pytest.raises(Invalid, match="exactly"):
        attest(poles, inspector, extra="field")
    with pytest.raises(Invalid, match="result"):
        attest(poles, inspector, result="mostly done")


def test_a_second_sign_off_is_refused(poles, inspector):
    attest(poles, inspector)
    with pytest.raises(Conflict, match="already"):
        attest(poles, inspector, inspected_at="2026-03-02T08:45:00Z")


def test_an_inspector_cannot_attest_a_device_milestone(lighting, inspector):
    lights = lighting.milestones.get(position=2)
    with pytest.raises(WrongState, match="devices"):
        attest(lights, inspector)


def test_project_rules_are_checked(admin):
    contractor, operator, _ = partners()
    base = {
        "by": admin,
        "title": "Benches",
        "description": "New benches",
        "contractor": contractor,
        "contract_reference": "C-1",
        "budget_cents": 100,
        "milestones": [project_services.MilestoneInput("All", 101, "inspector")],
    }
    with pytest.raises(Invalid, match="over the budget"):
        project_services.create_project(**base)
    with pytest.raises(Invalid, match="not a contractor"):
        project_services.create_project(**{**base, "contractor": operator})
    with pytest.raises(Invalid, match="device_quorum_bps"):
        project_services.create_project(
            **{
                **base,
                "milestones": [
                    project_services.MilestoneInput("All", 50, "devices", device_metric="working")
                ],
            }
        )


def test_the_inspectors_command_signs_a_statement_the_server_accepts(poles, inspector, tmp_path):
    import io
    import json

    from django.core.management import call_command

    from governance.device_keys import private_hex

    key_file = tmp_path / "insp.key"
    key_file.write_text(private_hex(inspector) + "\n")
    out = io.StringIO()
    call_command(
        "sign_attestation",
        "--milestone", str(poles.pk),
        "--project", str(poles.project_id),
        "--amount-cents", str(poles.amount_cents),
        "--inspector", "insp-7",
        "--key-file", str(key_file),
        stdout=out,
    )  # fmt: skip
    body = json.loads(out.getvalue())
    attestation = evidence.attest_by_inspector(
        milestone=poles, statement=body["statement"], signature=body["signature"]
    )
    assert attestation.inspector.key_id == "insp-7"


# --- allocations stay within the contract value ----------------------------------------------


def allocate(lighting, amount):
    return [ActionInput(Kind.ALLOCATE_BUDGET, project=lighting, amount_cents=amount)]


def test_an_allocation_beyond_the_unallocated_contract_value_is_refused_at_publication(
    admin, ordinance, elections, lighting
):
    with pytest.raises(Invalid, match="more than the 10000000 cents"):
        executed(admin, ordinance, elections, actions=allocate(lighting, 10_000_001))
    run_actions(
        proposal=executed(admin, ordinance, elections, actions=allocate(lighting, 8_000_000))
    )
    with pytest.raises(Invalid, match="more than the 2000000 cents"):
        executed(admin, ordinance, elections, title="More", actions=allocate(lighting, 2_000_001))
    executed(admin, ordinance, elections, title="The rest", actions=allocate(lighting, 2_000_000))


def test_an_allocation_that_no_longer_fits_when_it_runs_is_refused_once_and_anchored(
    admin, ordinance, elections, lighting
):
    """Both fit when published; the second to run would exceed the contract value."""
    first = executed(admin, ordinance, elections, actions=allocate(lighting, 8_000_000))
    second = executed(
        admin, ordinance, elections, title="Again", actions=allocate(lighting, 8_000_000)
    )
    run_actions(proposal=first)
    [result] = run_actions(proposal=second)
    assert result.startswith("refused: 8000000 cents is more than the 2000000 cents")
    assert list(Allocation.objects.values_list("proposal", flat=True)) == [first.pk]
    assert milestones.escrow_cents(lighting) == 8_000_000
    refusal = Entry.objects.get(kind="project.allocation-refused")
    assert refusal.payload["proposal"] == second.pk
    assert refusal.payload["unallocated_cents"] == 2_000_000
    entries = Entry.objects.count()
    assert run_actions(proposal=second) == []  # done: a redelivered task does nothing
    assert ProposalAction.objects.get(proposal=second).result == result
    assert Entry.objects.count() == entries


def test_a_participatory_budget_option_beyond_the_projects_contract_value_is_refused(
    admin, elections, lighting
):
    from governance.services.proposals import OptionInput, create_proposal
    from tests.governance.helpers import proposal_type

    other = project_services.create_project(
        by=admin,
        title="Street lighting, Old Town",
        description="Connected LED lights.",
        contractor=Partner.objects.get(role=Partner.Role.CONTRACTOR),
        contract_reference="PPP-2026-008",
        budget_cents=10_000_000,
        milestones=[project_services.MilestoneInput("Done", 10_000_000, "inspector")],
        now=T0,
    )
    values = {
        "proposer": admin,
        "proposal_type": proposal_type("budget"),
        "title": "Lights budget",
        "summary": "Which lights first?",
        "vote_type": "budget",
        "budget_cents": 30_000_000,
        "budget_points": 10,
        "points_cap": 6,
        "now": T0,
    }
    too_much = [
        OptionInput("Harbour", project=lighting, amount_cents=10_000_001),
        OptionInput("Other", project=other, amount_cents=10_000_000),
    ]
    with pytest.raises(Invalid, match="options: 10000001 cents"):
        create_proposal(**values, options=too_much)
    fits = [OptionInput(o.label, project=o.project, amount_cents=10_000_000) for o in too_much]
    assert create_proposal(**values, options=fits).options.count() == 2
