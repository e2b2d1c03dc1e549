"""Feedback pages: the public explorer with filters, posting from a proposal, project or
service, and moderation with a public reason."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance import charts
from governance.forms import FeedbackForm, ReasonForm
from governance.models import CityService, Feedback, Project, Proposal
from governance.selectors import feedback as selectors
from governance.services import feedback as services
from governance.services.errors import Refusal
from governance.views.common import refused
from polity.inputs import parse_id


def rating_chart(summary: dict) -> dict | None:
    if not summary["count"]:
        return None
    rows = [
        (f"{stars} ★", summary["histogram"][stars], str(summary["histogram"][stars]))
        for stars in range(5, 0, -1)
    ]
    return charts.hbars(rows, css="rating")


def explorer(request: HttpRequest) -> HttpResponse:
    target = request.GET.get("target", "")
    target = target if target in Feedback.Target.values else ""
    rating = request.GET.get("rating", "")
    rating = int(rating) if rating in {"1", "2", "3", "4", "5"} else None
    state = request.GET.get("state", "")
    state = state if state in Feedback.State.values else ""
    query = request.GET.get("q", "")[:200]
    target_id = request.GET.get("target_id", "")[:40]
    items = selectors.feedback_items(
        target=target, target_id=target_id, rating=rating, state=state, query=query
    )
    summary = selectors.rating_summary(items)
    context = {
        "page": Paginator(items, 25).get_page(request.GET.get("page")),
        "summary": summary,
        "chart": rating_chart(summary),
        "filters": {
            "target": target,
            "target_id": target_id,
            "rating": rating or "",
            "state": state,
            "q": query,
        },
        "targets": Feedback.Target.choices,
        "states": Feedback.State.choices,
        "services": CityService.objects.all(),
        "service_form": FeedbackForm(initial={"target": "service"}),
        "can_moderate": request.user.has_perm("identity.moderate_feedback"),
        "hidden": Feedback.State.HIDDEN,
    }
    return render(request, "governance/feedback.html", context)


def _target(kind: str, target_id: str) -> Proposal | Project | CityService:
    if kind == Feedback.Target.SERVICE:
        return get_object_or_404(CityService, key=target_id)
    pk = parse_id(target_id)
    if kind not in (Feedback.Target.PROPOSAL, Feedback.Target.PROJECT) or pk is None:
        raise Http404("unknown feedback target")
    model = Proposal if kind == Feedback.Target.PROPOSAL else Project
    return get_object_or_404(model, pk=pk)


def _back(request: HttpRequest) -> HttpResponse:
    url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return redirect(url)
    return redirect("governance-city:feedback")


@require_POST
@login_required
def post(request: HttpRequest) -> HttpResponse:
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the rating and the comment."))
        return _back(request)
    data = form.cleaned_data
    try:
        item = services.post_feedback(
            author=request.user,
            target=_target(data["target"], data["target_id"]),
            rating=data["rating"],
            text=data["text"],
        )
    except Refusal as exc:
        refused(request, exc)
    else:
        messages.success(
            request,
            _(
                "Thank you. Your feedback's commitment is %(commitment)s; it will be anchored on "
                "the ledger within seconds."
            )
            % {"commitment": item.commitment[:16] + "…"},
        )
    return _back(request)


@require_POST
@login_required
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Feedback, pk=pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.moderate_feedback(feedback=item, by=request.user, reason=reason)
    except Refusal as exc:
        refused(request, exc)
    else:
        messages.success(request, _("The comment is hidden; its commitment stays on the ledger."))
    return _back(request)
