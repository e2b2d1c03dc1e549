"""Malformed and malicious ballots: a 4xx with a reason, and nothing stored.

A ballot may be sent as an object or as a JSON text; the text used to reach ``json.loads``
unbounded, where a deeply nested one crashed the process (see ``polity.inputs``).
"""

import json

import pytest

from ledger.models import Entry
from voting import services
from voting.models import AuditedBallot, Ballot
from voting.services.errors import Invalid

from .factories import ballot_for, open_election_with

pytestmark = pytest.mark.django_db
DEEP = "[" * 100_000 + "]" * 100_000


@pytest.fixture
def open_election():
    return open_election_with(voters=2, trustees=1, threshold=1)


def post(client, url: str, body: str):
    return client.post(url, body, content_type="application/json")


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["status"] == status and error["code"] and error["reason"]
    return error


def test_a_deeply_nested_ballot_text_is_refused_by_the_service(open_election):
    election, citizens, _ = open_election
    with pytest.raises(Invalid, match="ballot is not valid JSON: JSON nested more than"):
        services.cast_ballot(election=election, user=citizens[0], payload=DEEP)
    assert not Ballot.objects.exists()


def test_a_deeply_nested_ballot_text_over_http_is_a_400_and_stores_nothing(client, open_election):
    election, citizens, _ = open_election
    client.force_login(citizens[0])
    entries = Entry.objects.count()
    url = f"/api/elections/{election.pk}/ballots"
    response = post(client, url, json.dumps({"ballot": DEEP}))
    assert "nested more than" in error_of(response, 400)["reason"]
    assert not Ballot.objects.exists() and Entry.objects.count() == entries


def test_a_ballot_with_a_duplicated_key_is_a_400(client, open_election):
    election, citizens, _ = open_election
    client.force_login(citizens[0])
    ballot, _ = ballot_for(election, citizens[0])
    text = json.dumps({"ballot": ballot.to_json()})
    body = text[:-1] + ', "ballot": {}}'  # a second "ballot": which one would be cast?
    response = post(client, f"/api/elections/{election.pk}/ballots", body)
    assert 'duplicate key "ballot"' in error_of(response, 400)["reason"]
    assert not Ballot.objects.exists()


def test_deeply_nested_audit_secrets_sent_as_a_form_are_a_400(client, open_election):
    election, citizens, _ = open_election
    client.force_login(citizens[0])
    ballot, _ = ballot_for(election, citizens[0])
    body = {"ballot": json.dumps(ballot.to_json()), "secrets": "[" * 5000 + "]" * 5000}
    response = client.post(f"/api/elections/{election.pk}/audits", body)
    assert error_of(response, 400)["reason"].startswith("secrets: JSON nested more than")
    assert not AuditedBallot.objects.exists()


def test_the_audited_list_is_documented_as_a_list(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/elections/{id}/audited"]["get"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"]["type"] == (
        "array"
    )
