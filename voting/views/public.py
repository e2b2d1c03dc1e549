"""Public pages: the list, an election, its result with a chart, the bulletin board, audited
ballots, the record download and the in-browser verification page."""

import json

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from voting import selectors
from voting.export import record_path
from voting.models import Election
from voting.services.lifecycle import context_document

State = Election.State
BOARD_PAGE = 50


def election_or_404(request: HttpRequest, pk: int) -> Election:
    election = selectors.election_for(request.user, pk)
    if election is None:
        raise Http404(_("No such election."))
    return election


def index(request: HttpRequest) -> HttpResponse:
    elections = list(selectors.visible_elections(request.user))
    groups = [
        (_("Open for voting"), [e for e in elections if e.state == State.OPEN]),
        (
            _("Coming up"),
            [e for e in elections if e.state in (State.DRAFT, State.KEY_CEREMONY, State.READY)],
        ),
        (
            _("Counting"),
            [e for e in elections if e.state in (State.CLOSED, State.TALLYING, State.DECRYPTING)],
        ),
        (_("Results"), [e for e in elections if e.state == State.PUBLISHED]),
        (_("Cancelled"), [e for e in elections if e.state == State.CANCELLED]),
    ]
    return render(
        request,
        "voting/index.html",
        {
            "groups": [(title, items) for title, items in groups if items],
            "can_manage": selectors.can_manage(request.user),
        },
    )


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_or_404(request, pk)
    entry = selectors.roll_entry(election, request.user)
    return render(
        request,
        "voting/detail.html",
        {
            "election": election,
            "labels": selectors.labels(election),
            "on_roll": entry is not None,
            "my_ballot": selectors.counted_ballot(entry),
            "trustee": selectors.trustee_of(election, request.user),
            "can_manage": selectors.can_manage(request.user),
            "voters": election.roll.count(),
            "counted": selectors.counted_ballots(election),
            "audited_count": election.audited_ballots.count(),
        },
    )


def results(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_or_404(request, pk)
    return render(
        request,
        "voting/results.html",
        {"election": election, "contests": selectors.result_rows(election)},
    )


def board(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_or_404(request, pk)
    query = request.GET.get("tracker", "").strip()
    page = Paginator(selectors.board(election, query), BOARD_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "voting/board.html",
        {"election": election, "page": page, "query": query, "total": election.ballots.count()},
    )


def audited_list(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_or_404(request, pk)
    page = Paginator(selectors.audited(election), BOARD_PAGE).get_page(request.GET.get("page"))
    return render(request, "voting/audited_list.html", {"election": election, "page": page})


def audited_ballot(request: HttpRequest, pk: int, tracker: str) -> HttpResponse:
    election = election_or_404(request, pk)
    item = selectors.audited_by_tracker(election, tracker)
    if item is None:
        raise Http404(_("No audited ballot has this tracker."))
    rows = []
    caps = {c["id"]: c["max_per_selection"] for c in election.manifest["contests"]}
    for contest in selectors.labels(election):
        chosen = item.choices.get(contest["id"], {})
        rows.append(
            {
                "title": contest["title"],
                "points": caps[contest["id"]] > 1,
                "options": [
                    {"label": s["label"], "vote": chosen.get(s["id"], 0)}
                    for s in contest["selections"]
                ],
            }
        )
    return render(
        request,
        "voting/audited_ballot.html",
        {
            "election": election,
            "item": item,
            "contests": rows,
            "secrets_text": json.dumps(item.secrets, indent=1),
            "audit": {"ballot": json.loads(item.payload), "secrets": item.secrets},
            "context_json": context_document(election),
        },
    )


def record_json(request: HttpRequest, pk: int) -> HttpResponse:
    """The election record (spec: docs/spec/election-record.md), as a download."""
    election = election_or_404(request, pk)
    path = record_path(election)
    if election.state != State.PUBLISHED or not election.record_sha256 or not path.exists():
        reason = (
            _("The record is being prepared; try again in a few seconds.")
            if election.state == State.PUBLISHED
            else _("The record is published with the result.")
        )
        status = 503 if election.state == State.PUBLISHED else 404
        response = JsonResponse(
            {"error": {"status": status, "code": "not_ready", "reason": reason}}, status=status
        )
        if status == 503:
            response["Retry-After"] = "5"
        return response
    response = FileResponse(
        path.open("rb"),
        content_type="application/json",
        as_attachment=True,
        filename=f"election-{election.pk}-record.json",
    )
    response["X-Content-SHA256"] = election.record_sha256
    return response


def verify(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_or_404(request, pk)
    return render(request, "voting/verify.html", {"election": election})
