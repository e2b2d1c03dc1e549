"""The election record (docs/spec/election-record.md), built from the database once published.

Built with ``voting.record``'s helpers so names, order and digests match the verifiers. Every
receipt is made against one checkpoint that contains the ``election.published`` entry (the
latest witnessed one, else the latest), so the record can be built only after the sequencer
has run: until then ``NotSequenced`` is raised and the task retries. The record is written to
``DATA_DIR/records/<id>.json`` and served as a file: a large election's record is large.
"""

import hashlib
import json
import os
from pathlib import Path

from django.conf import settings

from ledger import keys, selectors
from ledger.leaf import format_time
from ledger.models import Entry
from ledger.receipt import build_receipt
from ledger.selectors import NotSequenced
from voting import record
from voting.models import Election
from voting.services.decryption import decryption_documents
from voting.services.lifecycle import ceremony_document, context_document, roll_document

MAIN_ANCHORS = {
    "election.frozen": "frozen",
    "election.opened": "opened",
    "election.closed": "closed",
    "election.published": "published",
}


def record_path(election: Election) -> Path:
    return Path(settings.DATA_DIR) / "records" / f"{election.public_id}.json"


class _Receipts:
    """Receipts of many entries against one checkpoint (its note fetched once)."""

    def __init__(self, published: Entry) -> None:
        index = selectors.entry_index(published)
        if index is None:
            raise NotSequenced("the election.published entry is waiting for the sequencer")
        self.checkpoint = selectors.receipt_checkpoint(index)
        self.note = selectors.checkpoint_text(self.checkpoint)

    def index_and_receipt(self, entry: Entry) -> tuple[int, str]:
        index = selectors.entry_index(entry)
        if index is None or index >= self.checkpoint.size:
            raise NotSequenced(f"entry {entry.pk} is not in checkpoint {self.checkpoint.size}")
        proof = selectors.inclusion_proof(index, self.checkpoint.size)
        return index, build_receipt(index, proof, self.note, bytes(entry.leaf))

    def witness_keys(self) -> list[str]:
        return [c.witness.verifier_key for c in selectors.cosignatures_of(self.checkpoint)]


def build_record(election: Election) -> dict:
    """The whole record as a JSON value; ``NotSequenced`` until the ledger caught up."""
    anchors = list(election.anchors.select_related("entry").order_by("pk"))
    published = next((a.entry for a in anchors if a.kind == "election.published"), None)
    if published is None:
        raise ValueError("the election has no published result yet")
    receipts = _Receipts(published)

    main, other = {}, []
    for item in anchors:
        index, receipt = receipts.index_and_receipt(item.entry)
        doc = record.anchor_json(item.kind, item.entry.payload, receipt)
        if item.kind in MAIN_ANCHORS:
            main[MAIN_ANCHORS[item.kind]] = doc
        else:
            other.append((index, doc))

    ballots = []
    for ballot in election.ballots.select_related("entry").order_by("pk").iterator(2000):
        index, receipt = receipts.index_and_receipt(ballot.entry)
        entry = record.cast_entry(
            json.loads(ballot.payload),
            cast_at=format_time(ballot.entry.appended_at),
            receipt=receipt,
        )
        ballots.append((index, entry))
    audited = []
    for item in election.audited_ballots.select_related("entry").order_by("pk"):
        index, receipt = receipts.index_and_receipt(item.entry)
        entry = record.audited_entry(
            json.loads(item.payload),
            item.secrets,
            audited_at=format_time(item.entry.appended_at),
            receipt=receipt,
        )
        audited.append((index, entry))

    return record.assemble_record(
        manifest=election.manifest,
        context=context_document(election),
        ceremony=ceremony_document(election),
        roll=roll_document(election),
        ballots=[doc for _, doc in sorted(ballots, key=lambda x: x[0])],
        audited=[doc for _, doc in sorted(audited, key=lambda x: x[0])],
        tally=election.tally_job.encrypted_tally,
        decryptions=decryption_documents(election),
        result=election.result,
        anchors=main,
        log_key=keys.log_verifier_key(),
        witness_keys=receipts.witness_keys(),
        checkpoint=receipts.note,
        other_anchors=[doc for _, doc in sorted(other, key=lambda x: x[0])],
    )


def write_record(election: Election) -> str:
    """Build, write atomically and remember the record's SHA-256; returns it."""
    data = json.dumps(build_record(election), separators=(",", ":"), ensure_ascii=False).encode()
    path = record_path(election)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    sha = hashlib.sha256(data).hexdigest()
    Election.objects.filter(pk=election.pk).update(record_sha256=sha)
    return sha
