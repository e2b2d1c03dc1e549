"""Witness cosignatures (c2sp.org/tlog-cosignature, cosignature/v1) and the witness's decision.

A cosignature is a note signature of type 0x04 on a checkpoint. Its bytes are
``u64 big-endian timestamp || Ed25519 signature`` and the signed message is::

    cosignature/v1\\n
    time <timestamp in ASCII decimal>\\n
    <the whole checkpoint note text, extension lines included>

It states: "as of this time, this is the largest consistent tree head I have seen for this log".

:func:`witness_add_checkpoint` is the core of a witness as a pure function, following the
add-checkpoint rules of c2sp.org/tlog-witness; it returns the outcome with the HTTP status that
protocol assigns, so a Django view or a management command only persists state and responds.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ledger.b64 import b64decode, b64encode
from ledger.checkpoint import Checkpoint, CheckpointError, open_checkpoint
from ledger.note import (
    Note,
    NoteError,
    Signature,
    Verifier,
    decode_signer_key,
    decode_verifier_key,
    encode_verifier_key,
    open_note,
    parse_note,
)
from ledger.proof_verify import ProofError, verify_consistency

COSIGNATURE_V1 = 0x04
MAX_TIMESTAMP = 2**63 - 1
MAX_PROOF_LINES = 63


def cosigned_message(text: str, timestamp: int) -> bytes:
    """The exact bytes a cosignature/v1 signs for checkpoint note text `text`."""
    if not 0 <= timestamp <= MAX_TIMESTAMP:
        raise ValueError(f"cosignature timestamp {timestamp} is out of range")
    return f"cosignature/v1\ntime {timestamp}\n{text}".encode()


class CosignatureVerifier:
    """Verifies type 0x04 cosignatures from a witness verifier key (type byte 0x04)."""

    def __init__(self, vkey: str) -> None:
        self.name, self.key_id, key_type, public = decode_verifier_key(vkey)
        if key_type != COSIGNATURE_V1:
            raise NoteError(f"witness key {self.name} has type 0x{key_type:02x}, not 0x04")
        self._key = Ed25519PublicKey.from_public_bytes(public)

    def verify(self, text: bytes, signature: bytes) -> bool:
        if len(signature) != 8 + 64:
            return False
        timestamp = int.from_bytes(signature[:8], "big")
        if timestamp > MAX_TIMESTAMP:
            return False
        try:
            self._key.verify(signature[8:], cosigned_message(text.decode(), timestamp))
        except InvalidSignature:
            return False
        return True


class CosignatureSigner:
    """A witness's signing key (``PRIVATE+KEY+<name>+<id>+base64(0x04 || seed)``)."""

    def __init__(self, skey: str) -> None:
        self.name, self.key_id, key_type, seed = decode_signer_key(skey)
        if key_type != COSIGNATURE_V1:
            raise NoteError(f"witness key {self.name} has type 0x{key_type:02x}, not 0x04")
        self._key = Ed25519PrivateKey.from_private_bytes(seed)

    def verifier_key(self) -> str:
        public = self._key.public_key().public_bytes_raw()
        return encode_verifier_key(self.name, COSIGNATURE_V1, public)

    def cosign(self, checkpoint: Checkpoint, timestamp: int) -> Signature:
        """The cosignature line for `checkpoint` at POSIX time `timestamp` (seconds)."""
        message = cosigned_message(checkpoint.format(), timestamp)
        data = timestamp.to_bytes(8, "big") + self._key.sign(message)
        return Signature(self.name, self.key_id, data)


def cosignature_time(signature: Signature) -> int:
    """The timestamp carried by a cosignature/v1 signature."""
    return int.from_bytes(signature.data[:8], "big")


# --- the witness ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class WitnessOutcome:
    """What the witness decided. On status 200, persist `checkpoint` (atomically with the check
    of the stored size) and return `cosignature`; on 409, `size` is the witness's current size."""

    status: int
    reason: str
    checkpoint: Checkpoint | None = None
    cosignature: Signature | None = None
    size: int | None = None

    @property
    def accepted(self) -> bool:
        return self.status == 200


def witness_add_checkpoint(
    *,
    signer: CosignatureSigner,
    log_keys: Sequence[Verifier],
    latest: Checkpoint | None,
    old_size: int,
    proof: Sequence[bytes],
    checkpoint_note: str,
    now: int,
) -> WitnessOutcome:
    """Decide on one add-checkpoint request (c2sp.org/tlog-witness) and cosign if it is sound.

    `latest` is the last checkpoint this witness cosigned for the log (None if never); `log_keys`
    are the logs it watches (key name = origin); `proof` is the consistency proof from `old_size`.
    """
    try:
        origin = parse_note(checkpoint_note).text.split("\n", 1)[0]
    except NoteError as exc:
        return WitnessOutcome(400, f"malformed checkpoint note: {exc}")
    log_key = next((k for k in log_keys if k.name == origin), None)
    if log_key is None:
        return WitnessOutcome(404, f"this witness does not follow a log with origin {origin!r}")
    try:
        new = open_checkpoint(checkpoint_note, log_key).checkpoint
    except CheckpointError as exc:
        return WitnessOutcome(403, str(exc))
    if latest is not None and latest.origin != new.origin:
        return WitnessOutcome(400, "stored checkpoint belongs to another log")
    if old_size > new.size:
        return WitnessOutcome(400, f"old size {old_size} is larger than checkpoint size {new.size}")
    if len(proof) > MAX_PROOF_LINES:
        return WitnessOutcome(400, f"consistency proof has more than {MAX_PROOF_LINES} hashes")
    known = latest.size if latest else 0
    if old_size != known:
        return WitnessOutcome(409, f"witness is at size {known}, not {old_size}", size=known)
    if latest is None or latest.size == 0:
        if proof:
            return WitnessOutcome(422, "the consistency proof from size 0 must be empty")
    elif latest.size == new.size and latest.root != new.root:
        reason = f"fork: size {new.size} was cosigned with another root hash"
        return WitnessOutcome(409, reason, size=known)
    else:
        try:
            verify_consistency(latest.size, new.size, proof, latest.root, new.root)
        except ProofError as exc:
            return WitnessOutcome(422, f"not consistent with the cosigned checkpoint: {exc}")
    cosignature = signer.cosign(new, now)
    return WitnessOutcome(200, f"cosigned size {new.size}", checkpoint=new, cosignature=cosignature)


def add_cosignatures(checkpoint_note: str, response: str, witness: Verifier) -> str:
    """Check a witness's add-checkpoint response and return the note with its cosignatures added.

    `response` is the 200 body (signature lines). Lines from other keys are dropped; an invalid
    line from `witness` raises NoteError, as does a response with no valid line from it.
    """
    note = parse_note(checkpoint_note)
    lines = parse_note(note.text + "\n" + response).signatures
    opened = open_note(Note(note.text, lines), [witness])
    return note.with_signatures(opened.verified).format()


def format_add_checkpoint(old_size: int, proof: Sequence[bytes], checkpoint_note: str) -> str:
    """The add-checkpoint request body a log sends to a witness."""
    lines = [f"old {old_size}", *(b64encode(h) for h in proof)]
    return "".join(line + "\n" for line in lines) + "\n" + checkpoint_note


def parse_add_checkpoint(body: str) -> tuple[int, list[bytes], str]:
    """Split an add-checkpoint body into (old size, consistency proof, checkpoint note)."""
    head, sep, note = body.partition("\n\n")
    if not sep:
        raise ValueError("add-checkpoint body needs an empty line before the checkpoint")
    lines = head.split("\n")
    first = lines[0]
    if not first.startswith("old ") or not first[4:].isdigit() or first[4:] != str(int(first[4:])):
        raise ValueError("add-checkpoint body must start with 'old <size>'")
    if len(lines) - 1 > MAX_PROOF_LINES:
        raise ValueError(f"more than {MAX_PROOF_LINES} consistency proof lines")
    proof = [b64decode(line, "consistency proof line") for line in lines[1:]]
    if any(len(h) != 32 for h in proof):
        raise ValueError("consistency proof hashes must be 32 bytes")
    return int(first[4:]), proof, note
