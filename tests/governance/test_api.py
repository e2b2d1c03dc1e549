"""The governance API: every malformed request is a 4xx JSON error with a reason, nothing is
half-stored, and the endpoints are in the OpenAPI schema."""

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from governance import signing
from governance.models import CityService, DeviceReading, Feedback, Partner, Project, Proposal
from governance.services import projects as project_services
from ledger.models import Entry
from tests.governance.helpers import (
    T0,
    executed,
    initiative_policy,
    make_admin,
    new_key,
    reading,
    street_lighting,
)

pytestmark = pytest.mark.django_db
API = "/api/governance/"


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def error_of(response, status):
    assert response.status_code == status, response.content
    body = response.json()["error"]
    assert body["status"] == status and body["reason"]
    return body


def test_every_endpoint_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = [p for p in schema["paths"] if p.startswith("/api/governance/")]
    for expected in (
        "proposals",
        "proposals/{id}",
        "proposals/{id}/cancel",
        "proposals/{id}/execute",
        "initiatives/{id}/support",
        "projects/{id}",
        "devices/readings",
        "milestones/{id}/attestations",
        "feedback/{id}/moderate",
        "feedback/{id}/verify",
        "spending",
    ):
        assert API + expected in paths


def test_publish_a_proposal_and_read_its_timeline(admin, ordinance, elections):
    response = client_for(admin).post(
        API + "proposals",
        {
            "title": "Ban leaf blowers",
            "summary": "Petrol leaf blowers are banned in residential streets.",
            "proposal_type": "ordinance",
            "vote_type": "for_against_abstain",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "pending" and body["parameters"]["quorum_bps"] == 1000
    assert [e["kind"] for e in body["timeline"]] == ["proposal.created"]
    assert body["timeline"][0]["index"] is None  # not sequenced yet
    listed = client_for().get(API + "proposals", {"q": "leaf", "state": "pending"}).json()
    assert [p["id"] for p in listed["results"]] == [body["id"]]
    assert client_for().get(API + "proposals", {"q": "tram"}).json()["count"] == 0


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({}, 400, "title"),
        (
            {"title": "T", "summary": "S", "proposal_type": "nope", "vote_type": "approval"},
            400,
            "proposal_type",
        ),
        (
            {"title": "T", "summary": "S", "proposal_type": "ordinance", "vote_type": "ranked"},
            400,
            "vote_type",
        ),
        (
            {
                "title": "T",
                "summary": "S",
                "proposal_type": "ordinance",
                "vote_type": "approval",
                "options": [{"label": "A"}, {"label": "A"}],
            },
            400,
            None,
        ),
        (
            {
                "title": "T",
                "summary": "S",
                "proposal_type": "ordinance",
                "vote_type": "for_against_abstain",
                "actions": [{"kind": "fly"}],
            },
            400,
            "actions",
        ),
        (
            {
                "title": "T",
                "summary": "S",
                "proposal_type": "ordinance",
                "vote_type": "for_against_abstain",
                "actions": [{"kind": "allocate_budget", "project": 999}],
            },
            400,
            "actions",
        ),
        (
            {
                "title": "T",
                "summary": "S",
                "proposal_type": "ordinance",
                "vote_type": "for_against_abstain",
                "vote_start": "yesterday",
            },
            400,
            "vote_start",
        ),
    ],
)
def test_malformed_proposals_are_refused_with_a_reason(
    admin, ordinance, elections, body, status, field
):
    error = error_of(client_for(admin).post(API + "proposals", body, format="json"), status)
    if field:
        assert field in error["fields"] or error["reason"].startswith(field)
    assert not Proposal.objects.exists() and not Entry.objects.exists()


def test_citizens_and_strangers_cannot_publish(residents, ordinance, elections):
    body = {
        "title": "T",
        "summary": "S",
        "proposal_type": "ordinance",
        "vote_type": "for_against_abstain",
    }
    assert error_of(client_for(residents[0]).post(API + "proposals", body, format="json"), 403)
    assert error_of(client_for().post(API + "proposals", body, format="json"), 403)


def test_a_body_that_is_not_json_is_refused(admin, ordinance, elections):
    response = client_for(admin).post(
        API + "proposals", "{not json", content_type="application/json"
    )
    error_of(response, 400)


def test_executing_twice_is_a_409_and_an_unknown_proposal_a_404(admin, ordinance, elections):
    proposal = executed(admin, ordinance, elections)
    error = error_of(client_for(admin).post(API + f"proposals/{proposal.pk}/execute"), 409)
    assert "Queued" in error["reason"] and error["code"] == "wrong_state"
    error_of(client_for(admin).post(API + "proposals/99999/execute"), 404)


def test_council_cancel_needs_a_reason(admin, ordinance, elections):
    proposal = (
        client_for(admin)
        .post(
            API + "proposals",
            {
                "title": "T",
                "summary": "S",
                "proposal_type": "ordinance",
                "vote_type": "for_against_abstain",
            },
            format="json",
        )
        .json()
    )
    other_admin = make_admin("c2")
    error = error_of(
        client_for(other_admin).post(API + f"proposals/{proposal['id']}/cancel", {}), 400
    )
    assert "public reason" in error["reason"]
    done = client_for(other_admin).post(
        API + f"proposals/{proposal['id']}/cancel", {"reason": "Duplicate of #4"}
    )
    assert done.status_code == 200 and done.json()["state"] == "canceled"


# --- devices and inspectors ---------------------------------------------------------------------


@pytest.fixture
def lighting(admin):
    return street_lighting(admin)


def test_a_device_posts_signed_readings_without_a_session(admin, lighting):
    key, public = new_key()
    registered = client_for(admin).post(
        API + f"projects/{lighting.pk}/devices",
        {"device_id": "lamp-1", "kind": "street_light", "public_key": public},
        format="json",
    )
    assert registered.status_code == 201
    from django.utils import timezone

    now = timezone.now().replace(microsecond=0)
    good = reading(key, "lamp-1", 1, now)
    response = client_for().post(API + "devices/readings", good, format="json")
    assert response.status_code == 201, response.content
    error = error_of(client_for().post(API + "devices/readings", good, format="json"), 409)
    assert "replayed" in error["reason"]
    forged = {**reading(key, "lamp-1", 2, now), "metrics": {"working": False}}
    error = error_of(client_for().post(API + "devices/readings", forged, format="json"), 422)
    assert error["code"] == "evidence_rejected"
    error_of(client_for().post(API + "devices/readings", {"device": "lamp-1"}, format="json"), 400)
    error_of(client_for().post(API + "devices/readings", [1, 2], format="json"), 400)
    assert DeviceReading.objects.count() == 1


def test_an_inspector_posts_a_signed_sign_off(admin, lighting):
    body = Partner.objects.get(role=Partner.Role.INSPECTION)
    key, public = new_key()
    client_for(admin).post(
        API + "inspectors",
        {"partner": body.pk, "key_id": "insp-1", "public_key": public},
        format="json",
    )
    milestone = lighting.milestones.get(position=1)
    statement = {
        "site": settings.POLITY_DOMAIN,
        "project": lighting.pk,
        "milestone": milestone.pk,
        "amount_cents": milestone.amount_cents,
        "inspector": "insp-1",
        "inspected_at": "2026-03-01T10:00:00Z",
        "result": "delivered",
        "report_sha256": "",
    }
    url = API + f"milestones/{milestone.pk}/attestations"
    wrong = {"statement": statement, "signature": signing.sign_statement(new_key()[0], statement)}
    error_of(client_for().post(url, wrong, format="json"), 422)
    good = {"statement": statement, "signature": signing.sign_statement(key, statement)}
    response = client_for().post(url, good, format="json")
    assert response.status_code == 201 and len(response.json()["leaf_hash"]) == 64
    detail = client_for().get(API + f"projects/{lighting.pk}").json()
    assert detail["milestones"][0]["status"] == "attested"
    assert detail["milestones"][0]["attestation"]["kind"] == "milestone.attested"


def test_project_creation_validates_nested_milestones(admin):
    contractor = Partner.objects.create(name="Builder", role=Partner.Role.CONTRACTOR)
    body = {
        "title": "Bike lanes",
        "description": "Protected lanes",
        "contractor": contractor.pk,
        "contract_reference": "C-9",
        "budget_cents": 1000,
        "milestones": [{"title": "Paint", "amount_cents": 0, "evidence": "inspector"}],
    }
    error = error_of(client_for(admin).post(API + "projects", body, format="json"), 400)
    assert "milestones" in error["fields"]
    body["milestones"][0]["amount_cents"] = 500
    assert (
        client_for(residents_free_admin := admin)
        .post(API + "projects", body, format="json")
        .status_code
        == 201
    )
    assert Project.objects.count() == 1 and residents_free_admin


# --- initiatives and feedback ---------------------------------------------------------------------


def test_support_and_withdraw_over_http(residents):
    initiative_policy(debate=3, response=4)
    created = client_for(residents[0]).post(
        API + "initiatives",
        {"title": "Night buses", "text": "Run line 4 all night."},
        format="json",
    )
    assert created.status_code == 201
    url = API + f"initiatives/{created.json()['id']}/support"
    supported = client_for(residents[1]).post(url)
    assert supported.status_code == 201 and len(supported.json()["commitment"]) == 64
    error_of(client_for(residents[1]).post(url), 409)
    assert client_for(residents[1]).delete(url).status_code == 200
    error_of(client_for(residents[1]).delete(url), 409)
    error_of(client_for().post(url), 403)


def test_feedback_explorer_hides_moderated_text_and_checks_openings(residents, admin):
    CityService.objects.create(key="buses", name="Buses")
    posted = client_for(residents[0]).post(
        API + "feedback",
        {"target": "service", "target_id": "buses", "rating": 2, "text": "Line 4 is always late."},
        format="json",
    )
    assert posted.status_code == 201
    opening = posted.json()["opening"]
    item_id = posted.json()["id"]
    error_of(
        client_for(residents[0]).post(
            API + "feedback",
            {"target": "service", "target_id": "trams", "rating": 2},
            format="json",
        ),
        404,
    )
    error_of(
        client_for(residents[0]).post(
            API + "feedback", {"target": "proposal", "target_id": "x", "rating": 2}, format="json"
        ),
        400,
    )
    error_of(
        client_for(residents[1]).post(
            API + f"feedback/{item_id}/moderate", {"reason": "no"}, format="json"
        ),
        403,
    )
    hidden = client_for(admin).post(
        API + f"feedback/{item_id}/moderate", {"reason": "Off topic"}, format="json"
    )
    assert hidden.status_code == 200 and hidden.json()["text"] is None
    listed = client_for().get(API + "feedback", {"target": "service", "target_id": "buses"}).json()
    assert listed["results"][0]["moderation_reason"] == "Off topic"
    assert listed["results"][0]["text"] is None
    assert "late" not in str(listed)
    assert client_for().get(API + "feedback", {"q": "late"}).json()["count"] == 0
    check = client_for().post(API + f"feedback/{item_id}/verify", opening, format="json")
    assert check.json()["matches"] is True
    forged = {**opening, "text": "Line 4 is great."}
    assert (
        client_for()
        .post(API + f"feedback/{item_id}/verify", forged, format="json")
        .json()["matches"]
        is False
    )
    error_of(client_for().get(API + "feedback", {"rating": 9}), 400)
    assert Feedback.objects.count() == 1


def test_readings_in_the_future_relative_to_the_server_are_refused(admin, lighting):
    key, public = new_key()
    project_services.register_device(
        by=admin, project=lighting, device_id="lamp-9", kind="street_light", public_key=public
    )
    future = reading(key, "lamp-9", 1, T0.replace(year=2099))
    error = error_of(client_for().post(API + "devices/readings", future, format="json"), 400)
    assert "future" in error["reason"]


def test_a_proposal_can_answer_an_initiative_that_moved_forward(
    admin, ordinance, elections, residents
):
    from governance.services import initiatives

    initiative_policy(debate=1, response=2)
    initiative = initiatives.create_initiative(
        author=residents[0], title="Night buses", text="Run line 4 all night."
    )
    body = {
        "title": "Night buses on line 4",
        "summary": "A one-year trial.",
        "proposal_type": "ordinance",
        "vote_type": "for_against_abstain",
        "initiative": initiative.pk,
    }
    refused = client_for(admin).post(API + "proposals", body, format="json")
    assert "initiative" in error_of(refused, 400)["fields"]  # still collecting supports
    initiatives.support_initiative(initiative=initiative, user=residents[1])
    created = client_for(admin).post(API + "proposals", body, format="json")
    assert created.status_code == 201 and created.json()["initiative"] == initiative.pk
    page = client_for().get(f"/proposals/initiatives/{initiative.pk}/").content.decode()
    assert "Night buses on line 4" in page
