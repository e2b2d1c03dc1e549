"""Forms of the admin pages. They check input; the rules live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from identity.models import District
from voting.models import Contest, Election
from voting.services.drafts import trustee_candidates
from voting.services.lifecycle import MAX_POINTS

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ElectionForm(forms.ModelForm):
    class Meta:
        model = Election
        fields = ["title", "description", "district", "opens_at", "closes_at"]
        widgets = {"opens_at": DATETIME, "closes_at": DATETIME}
        help_texts = {
            "opens_at": _("Optional. Voting opens by itself at this time (or open it by hand)."),
            "closes_at": _("Optional. Voting closes by itself at this time (or close it by hand)."),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.order_by("number")
        self.fields["district"].empty_label = _("Whole city")
        for name in ("opens_at", "closes_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]

    def clean(self) -> dict:
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The election must close after it opens."))
        return data


class ContestForm(forms.Form):
    title = forms.CharField(label=_("Question"), max_length=300)
    description = forms.CharField(
        label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    kind = forms.ChoiceField(label=_("How people answer"), choices=Contest.Kind.choices)
    votes_allowed = forms.IntegerField(
        label=_("k, or the points each voter shares"),
        min_value=1,
        initial=1,
        help_text=_("“Choose up to k”: how many options at most. “Share points”: the points."),
    )
    max_per_option = forms.IntegerField(
        label=_("Most points one option may get"),
        min_value=1,
        initial=1,
        required=False,
        help_text=_("Only used for “Share points”."),
    )
    options = forms.CharField(
        label=_("Options, one per line, in ballot order"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def clean_options(self) -> list[str]:
        labels = [line.strip() for line in self.cleaned_data["options"].splitlines()]
        labels = [label for label in labels if label]
        if len(labels) < 2:
            raise forms.ValidationError(_("Give at least two options."))
        if len(set(labels)) != len(labels):
            raise forms.ValidationError(_("Two options have the same label."))
        if any(len(label) > 200 for label in labels):
            raise forms.ValidationError(_("An option may have at most 200 characters."))
        return labels

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("max_per_option"):
            data["max_per_option"] = 1
        options = data.get("options") or []
        k = data.get("votes_allowed", 1)
        if data.get("kind") == Contest.Kind.K_OF_N and options and not 1 <= k <= len(options):
            self.add_error("votes_allowed", _("k must be between 1 and the number of options."))
        if data.get("kind") == Contest.Kind.CUMULATIVE:
            cap = data.get("max_per_option", 1)
            if not 1 <= k <= MAX_POINTS:
                self.add_error("votes_allowed", _("Share between 1 and 100 points."))
            elif not 1 <= cap <= k:
                self.add_error("max_per_option", _("At most the points each voter shares."))
        return data


class TrusteesForm(forms.Form):
    trustees = forms.ModelMultipleChoiceField(
        label=_("Trustees"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People with the trustee role. They are numbered in the order shown."),
    )
    threshold = forms.IntegerField(
        label=_("Trustees needed to decrypt (k of n)"),
        min_value=1,
        help_text=_("Fewer than this many trustees together can never decrypt anything."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["trustees"].queryset = trustee_candidates()
        self.fields["trustees"].label_from_instance = lambda u: f"{u.username} ({u.public_alias})"

    def clean(self) -> dict:
        data = super().clean()
        chosen, k = data.get("trustees"), data.get("threshold")
        if chosen is not None and k is not None and k > len(chosen):
            self.add_error("threshold", _("k cannot be more than the number of trustees."))
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why is it cancelled?"), max_length=500)
