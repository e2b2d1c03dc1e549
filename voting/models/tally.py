"""The tally pipeline's durable state: a job, its chunks, and the trustees' decryptions.

Chunks are rows keyed by (job, index) covering a fixed range of counted-ballot ids, so a chunk
computed twice (a redelivered task, a re-dispatch after a worker died) writes the same row once.
"""

from django.db import models


class TallyJob(models.Model):
    class State(models.TextChoices):
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    election = models.OneToOneField(
        "voting.Election", on_delete=models.CASCADE, related_name="tally_job"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.RUNNING)
    chunk_size = models.PositiveIntegerField()
    chunks_total = models.PositiveIntegerField()
    ballots = models.PositiveIntegerField()
    encrypted_tally = models.JSONField(null=True, blank=True)
    failure = models.TextField(blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"tally of election {self.election_id}"


class TallyChunk(models.Model):
    job = models.ForeignKey(TallyJob, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    first_ballot = models.BigIntegerField()
    last_ballot = models.BigIntegerField()
    ballots = models.PositiveIntegerField()
    tally = models.JSONField(null=True, blank=True)
    invalid = models.JSONField(null=True, blank=True)
    # Which worker last started it and which one stored it: what admins see of a stuck count.
    claimed_by = models.CharField(max_length=200, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    done_by = models.CharField(max_length=200, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["job", "index"]
        constraints = [
            models.UniqueConstraint(fields=["job", "index"], name="voting_tally_chunk_index")
        ]

    def __str__(self) -> str:
        return f"chunk {self.index} of {self.job}"


class TrusteeDecryption(models.Model):
    """A trustee's verified partial decryption of the encrypted tally (``PartialDecryption`` JSON)."""

    election = models.ForeignKey(
        "voting.Election", on_delete=models.CASCADE, related_name="decryptions"
    )
    trustee = models.OneToOneField(
        "voting.Trustee", on_delete=models.PROTECT, related_name="decryption"
    )
    payload = models.JSONField()
    posted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["election", "trustee__index"]

    def __str__(self) -> str:
        return f"decryption by {self.trustee}"
