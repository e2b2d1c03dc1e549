"""Counting: verify the counted ballots in chunks, sum them, and close the count.

The pipeline is durable in the database, so it survives a killed worker:

1. ``start_tally`` (closed -> tallying) splits the counted ballots (the last of each voter) into
   chunks of consecutive ids and stores one ``TallyChunk`` row per chunk.
2. ``tally_chunk`` batch-verifies one chunk and stores its encrypted sum in that row, once (an
   UPDATE that only fills an empty row), so running it twice changes nothing.
3. ``finish_count`` (tallying -> decrypting) runs when every chunk is in: it adds the chunk sums
   and anchors the encrypted tally.

``resume_tallies`` (Celery beat) re-dispatches chunks that are still missing after a while; the
broker may also redeliver a task whose worker died (``acks_late``). Either way the result is the
same rows. Decryption and publication are in ``voting.services.decryption``.
"""

import json
from datetime import timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from voting.context import election_context
from voting.crypto import (
    BatchVerificationError,
    CryptoError,
    EncryptedBallot,
    EncryptedTally,
    add_tallies,
    aggregate,
    batch_verify,
)
from voting.models import Ballot, Election, TallyChunk, TallyJob
from voting.services.anchors import anchor, digest
from voting.services.errors import WrongState
from voting.services.lifecycle import lock

State = Election.State
CHUNK_SIZE = 500
STALE_AFTER = timedelta(minutes=2)


@transaction.atomic
def start_tally(*, election: Election, chunk_size: int = CHUNK_SIZE) -> TallyJob:
    """closed -> tallying: fix the chunks of counted ballots; dispatch them after commit."""
    election = lock(election)
    if election.state == State.TALLYING:
        return election.tally_job
    if election.state != State.CLOSED:
        raise WrongState(_("Counting starts only once voting is closed."))
    if chunk_size < 1:
        raise ValueError("chunk_size must be positive")
    ids = list(
        election.ballots.filter(superseded=False).order_by("pk").values_list("pk", flat=True)
    )
    chunks = [ids[i : i + chunk_size] for i in range(0, len(ids), chunk_size)]
    job = TallyJob.objects.create(
        election=election, chunk_size=chunk_size, chunks_total=len(chunks), ballots=len(ids)
    )
    TallyChunk.objects.bulk_create(
        [
            TallyChunk(job=job, index=i, first_ballot=c[0], last_ballot=c[-1], ballots=len(c))
            for i, c in enumerate(chunks)
        ],
        batch_size=1000,
    )
    election.state = State.TALLYING
    election.save(update_fields=["state", "updated_at"])
    anchor(
        election,
        "election.tallying",
        {"election": election.public_id, "ballots": len(ids), "chunks": len(chunks)},
    )
    transaction.on_commit(lambda: dispatch_chunks(job_id=job.pk), robust=True)
    return job


def dispatch_chunks(*, job_id: int) -> int:
    """Queue a task for every chunk not done yet (or the finishing step if none is left)."""
    from voting.tasks import finish_count_task, tally_chunk_task

    job = TallyJob.objects.get(pk=job_id)
    missing = list(job.chunks.filter(done_at__isnull=True).values_list("index", flat=True))
    TallyJob.objects.filter(pk=job.pk).update(dispatched_at=timezone.now())
    for index in missing:
        tally_chunk_task.delay(job.pk, index)
    if not missing:
        finish_count_task.delay(job.election_id)
    return len(missing)


def _load_chunk(chunk: TallyChunk, election: Election):
    rows = (
        Ballot.objects.filter(
            election=election,
            superseded=False,
            pk__gte=chunk.first_ballot,
            pk__lte=chunk.last_ballot,
        )
        .order_by("pk")
        .values_list("tracker", "payload", "voter__alias", "voter__weight")
    )
    ballots, weights, trackers, invalid = [], [], [], []
    for tracker, payload, alias, weight in rows:
        try:
            ballot = EncryptedBallot.from_json(json.loads(payload))
        except (CryptoError, ValueError) as exc:
            invalid.append({"tracker": tracker, "reason": f"malformed: {exc}"})
            continue
        if ballot.voter != alias:
            invalid.append({"tracker": tracker, "reason": "ballot is bound to another voter"})
            continue
        ballots.append(ballot)
        weights.append(weight)
        trackers.append(tracker)
    return ballots, weights, trackers, invalid, len(rows)


def tally_chunk(*, job_id: int, index: int, worker: str = "") -> bool:
    """Verify and sum one chunk; True if this call stored it, False if it was already done."""
    chunk = TallyChunk.objects.select_related("job__election").get(job_id=job_id, index=index)
    election = chunk.job.election
    if chunk.done_at is not None or election.state != State.TALLYING:
        return False
    TallyChunk.objects.filter(pk=chunk.pk, done_at__isnull=True).update(
        claimed_by=worker, claimed_at=timezone.now()
    )
    ctx = election_context(election)
    ballots, weights, trackers, invalid, rows = _load_chunk(chunk, election)
    if rows != chunk.ballots:
        invalid.append(
            {"tracker": "", "reason": f"chunk {index}: {rows} ballots, expected {chunk.ballots}"}
        )
    try:
        batch_verify(ctx, ballots)
    except BatchVerificationError as exc:
        bad = {i for i, _ in exc.failures}
        invalid += [{"tracker": trackers[i], "reason": str(err)} for i, err in exc.failures]
        ballots = [b for i, b in enumerate(ballots) if i not in bad]
        weights = [w for i, w in enumerate(weights) if i not in bad]
    weighted = any(w != 1 for w in weights)
    tally = aggregate(ctx, ballots, weights if weighted else None)
    stored = TallyChunk.objects.filter(pk=chunk.pk, done_at__isnull=True).update(
        tally=tally.to_json(), invalid=invalid or None, done_by=worker, done_at=timezone.now()
    )
    return stored == 1


@transaction.atomic
def finish_count(*, election: Election) -> bool:
    """tallying -> decrypting once every chunk is in; True if this call did it.

    A chunk with an invalid ballot (which can only happen if stored data was altered after the
    checks at cast) stops the count: the job fails with the reasons and an admin must look.
    """
    election = lock(election)
    if election.state != State.TALLYING:
        return False
    job = TallyJob.objects.select_for_update().get(election=election)
    chunks = list(job.chunks.order_by("index"))
    if any(c.done_at is None for c in chunks) or job.state != TallyJob.State.RUNNING:
        return False
    invalid = [item for c in chunks for item in (c.invalid or [])]
    if invalid:
        job.state = TallyJob.State.FAILED
        job.failure = "\n".join(f"{i['tracker']}: {i['reason']}" for i in invalid)[:10_000]
        job.save(update_fields=["state", "failure"])
        return False
    ctx = election_context(election)
    tally = add_tallies(ctx, [EncryptedTally.from_json(c.tally) for c in chunks])
    if tally.ballots != job.ballots:
        raise RuntimeError(f"chunks sum {tally.ballots} ballots, the job counts {job.ballots}")
    job.encrypted_tally = tally.to_json()
    job.state = TallyJob.State.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["encrypted_tally", "state", "finished_at"])
    election.state = State.DECRYPTING
    election.save(update_fields=["state", "updated_at"])
    anchor(
        election,
        "election.tallied",
        {
            "election": election.public_id,
            "ballots": tally.ballots,
            "tally_sha256": digest(job.encrypted_tally),
        },
    )
    return True


def tally_progress(election: Election) -> dict:
    """What the admin's progress bar shows: chunks and ballots done out of the total."""
    job = TallyJob.objects.filter(election=election).first()
    if job is None:
        return {
            "state": election.state,
            "chunks": 0,
            "chunks_done": 0,
            "ballots": 0,
            "ballots_done": 0,
            "failure": "",
        }
    done = job.chunks.filter(done_at__isnull=False)
    return {
        "state": election.state,
        "job": job.state,
        "chunks": job.chunks_total,
        "chunks_done": done.count(),
        "ballots": job.ballots,
        "ballots_done": sum(done.values_list("ballots", flat=True)),
        "failure": job.failure,
    }


def resume_tallies(*, stale_after: timedelta = STALE_AFTER) -> int:
    """Re-dispatch counts that stalled (a worker died, a message was lost); returns how many.

    Safe to run at any time: chunks already stored are skipped, duplicates write nothing.
    """
    cutoff = timezone.now() - stale_after
    resumed = 0
    jobs = TallyJob.objects.filter(
        state=TallyJob.State.RUNNING, election__state=State.TALLYING, dispatched_at__lte=cutoff
    ).annotate(last_progress=Max("chunks__done_at"))
    for job in jobs:
        if job.last_progress is None or job.last_progress <= cutoff:  # no chunk came in lately
            dispatch_chunks(job_id=job.pk)
            resumed += 1
    from voting.tasks import start_tally_task

    for election in Election.objects.filter(
        state=State.CLOSED, closed_at__lte=cutoff, tally_job__isnull=True
    ):
        start_tally_task.delay(election.pk)
        resumed += 1
    return resumed
