"""Governance pages: they render for everyone, council forms validate and preview, and public
pages show aliases, never names."""

import pytest
from django.urls import reverse

from governance.models import CityService, Feedback, Initiative, Project, Proposal
from governance.services import feedback as feedback_services
from governance.services import initiatives as initiative_services
from ledger import services as ledger
from tests.governance.helpers import executed, initiative_policy, partners, street_lighting

pytestmark = pytest.mark.django_db


def html(response, status=200):
    assert response.status_code == status, response.content[:2000]
    return response.content.decode()


@pytest.fixture
def named_admin(admin):
    admin.first_name, admin.last_name = "Ada", "Councillor"
    admin.save()
    return admin


def test_public_pages_render_for_anonymous_visitors(client, named_admin, ordinance, elections):
    lighting = street_lighting(named_admin)
    proposal = executed(named_admin, ordinance, elections)
    ledger.sequence_pending()
    for url in (
        reverse("governance:index"),
        reverse("governance:index") + "?q=approve&state=executed&type=ordinance",
        reverse("governance:detail", args=[proposal.pk]),
        reverse("governance:initiatives"),
        reverse("governance-city:projects"),
        reverse("governance-city:project", args=[lighting.pk]),
        reverse("governance-city:feedback") + "?target=project&rating=4&state=hidden&q=x",
    ):
        page = html(client.get(url))
        assert "Councillor" not in page and "Ada" not in page
    detail = html(client.get(reverse("governance:detail", args=[proposal.pk])))
    assert named_admin.public_alias in detail
    assert "build/governance-timeline.js" in detail
    assert 'data-receipt-url="/api/ledger/entries/' in detail
    assert "Queued → Executed" in detail


def test_results_chart_has_a_text_alternative(client, admin, ordinance, elections):
    proposal = executed(admin, ordinance, elections, counts={"for": 7, "against": 3, "abstain": 1})
    page = html(client.get(reverse("governance:detail", args=[proposal.pk])))
    assert 'role="img"' in page
    assert "For: 7; Against: 3; Abstain: 1" in page
    assert "11 of 100 eligible residents took part; the quorum was 10." in page


def test_the_proposal_form_previews_then_publishes(client, admin, ordinance, elections):
    client.force_login(admin)
    form = {
        "title": "Plant 500 street trees",
        "summary": "One tree per 20 m of street in the Harbour district.",
        "proposal_type": "ordinance",
        "vote_type": "for_against_abstain",
        "decision_text": "The council will plant 500 trees this autumn.",
    }
    preview = html(client.post(reverse("governance:new"), {**form, "step": "preview"}))
    assert 'id="preview"' in preview and "Plant 500 street trees" in preview
    assert not Proposal.objects.exists()
    response = client.post(reverse("governance:new"), {**form, "step": "publish"})
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("governance:detail", args=[proposal.pk])
    assert proposal.actions.get().text.startswith("The council will plant")


def test_the_proposal_form_shows_the_services_refusal(client, admin, ordinance, elections):
    client.force_login(admin)
    page = html(
        client.post(
            reverse("governance:new"),
            {
                "title": "Pick a mascot",
                "summary": "Which animal?",
                "proposal_type": "ordinance",
                "vote_type": "single_choice",
                "options": "Heron",
                "step": "publish",
            },
        )
    )
    assert "give between 2 and 20 options" in page
    assert not Proposal.objects.exists()


def test_council_forms_are_refused_to_citizens(client, residents):
    client.force_login(residents[0])
    assert client.get(reverse("governance:new")).status_code == 403
    assert client.get(reverse("governance-city:new-project")).status_code == 403


def test_the_project_form_previews_and_registers_milestones(client, admin):
    contractor, operator, _ = partners()
    client.force_login(admin)
    form = {
        "title": "Harbour lights",
        "description": "LED street lights.",
        "contractor": contractor.pk,
        "operator": operator.pk,
        "contract_reference": "PPP-1",
        "budget": "1000.00",
        "milestones-TOTAL_FORMS": "2",
        "milestones-INITIAL_FORMS": "0",
        "milestones-MIN_NUM_FORMS": "1",
        "milestones-MAX_NUM_FORMS": "50",
        "milestones-0-title": "Installed",
        "milestones-0-amount": "400.00",
        "milestones-0-evidence": "inspector",
        "milestones-1-title": "Working",
        "milestones-1-amount": "600.00",
        "milestones-1-evidence": "devices",
        "milestones-1-device_metric": "working",
        "milestones-1-device_percent": "95",
        "milestones-1-device_window": "86400",
        "milestones-1-device_max_gap": "1800",
    }
    preview = html(client.post(reverse("governance-city:new-project"), {**form, "step": "preview"}))
    assert "1,000.00" in preview and not Project.objects.exists()
    response = client.post(reverse("governance-city:new-project"), {**form, "step": "publish"})
    assert response.status_code == 302
    project = Project.objects.get()
    lights = project.milestones.get(position=2)
    assert (lights.amount_cents, lights.device_quorum_bps, lights.device_max_gap) == (
        60000,
        9500,
        1800,
    )
    too_much = {**form, "milestones-1-amount": "601.00", "step": "publish"}
    page = html(client.post(reverse("governance-city:new-project"), too_much))
    assert "over the budget" in page and Project.objects.count() == 1


def test_residents_support_an_initiative_from_its_page(client, residents):
    initiative_policy(debate=1, response=5)
    client.force_login(residents[0])
    response = client.post(
        reverse("governance:new-initiative"),
        {"title": "Open the pool on Sundays", "text": "From June to August."},
    )
    initiative = Initiative.objects.get()
    assert response.url == reverse("governance:initiative", args=[initiative.pk])
    client.force_login(residents[1])
    client.post(reverse("governance:support", args=[initiative.pk]))
    page = html(client.get(reverse("governance:initiative", args=[initiative.pk])))
    assert "1 resident supports it." in page
    assert "Supports are final once the first threshold is reached." in page
    initiative.refresh_from_db()
    assert initiative.state == Initiative.State.DEBATE


def test_feedback_is_posted_and_moderated_from_the_pages(client, residents, admin):
    waste = CityService.objects.create(key="waste", name="Waste collection")
    client.force_login(residents[0])
    client.post(
        reverse("governance-city:post-feedback"),
        {
            "target": "service",
            "target_id": "waste",
            "rating": "2",
            "text": "Call Bob at 555-0101",
            "next": "/feedback/",
        },
    )
    item = Feedback.objects.get()
    assert item.service == waste
    client.force_login(admin)
    client.post(
        reverse("governance-city:moderate", args=[item.pk]),
        {"reason": "Contains a phone number.", "next": "/feedback/"},
    )
    page = html(client.get(reverse("governance-city:feedback")))
    assert "Contains a phone number." in page and "555-0101" not in page
    assert item.commitment in page
    feedback_services.anchor_pending()
    item.refresh_from_db()
    assert item.entry is not None


def test_an_initiative_reaching_its_threshold_is_anchored(residents):
    initiative_policy(debate=2, response=3)
    initiative = initiative_services.create_initiative(
        author=residents[0], title="Car-free school streets", text="At drop-off times."
    )
    for resident in residents[1:3]:
        initiative_services.support_initiative(initiative=initiative, user=resident)
    initiative.refresh_from_db()
    assert initiative.state == Initiative.State.DEBATE
    assert initiative.anchors.filter(kind="initiative.stage").count() == 1


def test_pages_and_refusals_speak_the_readers_language(client, admin, ordinance, elections):
    page = html(client.get(reverse("governance:index"), HTTP_ACCEPT_LANGUAGE="es"))
    assert "Iniciativas ciudadanas" in page and "Buscar" in page
    client.force_login(admin)
    refused = client.post(
        reverse("governance:new"),
        {
            "title": "T",
            "summary": "S",
            "proposal_type": "ordinance",
            "vote_type": "single_choice",
            "options": "Solo una",
            "step": "publish",
        },
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert "options: indique entre 2 y 20 opciones" in html(refused)


def test_council_registers_partners_and_devices_from_the_pages(client, admin, residents):
    from governance.models import Device, Partner
    from tests.governance.helpers import new_key

    client.force_login(admin)
    client.post(
        reverse("governance-city:new-partner"),
        {"name": "Bright Poles SA", "role": "contractor", "website": "https://poles.example"},
    )
    assert Partner.objects.get(name="Bright Poles SA").role == "contractor"
    lighting = street_lighting(admin)
    _, public = new_key()
    url = reverse("governance-city:register-device", args=[lighting.pk])
    client.post(url, {"device_id": "lamp-77", "kind": "street_light", "public_key": public})
    assert Device.objects.get(device_id="lamp-77").public_key == public
    page = html(
        client.post(url, {"device_id": "lamp-78", "kind": "x", "public_key": public}, follow=True)
    )
    assert "already registered" in page
    client.force_login(residents[0])
    assert (
        client.post(url, {"device_id": "x", "kind": "y", "public_key": public}).status_code == 403
    )


def test_the_proposal_form_builds_a_participatory_budget(client, admin, ordinance, elections):
    lighting = street_lighting(admin)
    client.force_login(admin)
    response = client.post(
        reverse("governance:new"),
        {
            "title": "Share 100,000 between projects",
            "summary": "Residents share 10 points.",
            "proposal_type": "ordinance",
            "vote_type": "budget",
            "budget": "100000.00",
            "budget_points": "10",
            "points_cap": "6",
            "budget_projects": [lighting.pk, street_lighting_two(admin).pk],
            "step": "publish",
        },
    )
    assert response.status_code == 302, html(response)
    proposal = Proposal.objects.get()
    assert (proposal.budget_cents, proposal.budget_points, proposal.points_cap) == (
        10_000_000,
        10,
        6,
    )
    asked = {o.label: o.amount_cents for o in proposal.options.all()}
    assert asked == {"Street lighting, Harbour": 10_000_000, "Benches": 2_000_000}


def street_lighting_two(admin):
    from governance.models import Partner
    from governance.services.projects import MilestoneInput, create_project

    return create_project(
        by=admin,
        title="Benches",
        description="Benches on the square.",
        contractor=Partner.objects.get(role=Partner.Role.CONTRACTOR),
        contract_reference="B-1",
        budget_cents=2_000_000,
        milestones=[MilestoneInput("Installed", 2_000_000, "inspector")],
    )
