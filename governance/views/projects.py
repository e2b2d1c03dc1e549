"""PPP project pages: the city's spending tracker, one project's tracker (milestones, evidence,
payments with receipts), and the council's project form with a preview."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance import charts
from governance.forms import (
    DeviceForm,
    FeedbackForm,
    MilestoneFormSet,
    PartnerForm,
    ProjectForm,
    cents,
)
from governance.models import Feedback, Milestone, Project
from governance.selectors import feedback as feedback_selectors
from governance.selectors import projects as selectors
from governance.selectors.timeline import project_timeline
from governance.services import projects as services
from governance.services.errors import Refusal
from governance.views.common import refused, timeline_context

MANAGE = "identity.manage_proposals"


def spending_chart(rows: list[tuple[str, selectors.Spending]]) -> dict | None:
    if not rows:
        return None
    return charts.stacked(
        [
            (
                label,
                [
                    ("released", s.released),
                    ("escrow", s.escrow),
                    ("unallocated", s.unallocated),
                ],
                f"{charts.money(s.released)} / {charts.money(s.budget)}",
            )
            for label, s in rows
        ]
    )


def projects(request: HttpRequest) -> HttpResponse:
    rows = selectors.city_spending()
    totals = selectors.Spending(
        sum(s.budget for _, s in rows),
        sum(s.allocated for _, s in rows),
        sum(s.released for _, s in rows),
    )
    context = {
        "rows": rows,
        "totals": totals,
        "chart": spending_chart([(p.title, s) for p, s in rows]),
        "can_manage": request.user.has_perm(MANAGE),
        "partner_form": PartnerForm(),
    }
    return render(request, "governance/projects.html", context)


def project(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        Project.objects.select_related("contractor", "operator", "district"), pk=pk
    )
    spending = selectors.spending(item)
    feedback = feedback_selectors.feedback_items(target="project", target_id=str(pk))
    context = {
        "project": item,
        "spending": spending,
        "chart": spending_chart([(item.title, spending)]),
        "milestones": selectors.milestone_rows(item),
        "allocations": item.allocations.select_related("proposal").order_by("created_at"),
        "devices": item.devices.order_by("device_id"),
        "feedback": feedback[:50],
        "rating": feedback_selectors.rating_summary(feedback),
        "feedback_form": FeedbackForm(initial={"target": "project", "target_id": pk}),
        "can_moderate": request.user.has_perm("identity.moderate_feedback"),
        "hidden": Feedback.State.HIDDEN,
        "can_manage": request.user.has_perm(MANAGE),
        "device_form": DeviceForm(),
        **timeline_context(project_timeline(item)),
    }
    return render(request, "governance/project_detail.html", context)


def _milestone_inputs(formset) -> list[services.MilestoneInput]:
    inputs = []
    for form in formset:
        data = form.cleaned_data
        if not data or not data.get("title"):
            continue
        devices = data["evidence"] == Milestone.Evidence.DEVICES
        percent = data.get("device_percent")
        inputs.append(
            services.MilestoneInput(
                title=data["title"],
                amount_cents=cents(data["amount"]),
                evidence=data["evidence"],
                device_metric=data.get("device_metric", "") if devices else "",
                device_quorum_bps=percent * 100 if devices and percent else None,
                device_window=data.get("device_window") if devices else None,
                device_max_gap=data.get("device_max_gap") if devices else None,
            )
        )
    return inputs


@login_required
@permission_required(MANAGE, raise_exception=True)
def new_project(request: HttpRequest) -> HttpResponse:
    form = ProjectForm(request.POST or None)
    formset = MilestoneFormSet(request.POST or None, prefix="milestones")
    context = {"form": form, "formset": formset, "preview": None}
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        milestones = _milestone_inputs(formset)
        data = form.cleaned_data
        arguments = {
            "title": data["title"],
            "description": data["description"],
            "district": data.get("district"),
            "contractor": data["contractor"],
            "operator": data.get("operator"),
            "contract_reference": data["contract_reference"],
            "budget_cents": cents(data["budget"]),
            "milestones": milestones,
        }
        if request.POST.get("step") == "publish":
            try:
                created = services.create_project(by=request.user, **arguments)
            except Refusal as exc:
                form.add_error(None, exc.reason)
            else:
                messages.success(request, _("The project is registered."))
                return redirect("governance-city:project", pk=created.pk)
        else:
            total = sum(m.amount_cents for m in milestones)
            context["preview"] = {**arguments, "total": total}
    return render(request, "governance/project_form.html", context)


@require_POST
@login_required
@permission_required(MANAGE, raise_exception=True)
def new_partner(request: HttpRequest) -> HttpResponse:
    form = PartnerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the partner's name, role and website."))
    else:
        try:
            services.create_partner(by=request.user, **form.cleaned_data)
        except Refusal as exc:
            refused(request, exc)
        else:
            messages.success(request, _("The partner organisation is registered."))
    return redirect("governance-city:projects")


@require_POST
@login_required
@permission_required(MANAGE, raise_exception=True)
def register_device(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Project, pk=pk)
    form = DeviceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the device id and its public key."))
    else:
        try:
            services.register_device(by=request.user, project=item, **form.cleaned_data)
        except Refusal as exc:
            refused(request, exc)
        else:
            messages.success(request, _("The device is registered; its key is on the ledger."))
    return redirect("governance-city:project", pk=pk)
