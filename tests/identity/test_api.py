"""The identity API for citizens and officials: status codes, permissions and error reasons."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from identity import selectors
from identity.models import CensusRecord, VerificationRequest
from tests.identity.conftest import CENSUS_ROWS, census_csv


def error(response, status):
    assert response.status_code == status, response.content
    body = response.json()["error"]
    assert body["status"] == status and body["reason"]
    return body


def test_anonymous_callers_get_403_with_a_reason(client, db):
    for path in ["/api/identity/verification", "/api/identity/credential"]:
        error(client.get(path), 403)


def test_state_lists_the_handlers(client, citizen):
    client.force_login(citizen)
    state = client.get("/api/identity/verification").json()
    assert state["verified"] is False and state["credential"] is None
    assert [h["name"] for h in state["handlers"]] == ["census", "manual"]


def test_census_match_via_the_api(client, citizen, census):
    client.force_login(citizen)
    response = client.post(
        "/api/identity/verification/census",
        {"document_number": "Z0000001C", "birth_date": "1975-07-15", "district": 3},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    state = response.json()
    assert state["verified"] is True and state["residency"]["district"] == 3
    assert state["credential"]["state"] == "valid"
    credential = client.get("/api/identity/credential").json()
    assert credential["credentialSubject"]["district"] == 3


def test_api_refusals_and_validation_errors(client, citizen, census):
    client.force_login(citizen)
    url = "/api/identity/verification/census"
    body = error(client.post(url, {"district": 3}, content_type="application/json"), 400)
    assert set(body["fields"]) == {"document_number", "birth_date"}
    body = error(
        client.post(
            url,
            {"document_number": "Z0000001C", "birth_date": "1975-07-16", "district": 3},
            content_type="application/json",
        ),
        400,
    )
    assert body["code"] == "refused" and "No census record" in body["reason"]
    error(client.post("/api/identity/verification/unknown", {}), 404)
    error(client.get("/api/identity/credential"), 404)


def test_census_match_throttling_is_429(client, citizen, census, settings):
    settings.AUTH_THROTTLE_ATTEMPTS = 1
    client.force_login(citizen)
    wrong = {"document_number": "Z0000001C", "birth_date": "1975-07-16", "district": 3}
    client.post("/api/identity/verification/census", wrong, content_type="application/json")
    body = error(
        client.post("/api/identity/verification/census", wrong, content_type="application/json"),
        429,
    )
    assert body["code"] == "throttled"


def test_manual_review_via_the_api(client, citizen, official, districts):
    client.force_login(citizen)
    response = client.post(
        "/api/identity/verification/manual",
        {
            "document_number": "R1231231",
            "birth_date": "1960-05-05",
            "district": "1",
            "document": SimpleUploadedFile("id.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 32),
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["latest_request"]["status"] == "pending"
    error(client.get("/api/identity/verification/requests"), 403)
    client.force_login(official)
    [pending] = client.get("/api/identity/verification/requests").json()
    assert pending["has_document"] is True
    document = client.get(f"/api/identity/verification/requests/{pending['id']}/document")
    assert document.status_code == 200 and document["Content-Type"] == "image/jpeg"
    decision = f"/api/identity/verification/requests/{pending['id']}/decision"
    body = error(client.post(decision, {"approve": "maybe"}, content_type="application/json"), 400)
    assert "approve" in body["fields"]
    response = client.post(decision, {"approve": True}, content_type="application/json")
    assert response.json()["status"] == "approved"
    assert response.json()["has_document"] is False
    assert selectors.active_residency(citizen).district.number == 1
    error(client.post(decision, {"approve": True}, content_type="application/json"), 400)


def test_census_import_api(client, official, citizen, districts):
    url = "/api/identity/census"
    client.force_login(citizen)
    error(client.post(url, {"file": SimpleUploadedFile("c.csv", census_csv(CENSUS_ROWS))}), 403)
    client.force_login(official)
    error(client.post(url, {}), 400)
    bad = census_csv([("A1111111", 1, "1980-01-01"), ("B2222222", 4, "1980-01-01")])
    body = error(client.post(url, {"file": SimpleUploadedFile("c.csv", bad)}), 400)
    assert body["fields"]["file"] == ["line 3: there is no district 4"]
    assert not CensusRecord.objects.exists()
    response = client.post(url, {"file": SimpleUploadedFile("c.csv", census_csv(CENSUS_ROWS))})
    assert response.status_code == 201
    assert response.json() == {"created": 3, "updated": 0, "unchanged": 0, "reverified": 0}


@pytest.mark.parametrize(
    ("action", "reason", "state"),
    [("suspend", "", "suspended"), ("revoke", "Fraud", "revoked")],
)
def test_status_changes_via_the_api(client, official, resident, action, reason, state):
    credential = selectors.current_credential(resident)
    url = f"/api/identity/credentials/{credential.credential_id}/status"
    client.force_login(official)
    response = client.post(
        url, {"action": action, "reason": reason}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == state
    again = client.post(url, {"action": action, "reason": reason}, content_type="application/json")
    assert error(again, 400)["code"] == "refused"


def test_status_change_validation(client, official, resident):
    credential = selectors.current_credential(resident)
    url = f"/api/identity/credentials/{credential.credential_id}/status"
    client.force_login(official)
    assert (
        "action"
        in error(client.post(url, {"action": "explode"}, content_type="application/json"), 400)[
            "fields"
        ]
    )
    body = error(client.post(url, {"action": "revoke"}, content_type="application/json"), 400)
    assert "reason" in body["reason"]
    error(
        client.post(
            "/api/identity/credentials/00000000-0000-4000-8000-000000000000/status",
            {"action": "suspend"},
            content_type="application/json",
        ),
        404,
    )


def test_renewal_refused_while_valid(client, resident):
    client.force_login(resident)
    body = error(client.post("/api/identity/credential/renewal"), 400)
    assert "already have a valid credential" in body["reason"]


def test_residents_listing_for_officials(client, official, resident):
    client.force_login(official)
    [row] = client.get("/api/identity/residents").json()
    assert row["alias"] == resident.public_alias and row["district"] == 1
    assert row["credentials"][0]["state"] == "valid"
    assert "username" not in row and "email" not in str(row)


def test_schema_lists_the_identity_api(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in [
        "/api/identity/verification/{handler}",
        "/api/identity/census",
        "/api/identity/credential",
        "/api/identity/presentations/verify",
        "/api/identity/status-lists/{purpose}/{number}",
        "/.well-known/did.json",
    ]:
        assert path in schema, path


def test_pending_manual_requests_are_unique_per_account_in_the_database(citizen, districts):
    from django.db import IntegrityError, transaction

    fields = {"user": citizen, "document_hash": "0" * 64, "district": districts[1]}
    VerificationRequest.objects.create(birth_date="1990-01-01", **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        VerificationRequest.objects.create(birth_date="1990-01-01", **fields)
