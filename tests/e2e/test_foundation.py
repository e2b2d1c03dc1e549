"""The base layout in a real browser: keyboard access, language switching, log-in, no CSP errors."""

import pytest

from identity.demo import DEMO_PASSWORD
from tests.e2e.conftest import log_in


@pytest.fixture
def demo_city(transactional_db):
    import io

    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())


def test_home_page_is_keyboard_navigable(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("el => el === document.activeElement")
    skip.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    nav = page.get_by_role("navigation", name="Main")
    for name in ("Proposals", "Elections", "Ledger", "My ID"):
        assert nav.get_by_role("link", name=name).is_visible()


def test_language_switcher_works_with_javascript(page):
    page.goto("/")
    page.get_by_label("Language").select_option("es")
    page.wait_for_selector("html[lang=es]")
    assert page.get_by_role("link", name="Propuestas").first.is_visible()


def test_demo_login_and_logout(page, demo_city):
    log_in(page, "alice", DEMO_PASSWORD)
    assert page.get_by_text("Signed in as").is_visible()
    page.get_by_role("button", name="Log out").click()
    assert page.get_by_role("banner").get_by_role("link", name="Log in").is_visible()
