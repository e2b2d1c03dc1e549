"""People and places (accounts with a public alias, districts) and the digital ID: the census,
verified residencies, manual review requests, issuer keys, credentials and status lists."""

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_public_alias() -> str:
    """A random, stable pseudonym; public pages show it instead of a name."""
    return "c-" + secrets.token_hex(5)


class User(AbstractUser):
    """An account. Public pages and the ledger only ever see ``public_alias``."""

    email = models.EmailField(_("email address"), unique=True)
    public_alias = models.CharField(
        _("public alias"), max_length=32, unique=True, default=new_public_alias, editable=False
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        permissions = [
            ("manage_proposals", _("Create and schedule proposals and projects")),
            ("manage_elections", _("Create, open and close elections")),
            ("verify_residents", _("Verify residents and issue credentials")),
            ("act_as_trustee", _("Take part in key ceremonies and decryptions")),
            ("view_audit_data", _("Read audit data and run audits")),
            ("moderate_feedback", _("Moderate citizen feedback")),
        ]

    def __str__(self) -> str:
        return self.public_alias


class District(models.Model):
    """A district of the city; credentials and district-scoped votes refer to its number."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["number"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return f"{self.number} · {self.name}"


def _private_storage() -> FileSystemStorage:
    """Uploaded identity documents: under DATA_DIR, outside every served URL."""
    return FileSystemStorage(location=settings.DATA_DIR / "private")


class CensusRecord(models.Model):
    """One person of the official census. The document number is kept only as a keyed hash
    (HMAC-SHA-256 under the census key), so a database leak does not reveal document numbers."""

    document_hash = models.CharField(_("document hash"), max_length=64, unique=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, verbose_name=_("district"))
    birth_date = models.DateField(_("birth date"))
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        verbose_name = _("census record")
        verbose_name_plural = _("census records")

    def __str__(self) -> str:
        return f"{self.document_hash[:12]}… · {self.district}"


class Residency(models.Model):
    """An account verified as a resident of a district. At most one active residency per account
    and per document number (enforced by the database). Moving district ends the residency and
    starts a new one; ended residencies stay as history."""

    class Method(models.TextChoices):
        CENSUS = "census_match", _("Census match")
        MANUAL = "manual_review", _("Manual review")

    class EndReason(models.TextChoices):
        MOVED = "moved", _("Moved to another district")
        CORRECTED = "corrected", _("Details corrected")
        WITHDRAWN = "withdrawn", _("Verification withdrawn")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="residencies")
    document_hash = models.CharField(_("document hash"), max_length=64)
    district = models.ForeignKey(District, on_delete=models.PROTECT, verbose_name=_("district"))
    birth_date = models.DateField(_("birth date"))
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    verified_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified at"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.CharField(
        _("end reason"), max_length=20, choices=EndReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("residency")
        verbose_name_plural = _("residencies")
        constraints = [
            models.UniqueConstraint(
                fields=["document_hash"],
                condition=models.Q(ended_at__isnull=True),
                name="identity_one_verified_account_per_document",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(ended_at__isnull=True),
                name="identity_one_active_residency_per_account",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.district}"


class VerificationRequest(models.Model):
    """A citizen's request for manual review; an official approves or rejects it with a reason.
    The uploaded document (if any) is deleted once the request is decided."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="verification_requests")
    document_hash = models.CharField(_("document hash"), max_length=64)
    district = models.ForeignKey(District, on_delete=models.PROTECT, verbose_name=_("district"))
    birth_date = models.DateField(_("birth date"))
    note = models.TextField(_("note"), blank=True, max_length=2000)
    document = models.FileField(
        _("document"), storage=_private_storage, upload_to="verification/%Y/%m/", blank=True
    )
    document_type = models.CharField(_("document type"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reason = models.TextField(_("reason"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("verification request")
        verbose_name_plural = _("verification requests")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="identity_one_pending_request_per_account",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_status_display()}"


class IssuerKey(models.Model):
    """A public key the city has issued credentials with. The newest unretired one signs; retired
    ones stay in the DID document so their credentials verify until revoked. Secret keys are
    never stored in the database (see identity/issuer.py)."""

    key_id = models.CharField(_("key id"), max_length=40, unique=True)
    public_key = models.CharField(_("public key (hex)"), max_length=192, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("issuer key")
        verbose_name_plural = _("issuer keys")

    def __str__(self) -> str:
        return self.key_id


class Credential(models.Model):
    """A resident credential as issued (the signed VC document) and its current status."""

    credential_id = models.UUIDField(_("credential id"), unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="credentials")
    residency = models.ForeignKey(Residency, on_delete=models.CASCADE, related_name="credentials")
    issuer_key = models.ForeignKey(IssuerKey, on_delete=models.PROTECT, related_name="+")
    document = models.JSONField(_("document"))
    valid_from = models.DateTimeField(_("valid from"))
    valid_until = models.DateTimeField(_("valid until"))
    commitment_salt = models.CharField(max_length=64)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.CharField(_("revocation reason"), max_length=200, blank=True)
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")

    def __str__(self) -> str:
        return f"urn:uuid:{self.credential_id}"


class StatusList(models.Model):
    """One W3C Bitstring Status List (revocation or suspension) of at least 131,072 entries."""

    class Purpose(models.TextChoices):
        REVOCATION = "revocation", _("Revocation")
        SUSPENSION = "suspension", _("Suspension")

    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    number = models.PositiveIntegerField(_("number"))
    size = models.PositiveIntegerField(_("entries"))
    bits = models.BinaryField(_("bits"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["purpose", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "number"], name="identity_status_list_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.purpose} #{self.number}"


class StatusEntry(models.Model):
    """The index a credential holds in a status list; an index is never given out twice."""

    status_list = models.ForeignKey(StatusList, on_delete=models.PROTECT, related_name="entries")
    index = models.PositiveIntegerField(_("index"))
    credential = models.ForeignKey(
        Credential, on_delete=models.CASCADE, related_name="status_entries"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["status_list", "index"], name="identity_status_index_used_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.status_list} [{self.index}]"
