"""An election, its contests and options, and the ledger entries that anchor its history.

The state machine (``Election.State``) is enforced by ``voting.services``; this module only
stores it. Everything the booth and the verifiers need is frozen into ``manifest``,
``public_key`` and ``fingerprint`` once the key ceremony is over, and never changes after that.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Election(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        KEY_CEREMONY = "key_ceremony", _("Key ceremony")
        READY = "ready", _("Ready to open")
        OPEN = "open", _("Open for voting")
        CLOSED = "closed", _("Closed")
        TALLYING = "tallying", _("Counting")
        DECRYPTING = "decrypting", _("Decrypting")
        PUBLISHED = "published", _("Result published")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    district = models.ForeignKey(
        "identity.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("district"),
        help_text=_("Leave empty for a city-wide election."),
    )
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    threshold = models.PositiveSmallIntegerField(_("trustees needed to decrypt"), default=1)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)

    # Fixed when the key ceremony starts (ceremony) and when it is frozen (the rest).
    ceremony_attempt = models.PositiveSmallIntegerField(default=0)
    ceremony_id = models.CharField(max_length=64, blank=True)
    manifest = models.JSONField(null=True, blank=True)
    public_key = models.CharField(max_length=128, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    roll_digest = models.CharField(max_length=64, blank=True)

    result = models.JSONField(null=True, blank=True)
    record_sha256 = models.CharField(max_length=64, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    # Empty: the election follows its own schedule and its managers' buttons. Otherwise the name
    # of the app that drives it (a proposal's vote: "governance"); only that app opens, closes or
    # cancels it, so a proposal's voting period cannot be cut short from the elections pages.
    driven_by = models.CharField(_("driven by"), max_length=32, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("election")
        verbose_name_plural = _("elections")

    def __str__(self) -> str:
        return self.title

    @property
    def public_id(self) -> str:
        """The election id of the record and the fingerprint: the id in the election's URLs."""
        return str(self.pk)

    @property
    def is_frozen(self) -> bool:
        return bool(self.fingerprint)

    @property
    def scope(self) -> int | None:
        """What ``identity.selectors.eligible_voters`` takes: None or a district number."""
        return self.district.number if self.district_id else None


class Contest(models.Model):
    """One question on the ballot. ``kind`` and ``votes_allowed`` map to the crypto limits."""

    class Kind(models.TextChoices):
        ONE_OF_N = "one_of_n", _("Choose one")
        K_OF_N = "k_of_n", _("Choose up to k")
        APPROVAL = "approval", _("Approve any number")
        CUMULATIVE = "cumulative", _("Share points")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="contests")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    key = models.CharField(max_length=64, blank=True)
    title = models.CharField(_("question"), max_length=300)
    description = models.TextField(_("explanation"), blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.ONE_OF_N)
    votes_allowed = models.PositiveSmallIntegerField(
        _("k (choices allowed), or points to share"),
        default=1,
        help_text=_("For 'Choose up to k': k. For 'Share points': the points each voter shares."),
    )
    max_per_option = models.PositiveSmallIntegerField(
        _("most points for one option"),
        default=1,
        help_text=_("Only for 'Share points'."),
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("contest")
        verbose_name_plural = _("contests")

    def __str__(self) -> str:
        return self.title

    def max_votes(self, options: int) -> int:
        """The contest total's upper bound (B§1 ``max_votes``)."""
        if self.kind == self.Kind.ONE_OF_N:
            return 1
        if self.kind in (self.Kind.K_OF_N, self.Kind.CUMULATIVE):
            return min(self.votes_allowed, options * self.per_option())
        return options

    def per_option(self) -> int:
        """B§1 ``max_per_selection``: 1, except the points cap of a cumulative contest."""
        return self.max_per_option if self.kind == self.Kind.CUMULATIVE else 1


class Option(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    key = models.CharField(max_length=64, blank=True)
    label = models.CharField(_("option"), max_length=200)
    description = models.CharField(_("details"), max_length=500, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self) -> str:
        return self.label


class ElectionAnchor(models.Model):
    """A ledger entry that anchors one step of the election (not ballots: those link their own)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="anchors")
    kind = models.CharField(max_length=64)
    entry = models.OneToOneField("ledger.Entry", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.kind} ({self.election_id})"
