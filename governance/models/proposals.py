"""Proposals: the DAO lifecycle of OpenZeppelin's Governor, with the encrypted vote in the middle.

The state machine lives in ``governance.services.lifecycle``; this module stores it. A proposal
copies its type's parameters when it is created, so editing a type never changes the rules of a
proposal already under way. Durations are whole seconds.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

BPS = 10_000  # basis points in one whole


class VoteType(models.TextChoices):
    FOR_AGAINST_ABSTAIN = "for_against_abstain", _("For / against / abstain")
    SINGLE_CHOICE = "single_choice", _("Single choice")
    APPROVAL = "approval", _("Approval (any number of options)")
    BUDGET = "budget", _("Participatory budget")


class Threshold(models.TextChoices):
    SIMPLE_MAJORITY = "simple_majority", _("Simple majority (more than half)")
    TWO_THIRDS = "two_thirds", _("Two thirds")


class ProposalType(models.Model):
    """A kind of decision and its rules (e.g. "Ordinance": 7-day vote, 10% quorum, two thirds)."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    voting_delay = models.PositiveIntegerField(
        _("voting delay (seconds)"), help_text=_("Time between publication and the vote.")
    )
    voting_period = models.PositiveIntegerField(
        _("voting period (seconds)"), validators=[MinValueValidator(1)]
    )
    quorum_bps = models.PositiveIntegerField(
        _("quorum (basis points of eligible residents)"),
        validators=[MaxValueValidator(BPS)],
        help_text=_("1000 = 10% of the eligible residents must take part."),
    )
    threshold = models.CharField(_("support threshold"), max_length=20, choices=Threshold.choices)
    timelock = models.PositiveIntegerField(
        _("timelock (seconds)"), help_text=_("Time between success and earliest execution.")
    )
    grace_period = models.PositiveIntegerField(
        _("grace period (seconds)"),
        validators=[MinValueValidator(1)],
        help_text=_("After the timelock, how long the council has to execute before it expires."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("proposal type")
        verbose_name_plural = _("proposal types")

    def __str__(self) -> str:
        return self.name


class Proposal(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACTIVE = "active", _("Active")
        TALLYING = "tallying", _("Tallying")
        DEFEATED = "defeated", _("Defeated")
        SUCCEEDED = "succeeded", _("Succeeded")
        QUEUED = "queued", _("Queued")
        EXECUTED = "executed", _("Executed")
        EXPIRED = "expired", _("Expired")
        CANCELED = "canceled", _("Canceled")

    FINAL_STATES = frozenset({State.DEFEATED, State.EXECUTED, State.EXPIRED, State.CANCELED})

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=20_000)
    proposal_type = models.ForeignKey(
        ProposalType, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("type")
    )
    vote_type = models.CharField(_("vote type"), max_length=24, choices=VoteType.choices)
    district = models.ForeignKey(
        "identity.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("district"),
        help_text=_("Leave empty for a city-wide vote."),
    )
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    initiative = models.ForeignKey(
        "governance.Initiative",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices)

    # The type's parameters, copied at creation.
    voting_delay = models.PositiveIntegerField()
    voting_period = models.PositiveIntegerField()
    quorum_bps = models.PositiveIntegerField()
    threshold = models.CharField(max_length=20, choices=Threshold.choices)
    timelock = models.PositiveIntegerField()
    grace_period = models.PositiveIntegerField()
    # Participatory budget: the total to share out, the points each resident allocates and the
    # most points one project may receive from one resident.
    budget_cents = models.BigIntegerField(null=True, blank=True)
    budget_points = models.PositiveSmallIntegerField(null=True, blank=True)
    points_cap = models.PositiveSmallIntegerField(null=True, blank=True)

    created_at = models.DateTimeField()
    vote_start = models.DateTimeField(_("voting starts"))
    vote_end = models.DateTimeField(_("voting ends"))
    decided_at = models.DateTimeField(null=True, blank=True)
    eta = models.DateTimeField(_("executable from"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    executed_at = models.DateTimeField(null=True, blank=True)
    canceled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(_("reason for canceling"), max_length=500, blank=True)
    canceled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    election = models.OneToOneField(
        "voting.Election",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposal",
    )
    outcome = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quorum_bps__lte=BPS), name="governance_quorum_at_most_whole"
            ),
            models.CheckConstraint(
                condition=models.Q(vote_end__gt=models.F("vote_start")),
                name="governance_vote_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_final(self) -> bool:
        return self.state in self.FINAL_STATES

    @property
    def scope(self) -> int | None:
        """What ``identity.selectors.eligible_voters`` takes: None or a district number."""
        return self.district.number if self.district_id else None


class ProposalOption(models.Model):
    """One answer on the ballot. For/against/abstain proposals get the three fixed options; a
    participatory budget has one option per project with the amount it asks for."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=32)
    label = models.CharField(_("option"), max_length=200)
    project = models.ForeignKey(
        "governance.Project", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    amount_cents = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["proposal", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "position"], name="governance_option_position"
            ),
            models.UniqueConstraint(fields=["proposal", "key"], name="governance_option_key"),
        ]

    def __str__(self) -> str:
        return self.label


class ProposalAction(models.Model):
    """What executing the proposal does. Each action runs once (``done_at``; the effect tables
    carry their own unique keys too), in ``position`` order, in a Celery task."""

    class Kind(models.TextChoices):
        PUBLISH_DECISION = "publish_decision", _("Publish a decision")
        ALLOCATE_BUDGET = "allocate_budget", _("Allocate a budget to a project")
        RELEASE_MILESTONE = "release_milestone", _("Release a milestone payment")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="actions")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField(blank=True, max_length=20_000)
    project = models.ForeignKey(
        "governance.Project", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    milestone = models.ForeignKey(
        "governance.Milestone",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approval_actions",
    )
    amount_cents = models.BigIntegerField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    result = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["proposal", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "position"], name="governance_action_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.proposal_id})"
