"""Form fields every handler asks for: the document number, the district and the birth date."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from identity.document_hash import document_hash
from identity.models import District


class ResidentDetailsForm(forms.Form):
    document_number = forms.CharField(
        label=_("Document number"),
        max_length=64,
        help_text=_("As printed on your identity document. We store only a keyed hash of it."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    birth_date = forms.DateField(
        label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"})
    )
    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.all(), to_field_name="number"
    )

    def clean_document_number(self) -> str:
        """Replaced by its keyed hash: the number itself goes no further than this form."""
        try:
            return document_hash(self.cleaned_data["document_number"])
        except ValueError as exc:
            raise forms.ValidationError(
                _("A document number has 4 to 32 letters and digits.")
            ) from exc

    def clean_birth_date(self) -> date:
        born = self.cleaned_data["birth_date"]
        if not date(1900, 1, 1) <= born <= date.today():
            raise forms.ValidationError(_("Enter your real date of birth."))
        return born
