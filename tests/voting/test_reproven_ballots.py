"""An audited ballot is never cast, not even re-proven: the rule compares ciphertexts, not trackers.

With an audit's revealed nonces anyone can prove the same ciphertexts afresh, which gives a new
tracker; a ballot whose plaintext is public must still never count, and a cast ballot's
ciphertexts must never be audited (docs/spec/election-record.md §2.6).
"""

import pytest

from ledger.models import Entry
from voting import services
from voting.context import election_context
from voting.crypto import BallotSecrets, EncryptedBallot
from voting.models import AuditedBallot, Ballot
from voting.services.errors import Conflict

from .factories import alias_of, ballot_for, open_election_with
from .reprove import reprove

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    return open_election_with(voters=2, trustees=1, threshold=1)


def audit(election, user, ballot, secrets):
    return services.audit_ballot(
        election=election, user=user, payload=ballot.to_json(), secrets=secrets.to_json()
    )


def test_a_reproven_copy_of_an_audited_ballot_is_refused_and_nothing_is_stored(setup):
    election, citizens, _ = setup
    ballot, secrets = ballot_for(election, citizens[0], {"c1": {"o2": 1}, "c2": {"o1": 1}})
    audit(election, citizens[0], ballot, secrets)
    copy = reprove(election_context(election), ballot, secrets)
    before = Entry.objects.count()
    with pytest.raises(Conflict, match="audited") as info:
        services.cast_ballot(election=election, user=citizens[0], payload=copy.to_json())
    assert info.value.status == 409
    assert not Ballot.objects.exists()
    assert Entry.objects.count() == before


def test_a_ballot_sharing_one_contest_with_an_audited_ballot_is_refused(setup):
    election, citizens, _ = setup
    ctx = election_context(election)
    spoiled, secrets = ballot_for(election, citizens[0], {"c1": {"o3": 1}})
    audit(election, citizens[0], spoiled, secrets)
    fresh, _ = ballot_for(election, citizens[0], {"c1": {"o1": 1}})
    # contests are proven independently, so mixing two of the voter's ballots gives valid proofs
    mixed = EncryptedBallot(
        fresh.election, fresh.voter, (fresh.contests[0], reprove(ctx, spoiled, secrets).contests[1])
    )
    with pytest.raises(Conflict, match="audited"):
        services.cast_ballot(election=election, user=citizens[0], payload=mixed.to_json())
    assert not Ballot.objects.exists()


@pytest.mark.parametrize("superseded", [False, True])
def test_a_reproven_copy_of_a_cast_ballot_cannot_be_audited(setup, superseded):
    election, citizens, _ = setup
    ballot, secrets = ballot_for(election, citizens[0], {"c1": {"o1": 1}})
    services.cast_ballot(election=election, user=citizens[0], payload=ballot.to_json())
    if superseded:
        later, _ = ballot_for(election, citizens[0], {"c1": {"o2": 1}})
        services.cast_ballot(election=election, user=citizens[0], payload=later.to_json())
    copy = reprove(election_context(election), ballot, secrets)
    before = Entry.objects.count()
    with pytest.raises(Conflict, match="already cast") as info:
        audit(election, citizens[0], copy, BallotSecrets(copy.tracker, secrets.contests))
    assert info.value.status == 409
    assert not AuditedBallot.objects.exists()
    assert Entry.objects.count() == before


def test_auditing_then_casting_a_fresh_ballot_still_works(setup):
    election, citizens, _ = setup
    spoiled, secrets = ballot_for(election, citizens[0], {"c1": {"o1": 1}})
    audit(election, citizens[0], spoiled, secrets)
    other, other_secrets = ballot_for(election, citizens[0], {"c1": {"o1": 1}})
    audit(election, citizens[0], other, other_secrets)  # audit as often as you like
    fresh, _ = ballot_for(election, citizens[0], {"c1": {"o1": 1}})
    stored = services.cast_ballot(election=election, user=citizens[0], payload=fresh.to_json())
    assert stored.tracker == fresh.tracker and not stored.superseded
    again, _ = ballot_for(election, citizens[0], {"c1": {"o2": 1}})
    services.cast_ballot(election=election, user=citizens[0], payload=again.to_json())
    assert Ballot.objects.filter(election=election, superseded=False).get().tracker == again.tracker


def test_another_voter_may_cast_an_audited_ballots_ciphertexts_under_their_own_alias(setup):
    """Per voter on purpose: the copy's proofs bind the new alias, so it is that voter's own
    ballot, whose public plaintext only they chose; nobody else's secrecy or vote changes, and
    the record verifier applies the same per-alias rule (so such a copy cannot fail a record)."""
    election, citizens, _ = setup
    spoiled, secrets = ballot_for(election, citizens[0], {"c1": {"o2": 1}})
    audit(election, citizens[0], spoiled, secrets)
    ctx = election_context(election)
    copy = reprove(ctx, spoiled, secrets, voter=alias_of(election, citizens[1]))
    stored = services.cast_ballot(election=election, user=citizens[1], payload=copy.to_json())
    assert stored.tracker == copy.tracker
