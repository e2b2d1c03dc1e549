"""Forms for council admins (proposals, projects) and residents (initiatives, feedback).

Forms only parse and check the shape of input; the rules are the services'. A service refusal
is shown on the form as a non-field error, in the reader's language when it has a translation.
"""

from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import (
    Initiative,
    Milestone,
    Partner,
    Project,
    ProposalAction,
    ProposalType,
)
from governance.models.proposals import VoteType
from governance.services.proposals import ActionInput, OptionInput
from identity.models import District

MONEY = {"max_digits": 15, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0.01"))]}


def cents(amount: Decimal | None) -> int | None:
    return None if amount is None else int(amount * 100)


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 6}))
    proposal_type = forms.ModelChoiceField(
        label=_("Type"), queryset=ProposalType.objects.filter(active=True), to_field_name="key"
    )
    vote_type = forms.ChoiceField(label=_("Kind of vote"), choices=VoteType.choices)
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.all(),
        required=False,
        empty_label=_("City-wide"),
    )
    initiative = forms.ModelChoiceField(
        label=_("In answer to the citizen initiative"),
        queryset=Initiative.objects.exclude(state=Initiative.State.COLLECTING),
        required=False,
    )
    vote_start = forms.DateTimeField(
        label=_("Voting starts"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Empty: as soon as the type's voting delay allows. Times are UTC."),
    )
    options = forms.CharField(
        label=_("Options, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For single-choice and approval votes. For/against/abstain needs none."),
    )
    budget = forms.DecimalField(label=_("Budget to share out"), required=False, **MONEY)
    budget_points = forms.IntegerField(
        label=_("Points each resident allocates"), required=False, min_value=1, max_value=100
    )
    points_cap = forms.IntegerField(
        label=_("Most points for one project"), required=False, min_value=1, max_value=100
    )
    budget_projects = forms.ModelMultipleChoiceField(
        label=_("Projects competing for the budget"),
        queryset=Project.objects.order_by("title"),
        required=False,
        help_text=_("Each asks for its contract value not yet allocated."),
    )
    decision_text = forms.CharField(
        label=_("Decision published on execution"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    allocate_project = forms.ModelChoiceField(
        label=_("Allocate a budget to project"),
        queryset=Project.objects.order_by("title"),
        required=False,
    )
    allocate_amount = forms.DecimalField(label=_("Amount to allocate"), required=False, **MONEY)
    release_milestone = forms.ModelChoiceField(
        label=_("Approve the payment of milestone"),
        queryset=Milestone.objects.filter(approved_at__isnull=True).select_related("project"),
        required=False,
    )

    def clean_vote_start(self):
        start = self.cleaned_data.get("vote_start")
        if start is not None and timezone.is_naive(start):
            start = timezone.make_aware(start, timezone.UTC)
        return start

    def clean(self):
        data = super().clean()
        if bool(data.get("allocate_project")) != bool(data.get("allocate_amount")):
            raise forms.ValidationError(_("An allocation needs both a project and an amount."))
        return data

    def option_inputs(self) -> list[OptionInput]:
        data = self.cleaned_data
        if data["vote_type"] == VoteType.BUDGET:
            return [
                OptionInput(p.title, project=p, amount_cents=p.budget_cents - _allocated(p))
                for p in data["budget_projects"]
            ]
        lines = [line.strip() for line in data.get("options", "").splitlines()]
        return [OptionInput(line) for line in lines if line]

    def action_inputs(self) -> list[ActionInput]:
        data, actions = self.cleaned_data, []
        Kind = ProposalAction.Kind
        if data.get("decision_text", "").strip():
            actions.append(ActionInput(Kind.PUBLISH_DECISION, text=data["decision_text"]))
        if data.get("allocate_project"):
            actions.append(
                ActionInput(
                    Kind.ALLOCATE_BUDGET,
                    project=data["allocate_project"],
                    amount_cents=cents(data["allocate_amount"]),
                )
            )
        if data.get("release_milestone"):
            actions.append(ActionInput(Kind.RELEASE_MILESTONE, milestone=data["release_milestone"]))
        return actions

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        budget = data["vote_type"] == VoteType.BUDGET
        return {
            "proposal_type": data["proposal_type"],
            "title": data["title"],
            "summary": data["summary"],
            "vote_type": data["vote_type"],
            "district": data.get("district"),
            "initiative": data.get("initiative"),
            "vote_start": data.get("vote_start"),
            "options": self.option_inputs(),
            "actions": self.action_inputs(),
            "budget_cents": cents(data.get("budget")) if budget else None,
            "budget_points": data.get("budget_points") if budget else None,
            "points_cap": data.get("points_cap") if budget else None,
        }


def _allocated(project: Project) -> int:
    from governance.selectors.projects import spending

    return spending(project).allocated


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}))
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.all(),
        required=False,
        empty_label=_("City-wide"),
    )
    contractor = forms.ModelChoiceField(
        label=_("Contractor"), queryset=Partner.objects.filter(role=Partner.Role.CONTRACTOR)
    )
    operator = forms.ModelChoiceField(
        label=_("Operator"),
        queryset=Partner.objects.filter(role=Partner.Role.OPERATOR),
        required=False,
    )
    contract_reference = forms.CharField(label=_("Contract reference"), max_length=64)
    budget = forms.DecimalField(label=_("Contract value"), **MONEY)


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("Organisation"), max_length=200)
    role = forms.ChoiceField(label=_("Role"), choices=Partner.Role.choices)
    registration = forms.CharField(label=_("Company registration"), max_length=64, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")


class DeviceForm(forms.Form):
    device_id = forms.SlugField(label=_("Device id"), max_length=64)
    kind = forms.CharField(label=_("Kind"), max_length=40, initial="street_light")
    public_key = forms.CharField(
        label=_("Ed25519 public key (64 hex digits)"), max_length=64, min_length=64
    )


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    amount = forms.DecimalField(label=_("Payment"), **MONEY)
    evidence = forms.ChoiceField(label=_("Evidence"), choices=Milestone.Evidence.choices)
    device_metric = forms.SlugField(
        label=_("Device metric"), required=False, max_length=40, initial="working"
    )
    device_percent = forms.IntegerField(
        label=_("Devices that must report it (%)"), required=False, min_value=1, max_value=100
    )
    device_window = forms.IntegerField(
        label=_("For how long (seconds)"), required=False, min_value=1
    )
    device_max_gap = forms.IntegerField(
        label=_("Longest silence allowed (seconds)"), required=False, min_value=1
    )


MilestoneFormSet = forms.formset_factory(
    MilestoneForm, extra=3, min_num=1, validate_min=True, max_num=50
)


class InitiativeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("What should the city do?"), widget=forms.Textarea(attrs={"rows": 8})
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.all(),
        required=False,
        empty_label=_("City-wide"),
    )


class ResponseForm(forms.Form):
    response = forms.CharField(
        label=_("The council's response"), widget=forms.Textarea(attrs={"rows": 5})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Public reason"), max_length=500, required=False)


class FeedbackForm(forms.Form):
    target = forms.CharField(widget=forms.HiddenInput)
    target_id = forms.CharField(widget=forms.HiddenInput)
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        choices=[("", _("No rating"))] + [(str(i), f"{i} ★") for i in range(5, 0, -1)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    text = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
