"""An election end to end in a real browser: a citizen audits a ballot, casts one and sees the
tracker and receipt; an admin closes the election and watches the count in a real worker; one
trustee decrypts on the trustee page (key file and passphrase), another with the CLI; the public
verification page re-checks the whole record in the browser and reports every check passed."""

import io
import time

import pytest
from django.core.management import call_command

from tests.e2e.conftest import log_in
from tests.voting.factories import PASSWORD, make_admin, open_election_with
from tests.voting.test_worker import settle
from voting import trustee_local
from voting.models import Election
from voting.trustee_file import dump_trustee_file

pytestmark = [pytest.mark.worker, pytest.mark.slow]
TRUSTEE_PASSPHRASE = "a-trustee-passphrase"


def wait_until(predicate, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def state(election: Election) -> str:
    return Election.objects.values_list("state", flat=True).get(pk=election.pk)


def new_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, page, errors


def test_vote_audit_cast_close_decrypt_and_verify_in_the_browser(
    page, browser, live_server, celery_worker_process, tmp_path
):
    election, citizens, kits = open_election_with(voters=2, trustees=2, threshold=2)
    admin = make_admin("council")
    files = {}
    for index, kit in kits.items():
        tf = trustee_local.TrusteeFile(
            election.public_id, bytes.fromhex(election.ceremony_id), 2, kit.secret, kit.key_share
        )
        files[index] = tmp_path / f"trustee{index}.json"
        files[index].write_text(dump_trustee_file(tf, TRUSTEE_PASSPHRASE, iterations=10_000))

    # A citizen audits a ballot, then casts a fresh one.
    voter = citizens[0]
    log_in(page, voter.username, PASSWORD)
    page.goto(f"/elections/{election.pk}/vote")
    page.get_by_label("Pond").check()
    page.get_by_label("Benches").check()
    page.get_by_role("button", name="Encrypt my ballot").click()
    page.get_by_role("button", name="Audit this ballot").wait_for()
    audited_tracker = page.locator("#sealed-tracker").inner_text()
    assert len(audited_tracker) == 64
    page.get_by_role("button", name="Audit this ballot").click()
    verdict = page.locator("#audited-verdict")
    verdict.wait_for()
    assert "exactly these choices" in verdict.inner_text()
    assert "✔ Pond" in page.locator("#audited-choices").inner_text()
    page.get_by_role("button", name="Encrypt again").click()
    page.get_by_label("Garden").check()
    page.get_by_role("button", name="Encrypt my ballot").click()
    page.get_by_role("button", name="Cast this ballot").wait_for()
    page.get_by_role("button", name="Cast this ballot").click()
    page.locator("#confirmation").wait_for()
    tracker = page.locator("#cast-tracker").inner_text()
    assert len(tracker) == 64 and tracker != audited_tracker
    page.get_by_role("link", name="Download your ledger receipt").wait_for(timeout=30_000)
    page.get_by_role("link", name="Find it on the ballot board").click()
    assert tracker in page.locator("table.board").inner_text()
    page.goto(f"/elections/{election.pk}/audited/{audited_tracker}")
    page.get_by_text("Re-encrypts exactly to the ballot").first.wait_for()
    assert page.locator("#audit-check .badge.ok").count() == 1

    # The admin closes the election; the worker counts.
    context, admin_page, admin_errors = new_page(browser, live_server)
    try:
        log_in(admin_page, admin.username, PASSWORD)
        admin_page.goto(f"/elections/{election.pk}/manage")
        admin_page.get_by_role("button", name="Close voting now").click()
        admin_page.get_by_text("Voting is closed; the count has started.").wait_for()
        admin_page.get_by_text("Waiting for the trustees: 0 of 2").wait_for(timeout=60_000)
        assert admin_page.locator("#count-progress").get_attribute("value") is not None
    finally:
        context.close()
    assert not admin_errors, admin_errors
    assert state(election) == Election.State.DECRYPTING

    # Trustee 1 decrypts in the browser with their key file; trustee 2 with the CLI.
    context, trustee_page, trustee_errors = new_page(browser, live_server)
    try:
        log_in(trustee_page, kits[1].user.username, PASSWORD)
        trustee_page.goto(f"/elections/{election.pk}/trustee")
        trustee_page.get_by_label("Your key file", exact=True).set_input_files(str(files[1]))
        trustee_page.get_by_label("Its passphrase").fill(TRUSTEE_PASSPHRASE)
        trustee_page.get_by_role("button", name="Decrypt my part").click()
        trustee_page.get_by_text("Your partial decryption is in.").wait_for(timeout=30_000)
    finally:
        context.close()
    assert not trustee_errors, trustee_errors
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("POLITY_TRUSTEE_PASSPHRASE", TRUSTEE_PASSPHRASE)
        call_command(
            "trustee",
            "decrypt",
            "--election",
            str(election.pk),
            "--user",
            kits[2].user.username,
            "--file",
            str(files[2]),
            stdout=io.StringIO(),
        )
    wait_until(lambda: Election.objects.get(pk=election.pk).record_sha256, "the record")

    # Anyone verifies the published record in the browser.
    page.goto(f"/elections/{election.pk}/results")
    assert page.locator('td[data-option="c1.o3"]').inner_text() == "1"
    page.get_by_role("link", name="Verify the whole election in your browser").click()
    page.get_by_role("button", name="Verify the record").click()
    summary = page.locator("#verify-summary")
    page.wait_for_function(
        "() => document.getElementById('verify-summary').className.startsWith('verdict')",
        timeout=60_000,
    )
    assert "Every check passed" in summary.inner_text(), page.locator("#verify-checks").inner_text()
    checks = page.locator("#verify-checks li")
    assert checks.count() > 30
    assert page.locator("#verify-checks li.pass").count() == checks.count()
    assert page.locator('#verify-checks li[data-check="result.counts"]').count() == 1
    settle()
