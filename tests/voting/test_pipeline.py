"""The count from close to published record, in-process; the record passes both verifiers'
Python side and a tampered one fails naming the field."""

import copy
import json
import subprocess
import sys

import pytest

from ledger import services as ledger
from voting import services
from voting.export import build_record, record_path, write_record
from voting.models import Election, ElectionAnchor, TallyChunk
from voting.record import verify_record
from voting.services.errors import Invalid, NotAllowed, ProofRejected, WrongState

from .factories import cast, decrypt_as, open_election_with
from .pipeline import count_in_process, published_election

pytestmark = pytest.mark.django_db
State = Election.State
EXPECTED = {"c1": {"o1": 1, "o2": 2, "o3": 0}, "c2": {"o1": 2, "o2": 1, "o3": 0, "o4": 1}}


def test_count_decrypt_publish_gives_the_last_ballot_of_each_voter():
    election, _ = published_election()
    assert election.state == State.PUBLISHED
    assert election.result == {"ballots": 3, "counts": EXPECTED}
    kinds = list(ElectionAnchor.objects.filter(election=election).values_list("kind", flat=True))
    assert kinds == [
        "election.ceremony",
        "election.frozen",
        "election.opened",
        "election.closed",
        "election.tallying",
        "election.tallied",
        "election.decryption",
        "election.decryption",
        "election.published",
    ]


def test_chunks_are_idempotent_and_the_count_waits_for_all_of_them():
    election, citizens, _ = open_election_with(voters=5, trustees=1, threshold=1)
    for user in citizens:
        cast(election, user)
    services.close_election(election=election)
    job = services.start_tally(election=election, chunk_size=2)
    assert job.chunks_total == 3 and job.ballots == 5
    assert services.start_tally(election=election).pk == job.pk  # a second start is a no-op
    assert services.tally_chunk(job_id=job.pk, index=0)
    first = TallyChunk.objects.get(job=job, index=0).tally
    assert not services.tally_chunk(job_id=job.pk, index=0)  # redelivered: nothing changes
    assert TallyChunk.objects.get(job=job, index=0).tally == first
    assert not services.finish_count(election=election)  # two chunks still missing
    services.tally_chunk(job_id=job.pk, index=1)
    services.tally_chunk(job_id=job.pk, index=2)
    assert services.finish_count(election=election)
    assert not services.finish_count(election=election)
    election.refresh_from_db()
    assert election.state == State.DECRYPTING


def test_a_ballot_altered_in_the_database_stops_the_count_with_its_tracker():
    election, citizens, _ = open_election_with(voters=2, trustees=1, threshold=1)
    stored = cast(election, citizens[0])
    cast(election, citizens[1])
    doc = json.loads(stored.payload)
    sel = doc["contests"][0]["selections"]
    sel[0]["alpha"], sel[1]["alpha"] = sel[1]["alpha"], sel[0]["alpha"]
    type(stored).objects.filter(pk=stored.pk).update(payload=json.dumps(doc))
    services.close_election(election=election)
    services.start_tally(election=election, chunk_size=5)
    job = election.tally_job
    services.tally_chunk(job_id=job.pk, index=0)
    assert not services.finish_count(election=election)
    job.refresh_from_db()
    assert job.state == "failed" and stored.tracker in job.failure
    election.refresh_from_db()
    assert election.state == State.TALLYING


def test_partial_decryptions_are_checked_on_arrival():
    election, citizens, kits = open_election_with(voters=1, trustees=2, threshold=2)
    cast(election, citizens[0])
    services.close_election(election=election)
    with pytest.raises(WrongState):
        decrypt_as(election, kits[1])
    count_in_process(election)
    from voting.context import election_context
    from voting.crypto import partial_decrypt
    from voting.services.decryption import encrypted_tally

    ctx, tally = election_context(election), encrypted_tally(election)
    wrong_key = partial_decrypt(ctx, tally, 1, kits[2].key_share)  # trustee 1 with 2's share
    with pytest.raises(ProofRejected, match="trustee 1: decryption proof"):
        services.post_decryption(election=election, user=kits[1].user, payload=wrong_key.to_json())
    with pytest.raises(Invalid, match="trustee number"):
        services.post_decryption(
            election=election,
            user=kits[1].user,
            payload=partial_decrypt(ctx, tally, 2, kits[2].key_share).to_json(),
        )
    with pytest.raises(NotAllowed):
        services.post_decryption(election=election, user=citizens[0], payload=wrong_key.to_json())
    decrypt_as(election, kits[1])
    with pytest.raises(WrongState, match="1 of the 2"):
        services.publish_result(election=election)
    decrypt_as(election, kits[2])
    services.publish_result(election=election)
    election.refresh_from_db()
    assert election.result["counts"]["c1"] == {"o1": 1, "o2": 0, "o3": 0}


def test_an_election_without_ballots_publishes_zeros_and_its_record_verifies():
    election, _, kits = open_election_with(voters=1, trustees=1, threshold=1)
    services.close_election(election=election)
    count_in_process(election)
    decrypt_as(election, kits[1])
    services.publish_result(election=election)
    election.refresh_from_db()
    assert election.result["ballots"] == 0
    assert set(election.result["counts"]["c1"].values()) == {0}
    ledger.sequence_pending()
    report = verify_record(build_record(election))
    assert report.ok, [c for c in report.checks if c.status != "pass"]


def test_the_exported_record_verifies_and_tampering_fails_naming_the_field(tmp_path):
    election, _ = published_election()
    write_record(election)
    path = record_path(election)
    record = json.loads(path.read_text())
    report = verify_record(record)
    assert report.ok, [c for c in report.checks if c.status != "pass"]

    run = [sys.executable, "-m", "voting.verify"]
    ok = subprocess.run([*run, str(path)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr

    def tampered(mutate, name: str) -> None:
        doc = copy.deepcopy(record)
        mutate(doc)
        target = tmp_path / f"{name}.json"
        target.write_text(json.dumps(doc))
        out = subprocess.run([*run, str(target)], capture_output=True, text=True)
        assert out.returncode == 1, out.stdout
        failed = [line for line in out.stdout.splitlines() if line.startswith("FAIL")]
        assert any(name in line for line in failed), (name, out.stdout)

    def swap_v(doc):
        proof = doc["ballots"][1]["ballot"]["contests"][0]["selections"][0]["proof"]
        proof[0]["v"], proof[1]["v"] = proof[1]["v"], proof[0]["v"]

    def bump_partial(doc):
        share = doc["decryptions"][0]["shares"][0]["proof"]
        share["v"] = doc["decryptions"][1]["shares"][0]["proof"]["v"]

    def bump_result(doc):
        doc["result"]["counts"]["c1"]["o1"] += 1

    tampered(swap_v, "ballot[1].proofs")
    tampered(bump_partial, "decryption.partial[1]")
    tampered(bump_result, "result.counts")


def test_resume_redispatches_only_a_count_that_stopped_moving(monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from voting import tasks
    from voting.models import TallyJob

    sent: list[tuple] = []
    monkeypatch.setattr(tasks.tally_chunk_task, "delay", lambda *a: sent.append(a))
    election, citizens, _ = open_election_with(voters=3, trustees=1, threshold=1)
    for user in citizens:
        cast(election, user)
    services.close_election(election=election)
    job = services.start_tally(election=election, chunk_size=1)
    services.tally_chunk(job_id=job.pk, index=0)
    TallyJob.objects.filter(pk=job.pk).update(dispatched_at=timezone.now() - timedelta(minutes=5))
    assert services.resume_tallies() == 0  # chunk 0 just came in: the count is moving
    TallyChunk.objects.filter(job=job).update(done_at=None)
    TallyChunk.objects.filter(job=job, index=0).update(
        done_at=timezone.now() - timedelta(minutes=5)
    )
    assert services.resume_tallies() == 1
    assert sorted(sent) == [(job.pk, 1), (job.pk, 2)]  # only the missing chunks
    assert services.resume_tallies() == 0  # just re-dispatched: give them time
