"""Citizen initiative pages: browse, draft (residents), read with progress and timeline, support
or withdraw, and the council's response."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance.forms import InitiativeForm, ResponseForm
from governance.models import Initiative
from governance.selectors.timeline import initiative_timeline
from governance.services import initiatives as services
from governance.services.errors import Refusal
from governance.views.common import refused, timeline_context


def initiatives(request: HttpRequest) -> HttpResponse:
    found = Initiative.objects.select_related("district").order_by("-created_at", "-pk")
    page = Paginator(found, 20).get_page(request.GET.get("page"))
    rows = [(i, services.standing_supports(i)) for i in page.object_list]
    context = {"page": page, "rows": rows, "is_resident": services.is_resident(request.user)}
    return render(request, "governance/initiatives.html", context)


def initiative(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Initiative.objects.select_related("district", "author"), pk=pk)
    supports = services.standing_supports(item)
    mine = None
    if request.user.is_authenticated:
        mine = item.supports.filter(user=request.user, withdrawn_at__isnull=True).first()
    next_threshold = (
        item.debate_threshold
        if item.state == Initiative.State.COLLECTING
        else item.response_threshold
    )
    context = {
        "initiative": item,
        "supports": supports,
        "next_threshold": next_threshold,
        "progress_max": max(next_threshold, supports),
        "mine": mine,
        "can_support": item.state in services.COLLECTING_STATES
        and mine is None
        and services.is_resident(request.user, item.district),
        "can_withdraw": mine is not None and not item.supports_locked,
        "can_respond": request.user.has_perm(services.MANAGE)
        and item.state
        in (Initiative.State.DEBATE, Initiative.State.RESPONSE_DUE, Initiative.State.OVERDUE),
        "response_form": ResponseForm(),
        "proposals": item.proposals.order_by("-created_at"),
        **timeline_context(initiative_timeline(item)),
    }
    return render(request, "governance/initiative_detail.html", context)


@login_required
def new_initiative(request: HttpRequest) -> HttpResponse:
    form = InitiativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.create_initiative(author=request.user, **form.cleaned_data)
        except Refusal as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(request, _("Your initiative is filed. Share it to collect supports."))
            return redirect("governance:initiative", pk=item.pk)
    return render(request, "governance/initiative_form.html", {"form": form})


@require_POST
@login_required
def support(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Initiative, pk=pk)
    try:
        services.support_initiative(initiative=item, user=request.user)
    except Refusal as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Thank you: your support is counted."))
    return redirect("governance:initiative", pk=pk)


@require_POST
@login_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Initiative, pk=pk)
    try:
        services.withdraw_support(initiative=item, user=request.user)
    except Refusal as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Your support is withdrawn."))
    return redirect("governance:initiative", pk=pk)


@require_POST
@login_required
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Initiative, pk=pk)
    form = ResponseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the response first."))
        return redirect("governance:initiative", pk=pk)
    try:
        services.respond_to_initiative(
            initiative=item, by=request.user, response=form.cleaned_data["response"]
        )
    except Refusal as exc:
        refused(request, exc)
    else:
        messages.success(request, _("The response is published."))
    return redirect("governance:initiative", pk=pk)
