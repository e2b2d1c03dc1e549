"""Fixtures for the election tests (not for the pure crypto/ and record/ tests below)."""

import pytest

PURE = ("crypto", "record")


@pytest.fixture(autouse=True)
def _fast_password_hashing(request: pytest.FixtureRequest) -> None:
    """Argon2 is deliberately slow; these tests create many accounts and never attack them."""
    if request.node.path.parent.name in PURE:
        return
    settings = request.getfixturevalue("settings")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
