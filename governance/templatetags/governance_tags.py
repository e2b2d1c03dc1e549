"""Template filters for governance pages: money in cents, basis points, state labels."""

from django import template
from django.utils.translation import gettext_lazy as _

from governance import charts
from governance.models import Proposal

register = template.Library()

STATE_BADGES = {
    Proposal.State.ACTIVE: "ok",
    Proposal.State.SUCCEEDED: "ok",
    Proposal.State.QUEUED: "ok",
    Proposal.State.EXECUTED: "ok",
    Proposal.State.DEFEATED: "bad",
    Proposal.State.CANCELED: "bad",
    Proposal.State.EXPIRED: "bad",
    Proposal.State.PENDING: "warn",
    Proposal.State.TALLYING: "warn",
}
STATE_LABELS = dict(Proposal.State.choices)
FAA_LABELS = {"for": _("For"), "against": _("Against"), "abstain": _("Abstain")}


@register.filter
def money(cents: int | None) -> str:
    return "" if cents is None else charts.money(int(cents))


@register.filter
def bps(value: int | None) -> str:
    """Basis points as a percentage: 1000 -> '10.0%'."""
    return "" if value is None else charts.percent(int(value), 10_000)


@register.filter
def state_badge(state: str) -> str:
    return STATE_BADGES.get(state, "")


@register.filter
def state_label(state: str) -> str:
    return str(STATE_LABELS.get(state, state))


@register.filter
def option_label(option: object) -> str:
    """For/against/abstain options in the reader's language; others as written."""
    return str(FAA_LABELS.get(getattr(option, "key", ""), getattr(option, "label", option)))


@register.filter
def duration(seconds: int | None) -> str:
    """Seconds in the largest whole unit: 86400 -> '1 d', 90 -> '90 s'."""
    if seconds is None:
        return ""
    for size, unit in ((86400, _("d")), (3600, _("h")), (60, _("min"))):
        if seconds >= size and seconds % size == 0:
            return f"{seconds // size} {unit}"
    return f"{seconds} {_('s')}"
