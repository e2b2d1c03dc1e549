"""Forms of the officials' page."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CensusUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Census file (CSV)"),
        help_text=_(
            "Columns document_number, district, birth_date (YYYY-MM-DD). A file with any bad "
            "row is refused as a whole."
        ),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    reason = forms.CharField(required=False, max_length=2000)


class StatusActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("revoke", _("Revoke")),
            ("suspend", _("Suspend")),
            ("reinstate", _("Reinstate")),
            ("reissue", _("Issue a new credential")),
        ]
    )
    reason = forms.CharField(required=False, max_length=200)
