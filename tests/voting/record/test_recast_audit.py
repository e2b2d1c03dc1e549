"""Check 30 compares ciphertexts: an audited ballot cast again under fresh proofs is named.

The record is otherwise perfect (every receipt, proof and anchor holds; the tally sums the copy),
so only ``audited.never_cast`` can tell; both trackers are in its detail.
"""

from tests.voting.record.factory import build_election
from voting.record import verify_record


def test_a_reproven_audited_ballot_among_the_cast_ones_fails_naming_both_trackers():
    election = build_election(voters=3, revotes=0, audits=1, recast=True)
    record = election.record
    report = verify_record(record)
    assert [c.name for c in report.failures] == ["audited.never_cast"]
    audited, copy = record["audited"][0], record["ballots"][1]
    assert copy["alias"] == audited["alias"] and copy["tracker"] != audited["tracker"]
    assert report.failures[0].detail == (
        f"audited[0] (tracker {audited['tracker']}) shares a selection alpha with ballot[1] "
        f"(tracker {copy['tracker']}): a re-proven copy was cast"
    )


def test_a_superseded_copy_is_named_too():
    election = build_election(voters=3, revotes=1, audits=1, recast=True)
    report = verify_record(election.record)
    assert [c.name for c in report.failures] == ["audited.never_cast"]
    assert "with ballot[1] " in report.failures[0].detail
    assert election.record["ballots"][1]["superseded"]


def test_the_same_ciphertexts_under_another_voter_are_not_a_recast():
    election = build_election(voters=3, revotes=0, audits=1, recast=True)
    record = election.record
    # what check 30 looks at: the copy's voter; any other voter's ballots are never compared
    record["ballots"][1]["ballot"]["voter"] = record["ballots"][2]["alias"]
    names = [c.name for c in verify_record(record).failures]
    assert "audited.never_cast" not in names
    assert "ballot[1].voter" in names
