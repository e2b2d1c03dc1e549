"""Malformed and malicious identity requests: a 4xx with a reason, and nothing stored.

Each case was a server error before (found by fuzzing the API with schemathesis and by hand).
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from identity.census import CensusImportError, parse_census
from identity.models import CensusRecord, VerificationRequest

from .conftest import census_csv

pytestmark = pytest.mark.django_db
HEADER = "document_number,district,birth_date\n"


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["status"] == status and error["code"] and error["reason"]
    return error


@pytest.mark.parametrize("district", ["²", "\u0661", "9" * 5000, "-1", "0x1"])
def test_a_census_district_that_is_not_plain_digits_is_refused_by_line(district):
    with pytest.raises(CensusImportError) as refused:
        parse_census((HEADER + f"X1234567A,{district},1990-04-01\n").encode())
    assert refused.value.errors == ["line 2: district must be a district number"]


def test_a_census_file_with_such_a_district_is_a_400_and_stores_nothing(client, official):
    client.force_login(official)
    data = census_csv([("X1234567A", 1, "1990-04-01")]) + "Y7654321B,²,1990-04-01\n".encode()
    response = client.post("/api/identity/census", {"file": SimpleUploadedFile("c.csv", data)})
    assert error_of(response, 400)["fields"] == {
        "file": ["line 3: district must be a district number"]
    }
    assert not CensusRecord.objects.exists()


@pytest.mark.parametrize("handler", ["census", "manual"])
@pytest.mark.parametrize(
    ("details", "field"),
    [
        ({"document_number": "X1234567A", "birth_date": {"y": 1990}, "district": 1}, "birth_date"),
        ({"document_number": ["X1234567A"], "birth_date": "1990-04-01", "district": 1}, None),
        ({"document_number": "X1234567A", "birth_date": 19900401, "district": 1}, "birth_date"),
    ],
)
def test_verification_details_of_the_wrong_json_type_are_a_400(
    client, citizen, census, handler, details, field
):
    client.force_login(citizen)
    url = f"/api/identity/verification/{handler}"
    response = client.post(url, json.dumps(details), content_type="application/json")
    error = error_of(response, 400)
    assert field is None or field in error["fields"]
    assert not VerificationRequest.objects.exists()


def test_verification_details_that_are_not_an_object_are_a_400(client, citizen, census):
    client.force_login(citizen)
    url = "/api/identity/verification/manual"
    assert (
        "JSON object"
        in error_of(client.post(url, "[1, 2]", content_type="application/json"), 400)["reason"]
    )


def test_a_note_with_a_lone_surrogate_is_a_400_and_stores_nothing(client, citizen, districts):
    client.force_login(citizen)
    body = '{"document_number": "X1234567A", "birth_date": "1990-04-01", "district": 1, '
    body += '"note": "\\ud800"}'
    response = client.post(
        "/api/identity/verification/manual", body, content_type="application/json"
    )
    assert "lone surrogate" in error_of(response, 400)["reason"]
    assert not VerificationRequest.objects.exists()


def test_a_deeply_nested_presentation_on_the_verifier_page_is_refused_as_text(client):
    body = {"nonce": "n", "presentation": "[" * 9000 + "]" * 9000}
    response = client.post("/id/verifier/", body)
    assert response.status_code == 400
    assert "not valid JSON" in response.content.decode()
