"""The public ledger API: shapes, proofs that verify, and a 400 with a reason for bad input."""

import base64

import pytest
import yaml

from ledger import keys, selectors, services
from ledger.merkle import hash_leaf
from ledger.proof_verify import verify_consistency, verify_inclusion
from ledger.verify import receipt_verified, verify_receipt
from tests.ledger.db.helpers import cosign, make_witness

pytestmark = pytest.mark.django_db


@pytest.fixture
def log():
    entries = services.append_many([("test.item", {"n": i}) for i in range(12)])
    services.sequence(batch_size=5)
    services.sequence_pending()
    return entries


def error(response, status: int) -> str:
    assert response.status_code == status, response.content
    body = response.json()["error"]
    assert body["status"] == status and body["reason"]
    return body["reason"]


def test_latest_checkpoint_and_empty_log(client):
    assert "no checkpoint" in error(client.get("/api/ledger/checkpoint"), 404)
    services.append("test.item", {"n": 0})
    services.sequence()
    body = client.get("/api/ledger/checkpoint").json()
    assert body["size"] == 1 and body["witnessed"] is False and body["cosignatures"] == []
    assert body["note"].startswith(f"{keys.origin()}\n1\n")
    assert client.get("/api/ledger/checkpoints/1").json()["root"] == body["root"]
    error(client.get("/api/ledger/checkpoints/2"), 404)


def test_entries_by_range_and_by_index_and_hash(client, log):
    body = client.get("/api/ledger/entries?start=3&end=6").json()
    assert [e["index"] for e in body["entries"]] == [3, 4, 5]
    assert body["next"].endswith("?start=6&end=9")
    first = body["entries"][0]
    assert first["payload"] == {"n": 3}
    assert hash_leaf(base64.b64decode(first["leaf"])).hex() == first["leaf_hash"]
    assert client.get("/api/ledger/entries/3").json() == first
    by_hex = client.get(f"/api/ledger/entries/by-hash/{first['leaf_hash']}").json()
    b64 = base64.b64encode(bytes.fromhex(first["leaf_hash"])).decode()
    by_b64 = client.get(f"/api/ledger/entries/by-hash/{b64}").json()
    assert by_hex == by_b64 == first
    assert client.get("/api/ledger/entries").json()["end"] == 12


def test_pending_entry_is_found_by_hash_without_an_index(client, log):
    pending = services.append("test.item", {"n": "late"})
    body = client.get(f"/api/ledger/entries/by-hash/{bytes(pending.leaf_hash).hex()}").json()
    assert body["index"] is None and body["receipt"] is None


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("start=x", "start: A valid integer is required."),
        ("start=-1", "start: Ensure this value is greater than or equal to 0."),
        ("start=13", "start: must be at most 12"),
        ("start=5&end=3", "end: must not be smaller than start"),
        ("end=13", "end: must be at most 12"),
    ],
)
def test_bad_entry_ranges_are_400_with_a_reason(client, log, query, reason):
    assert error(client.get(f"/api/ledger/entries?{query}"), 400).startswith(reason)


def test_entry_range_is_capped(client, log, monkeypatch):
    from ledger import api

    monkeypatch.setattr(api, "MAX_PAGE", 4)
    assert "at most 4 entries" in error(client.get("/api/ledger/entries?start=0&end=5"), 400)


def test_unknown_entries_are_404(client, log):
    error(client.get("/api/ledger/entries/12"), 404)
    error(client.get(f"/api/ledger/entries/by-hash/{'ab' * 32}"), 404)
    assert "hex" in error(client.get("/api/ledger/entries/by-hash/xyz"), 400)


def test_inclusion_proof_by_index_and_hash_verifies(client, log):
    for query in ("index=7", f"hash={bytes(log[7].leaf_hash).hex()}"):
        body = client.get(f"/api/ledger/proofs/inclusion?{query}").json()
        assert (body["index"], body["size"]) == (7, 12)
        hashes = [base64.b64decode(h) for h in body["hashes"]]
        verify_inclusion(7, 12, bytes(log[7].leaf_hash), hashes, bytes.fromhex(body["root"]))
        assert body["checkpoint"].startswith(keys.origin())
    older = client.get("/api/ledger/proofs/inclusion?index=2&size=5").json()
    hashes = [base64.b64decode(h) for h in older["hashes"]]
    verify_inclusion(2, 5, bytes(log[2].leaf_hash), hashes, bytes.fromhex(older["root"]))
    # A size without its own checkpoint still gets a proof and the root to check it against.
    assert client.get("/api/ledger/proofs/inclusion?index=2&size=7").json()["checkpoint"] is None


@pytest.mark.parametrize(
    ("query", "status", "reason"),
    [
        ("", 400, "give exactly one of index and hash"),
        ("index=1&hash=" + "00" * 32, 400, "give exactly one"),
        ("index=12", 400, "index: must be smaller than the tree size 12"),
        ("index=3&size=3", 400, "index: must be smaller than the tree size 3"),
        ("index=1&size=13", 400, "size: must be at most 12"),
        ("index=1&size=0", 400, "size: Ensure this value is greater than or equal to 1."),
        ("index=1.5", 400, "index: A valid integer is required."),
        ("hash=zz", 400, "hash: must be 64 hex digits"),
        ("hash=" + "A" * 40, 400, "hash: must be 64 hex digits or the base64 of 32 bytes"),
        ("hash=" + "00" * 32, 404, "no sequenced entry has this leaf hash"),
    ],
)
def test_bad_inclusion_requests(client, log, query, status, reason):
    assert reason in error(client.get(f"/api/ledger/proofs/inclusion?{query}"), status)


def test_consistency_proof_verifies_and_has_a_text_form(client, log):
    body = client.get("/api/ledger/proofs/consistency?size1=5&size2=12").json()
    hashes = [base64.b64decode(h) for h in body["hashes"]]
    verify_consistency(5, 12, hashes, bytes.fromhex(body["root1"]), bytes.fromhex(body["root2"]))
    text = client.get("/api/ledger/proofs/consistency?size1=5&format=text")
    assert text["Content-Type"].startswith("text/plain")
    assert text.content.decode().split() == body["hashes"]
    assert client.get("/api/ledger/proofs/consistency?size1=0").json()["hashes"] == []


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("", "size1: This field is required."),
        ("size1=6&size2=5", "size1: must not be larger than size2 (5)"),
        ("size1=1&size2=13", "size2: must be at most 12"),
        ("size1=abc", "size1: A valid integer is required."),
        ("size1=-3", "size1: Ensure this value is greater than or equal to 0."),
        ("size1=99", "size1: must not be larger than size2 (12)"),
    ],
)
def test_bad_consistency_requests(client, log, query, reason):
    assert error(client.get(f"/api/ledger/proofs/consistency?{query}"), 400).startswith(reason)


def test_receipt_download_verifies_and_size_choices(client, log):
    response = client.get("/api/ledger/entries/4/receipt")
    assert response["Content-Type"].startswith("text/plain")
    assert 'filename="polity-ledger-4.tlog-proof"' in response["Content-Disposition"]
    checks = verify_receipt(response.content, log_key=keys.log_verifier_key())
    assert receipt_verified(checks), checks
    older = client.get("/api/ledger/entries/4/receipt?size=5").content.decode()
    assert f"{keys.origin()}\n5\n" in older
    assert receipt_verified(verify_receipt(older, log_key=keys.log_verifier_key()))
    assert "size: must be larger than the index 4" in error(
        client.get("/api/ledger/entries/4/receipt?size=4"), 400
    )
    assert "no checkpoint was signed for size 7" in error(
        client.get("/api/ledger/entries/4/receipt?size=7"), 404
    )
    error(client.get("/api/ledger/entries/12/receipt"), 404)


def test_witnesses_are_listed(client, log):
    witness, signer = make_witness("auditor.example/w", url="http://127.0.0.1:9")
    log_checkpoint = selectors.latest_checkpoint()
    cosign(log_checkpoint, witness, signer)
    body = client.get("/api/ledger/witnesses").json()
    assert body == [
        {
            "name": "auditor.example/w",
            "partner": "Partner auditor.example/w",
            "verifier_key": witness.verifier_key,
            "url": "http://127.0.0.1:9",
            "active": True,
            "cosigned_size": log_checkpoint.size,
        }
    ]


def test_the_ledger_api_is_in_the_openapi_schema(client):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    for path in (
        "/api/ledger/checkpoint",
        "/api/ledger/entries",
        "/api/ledger/entries/{index}",
        "/api/ledger/entries/by-hash/{leaf_hash}",
        "/api/ledger/entries/{index}/receipt",
        "/api/ledger/proofs/inclusion",
        "/api/ledger/proofs/consistency",
        "/api/ledger/witnesses",
    ):
        assert path in schema["paths"], path
    params = schema["paths"]["/api/ledger/proofs/inclusion"]["get"]["parameters"]
    assert {p["name"] for p in params} >= {"index", "hash", "size"}
