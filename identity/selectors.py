"""Reads of the identity app. ``eligible_voters`` is the one function the voting app calls."""

from collections.abc import Sequence
from datetime import date, datetime

from django.db.models import QuerySet
from django.utils import timezone

from identity.credential import STATUS_PURPOSES
from identity.models import Credential, District, Residency, User, VerificationRequest
from identity.presentation import PresentationReport

CITY_WIDE = "city"


def eligible_voters(
    scope: int | str | District | None, *, minimum_age: int | None = None, on: date | None = None
) -> QuerySet[User]:
    """The verified residents who may take part in a vote of ``scope``.

    Contract (relied on by ``voting``):

    * ``scope`` is ``None`` or ``"city"`` for a city-wide vote, or a district: its number
      (``int``, or a string of digits) or a ``District``. An unknown district number, or any
      other value, raises ``ValueError`` naming it; a misconfigured election fails loudly
      rather than having no voters.
    * Returns a ``QuerySet`` of ``User``, ordered by ``pk``, without duplicates: active accounts
      (``is_active``) with an active (not ended) ``Residency``, restricted to that district for a
      district vote. A citizen who moved counts only in the new district.
    * Residency is what counts, not the credential: a suspended or expired digital ID does not
      take away the right to vote, and withdrawing a verification (``end_residency``) does.
    * ``minimum_age`` (optional) keeps only residents at least that old on ``on`` (default:
      today); without it, age is not considered.
    * The queryset is lazy: evaluate it when the roll is frozen, inside the caller's transaction
      if the roll must be consistent with other reads.
    """
    residencies = Residency.objects.filter(ended_at__isnull=True, user__is_active=True)
    if scope is None or scope == CITY_WIDE:
        pass
    else:
        residencies = residencies.filter(district=_district(scope))
    if minimum_age is not None:
        if isinstance(minimum_age, bool) or not isinstance(minimum_age, int) or minimum_age < 0:
            raise ValueError(f"minimum_age must be a non-negative integer, not {minimum_age!r}")
        day = on or timezone.localdate()
        try:
            latest_birth = day.replace(year=day.year - minimum_age)
        except ValueError:  # 29 February in a year that has none
            latest_birth = date(day.year - minimum_age, 2, 28)
        residencies = residencies.filter(birth_date__lte=latest_birth)
    return User.objects.filter(pk__in=residencies.values("user_id")).order_by("pk")


def _district(scope: int | str | District) -> District:
    if isinstance(scope, District):
        return scope
    if isinstance(scope, str) and scope.isdigit():
        scope = int(scope)
    if isinstance(scope, bool) or not isinstance(scope, int):
        raise ValueError(f"scope must be None, 'city', a district number or a District: {scope!r}")
    district = District.objects.filter(number=scope).first()
    if district is None:
        raise ValueError(f"there is no district number {scope}")
    return district


def active_residency(user: User) -> Residency | None:
    if not user.is_authenticated:
        return None
    return (
        Residency.objects.select_related("district")
        .filter(user=user, ended_at__isnull=True)
        .first()
    )


def current_credential(user: User) -> Credential | None:
    """The newest credential of the user's active residency (revoked or not), if any."""
    residency = active_residency(user)
    if residency is None:
        return None
    return residency.credentials.order_by("-issued_at", "-id").first()


def credential_state(credential: Credential) -> str:
    """``revoked``, ``suspended``, ``expired``, ``not yet valid`` or ``valid``."""
    now = timezone.now()
    if credential.revoked_at is not None:
        return "revoked"
    if credential.suspended_at is not None:
        return "suspended"
    if now >= credential.valid_until:
        return "expired"
    if now < credential.valid_from:
        return "not yet valid"
    return "valid"


def latest_request(user: User) -> VerificationRequest | None:
    if not user.is_authenticated:
        return None
    return user.verification_requests.order_by("-created_at", "-id").first()


def pending_requests() -> QuerySet[VerificationRequest]:
    return VerificationRequest.objects.filter(
        status=VerificationRequest.Status.PENDING
    ).select_related("user", "district")


def active_residencies(district: District | None = None) -> QuerySet[Residency]:
    residencies = Residency.objects.filter(ended_at__isnull=True).select_related("user", "district")
    if district is not None:
        residencies = residencies.filter(district=district)
    return residencies.order_by("district__number", "user__public_alias")


def verify_presentation(
    presentation: object,
    *,
    nonce: str,
    required: Sequence[str] = (),
    require_status: Sequence[str] = STATUS_PURPOSES,
    now: datetime | None = None,
) -> PresentationReport:
    """Verify a holder's presentation against the city's DID document and status lists.

    Raises ``PresentationError`` when the input is malformed; otherwise the report says which
    attributes are proven and, if not verified, why (see identity.presentation)."""
    from identity import presentation as presentations
    from identity.issuer import city_did, resolve_key
    from identity.status_store import status_bit

    return presentations.verify_presentation(
        presentation,
        expected_nonce=nonce,
        city_did=city_did(),
        resolve_key=resolve_key,
        status_bit=status_bit,
        now=now or timezone.now(),
        required=required,
        require_status=require_status,
    )
