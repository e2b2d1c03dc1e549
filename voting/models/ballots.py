"""The frozen voter roll and the ballots cast or audited against it.

The roll gives every eligible account a random per-election alias; ballots, the bulletin board,
the ledger and the record carry only that alias. ``payload`` is the ballot's canonical JSON text,
exactly what the tracker hashes. Revoting marks the earlier ballot ``superseded``; the tally
counts each roll entry's one ballot that is not.
"""

import secrets

from django.conf import settings
from django.db import models


def new_voter_alias() -> str:
    return "v-" + secrets.token_hex(8)


class VoterRollEntry(models.Model):
    election = models.ForeignKey("voting.Election", on_delete=models.CASCADE, related_name="roll")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    alias = models.CharField(max_length=32, default=new_voter_alias)
    weight = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["election", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["election", "alias"], name="voting_roll_alias"),
            models.UniqueConstraint(fields=["election", "user"], name="voting_roll_user"),
        ]

    def __str__(self) -> str:
        return self.alias


class Ballot(models.Model):
    election = models.ForeignKey(
        "voting.Election", on_delete=models.CASCADE, related_name="ballots"
    )
    voter = models.ForeignKey(VoterRollEntry, on_delete=models.PROTECT, related_name="ballots")
    tracker = models.CharField(max_length=64)
    payload = models.TextField()
    cast_at = models.DateTimeField(auto_now_add=True)
    superseded = models.BooleanField(default=False)
    entry = models.OneToOneField(
        "ledger.Entry", on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["election", "tracker"], name="voting_ballot_tracker"),
            models.UniqueConstraint(
                fields=["voter"],
                condition=models.Q(superseded=False),
                name="voting_one_counted_ballot_per_voter",
            ),
        ]
        indexes = [models.Index(fields=["election", "superseded", "id"])]

    def __str__(self) -> str:
        return self.tracker


class AuditedBallot(models.Model):
    """A ballot the voter challenged (Benaloh): published with its secrets, never countable."""

    election = models.ForeignKey(
        "voting.Election", on_delete=models.CASCADE, related_name="audited_ballots"
    )
    voter = models.ForeignKey(VoterRollEntry, on_delete=models.PROTECT, related_name="+")
    tracker = models.CharField(max_length=64)
    payload = models.TextField()
    secrets = models.JSONField()
    choices = models.JSONField()
    audited_at = models.DateTimeField(auto_now_add=True)
    entry = models.OneToOneField(
        "ledger.Entry", on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["election", "tracker"], name="voting_audited_tracker")
        ]

    def __str__(self) -> str:
        return self.tracker
