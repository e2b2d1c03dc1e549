"""Admin: history is read-only here (the database refuses edits anyway); witnesses are editable."""

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from ledger.cosignature import CosignatureVerifier
from ledger.models import Checkpoint, Cosignature, Entry, LogLeaf, Witness
from ledger.note import NoteError


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "appended_at"]
    list_filter = ["kind"]
    date_hierarchy = "appended_at"


@admin.register(LogLeaf)
class LogLeafAdmin(ReadOnlyAdmin):
    list_display = ["index", "entry"]


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnlyAdmin):
    list_display = ["size", "created_at"]


@admin.register(Cosignature)
class CosignatureAdmin(ReadOnlyAdmin):
    list_display = ["checkpoint", "witness", "signed_at", "received_at"]
    list_filter = ["witness"]


class WitnessForm(forms.ModelForm):
    url = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = Witness
        fields = ["name", "label", "verifier_key", "url", "active"]

    def clean(self) -> dict:
        data = super().clean()
        if self.instance.pk is None and data.get("verifier_key"):
            try:
                verifier = CosignatureVerifier(data["verifier_key"])
            except NoteError as exc:
                raise forms.ValidationError({"verifier_key": str(exc)}) from None
            if verifier.name != data.get("name"):
                raise forms.ValidationError({"name": f"the key is named {verifier.name}"})
        return data


@admin.register(Witness)
class WitnessAdmin(admin.ModelAdmin):
    form = WitnessForm
    list_display = ["label", "name", "url", "active"]
    list_editable = ["active"]

    def get_readonly_fields(self, request: HttpRequest, obj: Witness | None = None) -> list[str]:
        # A witness is its key: register a new one rather than swapping the key under a name.
        return ["name", "verifier_key"] if obj else []
