"""Fixtures for the governance tests."""

import pytest

from tests.governance.helpers import FakeElections, make_admin, make_citizens, proposal_type


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    """Argon2 is deliberately slow; these tests create many accounts and never attack them."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def elections(monkeypatch) -> FakeElections:
    return FakeElections().install(monkeypatch)


@pytest.fixture
def admin(db):
    return make_admin("council")


@pytest.fixture
def residents(db):
    return make_citizens(5, prefix="resident")


@pytest.fixture
def ordinance(db):
    return proposal_type()
