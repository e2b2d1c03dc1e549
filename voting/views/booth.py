"""The booth and the trustee's page: server-rendered forms that the page's bundle drives.

The booth encrypts in the browser (``frontend/src/pages/election-booth.js``); without
JavaScript the page says so, because the plaintext must never leave the device.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from voting import selectors
from voting.models import Election
from voting.services.lifecycle import context_document
from voting.views.public import election_or_404

State = Election.State


def _contests(election: Election) -> list[dict]:
    """Manifest contests with their labels and limits, for the booth form."""
    rows = []
    for contest, label in zip(
        election.manifest["contests"], election.manifest["labels"], strict=True
    ):
        rows.append(
            {
                **label,
                "max_votes": contest["max_votes"],
                "cap": contest["max_per_selection"],
                "points": contest["max_per_selection"] > 1,
                "single": contest["max_votes"] == 1,
                "all": contest["max_votes"] == len(contest["selections"]),
            }
        )
    return rows


@login_required
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_or_404(request, pk)
    entry = selectors.roll_entry(election, request.user)
    context = {
        "election": election,
        "on_roll": entry is not None,
        "is_open": election.state == State.OPEN,
        "my_ballot": selectors.counted_ballot(entry),
    }
    if entry is not None and election.is_frozen:
        context["contests"] = _contests(election)
        context["booth"] = {
            "election": election.public_id,
            "voter": entry.alias,
            "context": context_document(election),
            "cast_url": reverse("voting-api:ballots", args=[election.pk]),
            "audit_url": reverse("voting-api:audit", args=[election.pk]),
            "receipt_url": reverse("voting-api:receipt", args=[election.pk, "TRACKER"]),
            "board_url": reverse("voting:board", args=[election.pk]),
        }
    return render(request, "voting/booth.html", context)


@login_required
def trustee(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_or_404(request, pk)
    me = selectors.trustee_of(election, request.user)
    context = {"election": election, "me": me}
    if me is not None:
        # The table as it stands now; the page's script keeps it current.
        context["trustees"] = election.trustees.select_related("user", "decryption").order_by(
            "index"
        )
        context["trustee_data"] = {
            "election": election.public_id,
            "index": me.index,
            "name": request.user.public_alias,
            "ceremony_url": reverse("voting-api:ceremony", args=[election.pk]),
            "public_url": reverse("voting-api:trustee-public", args=[election.pk]),
            "boxes_url": reverse("voting-api:share-boxes", args=[election.pk]),
            "verdict_url": reverse("voting-api:verdict", args=[election.pk]),
            "decryptions_url": reverse("voting-api:decryptions", args=[election.pk]),
        }
    return render(request, "voting/trustee.html", context)
