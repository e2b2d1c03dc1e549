"""Citizen feedback (comments and 1-5 ratings) on proposals, projects and city services.

Each item carries a salted commitment to its content (``governance.commitments``); the ledger
records the commitment, never the text. Moderation hides the text from public pages with a public
reason, but keeps it and its commitment, so the author can still prove what they wrote.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class CityService(models.Model):
    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("city service")
        verbose_name_plural = _("city services")

    def __str__(self) -> str:
        return self.name


class Feedback(models.Model):
    class Target(models.TextChoices):
        PROPOSAL = "proposal", _("Proposal")
        PROJECT = "project", _("Project")
        SERVICE = "service", _("City service")

    class State(models.TextChoices):
        VISIBLE = "visible", _("Visible")
        HIDDEN = "hidden", _("Hidden by a moderator")

    target = models.CharField(_("about"), max_length=10, choices=Target.choices)
    proposal = models.ForeignKey(
        "governance.Proposal", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    project = models.ForeignKey(
        "governance.Project", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    service = models.ForeignKey(
        CityService, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_alias = models.CharField(max_length=32)
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = models.TextField(_("comment"), blank=True, max_length=5000)
    salt = models.CharField(max_length=64)
    commitment = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.VISIBLE)
    moderation_reason = models.CharField(_("public reason"), max_length=500, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    entry = models.OneToOneField(
        "ledger.Entry", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    moderation_entry = models.OneToOneField(
        "ledger.Entry", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        target="proposal",
                        proposal__isnull=False,
                        project__isnull=True,
                        service__isnull=True,
                    )
                    | models.Q(
                        target="project",
                        proposal__isnull=True,
                        project__isnull=False,
                        service__isnull=True,
                    )
                    | models.Q(
                        target="service",
                        proposal__isnull=True,
                        project__isnull=True,
                        service__isnull=False,
                    )
                ),
                name="governance_feedback_one_target",
            ),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=False) | ~models.Q(text=""),
                name="governance_feedback_not_empty",
            ),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="governance_feedback_rating_range",
            ),
        ]

    def __str__(self) -> str:
        return f"feedback {self.commitment[:12]}"

    @property
    def target_ref(self) -> str:
        """The public reference of the target: ``proposal:12``, ``project:3``, ``service:waste``."""
        if self.target == self.Target.SERVICE:
            return f"service:{self.service.key}"
        target_id = self.proposal_id if self.target == self.Target.PROPOSAL else self.project_id
        return f"{self.target}:{target_id}"
