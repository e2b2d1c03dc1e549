"""Council admins' pages: create and edit a draft, its contests and trustees, preview the
ballot, move the election along its lifecycle, and watch the count."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from voting import selectors, services
from voting.forms import CancelForm, ContestForm, ElectionForm, TrusteesForm
from voting.models import Contest, Election
from voting.services.errors import ElectionRefusal
from voting.services.lifecycle import check_ready_for_ceremony
from voting.services.tally import tally_progress

MANAGE = "identity.manage_elections"
State = Election.State


def _managed(pk: int) -> Election:
    return get_object_or_404(selectors.all_elections(), pk=pk)


def _apply(request: HttpRequest, election: Election, action, success: str) -> HttpResponse:
    try:
        action()
    except ElectionRefusal as refusal:
        messages.error(request, refusal.reason)
    else:
        messages.success(request, success)
    return redirect("voting:manage", pk=election.pk)


@login_required
@permission_required(MANAGE, raise_exception=True)
def create(request: HttpRequest) -> HttpResponse:
    form = ElectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        election = services.create_election(**form.cleaned_data, created_by=request.user)
        messages.success(request, _("Draft created. Now add the contests and the trustees."))
        return redirect("voting:manage", pk=election.pk)
    return render(request, "voting/manage/form.html", {"form": form, "title": _("New election")})


COUNTING = (State.CLOSED, State.TALLYING, State.DECRYPTING, State.PUBLISHED)


def count_status(election: Election) -> dict:
    """The count's progress as the page first shows it (the same words and bar as
    frontend/src/pages/election-manage.js, which then keeps them current): so a reload shows
    where the count is, with or without JavaScript."""
    s = {
        **tally_progress(election),
        "decryptions": election.decryptions.count(),
        "threshold": election.threshold,
    }
    steps = s["chunks"] + s["threshold"]
    done = s["chunks_done"] + (s["decryptions"] if s["state"] == State.DECRYPTING else 0)
    if s["state"] == State.PUBLISHED:
        done = steps
    if s["state"] == State.CLOSED:
        text = _("Voting is closed; the count is starting…")
    elif s["state"] == State.TALLYING and s.get("job") == "failed":
        text = _("The count stopped: %(reason)s") % {"reason": s["failure"]}
    elif s["state"] == State.TALLYING:
        text = _(
            "Verifying and summing ballots: %(done)s of %(total)s (%(chunks)s of %(all)s chunks)."
        ) % {
            "done": s["ballots_done"],
            "total": s["ballots"],
            "chunks": s["chunks_done"],
            "all": s["chunks"],
        }
    elif s["state"] == State.DECRYPTING:
        text = _(
            "Counted %(total)s ballots. Waiting for the trustees: %(have)s of %(need)s decryptions."
        ) % {"total": s["ballots"], "have": s["decryptions"], "need": s["threshold"]}
    elif election.record_sha256:
        text = _("The result and the election record are published.")
    else:
        text = _("The result is published; the record is being prepared.")
    maximum = max(steps, 1)
    return {"text": text, "max": maximum, "value": min(done, maximum)}


@login_required
@permission_required(MANAGE, raise_exception=True)
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    election = _managed(pk)
    problem = ""
    if election.state == State.DRAFT:
        try:
            check_ready_for_ceremony(election)
        except ElectionRefusal as refusal:
            problem = refusal.reason
    return render(
        request,
        "voting/manage/dashboard.html",
        {
            "election": election,
            "contests": election.contests.prefetch_related("options"),
            "trustees": election.trustees.select_related("user").order_by("index"),
            "problem": problem,
            "cancel_form": CancelForm(),
            "voters": election.roll.count(),
            "status_data": {"status_url": f"/api/elections/{election.pk}/status"},
            "count": count_status(election) if election.state in COUNTING else None,
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    election = _managed(pk)
    form = ElectionForm(request.POST or None, instance=election)
    if request.method == "POST" and form.is_valid():
        return _apply(
            request,
            election,
            lambda: services.update_election(election=election, **form.cleaned_data),
            _("Saved."),
        )
    return render(
        request,
        "voting/manage/form.html",
        {
            "form": form,
            "title": _("Edit “%(title)s”") % {"title": election.title},
            "election": election,
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def contest(request: HttpRequest, pk: int, contest_id: int | None = None) -> HttpResponse:
    election = _managed(pk)
    existing = get_object_or_404(Contest, pk=contest_id, election=election) if contest_id else None
    initial = None
    if existing is not None:
        initial = {
            "title": existing.title,
            "description": existing.description,
            "kind": existing.kind,
            "votes_allowed": existing.votes_allowed,
            "max_per_option": existing.max_per_option,
            "options": "\n".join(o.label for o in existing.options.all()),
        }
    form = ContestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        labels = data.pop("options")

        def save() -> None:
            if existing is None:
                services.add_contest(election=election, options=labels, **data)
            else:
                services.update_contest(contest=existing, **data)
                services.set_options(contest=existing, labels=labels)

        return _apply(request, election, save, _("Contest saved."))
    title = _("Edit contest") if existing else _("Add a contest")
    return render(
        request,
        "voting/manage/form.html",
        {"form": form, "title": title, "election": election},
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def delete_contest(request: HttpRequest, pk: int, contest_id: int) -> HttpResponse:
    election = _managed(pk)
    existing = get_object_or_404(Contest, pk=contest_id, election=election)
    return _apply(
        request, election, lambda: services.delete_contest(contest=existing), _("Contest removed.")
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def trustees(request: HttpRequest, pk: int) -> HttpResponse:
    election = _managed(pk)
    current = [t.user for t in election.trustees.select_related("user").order_by("index")]
    form = TrusteesForm(
        request.POST or None,
        initial={"trustees": current, "threshold": election.threshold},
    )
    in_ceremony = election.state == State.KEY_CEREMONY
    if request.method == "POST" and form.is_valid():
        users = sorted(form.cleaned_data["trustees"], key=lambda u: u.username)
        return _apply(
            request,
            election,
            lambda: services.set_trustees(
                election=election, users=users, threshold=form.cleaned_data["threshold"]
            ),
            _("Trustees saved. The key ceremony starts over with them.")
            if in_ceremony
            else _("Trustees saved."),
        )
    notice = (
        _(
            "The key ceremony has started. Saving starts it over: every trustee, old and new, "
            "generates fresh keys, and the new trustees are anchored on the ledger."
        )
        if in_ceremony
        else ""
    )
    return render(
        request,
        "voting/manage/form.html",
        {"form": form, "title": _("Trustees"), "election": election, "notice": notice},
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    election = _managed(pk)
    return render(
        request,
        "voting/manage/preview.html",
        {"election": election, "contests": election.contests.prefetch_related("options")},
    )


ACTIONS = {
    "start-ceremony": (services.start_ceremony, gettext_lazy("The key ceremony has started.")),
    "restart-ceremony": (services.restart_ceremony, gettext_lazy("The key ceremony starts over.")),
    "freeze": (
        services.freeze_election,
        gettext_lazy("Frozen: the key, the manifest and the roll are final."),
    ),
    "open": (services.open_election, gettext_lazy("Voting is open.")),
    "close": (services.close_election, gettext_lazy("Voting is closed; the count has started.")),
}


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    election = _managed(pk)
    if action == "cancel":
        form = CancelForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Say why the election is cancelled."))
            return redirect("voting:manage", pk=election.pk)
        return _apply(
            request,
            election,
            lambda: services.cancel_election(
                election=election, reason=form.cleaned_data["reason"], by=request.user
            ),
            _("The election is cancelled."),
        )
    if action not in ACTIONS:
        return HttpResponse(status=404)
    service, done = ACTIONS[action]
    return _apply(request, election, lambda: service(election=election, by=request.user), done)
