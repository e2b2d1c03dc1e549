"""The Python verifier accepts a real election's record and names every field that was tampered."""

import copy

import pytest

from tests.voting.record.factory import build_election, default_election
from tests.voting.record.tampering import bump, cases
from voting.record import verify_record
from voting.record.report import PASS, SKIP

SPEC_CHECKS = [
    "record.format",
    "manifest.format",
    "manifest.context",
    "manifest.fingerprint",
    "ceremony.format",
    "ceremony.id",
    "ceremony.trustee[1]",
    "ceremony.trustee[2]",
    "ceremony.trustee[3]",
    "ceremony.joint_key",
    "ceremony.shares",
    "roll.format",
    "roll.hash",
    "ledger.keys",
    "ledger.checkpoint",
    "ledger.anchor.frozen",
    "ledger.anchor.opened",
    "ledger.anchor.closed",
    "ledger.anchor.published",
    "ledger.anchor.other[*]",
    "ballot[*].format",
    "ballot[*].voter",
    "ballot[*].tracker",
    "ballot[*].receipt",
    "ballot[*].proofs",
    "ballots.unique_trackers",
    "ballots.last_counts",
    "audited[*].format",
    "audited[*].tracker",
    "audited[*].receipt",
    "audited[*].reveal",
    "audited.never_cast",
    "ledger.order",
    "tally.format",
    "tally.aggregate",
    "decryption.format",
    "decryption.partial[1]",
    "decryption.partial[3]",
    "result.format",
    "result.ballots",
    "result.counts",
]


@pytest.fixture
def election():
    return default_election()


def failed(report) -> list[str]:
    return [c.name for c in report.failures]


def test_a_valid_record_passes_every_check_in_spec_order(election):
    report = verify_record(election.record)
    assert report.ok, [(c.name, c.detail) for c in report.failures]
    assert [c.name for c in report.checks] == SPEC_CHECKS
    assert election.record["result"]["counts"] == election.expected


def test_a_weighted_election_decrypted_by_all_trustees_passes():
    election = build_election(weighted=True, decrypting=(1, 2, 3), voters=5, revotes=1, audits=1)
    report = verify_record(election.record)
    assert report.ok, [(c.name, c.detail) for c in report.failures]
    assert election.record["tally"]["max_weight"] == 3


def test_an_election_with_no_ballots_and_no_audits_verifies():
    election = build_election(voters=0, revotes=0, audits=0)
    report = verify_record(election.record)
    assert report.ok, [(c.name, c.detail) for c in report.failures]
    assert election.record["result"]["counts"]["mayor"] == {"alice": 0, "bob": 0, "carol": 0}


@pytest.mark.parametrize("tamper", cases(default_election().record), ids=lambda t: t.id)
def test_tampering_a_field_fails_and_names_it(election, tamper):
    record = tamper.apply(election.record)
    assert record != election.record
    report = verify_record(record)
    assert not report.ok
    assert tamper.expect in failed(report), [(c.name, c.detail) for c in report.failures]


def test_each_bad_ballot_in_a_batch_is_named_with_its_reason(election):
    record = copy.deepcopy(election.record)
    for i in (1, 6):
        branch = record["ballots"][i]["ballot"]["contests"][1]["selections"][2]["proof"][0]
        branch["v"] = bump(branch["v"])
    report = verify_record(record)
    proofs = {c.name: c for c in report.checks if c.name.endswith(".proofs")}
    assert proofs["ballot[*].proofs"].status != PASS
    assert "2 of 8 ballots did not pass: ballot[1], ballot[6]" in proofs["ballot[*].proofs"].detail
    assert set(proofs) == {"ballot[*].proofs", "ballot[1].proofs", "ballot[6].proofs"}
    assert (
        "ballots[6].ballot: contest 'council' selection 'fay': range proof equation for value 0"
        in proofs["ballot[6].proofs"].detail
    )


def test_a_check_that_needs_a_failed_one_is_skipped_and_says_why(election):
    record = copy.deepcopy(election.record)
    record["manifest"]["scope"] = 7
    report = verify_record(record)
    by_name = {c.name: c for c in report.checks}
    assert by_name["manifest.format"].detail == "manifest.scope must be a string"
    assert by_name["manifest.context"].status == SKIP
    assert by_name["manifest.context"].detail == "skipped: needs manifest.format"
    assert by_name["ballot[*].proofs"].status == "fail"
    assert by_name["ballot[0].proofs"].detail == "skipped: needs manifest.context"


def test_a_record_missing_a_section_stops_at_the_format_check(election):
    record = copy.deepcopy(election.record)
    del record["tally"]
    report = verify_record(record)
    assert [(c.name, c.status) for c in report.checks] == [("record.format", "fail")]
    assert report.checks[0].detail == "the record is missing tally"


def test_one_bad_partial_is_compensated_when_enough_others_remain():
    election = build_election(decrypting=(1, 2, 3), voters=3, revotes=0, audits=0)
    record = copy.deepcopy(election.record)
    proof = record["decryptions"][1]["shares"][0]["proof"]
    proof["v"] = bump(proof["v"])
    report = verify_record(record)
    # the published anchor fixed the decryptions, so the edit also shows there
    assert failed(report) == ["ledger.anchor.published", "decryption.partial[2]"]
    counts = next(c for c in report.checks if c.name == "result.counts")
    assert counts.status == PASS and "trustees 1, 3" in counts.detail


def test_a_pinned_log_key_must_match_the_records(election):
    from ledger.note import generate_signer_key

    _, other = generate_signer_key("polity.example/ledger")
    assert verify_record(election.record, log_key=election.log.log_vkey).ok
    report = verify_record(election.record, log_key=other)
    assert failed(report)[0] == "ledger.keys"


def test_pinned_witnesses_replace_the_records_list(election):
    from ledger.cosignature import COSIGNATURE_V1
    from ledger.note import generate_signer_key

    _, stranger = generate_signer_key("stranger.example", COSIGNATURE_V1)
    report = verify_record(election.record, witness_keys=[stranger])
    assert failed(report)[0] == "ledger.checkpoint"
    assert "stranger.example" in report.failures[0].detail


def test_progress_reaches_the_total_through_every_phase(election):
    seen = []
    verify_record(election.record, progress=lambda *args: seen.append(args))
    done, total, phase = seen[-1]
    assert (done, phase) == (total, "result")
    assert {p for _, _, p in seen} >= {"manifest", "ballots", "audited", "decryption", "result"}
    dones = [d for d, _, _ in seen]
    assert dones == sorted(dones)
