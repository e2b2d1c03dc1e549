"""Timelines: the ledger entries anchoring a proposal, initiative or project, with their
position in the log once sequenced (``index``), so pages can link and verify each receipt."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from governance.models import Anchor
from ledger.models import Entry, LogLeaf


@dataclass(frozen=True)
class Event:
    kind: str
    at: datetime
    payload: dict
    entry_id: int
    leaf_hash: str
    index: int | None  # None while the sequencer has not reached it


def events(entries: list[Entry]) -> list[Event]:
    """Events for ledger entries, with their log index (one query for all of them)."""
    indexes = dict(
        LogLeaf.objects.filter(entry_id__in=[e.pk for e in entries]).values_list(
            "entry_id", "index"
        )
    )
    return [
        Event(
            kind=e.kind,
            at=e.appended_at,
            payload=e.payload,
            entry_id=e.pk,
            leaf_hash=bytes(e.leaf_hash).hex(),
            index=indexes.get(e.pk),
        )
        for e in entries
    ]


def _of(anchors: QuerySet[Anchor]) -> list[Event]:
    return events([a.entry for a in anchors.select_related("entry").order_by("pk")])


def proposal_timeline(proposal: object) -> list[Event]:
    return _of(Anchor.objects.filter(proposal=proposal))


def initiative_timeline(initiative: object) -> list[Event]:
    return _of(Anchor.objects.filter(initiative=initiative))


def project_timeline(project: object) -> list[Event]:
    return _of(Anchor.objects.filter(project=project))


def entry_event(entry: Entry | None) -> Event | None:
    return events([entry])[0] if entry is not None else None
