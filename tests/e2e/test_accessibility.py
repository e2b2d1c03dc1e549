"""Every important page, checked for accessibility in a real browser; and the pages that must work
without JavaScript, checked with JavaScript off.

Each page gets four looks, and the problems of all pages are reported together:
- axe-core's rules of serious or critical impact;
- our own audit (``a11y_audit.js``): lang, one h1, one main, named navs, named controls, images
  and buttons, unique ids, heading levels, and the contrast of every visible text element;
- the keyboard: the first Tab reaches the skip link, Tab reaches the main content, and every
  element Tab stops on shows a focus indicator;
- reflow: at 320 CSS pixels wide (a phone, or 400% zoom) the page does not scroll sideways.
axe-core is injected into the page, so these contexts bypass the site's CSP (script-src 'self').
"""

from pathlib import Path

import pytest

from governance.models import Initiative, Project, Proposal
from identity.demo import DEMO_PASSWORD
from ledger.models import LogLeaf
from tests.e2e.conftest import log_in
from tests.polity.city import seed_city
from voting.demo import TITLE as DEMO_ELECTION
from voting.models import Election

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AUDIT = Path(__file__).with_name("a11y_audit.js").read_text()
MAX_TABS = 40  # to reach the main content past the header's links and forms
TABS_IN_MAIN = 8  # focus indicators checked inside the main content
WIDE = {"width": 1280, "height": 800}
PHONE = {"width": 320, "height": 640}

# Where the keyboard focus is, and whether it shows.
FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadowed = style.boxShadow !== 'none';
  return {
    what: `<${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}> "${(el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 30)}"`,
    skipLink: el.classList.contains('skip-link'),
    inMain: !!el.closest('main') && el.tagName !== 'MAIN',
    visible: outlined || shadowed,
  };
}"""


@pytest.fixture
def city(transactional_db) -> Election:
    return seed_city()


@pytest.fixture
def new_page(browser, live_server):
    """new_page(javascript=True, who=None, locale="en-GB"): a page in a fresh context, logged
    in as ``who``, whose browser asks for pages in ``locale``'s language."""
    contexts = []

    def make(*, javascript: bool = True, who: str | None = None, locale: str = "en-GB"):
        context = browser.new_context(
            base_url=live_server.url,
            locale=locale,
            viewport=WIDE,
            bypass_csp=True,
            java_script_enabled=javascript,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.script_errors = []
        page.on("pageerror", lambda exc: page.script_errors.append(str(exc)))
        if who:
            log_in(page, who, DEMO_PASSWORD)
        return page

    yield make
    for context in contexts:
        context.close()


def important_pages(published: Election) -> dict[str | None, list[tuple[str, str]]]:
    """(name, path) of every page to check, by who looks at it (None: anyone)."""
    demo = Election.objects.get(title=DEMO_ELECTION)
    proposal = Proposal.objects.order_by("pk").first()
    initiative = Initiative.objects.order_by("pk").first()
    project = Project.objects.order_by("pk").first()
    entry = LogLeaf.objects.order_by("-index").first().index
    return {
        None: [
            ("home", "/"),
            ("log in", "/accounts/login/"),
            ("sign up", "/accounts/signup/"),
            ("proposals", "/proposals/"),
            ("a proposal", f"/proposals/{proposal.pk}/"),
            ("initiatives", "/proposals/initiatives/"),
            ("an initiative", f"/proposals/initiatives/{initiative.pk}/"),
            ("projects and spending", "/projects/"),
            ("a project", f"/projects/{project.pk}/"),
            ("feedback explorer", "/feedback/"),
            ("elections", "/elections/"),
            ("an open election", f"/elections/{demo.pk}/"),
            ("a published election", f"/elections/{published.pk}/"),
            ("ballot board", f"/elections/{published.pk}/board"),
            ("results", f"/elections/{published.pk}/results"),
            ("verify an election", f"/elections/{published.pk}/verify"),
            ("ledger explorer", "/ledger/"),
            ("a ledger entry", f"/ledger/entries/{entry}/"),
            ("verify a receipt", "/ledger/verify/"),
            ("digital-ID verifier", "/id/verifier/"),
        ],
        "alice": [
            ("booth", f"/elections/{demo.pk}/vote"),
            ("my digital ID", "/id/"),
            ("feedback, with its form", "/feedback/"),
            ("new initiative", "/proposals/initiatives/new"),
        ],
        "trustee1": [("trustee page", f"/elections/{demo.pk}/trustee")],
        "admin": [
            ("manage an election", f"/elections/{demo.pk}/manage"),
            ("new election", "/elections/new"),
            ("proposal form", "/proposals/new"),
            ("project form", "/projects/new"),
            ("identity official", "/id/official/"),
        ],
    }


def keyboard_problems(page) -> list[str]:
    problems: list[str] = []
    autofocused = page.evaluate(FOCUS) is not None  # a log-in form starts in its first field
    in_main = 0
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS)
        if focus is None:
            break
        if presses == 1 and not autofocused and not focus["skipLink"]:
            problems.append(f"the first Tab stops on {focus['what']}, not the skip link")
        if not focus["visible"]:
            problems.append(f"{focus['what']} shows no focus indicator")
        in_main += focus["inMain"]
        if in_main >= TABS_IN_MAIN:
            break
    if not in_main and page.locator("main :is(a[href], button, input, select, textarea)").count():
        problems.append(f"{MAX_TABS} presses of Tab did not reach the main content")
    return problems


def reflow_problems(page) -> list[str]:
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size(WIDE)
    return (
        [f"{width}px wide at {PHONE['width']}px: scrolls sideways"]
        if width > PHONE["width"]
        else []
    )


def audit_problems(page) -> list[str]:
    """Our audit and axe-core's serious and critical violations, on the page as it is now."""
    problems = page.evaluate(AUDIT)
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    problems += [
        f"axe {v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    problems += [f"script error: {error}" for error in page.script_errors]
    page.script_errors.clear()
    return problems + reflow_problems(page)


def report(found: dict[str, list[str]]) -> str:
    return "\n".join(
        f"{where}:\n" + "".join(f"  - {p}\n" for p in ps) for where, ps in found.items()
    )


def test_every_important_page_is_accessible(city, new_page):
    """The anonymous visitor reads in Spanish (longer words: a harder test of reflow), the
    others in English."""
    found: dict[str, list[str]] = {}
    for who, pages in important_pages(city).items():
        language = "en" if who else "es"
        page = new_page(who=who, locale="en-GB" if who else "es-ES")
        for name, path in pages:
            response = page.goto(path)
            assert page.locator("html").get_attribute("lang") == language, path
            if page.locator("script[src*='/static/build/']:not([src*='/base.'])").count():
                page.wait_for_load_state("networkidle")  # the page's script fetches, then draws
            problems = [] if response.ok else [f"HTTP {response.status}"]
            problems += keyboard_problems(page) + audit_problems(page)
            if problems:
                found[f"{name} ({path}{', as ' + who if who else ''})"] = problems
    assert not found, f"accessibility problems:\n{report(found)}"


def test_pages_stay_accessible_as_they_change(city, new_page):
    """What scripts and form posts put on a page: the booth's panels, verification results,
    error messages, a presentation with its QR code."""
    found: dict[str, list[str]] = {}

    def check(name: str, page) -> None:
        if problems := audit_problems(page):
            found[name] = problems

    page = new_page()
    page.goto("/accounts/login/")
    page.get_by_label("User name").fill("alice")
    page.get_by_label("Password").fill("not her password")
    page.get_by_role("button", name="Log in").click()
    page.locator(".error, .errorlist, [role=alert]").first.wait_for()
    check("log-in error", page)

    page.goto("/id/verifier/")
    page.get_by_label("Presentation (paste the resident's JSON)").fill('{"not": "a presentation"}')
    page.get_by_role("button", name="Verify").click()
    page.locator("#verdict").wait_for()
    check("verifier refusal", page)

    entry = LogLeaf.objects.order_by("-index").first().index
    page.goto(f"/ledger/verify/?index={entry}", wait_until="networkidle")
    page.locator("#verify-form").get_by_role("button", name="Verify").click()
    page.locator("#verify-checks li").first.wait_for()
    check("receipt verified", page)

    page.goto(f"/elections/{city.pk}/verify")
    page.get_by_role("button", name="Verify the record").click()
    page.wait_for_function("document.querySelector('#verify-summary').textContent.trim() !== ''")
    check("election verified", page)

    demo = Election.objects.get(title=DEMO_ELECTION)
    page = new_page(who="alice")
    page.goto(f"/elections/{demo.pk}/vote")
    page.get_by_label("Pond and wetland").check()
    page.get_by_role("button", name="Encrypt my ballot").click()
    page.get_by_role("button", name="Audit this ballot").wait_for()
    check("booth: ballot encrypted", page)
    page.get_by_role("button", name="Audit this ballot").click()
    page.locator("#audited-verdict").wait_for()
    check("booth: ballot audited", page)
    audited = page.locator("#audited-link").get_attribute("href")
    page.get_by_role("button", name="Encrypt again").click()
    page.get_by_role("button", name="Encrypt my ballot").click()
    page.get_by_role("button", name="Cast this ballot").click()
    page.locator("#confirmation").wait_for()
    check("booth: ballot cast", page)
    page.goto(audited)
    page.locator("#audit-check .badge").wait_for()
    check("audited ballot, checked by the browser", page)

    page.goto("/id/")
    page.get_by_text("Signature checked in your browser").wait_for()
    page.get_by_role("button", name="Show as QR code").click()
    page.get_by_label("Verifier's code (nonce)").fill("a11y-check-nonce")
    page.get_by_role("button", name="Create presentation").click()
    page.get_by_text("Presentation ready").wait_for()
    check("digital ID: presentation and QR codes", page)

    assert not found, f"accessibility problems:\n{report(found)}"


def assert_needs_javascript(page) -> None:
    """The page shows its <noscript> message (Playwright's text search skips <noscript>)."""
    message = page.locator("main noscript .message")
    assert message.is_visible(), page.url
    assert "needs JavaScript" in message.inner_text(), page.url


def test_pages_work_without_javascript(city, new_page):
    """Reading, searching, logging in, switching language and giving feedback need no script;
    the pages whose cryptography runs in the browser say plainly that they need JavaScript."""
    demo = Election.objects.get(title=DEMO_ELECTION)
    project = Project.objects.order_by("pk").first()
    page = new_page(javascript=False)
    expected = [
        ("/", "link", "Proposals"),
        ("/proposals/", "link", Proposal.objects.order_by("pk").first().title),
        ("/projects/", "link", project.title),
        ("/elections/", "link", city.title),
        (f"/elections/{city.pk}/results", "heading", "Weekend hours"),
        ("/ledger/", "link", str(LogLeaf.objects.order_by("-index").first().index)),
        ("/feedback/", "heading", "Feedback"),
    ]
    for path, role, name in expected:
        response = page.goto(path)
        assert response.ok, path
        assert page.locator("h1").count() == 1, path
        assert page.get_by_role(role, name=name).first.is_visible(), (path, name)
        assert "needs JavaScript" not in page.locator("main").inner_text(), path

    # The result table, the board and its search, the ledger search, a proposal filter.
    page.goto(f"/elections/{city.pk}/results")
    weekend = [page.locator(f'td[data-option="c1.o{i}"]').inner_text() for i in (1, 2, 3)]
    assert weekend == ["0", "2", "1"]  # alice and carol; bob's second ballot replaced his first
    page.goto(f"/elections/{city.pk}/board")
    trackers = page.locator("table.board code").all_inner_texts()
    assert len(trackers) == 4  # alice, bob twice, carol
    page.get_by_label("Is my ballot there?").fill(trackers[-1][:12])
    page.get_by_role("search").get_by_role("button", name="Search").click()
    assert page.locator("table.board code").all_inner_texts() == [trackers[-1]]
    page.goto("/ledger/")
    page.get_by_label("Entry number or leaf hash").fill("3")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/ledger/entries/3/")
    page.goto("/proposals/")
    page.get_by_role("searchbox", name="Search").fill("Riverside")
    page.get_by_role("button", name="Filter").click()
    assert page.locator("table.proposal-list tbody tr").count() == 1

    # Log in, switch the language, give feedback, log out: all plain form posts.
    log_in(page, "alice", DEMO_PASSWORD)
    assert page.get_by_text("Signed in as").is_visible()
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change").click()
    page.wait_for_selector("html[lang=es]")
    assert page.get_by_role("link", name="Propuestas").first.is_visible()
    page.get_by_label("Idioma").select_option("en")
    page.get_by_role("button", name="Cambiar").click()
    page.wait_for_selector("html[lang=en]")
    page.goto(f"/projects/{project.pk}/")
    page.get_by_label("Rating").select_option("4")
    page.get_by_label("Comment").fill("Works without JavaScript.")
    page.get_by_role("button", name="Send feedback").click()
    assert page.get_by_text("Thank you. Your feedback's commitment is").is_visible()

    # The digital-ID verifier checks on the server too (the browser's check is extra).
    page.goto("/id/verifier/")
    page.get_by_label("Presentation (paste the resident's JSON)").fill('{"not": "a presentation"}')
    page.get_by_role("button", name="Verify").click()
    assert page.locator("#verdict").get_by_text("Refused").is_visible()

    # The pages whose cryptography runs in the browser say so.
    for path in (
        f"/elections/{demo.pk}/vote",
        f"/elections/{city.pk}/verify",
        "/ledger/verify/",
        "/id/",
    ):
        page.goto(path)
        assert_needs_javascript(page)
    page.get_by_role("button", name="Log out").click()
    page = new_page(javascript=False, who="trustee1")
    page.goto(f"/elections/{demo.pk}/trustee")
    assert_needs_javascript(page)
