"""Proposal pages: browse and search, read (results, timeline with receipts, feedback), publish
with a preview (council), cancel, execute."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance import charts
from governance.forms import FeedbackForm, ProposalForm, ReasonForm
from governance.models import Feedback, Proposal
from governance.models.proposals import VoteType
from governance.selectors import feedback as feedback_selectors
from governance.selectors import proposals as selectors
from governance.selectors.timeline import proposal_timeline
from governance.services import proposals as services
from governance.services.errors import Refusal
from governance.views.common import refused, timeline_context

MANAGE = "identity.manage_proposals"


def participation_chart(found: list[Proposal]) -> dict | None:
    """Turnout of the decided proposals on this page, against each one's quorum."""
    decided = [p for p in found if p.outcome and p.outcome.get("eligible")]
    if not decided:
        return None
    rows = []
    for p in decided:
        eligible = p.outcome["eligible"]
        rows.append(
            (
                p.title,
                10_000 * p.outcome["participation"] // eligible,
                f"{charts.percent(p.outcome['participation'], eligible)} "
                f"({p.outcome['participation']}/{eligible})",
            )
        )
    return charts.hbars(rows, maximum=10_000, css="turnout")


def index(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    state = request.GET.get("state", "")
    type_key = request.GET.get("type", "")
    state = state if state in Proposal.State.values else ""
    found = selectors.proposals(query=query, state=state, type_key=type_key)
    page = Paginator(found, 20).get_page(request.GET.get("page"))
    counts = selectors.state_counts()
    context = {
        "page": page,
        "query": query,
        "state": state,
        "type_key": type_key,
        "states": [(value, label, counts[value]) for value, label in Proposal.State.choices],
        "types": selectors.active_types(),
        "participation": participation_chart(list(page.object_list)),
        "can_manage": request.user.has_perm(MANAGE),
    }
    return render(request, "governance/index.html", context)


def results_chart(proposal: Proposal) -> dict | None:
    rows = selectors.results(proposal)
    if not rows:
        return None
    from governance.templatetags.governance_tags import option_label

    label = "{}" if proposal.vote_type != VoteType.BUDGET else "{} ({})"
    return charts.hbars(
        [
            (
                label.format(option_label(r["option"]), _("points")),
                r["count"],
                str(r["count"]),
            )
            for r in rows
        ]
    )


def quorum_chart(proposal: Proposal) -> dict | None:
    outcome = proposal.outcome
    if not outcome or not outcome.get("eligible"):
        return None
    eligible = outcome["eligible"]
    chart = charts.hbars(
        [
            (
                _("Took part"),
                outcome["participation"],
                f"{outcome['participation']} / {eligible}",
            )
        ],
        maximum=eligible,
        css="turnout",
    )
    chart["quorum_x"] = charts.marker(outcome["quorum_required"], eligible)
    return chart


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(
        Proposal.objects.select_related("proposal_type", "district", "proposer"), pk=pk
    )
    feedback = feedback_selectors.feedback_items(target="proposal", target_id=str(pk))
    context = {
        "proposal": proposal,
        "options": proposal.options.select_related("project").order_by("position"),
        "actions": proposal.actions.select_related("project", "milestone").order_by("position"),
        "results": selectors.results(proposal),
        "results_chart": results_chart(proposal),
        "quorum_chart": quorum_chart(proposal),
        "links": selectors.voting_links(proposal),
        "can_cancel": selectors.can_cancel(proposal, request.user),
        "can_execute": selectors.can_execute(proposal, request.user),
        "is_council": request.user.has_perm(MANAGE),
        "feedback": feedback[:50],
        "rating": feedback_selectors.rating_summary(feedback),
        "feedback_form": FeedbackForm(initial={"target": "proposal", "target_id": pk}),
        "can_moderate": request.user.has_perm("identity.moderate_feedback"),
        "decision": getattr(proposal, "decision", None),
        "hidden": Feedback.State.HIDDEN,
        **timeline_context(proposal_timeline(proposal)),
    }
    return render(request, "governance/proposal_detail.html", context)


def preview(form: ProposalForm) -> dict:
    """What publishing would record: the schedule the type's parameters give, options, actions."""
    data = form.cleaned_data
    ptype = data["proposal_type"]
    start = data.get("vote_start") or timezone.now() + timedelta(seconds=ptype.voting_delay)
    end = start + timedelta(seconds=ptype.voting_period)
    return {
        "type": ptype,
        "vote_start": start,
        "vote_end": end,
        "earliest_execution": end + timedelta(seconds=ptype.timelock),
        "options": form.option_inputs(),
        "actions": form.action_inputs(),
        "data": data,
    }


@login_required
@permission_required(MANAGE, raise_exception=True)
def new(request: HttpRequest) -> HttpResponse:
    form = ProposalForm(request.POST or None)
    context = {"form": form, "preview": None}
    if request.method == "POST" and form.is_valid():
        if request.POST.get("step") == "publish":
            try:
                proposal = services.create_proposal(
                    proposer=request.user, **form.service_arguments()
                )
            except Refusal as exc:
                form.add_error(None, exc.reason)
            else:
                messages.success(request, _("The proposal is published."))
                return redirect("governance:detail", pk=proposal.pk)
        else:
            context["preview"] = preview(form)
    return render(request, "governance/proposal_form.html", context)


@require_POST
@login_required
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal, pk=pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.cancel_proposal(proposal=proposal, by=request.user, reason=reason)
    except Refusal as exc:
        refused(request, exc)
    else:
        messages.success(request, _("The proposal is canceled."))
    return redirect("governance:detail", pk=pk)


@require_POST
@login_required
def execute(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal, pk=pk)
    try:
        services.execute_proposal(proposal=proposal, by=request.user)
    except Refusal as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Executed. Its actions run now; the timeline shows each one."))
    return redirect("governance:detail", pk=pk)
