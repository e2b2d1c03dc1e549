"""Trustees of an election and the encrypted key shares the server relays between them.

A trustee's secret never reaches the server: only what ``voting.crypto`` makes public (the
commitments with their proofs and the share-box key) and sealed boxes only the recipient opens.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Trustee(models.Model):
    class Verdict(models.TextChoices):
        PENDING = "", _("Not checked yet")
        OK = "ok", _("Shares OK")
        COMPLAINT = "complaint", _("Complaint")

    election = models.ForeignKey(
        "voting.Election", on_delete=models.CASCADE, related_name="trustees"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="trusteeships"
    )
    index = models.PositiveSmallIntegerField()
    public = models.JSONField(null=True, blank=True)
    posted_at = models.DateTimeField(null=True, blank=True)
    shares_posted_at = models.DateTimeField(null=True, blank=True)
    verdict = models.CharField(max_length=10, choices=Verdict.choices, blank=True, default="")
    complaint_against = models.PositiveSmallIntegerField(null=True, blank=True)
    complaint_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["election", "index"]
        constraints = [
            models.UniqueConstraint(fields=["election", "index"], name="voting_trustee_index"),
            models.UniqueConstraint(fields=["election", "user"], name="voting_trustee_user"),
        ]
        verbose_name = _("trustee")
        verbose_name_plural = _("trustees")

    def __str__(self) -> str:
        return f"trustee {self.index} ({self.user})"


class ShareBox(models.Model):
    """Trustee ``sender``'s sealed share for trustee ``recipient`` (``EncryptedShare`` JSON)."""

    election = models.ForeignKey(
        "voting.Election", on_delete=models.CASCADE, related_name="share_boxes"
    )
    sender = models.PositiveSmallIntegerField()
    recipient = models.PositiveSmallIntegerField()
    box = models.JSONField()

    class Meta:
        ordering = ["election", "sender", "recipient"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "sender", "recipient"], name="voting_sharebox_pair"
            )
        ]

    def __str__(self) -> str:
        return f"share {self.sender} -> {self.recipient}"


class Complaint(models.Model):
    """An upheld complaint: trustee ``trustee`` proved that trustee ``against`` sent it a bad share.

    Kept for good (a restart of the ceremony does not erase it), with everything anyone needs to
    re-check it without trusting the server (docs/spec/ballot.md "Complaints"): the complainer's
    revealed box secret and published box key, the accused's box and published record, all as
    they were in ``attempt``. A refused complaint is never stored.
    """

    election = models.ForeignKey(
        "voting.Election", on_delete=models.CASCADE, related_name="complaints"
    )
    attempt = models.PositiveSmallIntegerField()
    trustee = models.PositiveSmallIntegerField()
    against = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=500, blank=True)
    finding = models.CharField(max_length=500)
    box_secret = models.CharField(max_length=64)
    box_key = models.CharField(max_length=64)
    box = models.JSONField()
    accused_public = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["election", "attempt", "trustee"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "attempt", "trustee"], name="voting_complaint_once"
            )
        ]

    def __str__(self) -> str:
        return f"complaint {self.trustee} -> {self.against} (attempt {self.attempt})"

    def to_json(self) -> dict:
        """The public evidence, as the ceremony API shows it."""
        return {
            "attempt": self.attempt,
            "trustee": self.trustee,
            "against": self.against,
            "upheld": True,
            "reason": self.reason,
            "finding": self.finding,
            "box_secret": self.box_secret,
            "box_key": self.box_key,
            "box": self.box,
            "accused_public": self.accused_public,
        }
