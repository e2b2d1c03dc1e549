"""Anchor a governance fact on the ledger and link it to what it is about, in the caller's
transaction (so the fact and its entry are stored together or not at all)."""

from datetime import datetime

from governance.models import Anchor
from ledger import services as ledger
from ledger.models import Entry


def anchor(
    kind: str,
    payload: dict,
    *,
    now: datetime,
    proposal: object = None,
    initiative: object = None,
    project: object = None,
    milestone: object = None,
) -> Entry:
    """Append ``(kind, payload)`` to the ledger and record the link; returns the entry."""
    entry = ledger.append(kind, payload)
    Anchor.objects.create(
        kind=kind,
        entry=entry,
        created_at=now,
        proposal=proposal,
        initiative=initiative,
        project=project,
        milestone=milestone,
    )
    return entry


def stamp(moment: datetime | None) -> str | None:
    """Times in payloads: UTC with microseconds, like ledger leaf times; None stays None."""
    from ledger.leaf import format_time

    return format_time(moment) if moment else None
