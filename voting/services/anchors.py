"""Anchoring each step of an election on the transparency ledger (record spec §3).

Every transition appends its entry inside the transition's own transaction, so the state change
and its anchor commit together or not at all. Payloads hold only public data (ids, digests,
trackers): exactly the fields docs/spec/election-record.md lists, so the verifiers can recompute
them from the published record.
"""

import hashlib

from ledger import services as ledger
from ledger.leaf import canonical_json
from ledger.models import Entry
from voting.models import Election, ElectionAnchor


def digest(value: object) -> str:
    """H(x) of the record spec: SHA-256 of the canonical JSON (the ledger's), lowercase hex."""
    return hashlib.sha256(canonical_json(value)).hexdigest()


def anchor(election: Election, kind: str, payload: dict) -> Entry:
    """Append ``kind`` with ``payload`` (which names the election) and remember it for the record."""
    if payload.get("election") != election.public_id:
        raise ValueError("an election anchor's payload must name the election")
    entry = ledger.append(kind, payload)
    ElectionAnchor.objects.create(election=election, kind=kind, entry=entry)
    return entry
