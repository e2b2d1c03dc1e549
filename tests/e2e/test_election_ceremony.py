"""The key ceremony in the browser: two trustees on their trustee pages make their keys (the
sealed key file is downloaded, never sent), exchange sealed shares, check them and confirm;
later each decrypts with the file the page gave them, and the result is right. A bad share makes
the page post a complaint with the box secret, which the server upholds."""

import pytest

from tests.e2e.conftest import log_in
from tests.voting.factories import PASSWORD, cast, draft_election, make_citizens, make_trustees
from tests.voting.pipeline import count_in_process
from tests.voting.test_worker import settle
from voting import services
from voting.crypto import Scalar, TrusteePublic, generate_trustee
from voting.crypto.curve import Q
from voting.crypto.sharebox import seal_share
from voting.crypto.threshold import evaluate
from voting.models import Election
from voting.trustee_file import load_trustee_file

PASSPHRASES = {1: "first trustee passphrase", 2: "second trustee passphrase"}


@pytest.fixture
def trustee_pages(browser, live_server):
    opened = []

    def open_page(user):
        context = browser.new_context(
            base_url=live_server.url, locale="en-GB", accept_downloads=True
        )
        page = context.new_page()
        page.console_errors = []
        page.on(
            "console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None
        )
        page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
        log_in(page, user.username, PASSWORD)
        opened.append((context, page))
        return page

    yield open_page
    for context, page in opened:
        context.close()
        assert not page.console_errors, page.console_errors


def test_two_trustees_run_the_ceremony_and_decrypt_in_their_browsers(
    trustee_pages, transactional_db, tmp_path
):
    citizens = make_citizens(2)
    people = make_trustees(2)
    election = draft_election(trustees=people, threshold=2)
    services.start_ceremony(election=election)
    url = f"/elections/{election.pk}/trustee"
    pages = {i: trustee_pages(user) for i, user in enumerate(people, start=1)}
    files = {i: tmp_path / f"trustee{i}.json" for i in pages}

    for i, page in pages.items():
        page.goto(url)
        page.get_by_label("Passphrase for your key file").fill(PASSPHRASES[i])
        with page.expect_download() as download:
            page.get_by_role("button", name="Generate my key and save the file").click()
        download.value.save_as(files[i])
        page.get_by_role("button", name="Send my shares").wait_for()
    sealed = load_trustee_file(files[1].read_text(), PASSPHRASES[1])
    assert sealed.secret.index == 1 and sealed.key_share is None
    assert "coefficients" not in files[1].read_text()  # sealed: nothing readable

    for page in pages.values():
        send = page.get_by_role("button", name="Send my shares")
        page.wait_for_function("() => !document.getElementById('send-shares').disabled")
        send.click()
        page.get_by_role("button", name="Check the shares I received").wait_for()
    for i, page in pages.items():
        page.wait_for_function("() => !document.getElementById('check-shares').disabled")
        with page.expect_download() as download:
            page.get_by_role("button", name="Check the shares I received").click()
        download.value.save_as(files[i])
        page.get_by_text("Your part of the key ceremony is done.").wait_for()
    assert load_trustee_file(files[2].read_text(), PASSPHRASES[2]).key_share is not None

    election = services.freeze_election(election=election)
    election = services.open_election(election=election)
    cast(election, citizens[0], {"c1": {"o2": 1}})
    cast(election, citizens[1], {"c1": {"o2": 1}, "c2": {"o3": 1}})
    services.close_election(election=election)
    count_in_process(election)
    for i, page in pages.items():
        page.goto(url)
        page.get_by_label("Your key file", exact=True).set_input_files(str(files[i]))
        page.get_by_label("Its passphrase").fill(PASSPHRASES[i])
        page.get_by_role("button", name="Decrypt my part").click()
        page.get_by_text("Your partial decryption is in.").wait_for()
    services.publish_result(election=election)
    election.refresh_from_db()
    assert election.state == Election.State.PUBLISHED
    assert election.result["counts"]["c1"] == {"o1": 0, "o2": 2, "o3": 0}
    assert election.result["counts"]["c2"] == {"o1": 0, "o2": 0, "o3": 1, "o4": 0}
    settle()


def test_a_bad_share_makes_the_browser_post_a_complaint_the_server_upholds(
    trustee_pages, transactional_db, tmp_path
):
    people = make_trustees(2)
    election = draft_election(trustees=people, threshold=2)
    services.start_ceremony(election=election)
    election.refresh_from_db()
    ceremony = bytes.fromhex(election.ceremony_id)
    page = trustee_pages(people[0])
    path = tmp_path / "trustee1.json"
    page.goto(f"/elections/{election.pk}/trustee")
    page.get_by_label("Passphrase for your key file").fill(PASSPHRASES[1])
    with page.expect_download() as download:
        page.get_by_role("button", name="Generate my key and save the file").click()
    download.value.save_as(path)
    page.get_by_role("button", name="Send my shares").wait_for()

    # Trustee 2 (in Python) publishes, then seals trustee 1 a share its commitments do not promise.
    secret, public = generate_trustee(ceremony, 2, people[1].public_alias, 2)
    services.post_trustee_public(election=election, user=people[1], public=public.to_json())
    mine = TrusteePublic.from_json(election.trustees.get(index=1).public)
    wrong = Scalar((evaluate(secret.coefficients, 1) + 1) % Q)
    box = seal_share(ceremony, 2, 1, mine.box_key, wrong)
    services.post_share_boxes(election=election, user=people[1], boxes=[box.to_json()])

    page.wait_for_function("() => !document.getElementById('send-shares').disabled")
    page.get_by_role("button", name="Send my shares").click()
    page.wait_for_function("() => !document.getElementById('check-shares').disabled")
    page.get_by_role("button", name="Check the shares I received").click()
    page.get_by_text("Your complaint is upheld: trustee 2 sent you a bad share.").wait_for()
    assert page.locator("#trustee-table").get_by_text("trustee 2 sent a bad share").is_visible()
    [complaint] = election.complaints.all()
    assert (complaint.trustee, complaint.against) == (1, 2)
    revealed = load_trustee_file(path.read_text(), PASSPHRASES[1]).secret.box_secret
    assert complaint.box_secret == revealed.hex()
    settle()
