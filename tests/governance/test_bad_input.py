"""Malformed and malicious governance requests: a 4xx with a reason, and nothing stored.

Each case was a server error or a silent answer before (found by fuzzing the API with
schemathesis and by hand).
"""

import pytest
from rest_framework.test import APIClient

from governance.models import Anchor, CityService, Feedback, InitiativeSupport
from governance.services import feedback as feedback_services
from governance.services import initiatives
from governance.services.errors import NotAllowed
from tests.governance.helpers import T0, initiative_policy

pytestmark = pytest.mark.django_db
API = "/api/governance/"


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["status"] == status and error["code"] and error["reason"]
    return error


@pytest.fixture
def initiative(residents):
    initiative_policy(debate=3, response=4)
    created = initiatives.create_initiative(
        author=residents[0], title="Night buses", text="Run line 4 all night.", now=T0
    )
    initiatives.support_initiative(initiative=created, user=residents[1], now=T0)
    return created


@pytest.fixture
def item(residents):
    service = CityService.objects.create(key="buses", name="Buses")
    return feedback_services.post_feedback(
        author=residents[0], target=service, rating=2, text="Line 4 is always late."
    )


def test_withdrawing_a_support_without_signing_in_is_a_403_not_a_server_error(initiative):
    anchors = Anchor.objects.count()
    response = APIClient().delete(API + f"initiatives/{initiative.pk}/support")
    assert "sign in" in error_of(response, 403)["reason"]
    assert Anchor.objects.count() == anchors
    assert InitiativeSupport.objects.filter(withdrawn_at__isnull=True).count() == 1


def test_the_withdraw_service_refuses_an_anonymous_user(initiative):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAllowed, match="sign in"):
        initiatives.withdraw_support(initiative=initiative, user=AnonymousUser())


@pytest.mark.parametrize("target_id", ["²", "9" * 20, str(2**63)])
def test_feedback_filters_with_odd_numbers_find_nothing_instead_of_failing(item, target_id):
    for target in ("proposal", "project"):
        response = APIClient().get(API + "feedback", {"target": target, "target_id": target_id})
        assert response.status_code == 200, response.content
        assert response.json()["count"] == 0
    page = APIClient().get("/feedback/", {"target": "proposal", "target_id": target_id})
    assert page.status_code == 200


@pytest.mark.parametrize("target_id", ["²", "9" * 20])
def test_feedback_on_an_odd_number_is_a_400_and_stores_nothing(residents, item, target_id):
    client = APIClient()
    client.force_login(residents[1])
    body = {"target": "proposal", "target_id": target_id, "rating": 3}
    response = client.post(API + "feedback", body, format="json")
    assert error_of(response, 400)["fields"] == {
        "target_id": ["must be a number for proposals and projects"]
    }
    assert Feedback.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"", "application/json", 400),  # was 200 {"matches": false}
        (b"{}", "application/json", 400),
        (b'{"salt": "00", "text": ""}', "application/json", 400),
        (b"salt=00&text=&version=&rating=null", "application/x-www-form-urlencoded", 415),
        (b"[1, 2]", "application/json", 400),
    ],
)
def test_checking_a_malformed_opening_is_a_4xx_not_a_false_match(item, body, content_type, status):
    response = APIClient().post(API + f"feedback/{item.pk}/verify", body, content_type=content_type)
    error_of(response, status)


def test_a_well_formed_opening_is_still_checked(item):
    opening = feedback_services.opening_of(item)
    url = API + f"feedback/{item.pk}/verify"
    assert APIClient().post(url, opening, format="json").json()["matches"] is True
    forged = {**opening, "rating": 5}
    assert APIClient().post(url, forged, format="json").json()["matches"] is False


@pytest.mark.parametrize("path", ["feedback", "initiatives", "projects", "proposals"])
def test_paged_lists_are_documented_as_pages(client, path):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"][API + path]["get"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    page = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert {"count", "next", "previous", "results"} <= set(page["properties"])
    assert {"limit", "offset"} <= {p["name"] for p in operation["parameters"]}


def test_paged_lists_refuse_malformed_paging(item):
    error = error_of(APIClient().get(API + "feedback", {"limit": "-3"}), 400)
    assert error["reason"].startswith("limit: ")
