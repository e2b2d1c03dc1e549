"""Casting and auditing: every refusal says why and stores nothing; the last ballot counts."""

import json

import pytest

from ledger.models import Entry
from voting import services
from voting.context import election_context
from voting.crypto import encrypt_ballot
from voting.models import AuditedBallot, Ballot
from voting.services.errors import Conflict, Invalid, NotAllowed, ProofRejected, WrongState

from .factories import alias_of, ballot_for, cast, make_user, open_election_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    return open_election_with(voters=3, trustees=1, threshold=1)


def nothing_stored(election, entries_before: int) -> None:
    assert not Ballot.objects.filter(election=election).exists()
    assert Entry.objects.count() == entries_before


def test_a_valid_ballot_is_stored_with_its_ledger_entry(setup):
    election, citizens, _ = setup
    ballot, _ = ballot_for(election, citizens[0])
    stored = services.cast_ballot(election=election, user=citizens[0], payload=ballot.to_json())
    assert stored.tracker == ballot.tracker
    assert stored.entry.kind == "ballot.cast"
    assert stored.entry.payload == {"election": election.public_id, "tracker": ballot.tracker}
    assert json.loads(stored.payload) == ballot.to_json()


@pytest.mark.parametrize(
    ("mutate", "error", "reason"),
    [
        (lambda b: "{not json", Invalid, "not valid JSON"),
        (lambda b: [1, 2], Invalid, "JSON object"),
        (lambda b: {**b, "extra": 1}, Invalid, "malformed ballot"),
        (lambda b: {**b, "contests": "x"}, Invalid, "malformed ballot"),
    ],
)
def test_malformed_ballots_are_refused(setup, mutate, error, reason):
    election, citizens, _ = setup
    before = Entry.objects.count()
    ballot, _ = ballot_for(election, citizens[0])
    with pytest.raises(error, match=reason) as info:
        services.cast_ballot(election=election, user=citizens[0], payload=mutate(ballot.to_json()))
    assert info.value.status == 400
    nothing_stored(election, before)


def test_a_tampered_proof_is_refused_naming_the_selection(setup):
    election, citizens, _ = setup
    before = Entry.objects.count()
    ballot, _ = ballot_for(election, citizens[0])
    doc = ballot.to_json()
    branch = doc["contests"][0]["selections"][1]["proof"][0]
    branch["v"], doc["contests"][0]["selections"][1]["proof"][1]["v"] = (
        doc["contests"][0]["selections"][1]["proof"][1]["v"],
        branch["v"],
    )
    with pytest.raises(ProofRejected, match="selection 'o2'") as info:
        services.cast_ballot(election=election, user=citizens[0], payload=doc)
    assert info.value.status == 422
    nothing_stored(election, before)


def test_a_ballot_bound_to_another_voter_is_refused(setup):
    election, citizens, _ = setup
    before = Entry.objects.count()
    ballot, _ = ballot_for(election, citizens[1])
    with pytest.raises(ProofRejected, match="bound to voter"):
        services.cast_ballot(election=election, user=citizens[0], payload=ballot.to_json())
    nothing_stored(election, before)


def test_a_ballot_for_another_election_is_refused(setup):
    election, citizens, _ = setup
    other, other_citizens, _ = open_election_with(voters=1, trustees=1, threshold=1, prefix="x")
    ballot, _ = ballot_for(other, other_citizens[0])
    before = Entry.objects.count()
    with pytest.raises(NotAllowed):  # resident only since after this roll was frozen
        services.cast_ballot(election=election, user=other_citizens[0], payload=ballot.to_json())
    # This election's voter, with a ballot made for the other election:
    forged, _ = encrypt_ballot(
        election_context(other), alias_of(election, citizens[0]), {"c1": {"o1": 1}}
    )
    with pytest.raises(ProofRejected, match="another election"):
        services.cast_ballot(election=election, user=citizens[0], payload=forged.to_json())
    nothing_stored(election, before)


def test_someone_off_the_roll_is_refused(setup):
    election, _, _ = setup
    stranger = make_user("stranger", resident_of=1)  # resident, but after the roll was frozen
    before = Entry.objects.count()
    with pytest.raises(NotAllowed, match="voter roll") as info:
        services.cast_ballot(election=election, user=stranger, payload={})
    assert info.value.status == 403
    nothing_stored(election, before)


def test_a_replayed_ballot_is_refused(setup):
    election, citizens, _ = setup
    ballot, _ = ballot_for(election, citizens[0])
    services.cast_ballot(election=election, user=citizens[0], payload=ballot.to_json())
    before = Entry.objects.count()
    with pytest.raises(Conflict, match="already cast") as info:
        services.cast_ballot(election=election, user=citizens[0], payload=ballot.to_json())
    assert info.value.status == 409
    assert Ballot.objects.filter(election=election).count() == 1
    assert Entry.objects.count() == before


def test_casting_after_close_is_refused(setup):
    election, citizens, _ = setup
    ballot, _ = ballot_for(election, citizens[0])
    services.close_election(election=election)
    before = Entry.objects.count()
    with pytest.raises(WrongState, match="closed") as info:
        services.cast_ballot(election=election, user=citizens[0], payload=ballot.to_json())
    assert info.value.status == 409
    nothing_stored(election, before)


def test_revoting_supersedes_the_earlier_ballot(setup):
    election, citizens, _ = setup
    first = cast(election, citizens[0], {"c1": {"o1": 1}})
    second = cast(election, citizens[0], {"c1": {"o2": 1}})
    first.refresh_from_db()
    assert first.superseded and not second.superseded
    counted = Ballot.objects.filter(election=election, superseded=False)
    assert list(counted) == [second]


def test_an_audited_ballot_is_published_with_its_choices_and_can_never_be_cast(setup):
    election, citizens, _ = setup
    ballot, secrets = ballot_for(election, citizens[0], {"c1": {"o3": 1}, "c2": {"o1": 1}})
    audited = services.audit_ballot(
        election=election, user=citizens[0], payload=ballot.to_json(), secrets=secrets.to_json()
    )
    assert audited.choices["c1"] == {"o1": 0, "o2": 0, "o3": 1}
    assert audited.entry.payload == {"election": election.public_id, "tracker": ballot.tracker}
    before = Entry.objects.count()
    with pytest.raises(Conflict, match="audited"):
        services.cast_ballot(election=election, user=citizens[0], payload=ballot.to_json())
    assert Entry.objects.count() == before
    assert not Ballot.objects.exists()


def test_an_audit_with_wrong_secrets_is_refused_and_a_cast_ballot_cannot_be_audited(setup):
    election, citizens, _ = setup
    ballot, secrets = ballot_for(election, citizens[0])
    lie = secrets.to_json()
    lie["contests"][0]["selections"][0]["vote"] = 0
    lie["contests"][0]["selections"][1]["vote"] = 1
    with pytest.raises(ProofRejected, match="not an encryption of the revealed vote"):
        services.audit_ballot(
            election=election, user=citizens[0], payload=ballot.to_json(), secrets=lie
        )
    assert not AuditedBallot.objects.exists()
    services.cast_ballot(election=election, user=citizens[0], payload=ballot.to_json())
    with pytest.raises(Conflict, match="already cast"):
        services.audit_ballot(
            election=election,
            user=citizens[0],
            payload=ballot.to_json(),
            secrets=secrets.to_json(),
        )
    other, _ = ballot_for(election, citizens[1])
    with pytest.raises(ProofRejected, match="another voter"):
        services.audit_ballot(
            election=election, user=citizens[0], payload=other.to_json(), secrets=secrets.to_json()
        )
