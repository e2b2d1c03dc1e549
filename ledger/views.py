"""Public ledger pages (explorer, entry, search, receipt verifier) and the auditors' text URLs."""

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ledger import keys, selectors
from ledger.checkpoint import CheckpointError, open_checkpoint
from ledger.diagram import inclusion_picture
from ledger.models import Checkpoint
from ledger.note import Ed25519Verifier
from ledger.proof import proof_ranges
from polity.inputs import parse_id

PAGE = 25


def _text(body: str, status: int = 200) -> HttpResponse:
    return HttpResponse(body, content_type="text/plain; charset=utf-8", status=status)


def _signature_ok(checkpoint: Checkpoint) -> bool:
    try:
        open_checkpoint(checkpoint.note, Ed25519Verifier(keys.log_verifier_key()))
    except CheckpointError:
        return False
    return True


def _witness_rows(checkpoint: Checkpoint | None) -> list[dict]:
    cosigned = {}
    if checkpoint is not None:
        cosigned = {c.witness_id: c for c in selectors.cosignatures_of(checkpoint)}
    return [
        {"witness": witness, "cosignature": cosigned.get(witness.pk)}
        for witness in selectors.active_witnesses()
    ]


def index(request: HttpRequest) -> HttpResponse:
    checkpoint = selectors.latest_checkpoint()
    size = checkpoint.size if checkpoint else 0
    pages = max(1, -(-size // PAGE))
    try:
        page = min(max(1, int(request.GET.get("page", "1"))), pages)
    except ValueError:
        page = 1
    end = size - (page - 1) * PAGE
    rows = list(reversed(selectors.entries_between(max(0, end - PAGE), end)))
    witnesses = _witness_rows(checkpoint)
    context = {
        "checkpoint": checkpoint,
        "root_hex": bytes(checkpoint.root).hex() if checkpoint else "",
        "cosigned_count": sum(1 for row in witnesses if row["cosignature"]),
        "signature_ok": checkpoint is not None and _signature_ok(checkpoint),
        "witnessed": checkpoint is not None and selectors.is_witnessed(checkpoint),
        "quorum": selectors.witness_quorum(),
        "witnesses": witnesses,
        "rows": rows,
        "page": page,
        "pages": pages,
        "previous_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if page < pages else None,
        "query": request.GET.get("q", ""),
    }
    return render(request, "ledger/index.html", context)


def search(request: HttpRequest) -> HttpResponse:
    """Find an entry by index or leaf hash (hex or base64) and go to its page."""
    query = request.GET.get("q", "").strip()
    size = selectors.tree_size()
    message = _("Type an entry number or a leaf hash.")
    if query.isdigit():
        index = parse_id(query)  # None for "²" or beyond 64 bits: no such entry either
        if index is not None and index < size:
            return redirect("ledger:entry", index=index)
        message = _("There is no entry %(index)s: the log has %(size)s entries.") % {
            "index": query,
            "size": size,
        }
    elif query:
        try:
            found = selectors.entry_by_leaf_hash(selectors.decode_hash(query))
        except ValueError:
            message = _("That is neither an entry number nor a leaf hash (64 hex digits).")
        else:
            if found is None:
                message = _("No entry has this leaf hash.")
            elif found[0] is None or found[0] >= size:
                message = _("This entry is recorded and waits for the next checkpoint.")
            else:
                return redirect("ledger:entry", index=found[0])
    return render(request, "ledger/search.html", {"query": query, "message": message}, status=404)


def entry(request: HttpRequest, index: int) -> HttpResponse:
    if index >= selectors.tree_size():
        raise Http404
    item = selectors.entry_at(index)
    if item is None:
        raise Http404
    checkpoint = selectors.receipt_checkpoint(index)
    hashes = selectors.inclusion_proof(index, checkpoint.size)
    ranges = proof_ranges(index, index + 1, checkpoint.size)
    context = {
        "index": index,
        "entry": item,
        "leaf_text": bytes(item.leaf).decode("ascii"),
        "leaf_hash": bytes(item.leaf_hash).hex(),
        "payload": json.dumps(item.payload, indent=2, sort_keys=True, ensure_ascii=False),
        "checkpoint": checkpoint,
        "witnessed": selectors.is_witnessed(checkpoint),
        "proof": [
            {"number": n, "start": a, "last": b - 1, "hash": h.hex()}
            for n, ((a, b), h) in enumerate(zip(ranges, hashes, strict=True), start=1)
        ],
        "picture": inclusion_picture(index, checkpoint.size, hashes),
        "receipt_url": reverse("ledger-api:receipt", args=[index]),
    }
    return render(request, "ledger/entry.html", context)


def verify(request: HttpRequest) -> HttpResponse:
    """The in-browser receipt verifier (frontend/src/pages/ledger-verify.js)."""
    index = parse_id(request.GET.get("index", ""))
    context = {
        "verifier_key": keys.log_verifier_key(),
        "witness_keys": "\n".join(w.verifier_key for w in selectors.active_witnesses()),
        "quorum": selectors.witness_quorum(),
        "index": "" if index is None else str(index),
    }
    return render(request, "ledger/verify.html", context)


@never_cache
def checkpoint_text(request: HttpRequest) -> HttpResponse:
    """The latest checkpoint: signed note with the log's signature and every cosignature."""
    checkpoint = selectors.latest_checkpoint()
    if checkpoint is None:
        return _text("the log is empty: no checkpoint has been signed yet\n", status=404)
    return _text(selectors.checkpoint_text(checkpoint))


def verifier_key(request: HttpRequest) -> HttpResponse:
    return _text(keys.log_verifier_key() + "\n")


def witness_keys(request: HttpRequest) -> HttpResponse:
    """One cosignature/v1 verifier key per line: the active partner witnesses."""
    return _text("".join(w.verifier_key + "\n" for w in selectors.active_witnesses()))
