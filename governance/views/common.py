"""What every governance page shares: refusals shown in the reader's language, and timelines
described for people (each row keeps its ledger payload for the in-browser receipt check)."""

import json

from django.contrib import messages
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.models import Initiative, Proposal
from governance.selectors.timeline import Event
from governance.services.errors import Refusal
from ledger import keys

TITLES = {
    "proposal.created": gettext_lazy("Proposal published"),
    "decision.published": gettext_lazy("Decision published"),
    "project.created": gettext_lazy("Project registered"),
    "project.allocation": gettext_lazy("Budget allocated to the project"),
    "project.allocation-refused": gettext_lazy("Allocation refused: over the contract value"),
    "device.registered": gettext_lazy("Device registered"),
    "milestone.approved": gettext_lazy("Milestone payment approved"),
    "milestone.attested": gettext_lazy("Milestone attested"),
    "milestone.released": gettext_lazy("Milestone payment released"),
    "initiative.created": gettext_lazy("Initiative filed"),
    "initiative.support": gettext_lazy("A resident supported it"),
    "initiative.support-withdrawn": gettext_lazy("A resident withdrew their support"),
    "initiative.response": gettext_lazy("The council responded"),
}
STATE_LABELS = dict(Proposal.State.choices) | dict(Initiative.State.choices)


def refused(request: HttpRequest, refusal: Refusal) -> None:
    """Show a service's refusal. Services phrase reasons in English; the page says so."""
    messages.error(request, _("Refused: %(reason)s") % {"reason": refusal.reason})


def describe(event: Event) -> str:
    if event.kind in ("proposal.state", "initiative.stage"):
        source = STATE_LABELS.get(event.payload.get("from"), event.payload.get("from"))
        target = STATE_LABELS.get(event.payload.get("to"), event.payload.get("to"))
        return f"{source} → {target}"
    return str(TITLES.get(event.kind, event.kind))


def timeline_rows(events: list[Event]) -> list[dict]:
    return [
        {
            "title": describe(event),
            "event": event,
            "payload_json": json.dumps(event.payload, ensure_ascii=False, sort_keys=True),
            "receipt_url": reverse("ledger-api:receipt", args=[event.index])
            if event.index is not None
            else "",
            "entry_url": reverse("ledger:entry", args=[event.index])
            if event.index is not None
            else "",
        }
        for event in events
    ]


def timeline_context(events: list[Event]) -> dict:
    return {"timeline": timeline_rows(events), "log_key": keys.log_verifier_key()}
