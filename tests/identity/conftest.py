"""Fixtures for the identity tests: districts, a citizen, an official and a small census."""

import pytest
from django.contrib.auth.models import Group

from identity.census import import_census
from identity.models import District, User
from identity.roles import CITIZEN, COUNCIL_ADMIN
from identity.verification import get_handler
from identity.verification.fields import ResidentDetailsForm

PASSWORD = "a-long-test-password-1"
CENSUS_ROWS = [
    ("X1234567A", 1, "1990-04-01"),
    ("Y7654321B", 2, "2009-12-31"),
    ("Z0000001C", 3, "1975-07-15"),
]


def census_csv(rows: list[tuple[str, int, str]]) -> bytes:
    lines = ["document_number,district,birth_date", *(f"{d},{n},{b}" for d, n, b in rows)]
    return ("\n".join(lines) + "\n").encode()


def make_user(username: str, role: str = CITIZEN) -> User:
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def districts(db) -> dict[int, District]:
    names = ["Old Town", "Harbour", "Riverside"]
    return {
        number: District.objects.get_or_create(number=number, defaults={"name": name})[0]
        for number, name in enumerate(names, start=1)
    }


@pytest.fixture
def citizen(db) -> User:
    return make_user("erin")


@pytest.fixture
def official(db) -> User:
    return make_user("olga", COUNCIL_ADMIN)


@pytest.fixture
def census(districts, official) -> None:
    import_census(data=census_csv(CENSUS_ROWS), imported_by=official)


def details(document: str, district: int, born: str) -> dict:
    """Cleaned data as the resident-details form produces it (the number already hashed)."""
    form = ResidentDetailsForm(
        data={"document_number": document, "district": district, "birth_date": born}
    )
    assert form.is_valid(), form.errors
    return form.cleaned_data


def census_match(user: User, document: str, district: int, born: str):
    return get_handler("census").submit(user=user, data=details(document, district, born))


@pytest.fixture
def resident(citizen, census) -> User:
    """A citizen verified by census match in district 1 (born 1990), holding a credential."""
    census_match(citizen, "X1234567A", 1, "1990-04-01")
    return citizen
