"""Writes of the identity app: verified residencies, credentials and their status.

Each public function is one transaction: it stores everything it promises (residency, signed
credential, status entries, ledger anchors) or nothing, and refuses with ``IdentityRefusal``
whose message is shown to the person. Ledger payloads carry only salted commitments and key
ids, never personal data.
"""

import hashlib
import secrets
import uuid
from datetime import UTC, date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from identity import credential as credential_format
from identity.issuer import city_did, signing_key
from identity.models import (
    Credential,
    District,
    Residency,
    StatusEntry,
    User,
    VerificationRequest,
)
from identity.status_list import status_entry
from identity.status_store import allocate_entry, list_url, set_status
from ledger import services as ledger_services

VALIDITY = timedelta(days=365)


class IdentityRefusal(Exception):
    """A verification or status change the rules refuse; ``str(err)`` is the reason to show."""


class TooManyAttempts(IdentityRefusal):
    """Refused because of repeated failed attempts; try again later."""


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def credential_commitment(credential: Credential) -> str:
    """What the ledger shows of a credential: SHA-256(salt || "urn:uuid:<id>"), hex."""
    data = bytes.fromhex(credential.commitment_salt) + str(credential).encode("ascii")
    return hashlib.sha256(data).hexdigest()


@transaction.atomic
def verify_resident(
    *,
    user: User,
    document_hash: str,
    district: District,
    birth_date: date,
    method: str,
    verified_by: User | None = None,
) -> Residency:
    """Record that ``user`` holds the document and lives in ``district``, and issue a credential.

    A second verification with the same details keeps the residency (and issues a credential
    only if none is valid). New details (a move, a corrected birth date) end the old residency,
    revoke its credentials and start a new one with a new credential: re-verification.
    Refused when another account is verified with this document, or this account with another.
    """
    User.objects.select_for_update().get(pk=user.pk)  # one verification per account at a time
    taken = Residency.objects.filter(document_hash=document_hash, ended_at__isnull=True)
    if taken.exclude(user=user).exists():
        raise IdentityRefusal(_("This document is already verified for another account."))
    active = Residency.objects.filter(user=user, ended_at__isnull=True).first()
    if active is not None:
        if active.document_hash != document_hash:
            raise IdentityRefusal(_("Your account is already verified with a different document."))
        if active.district_id == district.pk and active.birth_date == birth_date:
            if not _valid_credentials(active).exists():
                issue_credential(residency=active)
            return active
        moved = active.district_id != district.pk
        _end_residency(
            active, Residency.EndReason.MOVED if moved else Residency.EndReason.CORRECTED
        )
    try:
        with transaction.atomic():
            residency = Residency.objects.create(
                user=user,
                document_hash=document_hash,
                district=district,
                birth_date=birth_date,
                method=method,
                verified_by=verified_by,
            )
    except IntegrityError as exc:
        raise IdentityRefusal(_("This document is already verified for another account.")) from exc
    issue_credential(residency=residency)
    return residency


def _valid_credentials(residency: Residency):
    return residency.credentials.filter(revoked_at__isnull=True, valid_until__gt=timezone.now())


def _end_residency(residency: Residency, reason: str) -> None:
    residency.ended_at = timezone.now()
    residency.end_reason = reason
    residency.save(update_fields=["ended_at", "end_reason"])
    for old in residency.credentials.filter(revoked_at__isnull=True):
        _revoke(old, str(Residency.EndReason(reason).label))


@transaction.atomic
def end_residency(*, residency: Residency, by: User | None = None) -> Residency:
    """Withdraw a verification (an official's decision): the account is no longer a verified
    resident and its credentials are revoked."""
    if residency.ended_at is not None:
        raise IdentityRefusal(_("This verification has already ended."))
    _end_residency(residency, Residency.EndReason.WITHDRAWN)
    return residency


@transaction.atomic
def issue_credential(*, residency: Residency, today: date | None = None) -> Credential:
    """Sign a resident credential for an active residency, with fresh random status indexes.

    Validity starts at midnight UTC of ``today`` (day granularity, so the date hides among
    everyone issued that day) and lasts a year. ``age_over_16``/``age_over_18`` are evaluated
    at ``validFrom``; they can only become stale in the safe direction (false while true)."""
    if residency.ended_at is not None:
        raise IdentityRefusal(_("Only an active verification gets a credential."))
    day = today or timezone.now().astimezone(UTC).date()
    valid_from = datetime.combine(day, time(0), tzinfo=UTC)
    valid_until = valid_from + VALIDITY
    key = signing_key()
    credential_id = uuid.uuid4()
    slots = {purpose: allocate_entry(purpose) for purpose in credential_format.STATUS_PURPOSES}
    entries = {
        purpose: status_entry(
            list_url=list_url(purpose, status.number), purpose=purpose, index=index
        )
        for purpose, (status, index) in slots.items()
    }
    claims = credential_format.ResidentClaims(
        credential_id=f"urn:uuid:{credential_id}",
        district=residency.district.number,
        birth_year=residency.birth_date.year,
        age_over_16=age_on(residency.birth_date, day) >= 16,
        age_over_18=age_on(residency.birth_date, day) >= 18,
    )
    document = credential_format.sign_credential(
        credential_format.unsigned_credential(
            claims=claims,
            issuer=city_did(),
            valid_from=valid_from,
            valid_until=valid_until,
            status_entries=entries,
        ),
        secret_key=key.secret_key,
        public_key=key.public_key,
        verification_method=key.verification_method,
    )
    credential = Credential.objects.create(
        credential_id=credential_id,
        user=residency.user,
        residency=residency,
        issuer_key=key.record,
        document=document,
        valid_from=valid_from,
        valid_until=valid_until,
        commitment_salt=secrets.token_hex(32),
    )
    StatusEntry.objects.bulk_create(
        [
            StatusEntry(status_list=status, index=index, credential=credential)
            for status, index in slots.values()
        ]
    )
    ledger_services.append(
        "identity.credential-issued",
        {"commitment": credential_commitment(credential), "issuer_key": key.record.key_id},
    )
    return credential


def _revoke(credential: Credential, reason: str) -> None:
    set_status(credential, "revocation", True)
    credential.revoked_at = timezone.now()
    credential.revocation_reason = reason[:200]
    credential.save(update_fields=["revoked_at", "revocation_reason"])
    ledger_services.append(
        "identity.credential-revoked", {"commitment": credential_commitment(credential)}
    )


@transaction.atomic
def revoke_credential(*, credential: Credential, reason: str, by: User | None = None) -> Credential:
    """Revoke for good: the revocation bit is set and the revocation anchored on the ledger."""
    credential = Credential.objects.select_for_update().get(pk=credential.pk)
    if credential.revoked_at is not None:
        raise IdentityRefusal(_("This credential is already revoked."))
    if not reason.strip():
        raise IdentityRefusal(_("Give a reason for the revocation."))
    _revoke(credential, reason.strip())
    return credential


@transaction.atomic
def suspend_credential(*, credential: Credential, by: User | None = None) -> Credential:
    """Suspend (reversibly), e.g. while a lost device is being replaced."""
    credential = Credential.objects.select_for_update().get(pk=credential.pk)
    if credential.revoked_at is not None:
        raise IdentityRefusal(_("A revoked credential cannot be suspended."))
    if credential.suspended_at is not None:
        raise IdentityRefusal(_("This credential is already suspended."))
    set_status(credential, "suspension", True)
    credential.suspended_at = timezone.now()
    credential.save(update_fields=["suspended_at"])
    ledger_services.append(
        "identity.credential-suspended", {"commitment": credential_commitment(credential)}
    )
    return credential


@transaction.atomic
def reinstate_credential(*, credential: Credential, by: User | None = None) -> Credential:
    """Lift a suspension: the suspension bit is cleared."""
    credential = Credential.objects.select_for_update().get(pk=credential.pk)
    if credential.suspended_at is None:
        raise IdentityRefusal(_("This credential is not suspended."))
    set_status(credential, "suspension", False)
    credential.suspended_at = None
    credential.save(update_fields=["suspended_at"])
    ledger_services.append(
        "identity.credential-reinstated", {"commitment": credential_commitment(credential)}
    )
    return credential


@transaction.atomic
def renew_credential(*, user: User) -> Credential:
    """A new credential for a verified resident whose last credential expired. After a
    revocation only an official issues a new one (``issue_credential``), so a revocation
    cannot be undone by its holder."""
    residency = Residency.objects.filter(user=user, ended_at__isnull=True).first()
    if residency is None:
        raise IdentityRefusal(_("Only verified residents get a credential."))
    if _valid_credentials(residency).exists():
        raise IdentityRefusal(_("You already have a valid credential."))
    latest = residency.credentials.order_by("-issued_at", "-id").first()
    if latest is not None and latest.revoked_at is not None:
        raise IdentityRefusal(
            _("Your credential was revoked; ask the city's verification office for a new one.")
        )
    return issue_credential(residency=residency)


@transaction.atomic
def request_review(
    *,
    user: User,
    document_hash: str,
    district: District,
    birth_date: date,
    note: str = "",
    document=None,
    document_type: str = "",
) -> VerificationRequest:
    """Ask for manual review. One pending request per account; ``document`` is an optional,
    already validated upload (see identity.verification.manual_review)."""
    if VerificationRequest.objects.filter(
        user=user, status=VerificationRequest.Status.PENDING
    ).exists():
        raise IdentityRefusal(_("You already have a request waiting for review."))
    taken = Residency.objects.filter(document_hash=document_hash, ended_at__isnull=True)
    if taken.exclude(user=user).exists():
        raise IdentityRefusal(_("This document is already verified for another account."))
    request = VerificationRequest(
        user=user,
        document_hash=document_hash,
        district=district,
        birth_date=birth_date,
        note=note.strip(),
        document_type=document_type if document else "",
    )
    try:
        with transaction.atomic():
            if document:
                suffix = DOCUMENT_SUFFIXES.get(document_type, "")
                request.document.save(f"request{suffix}", document, save=False)
            request.save()
    except IntegrityError as exc:
        _discard_upload(request)
        raise IdentityRefusal(_("You already have a request waiting for review.")) from exc
    except BaseException:
        _discard_upload(request)
        raise
    return request


DOCUMENT_SUFFIXES = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}


def _discard_upload(request: VerificationRequest) -> None:
    if request.document:
        request.document.storage.delete(request.document.name)


@transaction.atomic
def decide_request(
    *, request: VerificationRequest, approve: bool, reason: str, by: User
) -> VerificationRequest:
    """An official's decision. Approval verifies the citizen (and issues a credential); a
    rejection needs a reason, which the citizen sees. The uploaded document is deleted once
    the decision is stored: it is needed for the review, not afterwards."""
    request = VerificationRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != VerificationRequest.Status.PENDING:
        raise IdentityRefusal(_("This request has already been decided."))
    if request.user_id == by.pk:
        raise IdentityRefusal(_("Nobody reviews their own request."))
    if not approve and not reason.strip():
        raise IdentityRefusal(_("Give the citizen a reason for the rejection."))
    if approve:
        verify_resident(
            user=request.user,
            document_hash=request.document_hash,
            district=request.district,
            birth_date=request.birth_date,
            method=Residency.Method.MANUAL,
            verified_by=by,
        )
    request.status = (
        VerificationRequest.Status.APPROVED if approve else VerificationRequest.Status.REJECTED
    )
    request.reason = reason.strip()
    request.reviewed_by = by
    request.reviewed_at = timezone.now()
    upload = request.document.name if request.document else ""
    storage = request.document.storage
    request.document = ""
    request.save(update_fields=["status", "reason", "reviewed_by", "reviewed_at", "document"])
    if upload:
        transaction.on_commit(lambda: storage.delete(upload))
    return request


@transaction.atomic
def reissue_credential(*, residency: Residency, by: User | None = None) -> Credential:
    """An official replaces a resident's credential (a lost phone, a revocation in error): every
    unrevoked credential of the residency is revoked and a new one issued."""
    if residency.ended_at is not None:
        raise IdentityRefusal(_("Only an active verification gets a credential."))
    for old in residency.credentials.filter(revoked_at__isnull=True):
        _revoke(old, _("Replaced by a new credential"))
    return issue_credential(residency=residency)
