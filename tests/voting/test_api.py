"""The elections API: casting and auditing over HTTP with JSON reasons, receipts, the board,
the admin's lifecycle calls, the trustees' ceremony and decryption, and the OpenAPI schema."""

import json

import pytest

from ledger import services as ledger
from voting import services
from voting.context import election_context
from voting.crypto import (
    EncryptedShare,
    combine_key_share,
    deal_shares,
    generate_trustee,
    partial_decrypt,
    receive_share,
)
from voting.models import Ballot, Election
from voting.services.decryption import encrypted_tally

from .factories import (
    ballot_for,
    cast,
    make_admin,
    make_citizens,
    make_trustees,
    open_election_with,
)
from .pipeline import count_in_process

pytestmark = pytest.mark.django_db


def post(client, url: str, body: object, **extra):
    return client.post(url, json.dumps(body), content_type="application/json", **extra)


def reason(response) -> str:
    body = response.json()
    assert set(body) == {"error"} and {"status", "code", "reason"} <= set(body["error"])
    assert body["error"]["status"] == response.status_code
    return body["error"]["reason"]


@pytest.fixture
def open_election():
    return open_election_with(voters=2, trustees=1, threshold=1)


def test_cast_then_replay_then_receipt(client, open_election):
    election, citizens, _ = open_election
    client.force_login(citizens[0])
    ballot, _ = ballot_for(election, citizens[0])
    url = f"/api/elections/{election.pk}/ballots"
    response = post(client, url, {"ballot": ballot.to_json()})
    assert response.status_code == 201, response.content
    assert response.json()["tracker"] == ballot.tracker
    again = post(client, url, {"ballot": ballot.to_json()})
    assert again.status_code == 409 and "already cast" in reason(again)

    receipt_url = response.json()["receipt_url"]
    assert client.get(receipt_url).status_code == 202
    ledger.sequence_pending()
    receipt = client.get(receipt_url)
    assert receipt.status_code == 200
    assert receipt.content.decode().startswith("c2sp.org/tlog-proof@v1\nextra ")

    board = client.get(f"{url}?tracker={ballot.tracker[:6]}").json()
    assert [b["tracker"] for b in board["results"]] == [ballot.tracker]
    assert client.get(f"{url}?tracker=zzzz").json()["count"] == 0


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ("{nope", 400, "JSON"),
        ({"ballot": {"version": "x"}}, 400, "malformed ballot"),
        ({"ballot": [1]}, 400, "JSON object"),
    ],
)
def test_malformed_casts_get_a_400_with_a_reason_and_store_nothing(
    client, open_election, body, status, words
):
    election, citizens, _ = open_election
    client.force_login(citizens[0])
    url = f"/api/elections/{election.pk}/ballots"
    data = body if isinstance(body, str) else json.dumps(body)
    response = client.post(url, data, content_type="application/json")
    assert response.status_code == status
    assert words in reason(response)
    assert not Ballot.objects.exists()


def test_cast_refusals_over_http(client, open_election):
    election, citizens, _ = open_election
    url = f"/api/elections/{election.pk}/ballots"
    ballot, _ = ballot_for(election, citizens[0])
    assert post(client, url, {"ballot": ballot.to_json()}).status_code == 403  # anonymous
    outsider = make_citizens(1, prefix="late")[0]
    client.force_login(outsider)
    response = post(client, url, {"ballot": ballot.to_json()})
    assert response.status_code == 403 and "voter roll" in reason(response)
    client.force_login(citizens[1])
    response = post(client, url, {"ballot": ballot.to_json()})  # citizen 0's ballot
    assert response.status_code == 422 and "bound to voter" in reason(response)
    services.close_election(election=election)
    client.force_login(citizens[0])
    response = post(client, url, {"ballot": ballot.to_json()})
    assert response.status_code == 409 and "closed" in reason(response)
    assert not Ballot.objects.exists()


def test_audit_over_http_then_the_audited_ballot_cannot_be_cast(client, open_election):
    election, citizens, _ = open_election
    client.force_login(citizens[0])
    ballot, secrets = ballot_for(election, citizens[0], {"c1": {"o2": 1}})
    response = post(
        client,
        f"/api/elections/{election.pk}/audits",
        {"ballot": ballot.to_json(), "secrets": secrets.to_json()},
    )
    assert response.status_code == 201
    assert response.json()["choices"]["c1"] == {"o1": 0, "o2": 1, "o3": 0}
    page = client.get(response.json()["url"])
    assert page.status_code == 200 and "Pond" in page.content.decode()
    cast = post(client, f"/api/elections/{election.pk}/ballots", {"ballot": ballot.to_json()})
    assert cast.status_code == 409 and "audited" in reason(cast)
    listed = client.get(f"/api/elections/{election.pk}/audited").json()
    assert [a["tracker"] for a in listed] == [ballot.tracker]


def test_admin_runs_the_lifecycle_over_the_api_and_others_cannot(client):
    admin = make_admin()
    trustees = make_trustees(2)
    voters = make_citizens(2)
    citizen = make_citizens(1, prefix="nosy")[0]
    client.force_login(citizen)
    assert post(client, "/api/elections/", {"title": "No"}).status_code == 403

    client.force_login(admin)
    response = post(client, "/api/elections/", {"title": "Library hours", "district": 99})
    assert response.status_code == 400 and "district" in reason(response)
    created = post(client, "/api/elections/", {"title": "Library hours"})
    assert created.status_code == 201
    pk = created.json()["id"]
    assert client.get(f"/api/elections/{pk}").json()["state"] == "draft"
    contest = post(
        client,
        f"/api/elections/{pk}/contests",
        {"title": "Open on Sundays?", "options": ["Yes", "No"]},
    )
    assert contest.status_code == 201
    too_many = client.put(
        f"/api/elections/{pk}/trustees",
        json.dumps({"trustees": [t.public_alias for t in trustees], "threshold": 3}),
        content_type="application/json",
    )
    assert too_many.status_code == 400 and "threshold" in reason(too_many)
    assigned = client.put(
        f"/api/elections/{pk}/trustees",
        json.dumps({"trustees": [t.public_alias for t in trustees], "threshold": 2}),
        content_type="application/json",
    )
    assert assigned.status_code == 200
    wrong = post(client, f"/api/elections/{pk}/transitions", {"action": "open"})
    assert wrong.status_code == 409 and "draft" in reason(wrong)
    started = post(client, f"/api/elections/{pk}/transitions", {"action": "start_ceremony"})
    assert started.status_code == 200 and started.json()["state"] == "key_ceremony"

    # The trustees run the ceremony over the API, with the crypto a browser or the CLI uses.
    election = Election.objects.get(pk=pk)
    ceremony = bytes.fromhex(election.ceremony_id)
    kits = {}
    for t in election.trustees.select_related("user"):
        client.force_login(t.user)
        secret, public = generate_trustee(ceremony, t.index, t.user.public_alias, 2)
        response = post(
            client, f"/api/elections/{pk}/ceremony/public", {"public": public.to_json()}
        )
        assert response.status_code == 201, response.content
        kits[t.index] = (t.user, secret, public)
    early = post(client, f"/api/elections/{pk}/ceremony/verdict", {"ok": True})
    assert early.status_code == 409
    publics = [p for _, _, p in kits.values()]
    for user, secret, _ in kits.values():
        client.force_login(user)
        boxes = [b.to_json() for b in deal_shares(ceremony, secret, publics)]
        assert (
            post(client, f"/api/elections/{pk}/ceremony/boxes", {"boxes": boxes}).status_code == 201
        )
    shares = {}
    for index, (user, secret, _) in kits.items():
        client.force_login(user)
        mine = client.get(f"/api/elections/{pk}/ceremony/boxes").json()["boxes"]
        received = {
            b["sender"]: receive_share(
                ceremony, secret, kits[b["sender"]][2], EncryptedShare.from_json(b)
            )
            for b in mine
        }
        shares[index] = combine_key_share(secret, received)
        assert (
            post(client, f"/api/elections/{pk}/ceremony/verdict", {"ok": True}).status_code == 201
        )

    client.force_login(admin)
    for action in ("freeze", "open"):
        response = post(client, f"/api/elections/{pk}/transitions", {"action": action})
        assert response.status_code == 200, response.content
    election.refresh_from_db()
    late = client.put(
        f"/api/elections/{pk}/trustees",
        json.dumps({"trustees": [trustees[0].public_alias], "threshold": 1}),
        content_type="application/json",
    )
    assert late.status_code == 409 and "until the key is frozen" in reason(late)
    assert election.trustees.count() == 2
    cast(election, voters[0], {"c1": {"o2": 1}})
    response = post(client, f"/api/elections/{pk}/transitions", {"action": "close"})
    assert response.status_code == 200, response.content
    count_in_process(election)
    status = client.get(f"/api/elections/{pk}/status").json()
    assert status["state"] == "decrypting" and status["threshold"] == 2

    tally = client.get(f"/api/elections/{pk}/ceremony").json()["tally"]
    assert tally["ballots"] == 1 and tally["contests"][0]["id"] == "c1"
    ctx, enc = election_context(election), encrypted_tally(election)
    for index in (1, 2):
        client.force_login(kits[index][0])
        partial = partial_decrypt(ctx, enc, index, shares[index])
        response = post(client, f"/api/elections/{pk}/decryptions", {"partial": partial.to_json()})
        assert response.status_code == 201
    assert response.json() == {"trustee": 2, "decryptions": 2, "threshold": 2}
    services.publish_result(election=election)
    result = client.get(f"/api/elections/{pk}/result").json()
    assert result["counts"] == {"c1": {"o1": 0, "o2": 1}} and result["ballots"] == 1


def test_partial_decryption_with_a_bad_proof_is_a_422(client):
    election, citizens, kits = open_election_with(voters=1, trustees=2, threshold=2)
    cast(election, citizens[0])
    services.close_election(election=election)
    count_in_process(election)
    partial = partial_decrypt(
        election_context(election), encrypted_tally(election), 1, kits[2].key_share
    )
    client.force_login(kits[1].user)
    response = post(
        client, f"/api/elections/{election.pk}/decryptions", {"partial": partial.to_json()}
    )
    assert response.status_code == 422 and "decryption proof" in reason(response)


def test_the_schema_lists_the_election_endpoints(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    for path in (
        "/api/elections/",
        "/api/elections/{id}/ballots",
        "/api/elections/{id}/audits",
        "/api/elections/{id}/decryptions",
        "/api/elections/{id}/transitions",
        "/api/elections/{id}/ceremony/boxes",
    ):
        assert path in paths, path
    assert "post" in paths["/api/elections/{id}/ballots"]


def test_casting_into_an_election_that_does_not_exist_is_a_404(client, open_election):
    _, citizens, _ = open_election
    client.force_login(citizens[0])
    response = post(client, "/api/elections/999999/ballots", {"ballot": {}})
    assert response.status_code == 404 and reason(response)


def test_the_frozen_roll_is_public_with_aliases_only(client, open_election):
    election, citizens, _ = open_election
    roll = client.get(f"/api/elections/{election.pk}/roll").json()
    aliases = sorted(election.roll.values_list("alias", flat=True))
    assert [v["alias"] for v in roll["voters"]] == aliases
    assert roll["sha256"] == election.roll_digest
    assert all(c.username not in json.dumps(roll) for c in citizens)
