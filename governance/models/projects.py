"""Public-private partnership projects: partners, the contract's milestones, the escrow, the
attestations that a milestone was delivered, and the money that moved.

Amounts are integer cents. The escrow of a project is what proposals allocated to it minus what
was disbursed; a milestone is paid only when its approval proposal was executed AND an accepted
attestation exists, and at most once (``Disbursement.milestone`` is unique).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Partner(models.Model):
    """A partner organisation (never a person): contractor, operator or inspection body."""

    class Role(models.TextChoices):
        CONTRACTOR = "contractor", _("Contractor")
        OPERATOR = "operator", _("Operator")
        INSPECTION = "inspection", _("Inspection body")

    name = models.CharField(_("name"), max_length=200, unique=True)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    registration = models.CharField(_("company registration"), max_length=64, blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=20_000)
    district = models.ForeignKey(
        "identity.District", on_delete=models.PROTECT, null=True, blank=True
    )
    contractor = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("contractor")
    )
    operator = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="operations",
        verbose_name=_("operator"),
    )
    contract_reference = models.CharField(_("contract reference"), max_length=64)
    budget_cents = models.BigIntegerField(
        _("contract value (cents)"), validators=[MinValueValidator(1)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self) -> str:
        return self.title


class Inspector(models.Model):
    """An inspector's signing key, registered for an inspection body. Public pages show the
    body and the key id, never the person's name."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="inspectors")
    key_id = models.SlugField(_("key id"), max_length=64, unique=True)
    public_key = models.CharField(_("Ed25519 public key (hex)"), max_length=64, unique=True)
    active = models.BooleanField(default=True)
    registered_at = models.DateTimeField()

    class Meta:
        ordering = ["key_id"]

    def __str__(self) -> str:
        return self.key_id


class Milestone(models.Model):
    class Evidence(models.TextChoices):
        INSPECTOR = "inspector", _("Inspector's signed sign-off")
        DEVICES = "devices", _("Readings from the project's devices")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    amount_cents = models.BigIntegerField(_("payment (cents)"), validators=[MinValueValidator(1)])
    evidence = models.CharField(_("evidence"), max_length=10, choices=Evidence.choices)
    # Device condition: at least `device_quorum_bps` of the project's active devices reported
    # `device_metric` true, continuously, for `device_window` seconds, never silent for more than
    # `device_max_gap` seconds (governance/device_condition.py).
    device_metric = models.SlugField(max_length=40, blank=True)
    device_quorum_bps = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10_000)]
    )
    device_window = models.PositiveIntegerField(null=True, blank=True)
    device_max_gap = models.PositiveIntegerField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        "governance.Proposal", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["project", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "position"], name="governance_milestone_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.title}"


class Device(models.Model):
    """A registered IoT device of a project; readings count only when signed by its key."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="devices")
    device_id = models.SlugField(_("device id"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=40)
    public_key = models.CharField(_("Ed25519 public key (hex)"), max_length=64, unique=True)
    active = models.BooleanField(default=True)
    registered_at = models.DateTimeField()
    last_counter = models.BigIntegerField(default=-1)
    last_timestamp = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["device_id"]

    def __str__(self) -> str:
        return self.device_id


class DeviceReading(models.Model):
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="readings")
    counter = models.BigIntegerField()
    timestamp = models.DateTimeField()
    metrics = models.JSONField()
    signature = models.CharField(max_length=128)
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["device", "counter"]
        constraints = [
            models.UniqueConstraint(fields=["device", "counter"], name="governance_reading_once")
        ]
        indexes = [models.Index(fields=["device", "timestamp"])]

    def __str__(self) -> str:
        return f"{self.device_id} #{self.counter}"


class Attestation(models.Model):
    """The accepted evidence that a milestone was delivered (one per milestone)."""

    milestone = models.OneToOneField(
        Milestone, on_delete=models.PROTECT, related_name="attestation"
    )
    evidence = models.CharField(max_length=10, choices=Milestone.Evidence.choices)
    inspector = models.ForeignKey(Inspector, on_delete=models.PROTECT, null=True, blank=True)
    statement = models.JSONField()
    signature = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField()
    entry = models.OneToOneField("ledger.Entry", on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"attestation of {self.milestone}"


class Allocation(models.Model):
    """Budget a proposal moved into a project's escrow (once per proposal and project)."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="allocations")
    proposal = models.ForeignKey("governance.Proposal", on_delete=models.PROTECT, related_name="+")
    amount_cents = models.BigIntegerField(validators=[MinValueValidator(1)])
    created_at = models.DateTimeField()
    entry = models.OneToOneField("ledger.Entry", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "project"], name="governance_allocation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.amount_cents} cents to {self.project_id} by proposal {self.proposal_id}"


class Disbursement(models.Model):
    """A milestone payment out of the escrow: exactly one per milestone."""

    milestone = models.OneToOneField(
        Milestone, on_delete=models.PROTECT, related_name="disbursement"
    )
    amount_cents = models.BigIntegerField()
    created_at = models.DateTimeField()
    entry = models.OneToOneField("ledger.Entry", on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.amount_cents} cents for milestone {self.milestone_id}"


class Decision(models.Model):
    """A decision published by an executed proposal (once per proposal)."""

    proposal = models.OneToOneField(
        "governance.Proposal", on_delete=models.PROTECT, related_name="decision"
    )
    text = models.TextField()
    published_at = models.DateTimeField()
    entry = models.OneToOneField("ledger.Entry", on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"decision of proposal {self.proposal_id}"
