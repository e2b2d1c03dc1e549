"""Citizen initiatives: a resident's draft that moves forward as residents support it.

Stages: collecting → debate (first threshold: a public debate is scheduled) → response due
(second threshold: the council must answer within ``response_days``) → answered; a missed
deadline is recorded as overdue (the council can still answer, late). Each initiative copies the
thresholds of the policy in force when it was filed.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class InitiativePolicy(models.Model):
    """The thresholds in force; the newest active policy applies to new initiatives."""

    name = models.CharField(_("name"), max_length=120)
    debate_threshold = models.PositiveIntegerField(
        _("supports for a public debate"), validators=[MinValueValidator(1)]
    )
    response_threshold = models.PositiveIntegerField(
        _("supports that oblige the council to respond"), validators=[MinValueValidator(1)]
    )
    response_days = models.PositiveSmallIntegerField(
        _("days the council has to respond"), validators=[MinValueValidator(1)]
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("initiative policy")
        verbose_name_plural = _("initiative policies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(response_threshold__gte=models.F("debate_threshold")),
                name="governance_policy_thresholds_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Initiative(models.Model):
    class State(models.TextChoices):
        COLLECTING = "collecting", _("Collecting supports")
        DEBATE = "debate", _("Public debate")
        RESPONSE_DUE = "response_due", _("Council response due")
        OVERDUE = "overdue", _("Council response overdue")
        ANSWERED = "answered", _("Answered by the council")

    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("proposal text"), max_length=20_000)
    district = models.ForeignKey(
        "identity.District", on_delete=models.PROTECT, null=True, blank=True
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("state"), max_length=14, choices=State.choices, default=State.COLLECTING
    )
    debate_threshold = models.PositiveIntegerField()
    response_threshold = models.PositiveIntegerField()
    response_days = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField()
    debate_at = models.DateTimeField(null=True, blank=True)
    response_required_at = models.DateTimeField(null=True, blank=True)
    response_due = models.DateTimeField(null=True, blank=True)
    overdue_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    response = models.TextField(_("council response"), blank=True, max_length=20_000)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("citizen initiative")
        verbose_name_plural = _("citizen initiatives")

    def __str__(self) -> str:
        return self.title

    @property
    def supports_locked(self) -> bool:
        """Once the first threshold is reached the count that moved it forward cannot shrink."""
        return self.state != self.State.COLLECTING


class InitiativeSupport(models.Model):
    """One resident's support. Withdrawing keeps the row (``withdrawn_at``) for the record; the
    database allows at most one standing support per resident and initiative."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    salt = models.CharField(max_length=64)
    commitment = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "user"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="governance_one_support_per_resident",
            )
        ]

    def __str__(self) -> str:
        return f"support {self.commitment[:12]}"
