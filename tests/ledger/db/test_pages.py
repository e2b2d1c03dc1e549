"""The public ledger pages and the auditors' fixed text URLs."""

import re

import pytest

from ledger import keys, selectors, services
from ledger.checkpoint import open_checkpoint
from ledger.cosignature import CosignatureVerifier
from ledger.note import Ed25519Verifier, open_note
from tests.ledger.db.helpers import cosign, make_witness

pytestmark = pytest.mark.django_db


@pytest.fixture
def log():
    entries = services.append_many([("test.item", {"n": i}) for i in range(30)])
    services.sequence_pending()
    return entries


@pytest.fixture
def partners(log):
    checkpoint = selectors.latest_checkpoint()
    rows = []
    for name in ("contractor.example/w", "auditor.example/w", "citizens.example/w"):
        rows.append(make_witness(name))
    for witness, signer in rows[:2]:
        cosign(checkpoint, witness, signer)
    return rows


def test_empty_explorer(client):
    page = client.get("/ledger/").content.decode()
    assert "Nothing has been published here yet." in page
    assert client.get("/ledger/checkpoint").status_code == 404


def test_explorer_shows_checkpoint_witnesses_and_newest_entries(client, partners):
    page = client.get("/ledger/").content.decode()
    checkpoint = selectors.latest_checkpoint()
    assert '<dd id="checkpoint-size">30</dd>' in page
    assert bytes(checkpoint.root).hex() in page
    assert ">Valid<" in page and 'id="witnessed-badge">Witnessed<' in page
    assert "Partner contractor.example/w" in page and page.count(">Cosigned<") == 2
    assert page.count(">Not yet<") == 1
    indexes = [int(i) for i in re.findall(r'href="/ledger/entries/(\d+)/"', page)]
    assert indexes == list(range(29, 4, -1))  # 25 per page, newest first
    older = client.get("/ledger/?page=2").content.decode()
    assert [int(i) for i in re.findall(r'href="/ledger/entries/(\d+)/"', older)] == [4, 3, 2, 1, 0]


def test_explorer_without_quorum_says_not_witnessed(client, log):
    witness, signer = make_witness("auditor.example/w")
    cosign(selectors.latest_checkpoint(), witness, signer)
    page = client.get("/ledger/").content.decode()
    assert 'id="witnessed-badge">Not witnessed yet<' in page


def test_search_by_index_and_hash_goes_to_the_entry(client, log):
    assert client.get("/ledger/search?q=7")["Location"] == "/ledger/entries/7/"
    leaf_hash = bytes(log[12].leaf_hash).hex()
    assert client.get(f"/ledger/search?q={leaf_hash}")["Location"] == "/ledger/entries/12/"
    missing = client.get("/ledger/search?q=31")
    assert missing.status_code == 404 and "the log has 30 entries" in missing.content.decode()
    assert "neither" in client.get("/ledger/search?q=hello").content.decode()
    pending = services.append("test.item", {"n": "late"})
    waiting = client.get(f"/ledger/search?q={bytes(pending.leaf_hash).hex()}").content.decode()
    assert "waits for the next checkpoint" in waiting


def test_entry_page_shows_payload_proof_picture_and_receipt_link(client, partners, log):
    page = client.get("/ledger/entries/5/").content.decode()
    assert "&quot;n&quot;: 5" in page
    assert bytes(log[5].leaf_hash).hex() in page
    hashes = selectors.inclusion_proof(5, 30)
    for digest in hashes:
        assert digest.hex() in page
    assert page.count("<rect ") == 2 * len(hashes) + 1
    assert 'href="/api/ledger/entries/5/receipt"' in page
    assert 'href="/ledger/verify/?index=5"' in page
    assert client.get("/ledger/entries/30/").status_code == 404


def test_verify_page_carries_the_keys_and_loads_its_bundle(client, partners):
    page = client.get("/ledger/verify/?index=3").content.decode()
    assert f'value="{keys.log_verifier_key()}"' in page
    for witness, _signer in partners:
        assert witness.verifier_key in page
    assert 'data-receipt-url="/api/ledger/entries/3/receipt"' in page
    assert 'src="/static/build/ledger-verify.js"' in page
    assert "<script>" not in page and " style=" not in page


def test_fixed_text_urls_for_auditors(client, partners):
    note = client.get("/ledger/checkpoint")
    assert note["Content-Type"] == "text/plain; charset=utf-8"
    text = note.content.decode()
    log_key = client.get("/ledger/verifier-key").content.decode().strip()
    assert log_key == keys.log_verifier_key()
    assert open_checkpoint(text, Ed25519Verifier(log_key)).checkpoint.size == 30
    witness_keys = client.get("/ledger/witness-keys").content.decode().split()
    assert len(witness_keys) == 3
    opened = open_note(text, [CosignatureVerifier(k) for k in witness_keys])
    assert len(opened.verified) == 2  # the two partners that cosigned


def test_pages_have_no_inline_script_or_style(client, partners):
    for url in ("/ledger/", "/ledger/entries/0/", "/ledger/verify/", "/ledger/search?q=x"):
        page = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), url
        assert " style=" not in page, url
