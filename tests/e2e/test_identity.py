"""The digital ID in a real browser: census match → credential → a presentation derived in the
browser revealing only the district → the verifier page accepts it → revoked → refused."""

import json

import pytest
from django.contrib.auth.models import Group

from identity import selectors, services
from identity.census import import_census
from identity.models import District, User
from identity.roles import CITIZEN, COUNCIL_ADMIN
from tests.e2e.conftest import log_in

PASSWORD = "a-long-test-password-1"


@pytest.fixture
def city(transactional_db):
    for number, name in enumerate(["Old Town", "Harbour", "Riverside"], start=1):
        District.objects.get_or_create(number=number, defaults={"name": name})
    official = User.objects.create_user("olga", "olga@example.org", PASSWORD)
    official.groups.add(Group.objects.get(name=COUNCIL_ADMIN))
    import_census(
        data=b"document_number,district,birth_date\nE5550123K,2,1992-06-30\n",
        imported_by=official,
    )
    citizen = User.objects.create_user("erin", "erin@example.org", PASSWORD)
    citizen.groups.add(Group.objects.get(name=CITIZEN))
    return {"citizen": citizen, "official": official}


def test_census_match_then_present_only_the_district_then_revoke(page, city):
    log_in(page, "erin", PASSWORD)
    page.goto("/id/")
    census = page.locator("form[action='/id/verify/census/']")
    census.get_by_label("Document number").fill("e-5550123-k")
    census.get_by_label("Date of birth").fill("1992-06-30")
    census.get_by_label("District").select_option("2")
    census.get_by_role("button", name="Check against the census").click()
    page.get_by_text("You are verified. Your digital ID is ready.").wait_for()
    assert page.locator("#verification-state").get_by_text("Verified resident").is_visible()
    page.get_by_text("Signature checked in your browser").wait_for()

    page.get_by_role("button", name="Show as QR code").click()
    page.locator("#credential-qr").wait_for(state="visible")

    page.goto("/id/verifier/")
    nonce = page.get_by_label("Nonce (show this code to the resident)").input_value()
    assert len(nonce) >= 16

    page.goto("/id/")
    page.get_by_label("Verifier's code (nonce)").fill(nonce)
    reveal = page.get_by_role("group", name="Reveal")
    assert reveal.get_by_label("District").is_checked()
    assert not reveal.get_by_label("Year of birth").is_checked()
    page.get_by_role("button", name="Create presentation").click()
    page.get_by_text("Presentation ready").wait_for()
    presentation = page.locator("#presentation-json").input_value()
    derived = json.loads(presentation)["verifiableCredential"][0]
    assert derived["credentialSubject"] == {"district": 2}
    assert "id" not in derived and "birthYear" not in presentation
    assert page.locator("#presentation-qr").is_visible()

    page.goto("/id/verifier/")
    page.get_by_label("Nonce (show this code to the resident)").fill(nonce)
    page.get_by_role("group", name="Ask for").get_by_label("District").check()
    page.get_by_label("Presentation (paste the resident's JSON)").fill(presentation)
    page.get_by_role("button", name="Verify").click()
    verdict = page.locator("#verdict")
    verdict.get_by_text("Accepted").wait_for()
    attributes = page.locator("#proven-attributes")
    assert attributes.get_by_role("row").count() == 1
    assert "District" in attributes.inner_text() and "2" in attributes.inner_text()
    page.get_by_text("Your browser checked the proof independently: it verifies.").wait_for()

    services.revoke_credential(
        credential=selectors.current_credential(city["citizen"]),
        reason="Reported stolen",
        by=city["official"],
    )
    page.get_by_role("button", name="Verify").click()
    verdict.get_by_text("Refused").wait_for()
    assert (
        "revocation status: the credential is revoked"
        in page.locator("#verdict-reason").inner_text()
    )
    browser_check = page.locator("#browser-check")
    browser_check.get_by_text("the credential is revoked").wait_for()
    assert browser_check.get_attribute("data-verified") == "false"
