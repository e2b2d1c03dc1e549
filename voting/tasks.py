"""Celery tasks: thin wrappers over the services (the rules and the transactions live there)."""

from celery import shared_task

from ledger.selectors import NotSequenced
from voting.models import Election, TallyJob
from voting.services import decryption, lifecycle, tally


@shared_task(name="voting.start_tally")
def start_tally_task(election_id: int, chunk_size: int | None = None) -> int:
    job = tally.start_tally(
        election=Election.objects.get(pk=election_id),
        chunk_size=chunk_size or tally.CHUNK_SIZE,
    )
    return job.chunks_total


@shared_task(name="voting.tally_chunk", bind=True)
def tally_chunk_task(self, job_id: int, index: int) -> bool:
    """Verify and sum one chunk; whoever stores the last chunk finishes the count."""
    stored = tally.tally_chunk(job_id=job_id, index=index, worker=self.request.hostname or "")
    job = TallyJob.objects.get(pk=job_id)
    if not job.chunks.filter(done_at__isnull=True).exists():
        tally.finish_count(election=job.election)
    return stored


@shared_task(name="voting.finish_count")
def finish_count_task(election_id: int) -> bool:
    return tally.finish_count(election=Election.objects.get(pk=election_id))


@shared_task(name="voting.publish_result")
def publish_result_task(election_id: int) -> str:
    return decryption.publish_result(election=Election.objects.get(pk=election_id)).state


@shared_task(name="voting.build_record", bind=True, max_retries=120)
def build_record_task(self, election_id: int) -> str:
    """Write the election record once the ledger has sequenced the published entry."""
    from voting.export import write_record

    election = Election.objects.get(pk=election_id)
    try:
        return write_record(election)
    except NotSequenced as exc:
        raise self.retry(countdown=2) from exc


@shared_task(name="voting.tick")
def tick_task() -> dict:
    """Beat: open/close by schedule, resume stalled counts, finish what a lost message left."""
    changed = lifecycle.apply_schedule()
    resumed = tally.resume_tallies()
    for election in Election.objects.filter(state=Election.State.DECRYPTING):
        if election.decryptions.count() >= election.threshold:
            publish_result_task.delay(election.pk)
    for election in Election.objects.filter(state=Election.State.PUBLISHED, record_sha256=""):
        build_record_task.delay(election.pk)
    return {"changed": len(changed), "resumed": resumed}
