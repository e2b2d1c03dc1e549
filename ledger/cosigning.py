"""The log's side of c2sp.org/tlog-witness: ask each partner witness to cosign a checkpoint.

For every active witness with a URL, send ``add-checkpoint`` with a consistency proof from the
largest size we hold its cosignature for; on 409 the witness tells us its size and we retry once
from there. A cosignature is stored only after it verifies against the witness's key on exactly
our checkpoint. Also here: registering witnesses, and the key files of witnesses this
installation runs itself (the demo's partners), kept in ``DATA_DIR/witnesses/``.
"""

import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from ledger import selectors
from ledger.cosignature import (
    COSIGNATURE_V1,
    CosignatureSigner,
    CosignatureVerifier,
    cosignature_time,
    format_add_checkpoint,
)
from ledger.keyfile import signer_key_file
from ledger.models import Checkpoint, Cosignature, Witness
from ledger.note import NoteError, open_note

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10


class WitnessRefused(Exception):
    """The witness did not cosign; the message says what it answered."""


@dataclass(frozen=True)
class Reply:
    status: int
    content_type: str
    body: str


def _post(url: str, body: str) -> Reply:
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"witness URL {url!r} is not http(s)")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url.rstrip("/") + "/add-checkpoint",
        data=body.encode("utf-8"),
        method="POST",
        headers={"Content-Type": "text/plain; charset=utf-8"},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return Reply(response.status, response.headers.get_content_type(), _text(response))
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.headers.get_content_type(), _text(error))


def _text(response: object) -> str:
    return response.read(64 * 1024).decode("utf-8", errors="replace")


def _submit(witness: Witness, checkpoint: Checkpoint, old_size: int) -> Reply:
    hashes = selectors.consistency_proof(old_size, checkpoint.size)
    return _post(witness.url, format_add_checkpoint(old_size, hashes, checkpoint.note))


def ask_witness(witness: Witness, checkpoint: Checkpoint, old_size: int) -> Cosignature | None:
    """Request and store `witness`'s cosignature; None when it already holds a larger tree."""
    try:
        reply = _submit(witness, checkpoint, old_size)
        if reply.status == 409 and reply.content_type == "text/x.tlog.size":
            their_size = int(reply.body.strip())
            if their_size > checkpoint.size:
                return None
            if their_size != old_size:
                reply = _submit(witness, checkpoint, their_size)
    except (OSError, ValueError) as exc:
        raise WitnessRefused(f"{witness.name}: {exc}") from None
    if reply.status != 200:
        raise WitnessRefused(f"{witness.name}: HTTP {reply.status}: {reply.body.strip()[:300]}")
    return store_cosignature(witness, checkpoint, reply.body)


def store_cosignature(witness: Witness, checkpoint: Checkpoint, lines: str) -> Cosignature:
    """Verify `lines` (signature lines answered by the witness) on our note and keep its own."""
    try:
        opened = open_note(checkpoint.note + lines, [CosignatureVerifier(witness.verifier_key)])
    except NoteError as exc:
        raise WitnessRefused(f"{witness.name}: cosignature does not verify: {exc}") from None
    signature = opened.verified[0]
    signed_at = datetime.fromtimestamp(cosignature_time(signature), tz=UTC)
    try:
        with transaction.atomic():
            return Cosignature.objects.create(
                checkpoint=checkpoint,
                witness=witness,
                line=signature.line(),
                signed_at=signed_at,
                received_at=timezone.now(),
            )
    except IntegrityError:  # a concurrent request stored this witness's cosignature first
        return Cosignature.objects.get(checkpoint=checkpoint, witness=witness)


def request_cosignatures(checkpoint: Checkpoint | None = None) -> list[Cosignature]:
    """Ask every active witness that has not cosigned `checkpoint` (default: the latest)."""
    checkpoint = checkpoint or selectors.latest_checkpoint()
    if checkpoint is None:
        return []
    done = set(checkpoint.cosignatures.values_list("witness_id", flat=True))
    witnesses = [w for w in selectors.active_witnesses() if w.url and w.pk not in done]
    known = selectors.cosigned_sizes(witnesses)
    stored = []
    for witness in witnesses:
        if known[witness.pk] > checkpoint.size:
            continue  # it already cosigned a larger tree; witnesses never go back
        try:
            cosignature = ask_witness(witness, checkpoint, known[witness.pk])
        except WitnessRefused as exc:
            logger.warning("witness did not cosign size %d: %s", checkpoint.size, exc)
            continue
        if cosignature is not None:
            stored.append(cosignature)
    return stored


def needs_cosignatures(checkpoint: Checkpoint | None) -> bool:
    """True when some active witness with a URL has not cosigned `checkpoint` yet."""
    if checkpoint is None:
        return False
    done = set(checkpoint.cosignatures.values_list("witness_id", flat=True))
    return any(w.url and w.pk not in done for w in selectors.active_witnesses())


# --- registering witnesses --------------------------------------------------------------------


def register_witness(*, verifier_key: str, label: str, url: str = "") -> Witness:
    """Add (or update the label/URL/key of) a partner witness from its verifier key."""
    verifier = CosignatureVerifier(verifier_key)  # refuses a key that is not cosignature/v1
    witness, _created = Witness.objects.update_or_create(
        name=verifier.name,
        defaults={"label": label, "verifier_key": verifier_key.strip(), "url": url, "active": True},
    )
    return witness


def local_witness_dir() -> Path:
    return Path(settings.DATA_DIR) / "witnesses"


def local_witness_files(name: str) -> tuple[Path, Path]:
    """(secret key file, state file) of a witness this installation runs itself."""
    safe = "".join(c if c.isalnum() or c in "-." else "_" for c in name)
    base = local_witness_dir()
    return base / f"{safe}.key", base / f"{safe}.state.json"


def create_local_witness(*, name: str, label: str, url: str) -> Witness:
    """Generate (once) a witness key in ``DATA_DIR/witnesses/`` and register the witness."""
    key_file, _state = local_witness_files(name)
    signer = CosignatureSigner(signer_key_file(key_file, name, COSIGNATURE_V1))
    return register_witness(verifier_key=signer.verifier_key(), label=label, url=url)
