"""Ledger entries that anchor a governance fact, linked to what they are about.

The entry (``ledger.Entry``) holds the public payload; this row says which proposal, initiative,
project or milestone it belongs to, so every page can show its timeline with receipts.
"""

from django.db import models


class Anchor(models.Model):
    kind = models.CharField(max_length=64)
    entry = models.OneToOneField("ledger.Entry", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    proposal = models.ForeignKey(
        "governance.Proposal",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="anchors",
    )
    initiative = models.ForeignKey(
        "governance.Initiative",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="anchors",
    )
    project = models.ForeignKey(
        "governance.Project",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="anchors",
    )
    milestone = models.ForeignKey(
        "governance.Milestone",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="anchors",
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} (entry {self.entry_id})"
