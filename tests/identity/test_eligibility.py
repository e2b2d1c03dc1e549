"""identity.selectors.eligible_voters: the one function the voting app calls."""

from datetime import date

import pytest

from identity import services
from identity.selectors import eligible_voters
from tests.identity.conftest import CENSUS_ROWS, census_match, make_user


@pytest.fixture
def city(census):
    """Three verified residents (districts 1, 2, 3), one unverified citizen, one inactive."""
    people = {}
    for (document, district, born), name in zip(CENSUS_ROWS, ["ana", "ben", "cai"], strict=True):
        people[name] = make_user(name)
        census_match(people[name], document, district, born)
    people["dee"] = make_user("dee")  # not verified
    return people


def test_city_wide_is_every_verified_active_resident(city):
    expected = [city["ana"].pk, city["ben"].pk, city["cai"].pk]
    assert list(eligible_voters(None).values_list("pk", flat=True)) == expected
    assert list(eligible_voters("city").values_list("pk", flat=True)) == expected


@pytest.mark.parametrize("scope", [2, "2"])
def test_district_scope_by_number(city, scope):
    assert list(eligible_voters(scope)) == [city["ben"]]


def test_district_scope_by_instance(city, districts):
    assert list(eligible_voters(districts[3])) == [city["cai"]]


def test_deactivated_accounts_are_not_eligible(city):
    city["ana"].is_active = False
    city["ana"].save()
    assert city["ana"] not in eligible_voters(None)


def test_a_citizen_who_moved_counts_only_in_the_new_district(city, official):
    from identity.census import import_census
    from tests.identity.conftest import census_csv

    import_census(data=census_csv([("X1234567A", 3, "1990-04-01")]), imported_by=official)
    assert city["ana"] not in eligible_voters(1)
    assert set(eligible_voters(3)) == {city["ana"], city["cai"]}
    assert eligible_voters(None).filter(pk=city["ana"].pk).count() == 1


def test_suspended_credential_keeps_the_vote_withdrawn_verification_does_not(city, official):
    credential = city["ben"].credentials.get()
    services.suspend_credential(credential=credential, by=official)
    assert city["ben"] in eligible_voters(2)
    services.end_residency(residency=credential.residency, by=official)
    assert city["ben"] not in eligible_voters(2)


def test_minimum_age_on_a_day(city):
    # ben was born 2009-12-31: 16 on 2025-12-31, not the day before.
    assert city["ben"] not in eligible_voters(None, minimum_age=16, on=date(2025, 12, 30))
    assert city["ben"] in eligible_voters(None, minimum_age=16, on=date(2025, 12, 31))
    assert city["ben"] not in eligible_voters(None, minimum_age=18, on=date(2026, 6, 1))
    assert len(eligible_voters(None, minimum_age=18, on=date(2026, 6, 1))) == 2


@pytest.mark.parametrize(
    ("scope", "message"),
    [
        (99, "no district number 99"),
        ("north", "scope must be"),
        (True, "scope must be"),
        (2.0, "scope must be"),
    ],
)
def test_bad_scopes_fail_loudly(city, scope, message):
    with pytest.raises(ValueError, match=message):
        eligible_voters(scope)


def test_bad_minimum_age_fails_loudly(city):
    with pytest.raises(ValueError, match="minimum_age"):
        eligible_voters(None, minimum_age=-1)
