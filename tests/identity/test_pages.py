"""The wallet, verifier and verification-office pages, through Django's test client."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from identity import selectors
from identity.issuer import signing_key
from identity.models import VerificationRequest
from identity.presentation import derive_presentation
from tests.identity.conftest import PASSWORD, census_csv

NONCE = "page-nonce-123456"


def test_wallet_asks_anonymous_visitors_to_log_in(client, db):
    html = client.get("/id/").content.decode()
    assert "Log in to get verified" in html
    assert 'href="/id/verifier/"' in html


def test_wallet_offers_both_handlers_before_verification(client, citizen, districts):
    client.force_login(citizen)
    html = client.get("/id/").content.decode()
    assert "Not verified yet" in html
    assert 'action="/id/verify/census/"' in html and 'action="/id/verify/manual/"' in html
    assert "build/wallet.js" not in html  # no credential, no wallet script


def test_census_match_through_the_page(client, citizen, census):
    client.force_login(citizen)
    response = client.post(
        "/id/verify/census/",
        {"document_number": "X1234567A", "birth_date": "1990-04-01", "district": "1"},
        follow=True,
    )
    html = response.content.decode()
    assert "You are verified" in html
    assert "Verified resident" in html
    assert "build/wallet.js" in html
    assert 'data-credential-url="/api/identity/credential"' in html


def test_census_mismatch_on_the_page_is_400_with_the_reason(client, citizen, census):
    client.force_login(citizen)
    response = client.post(
        "/id/verify/census/",
        {"document_number": "X1234567A", "birth_date": "1990-04-02", "district": "1"},
    )
    assert response.status_code == 400
    assert "No census record matches these details" in response.content.decode()


def test_invalid_form_is_400_with_field_errors(client, citizen, census):
    client.force_login(citizen)
    response = client.post("/id/verify/census/", {"document_number": "?", "district": "7"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "4 to 32 letters and digits" in html and "This field is required" in html


def test_unknown_handler_is_404(client, citizen):
    client.force_login(citizen)
    assert client.post("/id/verify/telepathy/", {}).status_code == 404


def test_credential_download_is_the_signed_document(client, resident):
    client.force_login(resident)
    response = client.get("/id/credential.json")
    assert response["Content-Disposition"].startswith("attachment")
    assert json.loads(response.content) == selectors.current_credential(resident).document


def test_manual_request_with_upload_and_rejection_reason_visible(
    client, citizen, official, districts
):
    client.force_login(citizen)
    upload = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n...", content_type="application/pdf")
    response = client.post(
        "/id/verify/manual/",
        {
            "document_number": "Q1112223",
            "birth_date": "1970-01-01",
            "district": "2",
            "note": "Please check",
            "document": upload,
        },
        follow=True,
    )
    assert "An official will review it" in response.content.decode()
    request = VerificationRequest.objects.get(user=citizen)
    client.force_login(official)
    page = client.get("/id/official/").content.decode()
    assert citizen.public_alias in page and "Please check" in page
    assert client.get(f"/id/official/requests/{request.pk}/document/").status_code == 200
    response = client.post(
        f"/id/official/requests/{request.pk}/decision/",
        {"decision": "reject", "reason": ""},
    )
    assert response.status_code == 400
    assert "reason for the rejection" in response.content.decode()
    client.post(
        f"/id/official/requests/{request.pk}/decision/",
        {"decision": "reject", "reason": "Blurry scan"},
    )
    client.force_login(citizen)
    html = client.get("/id/").content.decode()
    assert "Rejected" in html and "Blurry scan" in html


def test_official_pages_need_the_permission(client, citizen, db):
    client.force_login(citizen)
    assert client.get("/id/official/").status_code == 403
    assert client.post("/id/official/census/", {}).status_code == 403


def test_census_upload_page_reports_line_numbers(client, official, districts):
    client.force_login(official)
    bad = census_csv([("A1111111", 1, "1980-01-01"), ("B2222222", 1, "1980-13-01")])
    response = client.post("/id/official/census/", {"file": SimpleUploadedFile("census.csv", bad)})
    assert response.status_code == 400
    assert "line 3: birth_date must be a date" in response.content.decode()
    good = census_csv([("A1111111", 1, "1980-01-01")])
    response = client.post(
        "/id/official/census/", {"file": SimpleUploadedFile("census.csv", good)}, follow=True
    )
    assert "Census imported: 1 new" in response.content.decode()


def test_official_revokes_from_the_page(client, official, resident):
    credential = selectors.current_credential(resident)
    client.force_login(official)
    client.post(
        f"/id/official/credentials/{credential.credential_id}/status/",
        {"action": "revoke", "reason": "Reported stolen"},
    )
    credential.refresh_from_db()
    assert credential.revoked_at is not None
    response = client.post(
        f"/id/official/credentials/{credential.credential_id}/status/",
        {"action": "reissue"},
        follow=True,
    )
    assert "Credential updated" in response.content.decode()
    assert selectors.credential_state(selectors.current_credential(resident)) == "valid"


def test_verifier_page_accepts_and_refuses(client, resident):
    page = client.get("/id/verifier/").content.decode()
    assert 'name="nonce"' in page and "build/verifier.js" in page
    presentation = derive_presentation(
        selectors.current_credential(resident).document,
        public_key=signing_key().public_key,
        disclose=["district", "revocation", "suspension"],
        nonce=NONCE,
    )
    body = {
        "nonce": NONCE,
        "required": ["district"],
        "require_status": "on",
        "presentation": json.dumps(presentation),
    }
    html = client.post("/id/verifier/", body).content.decode()
    assert "Accepted" in html and "Proven attributes" in html
    html = client.post("/id/verifier/", {**body, "nonce": "different-nonce"}).content.decode()
    assert "Refused" in html and "not to your nonce" in html
    response = client.post("/id/verifier/", {**body, "presentation": "{oops"})
    assert response.status_code == 400
    assert "not valid JSON" in response.content.decode()


@pytest.mark.parametrize("path", ["/id/", "/id/verifier/"])
def test_pages_render_in_spanish(client, resident, path):
    client.login(username=resident.username, password=PASSWORD)
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200


def test_a_revoked_credential_cannot_be_presented_from_the_wallet(client, resident, official):
    from identity import services

    services.revoke_credential(
        credential=selectors.current_credential(resident), reason="Lost", by=official
    )
    client.force_login(resident)
    html = client.get("/id/").content.decode()
    assert "Revoked" in html
    assert 'id="presentation-form"' not in html
    assert "Only a valid credential can be presented." in html
