"""A proposal end to end in a real browser and a real worker: a council admin creates it with a
preview; trustees run the key ceremony; citizens vote in the booth; it closes on schedule, the
worker counts, trustees decrypt, it succeeds and queues; after the timelock the admin executes
it; simulated street lights post signed readings, the worker attests the milestone and releases
its payment; the public pages show the payment and a timeline whose receipts the browser
verifies.

Time is compressed, not skipped: the proposal type's parameters are seconds (no voting delay, a
25-second vote, a 3-second timelock) and the test runs the beat task (``governance.tick``) on the
worker instead of waiting for beat.
"""

import io
import time

import pytest
from django.core.management import call_command
from django.utils import timezone

from governance import device_keys
from governance.models import Disbursement, Milestone, Partner, Proposal, ProposalType
from governance.services import projects as project_services
from governance.signing import public_key_hex
from governance.tasks import tick_task
from ledger import services as ledger
from ledger.models import LogLeaf
from tests.e2e.conftest import log_in
from tests.voting.factories import (
    PASSWORD,
    decrypt_as,
    make_admin,
    make_citizens,
    make_trustees,
    run_ceremony,
)
from voting.models import Election

pytestmark = [pytest.mark.worker, pytest.mark.slow]
VOTING_PERIOD = 25
LIGHTS = 5


def wait_until(predicate, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def tick() -> dict:
    """What Celery beat runs every few seconds, run now on the worker."""
    return tick_task.delay().get(timeout=60)


def new_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, page, errors


def street_lights(admin, key_dir):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    contractor = Partner.objects.create(name="Lumen Works Ltd", role=Partner.Role.CONTRACTOR)
    project = project_services.create_project(
        by=admin,
        title="Harbour street lighting",
        description="Connected LED street lights for the Harbour district.",
        contractor=contractor,
        contract_reference="PPP-2026-007",
        budget_cents=5_000_000,
        milestones=[
            project_services.MilestoneInput(
                title="Lights working",
                amount_cents=3_000_000,
                evidence=Milestone.Evidence.DEVICES,
                device_metric="working",
                device_quorum_bps=9500,
                device_window=8,
                device_max_gap=4,
            )
        ],
    )
    keys = []
    for number in range(1, LIGHTS + 1):
        key = Ed25519PrivateKey.generate()
        device = f"lamp-{number}"
        project_services.register_device(
            by=admin,
            project=project,
            device_id=device,
            kind="street_light",
            public_key=public_key_hex(key),
        )
        keys.append(device_keys.DeviceKey(device, project.pk, key))
    device_keys.write_keys(key_dir, keys)
    return project


def vote(browser, live_server, citizen, proposal_id: int, choice: str) -> None:
    context, page, errors = new_page(browser, live_server)
    try:
        log_in(page, citizen.username, PASSWORD)
        page.goto(f"/proposals/{proposal_id}/")
        page.get_by_role("link", name="Vote in the booth").click()
        page.get_by_label(choice, exact=True).check()
        page.get_by_role("button", name="Encrypt my ballot").click()
        page.get_by_role("button", name="Cast this ballot").click()
        page.locator("#confirmation").wait_for(timeout=30_000)
    finally:
        context.close()
    assert not errors, errors


def test_proposal_vote_execution_and_milestone_payment_in_the_browser(
    page, browser, live_server, celery_worker_process, tmp_path
):
    admin = make_admin("council")
    citizens = make_citizens(3, prefix="resident")
    trustees = make_trustees(3, prefix="keeper")
    ProposalType.objects.create(
        key="e2e",
        name="Quick test vote",
        voting_delay=0,
        voting_period=VOTING_PERIOD,
        quorum_bps=1000,
        threshold="simple_majority",
        timelock=3,
        grace_period=600,
    )
    project = street_lights(admin, tmp_path / "devices")
    milestone = project.milestones.get()

    # The admin drafts, previews and publishes the proposal.
    log_in(page, admin.username, PASSWORD)
    page.goto("/proposals/new")
    page.get_by_label("Title").fill("Fund and pay for the Harbour street lights")
    page.get_by_label("Summary").fill("Allocate 50,000.00 and release the payment once 95% work.")
    page.get_by_label("Type").select_option(label="Quick test vote")
    page.get_by_label("Kind of vote").select_option("for_against_abstain")
    page.get_by_label("Decision published on execution").fill("The street lights are funded.")
    page.get_by_label("Allocate a budget to project").select_option(label=project.title)
    page.get_by_label("Amount to allocate").fill("50000.00")
    page.get_by_label("Approve the payment of milestone").select_option(label=str(milestone))
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#preview")
    preview.wait_for()
    assert "Fund and pay for the Harbour street lights" in preview.inner_text()
    assert "50,000.00" in preview.inner_text()
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("The proposal is published.").wait_for()
    proposal = Proposal.objects.get()
    assert page.locator("#proposal-state").inner_text() == "Pending"

    # The trustees run the key ceremony on their own devices; the schedule opens the vote.
    kits = run_ceremony(proposal.election, trustees)
    tick()
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.ACTIVE

    # Citizens vote in the booth (encrypted in the browser).
    vote(browser, live_server, citizens[0], proposal.pk, "For")
    vote(browser, live_server, citizens[1], proposal.pk, "For")
    vote(browser, live_server, citizens[2], proposal.pk, "Against")

    # Voting closes on schedule; the worker counts; two of three trustees decrypt.
    wait_until(lambda: timezone.now() >= proposal.vote_end, "the end of voting", VOTING_PERIOD + 5)
    tick()
    election = Election.objects.get(pk=proposal.election_id)
    wait_until(
        lambda: Election.objects.get(pk=election.pk).state == Election.State.DECRYPTING,
        "the encrypted count",
    )
    decrypt_as(election, kits[1])
    decrypt_as(election, kits[3])
    wait_until(
        lambda: Election.objects.get(pk=election.pk).state == Election.State.PUBLISHED,
        "the published result",
    )
    tick()
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.QUEUED, proposal.outcome
    assert proposal.outcome["counts"] == {"for": 2, "against": 1, "abstain": 0}

    # After the timelock, the admin executes it; the worker runs its actions.
    page.goto(f"/proposals/{proposal.pk}/")
    assert page.locator("#proposal-state").inner_text() == "Queued"
    assert page.get_by_role("button", name="Execute").count() == 0  # timelock not yet passed
    wait_until(lambda: timezone.now() >= proposal.eta, "the timelock", 10)
    page.reload()
    page.get_by_role("button", name="Execute").click()
    page.get_by_text("Executed.").wait_for()
    wait_until(lambda: not proposal.actions.filter(done_at__isnull=True).exists(), "the actions")
    milestone.refresh_from_db()
    assert milestone.approved_at is not None
    assert not Disbursement.objects.exists()  # approved, but no attestation yet

    # The street lights report; the worker evaluates the condition and releases the payment.
    out = io.StringIO()
    call_command(
        "simulate_devices",
        "--url",
        live_server.url,
        "--dir",
        str(tmp_path / "devices"),
        "--backfill",
        "12",
        "--interval",
        "2",
        "--rounds",
        "1",
        stdout=out,
    )
    assert f"{7 * LIGHTS} readings accepted, 0 refused" in out.getvalue()
    assert tick()["milestones_attested"] == 1
    assert Disbursement.objects.get(milestone=milestone).amount_cents == 3_000_000

    # Everything is on the ledger; the public pages show it and the browser checks each receipt.
    ledger.sequence_pending()
    anchors = proposal.anchors.count()
    assert LogLeaf.objects.filter(entry__in=proposal.anchors.values("entry")).count() == anchors
    context, public, errors = new_page(browser, live_server)
    try:
        public.goto(f"/projects/{project.pk}/")
        row = public.locator("#milestone-1")
        assert row.get_attribute("data-status") == "released"
        assert "Paid" in row.inner_text()
        assert public.locator("#released").inner_text() == "30,000.00"
        assert public.locator("#escrow").inner_text() == "20,000.00"
        public.goto(f"/proposals/{proposal.pk}/")
        timeline = public.locator("#timeline")
        assert "Queued → Executed" in timeline.inner_text()
        assert "Milestone payment approved" in timeline.inner_text()
        public.wait_for_function(
            f"() => document.querySelectorAll('#timeline .receipt-status.pass').length === {anchors}",
            timeout=30_000,
        )
        assert public.locator("#timeline .receipt-status.fail").count() == 0
        assert "Succeeded" in public.locator("main").inner_text()
    finally:
        context.close()
    assert not errors, errors


def test_proposals_can_be_searched_and_opened_with_the_keyboard(page):
    from governance.services.proposals import create_proposal

    admin = make_admin("council")
    make_trustees(3, prefix="keeper")
    ptype = ProposalType.objects.create(
        key="ordinance",
        name="Ordinance",
        voting_delay=3600,
        voting_period=3600,
        quorum_bps=1000,
        threshold="simple_majority",
        timelock=60,
        grace_period=600,
    )
    for title in ("Extend the tram to the university", "Plant 500 street trees"):
        create_proposal(
            proposer=admin,
            proposal_type=ptype,
            title=title,
            summary="Details.",
            vote_type="for_against_abstain",
        )
    page.goto("/proposals/")
    search = page.get_by_label("Search", exact=True)
    search.focus()
    page.keyboard.type("tram")
    page.keyboard.press("Enter")
    page.wait_for_url("**/proposals/?q=tram*")
    rows = page.locator("table.proposal-list tbody tr")
    assert rows.count() == 1
    link = page.get_by_role("link", name="Extend the tram to the university")
    link.focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Extend the tram to the university").wait_for()
    assert page.get_by_role("navigation", name="Governance").is_visible()
