"""Cumulative ("share points") contests: the manifest's limits, the draft rules, the booth's
number inputs, and a count of weighted points."""

import pytest

from voting import services
from voting.models import Contest
from voting.services.errors import Invalid

from .factories import cast, make_citizens, make_trustees, run_ceremony
from .pipeline import count_in_process

pytestmark = pytest.mark.django_db


def budget_election(points: int = 5, cap: int = 3):
    citizens = make_citizens(2)
    trustees = make_trustees(1)
    election = services.create_election(title="Participatory budget")
    services.add_contest(
        election=election,
        title="Where should the money go?",
        kind=Contest.Kind.CUMULATIVE,
        votes_allowed=points,
        max_per_option=cap,
        options=["Parks", "Roads", "Schools"],
    )
    services.set_trustees(election=election, users=trustees, threshold=1)
    return election, citizens, trustees


def test_points_become_the_crypto_limits():
    election, _, _ = budget_election()
    services.start_ceremony(election=election)
    election.refresh_from_db()
    assert election.manifest["contests"][0] == {
        "id": "c1",
        "selections": ["o1", "o2", "o3"],
        "max_votes": 5,
        "min_votes": 0,
        "max_per_selection": 3,
    }


def test_a_cap_above_the_points_is_refused():
    election, _, _ = budget_election(points=2, cap=3)
    with pytest.raises(Invalid, match="points to share"):
        services.start_ceremony(election=election)


def test_points_are_cast_counted_and_the_booth_offers_number_inputs(client):
    election, citizens, trustees = budget_election()
    services.start_ceremony(election=election)
    kits = run_ceremony(election, trustees)
    services.freeze_election(election=election)
    election = services.open_election(election=election)
    cast(election, citizens[0], {"c1": {"o1": 3, "o3": 2}})
    cast(election, citizens[1], {"c1": {"o1": 1, "o2": 3}})
    client.force_login(citizens[0])
    page = client.get(f"/elections/{election.pk}/vote").content.decode()
    assert 'type="number" id="c1-o1" name="c1" data-option="o1" min="0" max="3"' in page
    assert "Share up to 5 points" in page
    services.close_election(election=election)
    count_in_process(election)
    from .factories import decrypt_as

    decrypt_as(election, kits[1])
    services.publish_result(election=election)
    election.refresh_from_db()
    assert election.result["counts"]["c1"] == {"o1": 4, "o2": 3, "o3": 2}
