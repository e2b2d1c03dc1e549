"""The count in real Celery worker processes: close to published record, and a worker killed
with SIGKILL in the middle of a chunk, replaced by a fresh one, giving the same result."""

import json
import os
import signal
import time
from collections import Counter
from datetime import timedelta

import pytest

from tests.conftest import start_worker, stop_worker
from voting import services
from voting.export import record_path
from voting.models import Election, TallyChunk
from voting.record import verify_record

from .factories import cast, decrypt_as, open_election_with

pytestmark = [pytest.mark.worker, pytest.mark.slow]
State = Election.State


def wait_for(predicate, what: str, timeout: float = 120, logs=()) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            tails = "\n".join(w.log()[-3000:] for w in logs)
            raise AssertionError(f"timed out waiting for {what}\n{tails}")
        time.sleep(0.05)


def settle() -> None:
    """Leave the broker and the worker idle before the test's database is flushed.

    Re-dispatched chunks and debounced sequencer runs may still be queued; a worker touching
    the tables while PostgreSQL truncates them can deadlock the flush. Drop what is queued,
    sequence what is pending, and give a task already running a moment to finish.
    """
    from ledger import services as ledger
    from polity.celery import app

    app.control.purge()
    ledger.sequence_pending()
    time.sleep(1.0)


def state_of(election: Election) -> str:
    return Election.objects.values_list("state", flat=True).get(pk=election.pk)


def test_close_counts_decrypts_publishes_and_records_in_the_worker(
    celery_worker_process, transactional_db
):
    worker = celery_worker_process
    election, citizens, kits = open_election_with(voters=5, trustees=3, threshold=2)
    choices = ["o1", "o2", "o2", "o3", "o2"]
    for user, option in zip(citizens, choices, strict=True):
        cast(election, user, {"c1": {option: 1}})
    cast(election, citizens[0], {"c1": {"o3": 1}})  # revote: o1 -> o3
    services.close_election(election=election, chunk_size=2)
    wait_for(lambda: state_of(election) == State.DECRYPTING, "the count", logs=[worker])
    assert election.tally_job.chunks.count() == 3
    decrypt_as(election, kits[2])
    decrypt_as(election, kits[3])
    wait_for(lambda: state_of(election) == State.PUBLISHED, "publication", logs=[worker])
    election.refresh_from_db()
    assert election.result["counts"]["c1"] == {"o1": 0, "o2": 3, "o3": 2}
    wait_for(
        lambda: Election.objects.get(pk=election.pk).record_sha256, "the record", logs=[worker]
    )
    report = verify_record(json.loads(record_path(election).read_text()))
    assert report.ok, [c for c in report.checks if c.status != "pass"]
    settle()


def test_a_worker_killed_mid_chunk_is_replaced_and_the_count_is_the_same(
    transactional_db, tmp_path
):
    election, citizens, kits = open_election_with(voters=40, trustees=1, threshold=1)
    options = ["o1", "o2", "o3"]
    for i, user in enumerate(citizens):
        cast(election, user, {"c1": {options[i % 5 % 3]: 1}})
    expected = Counter(options[i % 5 % 3] for i in range(40))

    victim = start_worker(tmp_path, name="victim")
    try:
        services.close_election(election=election, chunk_size=8)
        in_flight = TallyChunk.objects.filter(
            job__election=election, claimed_by__startswith="victim@", done_at__isnull=True
        )
        wait_for(in_flight.exists, "the victim to start a chunk", logs=[victim])
        os.killpg(victim.pid, signal.SIGKILL)
        victim.process.wait()
        killed = in_flight.values_list("index", flat=True).first()
    finally:
        stop_worker(victim)
    chunks = TallyChunk.objects.filter(job__election=election)
    assert chunks.filter(done_at__isnull=True).exists()
    assert state_of(election) == State.TALLYING

    fresh = start_worker(tmp_path, name="fresh")
    try:
        services.resume_tallies(stale_after=timedelta(0))  # what beat does after a while
        wait_for(lambda: state_of(election) == State.DECRYPTING, "the resumed count", logs=[fresh])
    finally:
        stop_worker(fresh)
    assert not chunks.filter(done_at__isnull=True).exists()
    if killed is not None:  # the chunk the victim died in was finished by someone else
        assert not chunks.get(index=killed).done_by.startswith("victim@")
    decrypt_as(election, kits[1])
    services.publish_result(election=election)
    election.refresh_from_db()
    assert election.result["ballots"] == 40
    assert election.result["counts"]["c1"] == {o: expected[o] for o in options}
    settle()
