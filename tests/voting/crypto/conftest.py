"""Shared fixtures for the ballot-crypto tests: small elections with real keys."""

import pytest

from voting.crypto import Contest, ElectionContext, G, Scalar, election_fingerprint


def make_context(contests: tuple[Contest, ...], name: str = "test-election") -> ElectionContext:
    key = G * Scalar.random_nonzero()
    return ElectionContext(election_fingerprint(name, contests, key), key, contests)


@pytest.fixture(scope="session")
def mayor_ctx() -> ElectionContext:
    """A 1-of-3 contest and a 2-of-4 contest."""
    return make_context(
        (
            Contest("mayor", ("alice", "bob", "carol")),
            Contest("council", ("dan", "erin", "frank", "grace"), max_votes=2),
        )
    )
