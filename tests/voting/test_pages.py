"""Server-rendered election pages: public pages, the booth form, the record download, the
admin's forms and transitions, and who may see what."""

import json

import pytest

from voting.export import write_record
from voting.models import Contest, Election

from .factories import cast, make_admin, make_citizens, make_trustees, open_election_with
from .pipeline import published_election

pytestmark = pytest.mark.django_db


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_public_pages_of_an_open_election(client):
    election, citizens, _ = open_election_with(voters=2, trustees=1, threshold=1)
    mine = cast(election, citizens[0])
    page = text(client.get("/elections/"))
    assert election.title in page and "Open for voting" in page
    page = text(client.get(f"/elections/{election.pk}/"))
    assert "Playground" in page and election.fingerprint in page
    board = text(client.get(f"/elections/{election.pk}/board?tracker={mine.tracker[:8]}"))
    assert mine.tracker in board and "1 ballot found" in board
    board = text(client.get(f"/elections/{election.pk}/board?tracker=ffff0000"))
    assert "No ballot has a tracker" in board
    assert client.get(f"/elections/{election.pk}/record.json").status_code == 404


def test_the_booth_form_is_labelled_carries_its_data_and_says_js_is_needed(client):
    election, citizens, _ = open_election_with(voters=1, trustees=1, threshold=1)
    assert client.get(f"/elections/{election.pk}/vote").status_code == 302  # log in first
    client.force_login(citizens[0])
    page = text(client.get(f"/elections/{election.pk}/vote"))
    assert "<noscript>" in page and "needs JavaScript" in page
    assert 'type="radio" id="c1-o1" name="c1"' in page and '<label for="c1-o1">Playground' in page
    assert 'type="checkbox" id="c2-o4"' in page
    assert "<legend>Main feature</legend>" in page
    start = page.index('<script id="booth-data" type="application/json">') + 48
    data = json.loads(page[start : page.index("</script>", start)])
    alias = election.roll.get(user=citizens[0]).alias
    assert data["voter"] == alias and data["context"]["fingerprint"] == election.fingerprint
    assert citizens[0].username not in page.split("<main")[1]
    assert "style=" not in page and "<script>" not in page  # CSP: no inline style or script


def test_the_booth_refuses_people_off_the_roll(client):
    election, _, _ = open_election_with(voters=1, trustees=1, threshold=1)
    client.force_login(make_citizens(1, prefix="late")[0])
    page = text(client.get(f"/elections/{election.pk}/vote"))
    assert "not on the voter roll" in page and "booth-data" not in page


def test_results_chart_table_record_and_verify_page(client, settings):
    election, _ = published_election()
    page = text(client.get(f"/elections/{election.pk}/results"))
    assert "<svg" in page and 'role="img"' in page and "<title" in page
    assert '<td class="count" data-option="c1.o2">2</td>' in page
    assert client.get(f"/elections/{election.pk}/record.json").status_code == 503  # not built
    write_record(election)
    response = client.get(f"/elections/{election.pk}/record.json")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    record = json.loads(b"".join(response.streaming_content))
    assert record["version"] == "polity-election-record-v1" and record["election"] == str(
        election.pk
    )
    page = text(client.get(f"/elections/{election.pk}/verify"))
    assert "election-verify.js" in page and f"/elections/{election.pk}/record.json" in page


def test_drafts_are_hidden_from_the_public_and_admin_pages_need_the_permission(client):
    admin = make_admin()
    citizen = make_citizens(1)[0]
    client.force_login(admin)
    response = client.post("/elections/new", {"title": "Bus routes", "description": ""})
    election = Election.objects.get(title="Bus routes")
    assert (
        response.status_code == 302 and response["Location"] == f"/elections/{election.pk}/manage"
    )
    client.force_login(citizen)
    assert client.get(f"/elections/{election.pk}/").status_code == 404
    assert client.get(f"/elections/{election.pk}/manage").status_code == 403
    assert client.post(f"/elections/{election.pk}/manage/start-ceremony").status_code == 403
    assert "Bus routes" not in text(client.get("/elections/"))


def test_an_admin_builds_a_draft_with_forms_and_starts_the_ceremony(client):
    admin = make_admin()
    trustees = make_trustees(2)
    client.force_login(admin)
    client.post("/elections/new", {"title": "Bus routes"})
    election = Election.objects.get(title="Bus routes")
    base = f"/elections/{election.pk}/manage"
    page = text(client.get(base))
    assert "Add at least one contest." in page

    bad = text(
        client.post(
            f"{base}/contests/new",
            {"title": "Route", "kind": "k_of_n", "votes_allowed": 5, "options": "A\nB"},
        )
    )
    assert "k must be between 1 and the number of options." in bad
    same = text(
        client.post(
            f"{base}/contests/new",
            {"title": "Route", "kind": "one_of_n", "votes_allowed": 1, "options": "A\nA"},
        )
    )
    assert "same label" in same
    client.post(
        f"{base}/contests/new",
        {
            "title": "New route",
            "kind": "k_of_n",
            "votes_allowed": 2,
            "options": "North\nSouth\nEast\n",
        },
    )
    contest = election.contests.get()
    assert contest.kind == Contest.Kind.K_OF_N and contest.options.count() == 3
    assert "North" in text(client.get(f"{base}/preview"))

    client.post(f"{base}/trustees", {"trustees": [t.pk for t in trustees], "threshold": 2})
    assert election.trustees.count() == 2
    response = client.post(f"{base}/start-ceremony", follow=True)
    assert "The key ceremony has started." in response.content.decode()
    election.refresh_from_db()
    assert election.state == Election.State.KEY_CEREMONY
    assert election.manifest["contests"][0]["max_votes"] == 2
    response = client.post(f"{base}/open", follow=True)  # not ready: the reason is shown
    assert "This cannot be done while the election is key ceremony." in response.content.decode()
    response = client.post(f"{base}/cancel", {"reason": "Wrong routes"}, follow=True)
    election.refresh_from_db()
    assert election.state == Election.State.CANCELLED


def test_the_trustee_page_is_for_the_trustees(client):
    election, citizens, kits = open_election_with(voters=1, trustees=2, threshold=1)
    client.force_login(citizens[0])
    assert "not a trustee" in text(client.get(f"/elections/{election.pk}/trustee"))
    client.force_login(kits[2].user)
    page = text(client.get(f"/elections/{election.pk}/trustee"))
    assert "trustee number 2" in page and "trustee-data" in page


def test_the_trustee_table_shows_without_javascript(client):
    election, _, kits = open_election_with(voters=1, trustees=2, threshold=1)
    client.force_login(kits[2].user)
    page = text(client.get(f"/elections/{election.pk}/trustee"))
    rows = page.split('<table id="trustee-table">')[1].split("</tbody>")[0]
    assert rows.count("<tr>") == 1 + 2  # the header and one row per trustee
    assert "Loading" not in page  # the status line stays empty until the script writes it


def test_the_count_shows_without_javascript(client):
    published, _ = published_election()
    client.force_login(make_admin("counter"))
    page = text(client.get(f"/elections/{published.pk}/manage"))
    assert "The result is published; the record is being prepared." in page
    write_record(published)
    page = text(client.get(f"/elections/{published.pk}/manage"))
    assert "The result and the election record are published." in page
    bar = page.split('id="count-progress"')[1].split(">")[0]
    maximum = bar.split('max="')[1].split('"')[0]
    assert maximum != "1" and f'value="{maximum}"' in bar  # a full bar
