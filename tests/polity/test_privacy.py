"""No personal data on the ledger or on public pages: only commitments, aliases and credentials.

The demo city is seeded with people who have names, e-mail addresses, census document numbers
and birth dates; it then lives a little (an election published, a ballot cast, a sign-up verified
against the census, a request for manual review with a note, feedback, an initiative supported).
Then everything public is read: every page reachable by following links from the home page
(anonymously, and as a citizen), every GET endpoint of the public API with each object's id, the
election record, and every ledger entry's payload. None may contain anyone's personal data.
"""

import json
import re
from collections import deque
from datetime import date
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.test import Client
from django.utils import dateformat, translation
from django.utils.formats import get_format

from governance.models import Initiative, Project, Proposal
from governance.services import feedback as feedback_services
from identity.demo import ACCOUNTS, DEMO_CENSUS, UNCLAIMED_CENSUS_ROW
from identity.document_hash import document_hash
from identity.models import Residency, StatusList, User
from ledger import services as ledger
from ledger.models import Entry, LogLeaf
from tests.polity.city import seed_city
from tests.voting.factories import cast
from voting.demo import TITLE as DEMO_ELECTION
from voting.models import Ballot, Election

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password-7"
SKIP = (
    "/admin/",
    "/static/",
    "/i18n/",
    "/jsi18n/",
    "/accounts/logout/",
    "/api/docs/",
    "/ledger/verify/?",  # the same page once per entry: fetched once without the query
)
MAX_PAGES = 800
# A comment that names a bus driver, hidden by a moderator in the demo: it must stay hidden.
MODERATED = "J. Smith"


def person(username: str) -> dict[str, str]:
    """Distinctive personal details for a demo account (nothing a page would say by chance)."""
    stem = username.capitalize()
    return {
        "first_name": f"{stem}ina",
        "last_name": f"Quorrendale{len(username)}{username[-1]}",
        "email": f"{username}.private@mailbox.example",
    }


def people_with_names() -> None:
    """The demo accounts, made before ``seed_demo`` (which keeps accounts that exist)."""
    for username, _role, _staff in ACCOUNTS:
        User.objects.create_user(username, password=PASSWORD, **person(username))


def city_lives_a_little() -> None:
    """Citizens act through the pages, as people do: sign up and verify, ask for review,
    support an initiative, give feedback, vote."""
    erin = Client()
    response = erin.post(
        "/accounts/signup/",
        {
            "username": "erin",
            "email": "erin.private@mailbox.example",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    User.objects.filter(username="erin").update(first_name="Erinelle", last_name="Vasquardo")
    document, district, born = UNCLAIMED_CENSUS_ROW
    response = erin.post(
        "/id/verify/census/",
        {"document_number": document, "birth_date": born, "district": district},
    )
    assert response.status_code == 302
    assert Residency.objects.filter(user__username="erin").exists()

    frank = User.objects.create_user(
        "frank", "frank.private@mailbox.example", PASSWORD, first_name="Frankel"
    )
    frank.last_name = "Ostrowiczka"
    frank.save()
    client = Client()
    client.force_login(frank)
    response = client.post(
        "/id/verify/manual/",
        {
            "document_number": "FRANK12345",
            "birth_date": "1961-06-13",
            "district": 3,
            "note": "I am Frankel Ostrowiczka, I moved here in May.",
        },
    )
    assert response.status_code == 302

    dan = Client()
    dan.force_login(User.objects.get(username="dan"))
    initiative = Initiative.objects.order_by("pk").first()
    dan.post(f"/proposals/initiatives/{initiative.pk}/support")
    project = Project.objects.order_by("pk").first()
    response = erin.post(
        "/feedback/post",
        {
            "target": "project",
            "target_id": project.pk,
            "rating": 4,
            "text": "Bright and quiet.",
            "next": "/feedback/",
        },
    )
    assert response.status_code == 302
    feedback_services.anchor_pending()
    demo = Election.objects.get(title=DEMO_ELECTION)
    cast(demo, User.objects.get(username="alice"), {"c1": {"o2": 1}})
    ledger.sequence_pending()


def date_spellings(born: date) -> set[str]:
    """How a page or a payload could write a birth date."""
    spellings = {born.isoformat(), born.strftime("%d/%m/%Y"), born.strftime("%m/%d/%Y")}
    for language in ("en", "es"):
        with translation.override(language):
            for name in ("DATE_FORMAT", "SHORT_DATE_FORMAT"):
                spellings.add(dateformat.format(born, get_format(name)))
    return spellings


def personal_data(but_not: str = "") -> dict[str, str]:
    """Every person's details, each mapped to whose and what it is (``but_not``'s own left out:
    a citizen may see their own)."""
    found = {}
    birth_dates = {user: born for user, (_doc, _district, born) in DEMO_CENSUS.items()}
    documents = {user: doc for user, (doc, _district, _born) in DEMO_CENSUS.items()}
    documents["erin"], _, birth_dates["erin"] = UNCLAIMED_CENSUS_ROW
    documents["frank"], birth_dates["frank"] = "FRANK12345", "1961-06-13"
    for user in User.objects.exclude(username=but_not):
        name = user.username
        for what in ("email", "first_name", "last_name"):
            found[getattr(user, what)] = f"{name}'s {what}"
        found[f"{user.first_name} {user.last_name}"] = f"{name}'s full name"
        if name in documents:
            found[documents[name]] = f"{name}'s document number"
            found[document_hash(documents[name])] = f"{name}'s keyed document hash"
        if name in birth_dates:
            for spelling in date_spellings(date.fromisoformat(birth_dates[name])):
                found[spelling] = f"{name}'s birth date"
    found[MODERATED] = "a person named in a moderated comment"
    return found


def usernames(but_not: str = "") -> dict[str, re.Pattern]:
    """Each username as a whole word; "admin" and "auditor" are words a page may use, so they
    count only as a value: in quotes, after a colon or opening an element ("by": "admin",
    <dd>admin</dd>)."""
    patterns = {}
    for name in User.objects.exclude(username=but_not).values_list("username", flat=True):
        if name in ("admin", "auditor"):
            patterns[name] = re.compile(rf"""["':>]\s*{name}\b""")
        else:
            patterns[name] = re.compile(rf"\b{re.escape(name)}\b")
    return patterns


def leaks(where: str, text: str, details: dict[str, str], names: dict[str, re.Pattern]) -> list:
    lowered = text.lower()
    found = [f"{where}: {what}" for value, what in details.items() if value.lower() in lowered]
    found += [f"{where}: {name}'s username" for name, p in names.items() if p.search(text)]
    return found


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def local_links(page_url: str, text: str) -> set[str]:
    """Same-site links in HTML (href) and in JSON (URL strings)."""
    links = set()
    for raw in re.findall(r"""href="([^"]+)"|"(https?://testserver/[^"]+|/api/[^"]+)\"""", text):
        url = urldefrag(urljoin(page_url, (raw[0] or raw[1]).replace("&amp;", "&")))[0]
        parts = urlsplit(url)
        if parts.netloc in ("", "testserver") and parts.path.startswith("/"):
            links.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links


def crawl(client: Client, start: list[str]) -> dict[str, str]:
    """Every page reachable from ``start`` by links; returns path -> body (of error pages too)."""
    seen, bodies, queue = set(start), {}, deque(start)
    while queue and len(bodies) < MAX_PAGES:
        path = queue.popleft()
        response = client.get(path)
        bodies[path] = body_of(response)
        if response.status_code != 200:
            continue
        for link in local_links(path, bodies[path]) - seen:
            if not link.startswith(SKIP):
                seen.add(link)
                queue.append(link)
    assert len(bodies) < MAX_PAGES, "the crawl stopped early: raise MAX_PAGES"
    return bodies


def api_paths() -> list[str]:
    """Every GET endpoint of the public API, with each object's id filled in."""
    elections = list(Election.objects.values_list("pk", flat=True))
    ids = {
        "/api/elections/": elections,
        "/api/governance/initiatives/": Initiative.objects.values_list("pk", flat=True),
        "/api/governance/projects/": Project.objects.values_list("pk", flat=True),
        "/api/governance/proposals/": Proposal.objects.values_list("pk", flat=True),
    }
    paths = [
        "/api/",
        "/.well-known/did.json",
        "/api/governance/feedback",
        "/api/governance/initiatives",
        "/api/governance/partners",
        "/api/governance/projects",
        "/api/governance/proposal-types",
        "/api/governance/proposals",
        "/api/governance/services",
        "/api/governance/spending",
        "/api/ledger/checkpoint",
        "/api/ledger/entries",
        "/api/ledger/witnesses",
    ]
    for prefix, pks in ids.items():
        paths += [f"{prefix}{pk}" for pk in pks]
    for pk in elections:
        paths += [
            f"/api/elections/{pk}/{part}"
            for part in ("audited", "ballots", "ceremony", "context", "result", "roll", "status")
        ]
    for ballot in Ballot.objects.all():
        base = f"/api/elections/{ballot.election_id}/ballots/{ballot.tracker}"
        paths += [base, f"{base}/receipt"]
    for index in LogLeaf.objects.values_list("index", flat=True):
        paths += [f"/api/ledger/entries/{index}", f"/api/ledger/entries/{index}/receipt"]
    for status_list in StatusList.objects.all():
        paths.append(f"/api/identity/status-lists/{status_list.purpose}/{status_list.number}")
    return paths


@pytest.fixture
def lived_in_city() -> Election:
    people_with_names()
    published = seed_city()
    city_lives_a_little()
    return published


def test_no_personal_data_on_the_ledger_the_record_or_public_pages(lived_in_city):
    anonymous = Client()
    found = []
    details, names = personal_data(), usernames()
    assert LogLeaf.objects.count() == Entry.objects.count() > 50
    for entry in Entry.objects.all():
        payload = json.dumps(entry.payload, ensure_ascii=False)
        found += leaks(f"ledger entry {entry.pk} ({entry.kind})", payload, details, names)

    pages = crawl(anonymous, ["/", f"/elections/{lived_in_city.pk}/verify"])
    assert {"/proposals/", "/projects/", "/feedback/", "/ledger/"} <= set(pages)
    assert sum(path.startswith("/ledger/entries/") for path in pages) == LogLeaf.objects.count()
    assert f"/elections/{lived_in_city.pk}/record.json" in pages
    for path in api_paths():
        response = anonymous.get(path, HTTP_ACCEPT="application/json")
        assert response.status_code in (200, 404, 409), path  # not frozen or not published yet
        pages[path] = body_of(response)
    found += [leak for path, text in pages.items() for leak in leaks(path, text, details, names)]
    assert not found, "\n".join(found)


def test_no_one_elses_personal_data_on_the_pages_a_citizen_sees(lived_in_city):
    citizen = Client()
    citizen.force_login(User.objects.get(username="dan"))
    pages = crawl(citizen, ["/", "/id/"])
    assert "/id/" in pages and "/proposals/initiatives/new" in pages
    details, names = personal_data(but_not="dan"), usernames(but_not="dan")
    found = [leak for path, text in pages.items() for leak in leaks(path, text, details, names)]
    assert not found, "\n".join(found)


def test_the_checks_find_personal_data_where_it_is(db):
    """The scan itself works: details planted on a page and in a payload are found."""
    people_with_names()
    alice = User.objects.get(username="alice")
    details, names = personal_data(), usernames()
    planted = f'<p>{alice.first_name} {alice.last_name} ({alice.email}), "by": "admin"</p>'
    assert {leak.split(": ", 1)[1] for leak in leaks("page", planted, details, names)} == {
        "alice's first_name",
        "alice's last_name",
        "alice's full name",
        "alice's email",
        "alice's username",  # inside her e-mail address
        "admin's username",
    }
    assert leaks("page", "<td>April 1, 1990</td>", details, names) == ["page: alice's birth date"]
    payload = json.dumps({"born": "1990-04-01", "doc": "DEMO0001A", "who": "carol"})
    assert len(leaks("payload", payload, details, names)) == 3
    assert not leaks("page", "<p>The council admin and the auditor</p>", details, names)
    assert leaks("page", "<dd>auditor</dd>", details, names) == ["page: auditor's username"]
