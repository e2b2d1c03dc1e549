from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from identity.models import (
    CensusRecord,
    Credential,
    District,
    IssuerKey,
    Residency,
    StatusList,
    User,
    VerificationRequest,
)


@admin.register(User)
class PolityUserAdmin(UserAdmin):
    list_display = ["username", "public_alias", "email", "is_staff", "is_active"]
    readonly_fields = ["public_alias"]
    fieldsets = (*UserAdmin.fieldsets, ("Polity", {"fields": ["public_alias"]}))


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["number", "name"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Identity records change only through identity.services (which anchors on the ledger and
    keeps status lists consistent), so the admin shows them without editing."""

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(CensusRecord)
class CensusRecordAdmin(ReadOnlyAdmin):
    list_display = ["document_hash", "district", "birth_date", "imported_at"]
    list_filter = ["district"]


@admin.register(Residency)
class ResidencyAdmin(ReadOnlyAdmin):
    list_display = ["user", "district", "method", "verified_at", "ended_at", "end_reason"]
    list_filter = ["district", "method", "end_reason"]


@admin.register(VerificationRequest)
class VerificationRequestAdmin(ReadOnlyAdmin):
    list_display = ["user", "district", "status", "created_at", "reviewed_by"]
    list_filter = ["status"]
    exclude = ["document"]


@admin.register(IssuerKey)
class IssuerKeyAdmin(ReadOnlyAdmin):
    list_display = ["key_id", "created_at", "retired_at"]


@admin.register(Credential)
class CredentialAdmin(ReadOnlyAdmin):
    list_display = [
        "credential_id",
        "user",
        "valid_from",
        "valid_until",
        "revoked_at",
        "suspended_at",
    ]
    exclude = ["commitment_salt"]


@admin.register(StatusList)
class StatusListAdmin(ReadOnlyAdmin):
    list_display = ["purpose", "number", "size", "updated_at"]
    exclude = ["bits"]
