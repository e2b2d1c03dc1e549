"""The ledger explorer and the in-browser receipt verifier, in a real browser."""

import re

import pytest

from ledger import keys, selectors, services
from ledger.checkpoint import Checkpoint, sign_checkpoint
from tests.ledger.db.helpers import cosign, make_witness, sequenced


@pytest.fixture
def ledger(transactional_db):
    entries = services.append_many([("test.item", {"n": i}) for i in range(9)])
    checkpoint = sequenced(9)
    partners = [make_witness(name) for name in ("contractor.example/w", "auditor.example/w")]
    for witness, signer in partners:
        cosign(checkpoint, witness, signer)
    return entries


def test_explorer_shows_the_checkpoint_and_its_witnesses(page, ledger):
    page.goto("/ledger/")
    assert page.locator("#checkpoint-size").inner_text() == "9"
    assert page.locator("#witnessed-badge").inner_text() == "Witnessed"
    table = page.get_by_role("table").filter(has_text="Partner contractor.example/w")
    assert table.get_by_text("Cosigned", exact=True).count() == 2
    page.get_by_label("Entry number or leaf hash").fill(bytes(ledger[4].leaf_hash).hex())
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/ledger/entries/4/")
    assert page.get_by_role("img", name="The inclusion path of this entry").is_visible()


def test_verify_page_passes_a_real_receipt_and_fails_a_tampered_one(page, ledger):
    page.goto("/ledger/entries/6/")
    page.get_by_role("link", name="Verify it in your browser").click()
    page.wait_for_selector("#verify-form[data-loaded=true]")
    page.get_by_role("button", name="Verify").click()
    summary = page.locator("#verify-summary")
    assert summary.inner_text() == "All checks passed: this receipt is valid."
    checks = page.locator("#verify-checks li")
    names = checks.evaluate_all("items => items.map(i => i.className + ' ' + i.textContent)")
    assert all(n.startswith("pass ") for n in names), names
    assert any("witness quorum: 2 of 2 required" in n for n in names)
    assert any("inclusion: leaf 6 is in the tree of size 9" in n for n in names)

    receipt = page.get_by_label("Or paste the receipt")
    text = receipt.input_value()
    lines = text.split("\n")
    lines[3] = ("A" if lines[3][0] != "A" else "B") + lines[3][1:]  # first proof hash
    receipt.fill("\n".join(lines))
    page.get_by_role("button", name="Verify").click()
    assert summary.inner_text() == "Receipt NOT verified: a required check failed."
    failed = page.locator("#verify-checks li.fail").all_inner_texts()
    assert len(failed) == 1 and failed[0].startswith("inclusion: inclusion proof for leaf 6")


def test_verify_page_reads_an_uploaded_receipt_file(page, ledger, tmp_path):
    path = tmp_path / "receipt.tlog-proof"
    path.write_text(selectors.receipt_for(ledger[2]).replace("\n9\n", "\n10\n", 1))
    page.goto("/ledger/verify/")
    page.get_by_label("Receipt file (.tlog-proof)").set_input_files(str(path))
    page.wait_for_function("document.getElementById('receipt-text').value.length > 0")
    page.get_by_role("button", name="Verify").click()
    assert "NOT verified" in page.locator("#verify-summary").inner_text()
    failed = page.locator("#verify-checks li.fail").all_inner_texts()
    assert re.match(r"log signature: .*does not verify", failed[0]), failed


def test_verify_page_checks_the_payload_and_that_the_log_only_grew(page, transactional_db):
    services.append_many([("test.item", {"n": i}) for i in range(9)])
    first = sequenced(9)
    saved = selectors.checkpoint_text(first)  # what an auditor kept from /ledger/checkpoint
    services.append_many([("test.item", {"n": i}) for i in range(9, 12)])
    latest = sequenced(12)
    for name in ("contractor.example/w", "auditor.example/w"):
        cosign(latest, *make_witness(name))

    page.goto("/ledger/entries/6/")
    page.get_by_role("link", name="Verify it in your browser").click()
    page.wait_for_selector("#verify-form[data-loaded=true]")
    page.get_by_text("Also check the payload and the log's history").click()
    page.get_by_label("The entry's payload (JSON)").fill('{"n": 6}')
    page.get_by_label("A checkpoint you saved earlier").fill(saved)
    summary, checks = page.locator("#verify-summary"), page.locator("#verify-checks li")

    def verify() -> list[str]:
        summary.evaluate("element => { element.textContent = '' }")
        page.get_by_role("button", name="Verify").click()
        page.locator("#verify-summary:not(:empty)").wait_for()
        return checks.evaluate_all("items => items.map(i => i.className + ' ' + i.textContent)")

    names = verify()
    assert summary.inner_text() == "All checks passed: this receipt is valid.", [
        n for n in names if not n.startswith("pass ")
    ]
    assert "pass payload: matches the entry" in names
    assert "pass earlier checkpoint: size 9, signed by " + keys.origin() in names
    assert "pass append-only: size 12 extends size 9: nothing before 9 changed" in names

    page.get_by_label("The entry's payload (JSON)").fill('{"n": 5}')
    assert "fail payload: digest differs from the entry's" in verify()

    # The log shows an auditor a rewritten history: its own key signed another root at size 9.
    page.get_by_label("The entry's payload (JSON)").fill("")
    other = Checkpoint(keys.origin(), 9, bytes(32))
    page.get_by_label("A checkpoint you saved earlier").fill(
        sign_checkpoint(other, keys.log_signer())
    )
    failed = [n for n in verify() if n.startswith("fail ")]
    assert failed == [
        "fail append-only: consistency proof does not reproduce the old root of size 9"
    ]

    # A checkpoint larger than the log serves now: the log was truncated.
    page.get_by_label("A checkpoint you saved earlier").fill(
        sign_checkpoint(Checkpoint(keys.origin(), 20, bytes(32)), keys.log_signer())
    )
    failed = [n for n in verify() if n.startswith("fail ")]
    assert any(n.startswith("fail consistency proof: size2") for n in failed), failed
    assert page.console_errors == [  # the log's refusal, which the page reported above
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    page.console_errors.clear()
