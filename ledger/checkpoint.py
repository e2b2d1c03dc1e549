"""C2SP tlog-checkpoint bodies (c2sp.org/tlog-checkpoint): origin, tree size, root hash.

The body is the text of a signed note::

    <origin>\\n
    <tree size in ASCII decimal, no leading zeroes>\\n
    <base64 of the 32-byte RFC 6962 root hash>\\n
    [<extension line>\\n ...]

Parsing is strict: anything :func:`Checkpoint.format` would not produce byte for byte is refused,
so a checkpoint has exactly one text form and two verifiers always agree on what was signed.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ledger.b64 import b64decode, b64encode
from ledger.merkle import HASH_SIZE
from ledger.note import Note, NoteError, OpenedNote, Signer, Verifier, open_note, sign_note

MAX_SIZE = 2**63 - 1
_DECIMAL = re.compile(r"0|[1-9][0-9]{0,18}")


class CheckpointError(ValueError):
    """A checkpoint body is malformed or not signed by the expected log; the message says why."""


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.origin or "\n" in self.origin:
            raise CheckpointError("checkpoint origin must be one non-empty line")
        if not 0 <= self.size <= MAX_SIZE:
            raise CheckpointError(f"checkpoint size {self.size} is out of range")
        if len(self.root) != HASH_SIZE:
            raise CheckpointError(f"checkpoint root hash must be {HASH_SIZE} bytes")
        if any(not line or "\n" in line for line in self.extensions):
            raise CheckpointError("checkpoint extension lines must be non-empty single lines")

    def format(self) -> str:
        """The note text: three lines plus extension lines, each ending in a newline."""
        lines = [self.origin, str(self.size), b64encode(self.root), *self.extensions]
        return "".join(line + "\n" for line in lines)

    @classmethod
    def parse(cls, text: str) -> "Checkpoint":
        if not text.endswith("\n"):
            raise CheckpointError("checkpoint must end with a newline")
        lines = text[:-1].split("\n")
        if len(lines) < 3:
            raise CheckpointError("checkpoint needs an origin, a size and a root hash line")
        origin, size, root, *extensions = lines
        if not origin:
            raise CheckpointError("checkpoint origin line is empty")
        if not _DECIMAL.fullmatch(size) or int(size) > MAX_SIZE:
            raise CheckpointError(f"checkpoint size {size[:30]!r} is not a decimal without zeroes")
        try:
            root_hash = b64decode(root, "checkpoint root hash")
        except ValueError as exc:
            raise CheckpointError(str(exc)) from None
        if len(root_hash) != HASH_SIZE:
            raise CheckpointError(f"checkpoint root hash is {len(root_hash)} bytes, not 32")
        if any(not line for line in extensions):
            raise CheckpointError("checkpoint has an empty extension line")
        return cls(origin, int(size), root_hash, tuple(extensions))


@dataclass(frozen=True)
class SignedCheckpoint:
    """A checkpoint whose log signature verified, with the note it came from."""

    checkpoint: Checkpoint
    note: OpenedNote


def sign_checkpoint(checkpoint: Checkpoint, signer: Signer) -> str:
    """The signed note text of a checkpoint (the log's key name should equal the origin)."""
    return sign_note(checkpoint.format(), [signer])


def open_checkpoint(
    message: str | bytes | Note, log_key: Verifier, extra_verifiers: Sequence[Verifier] = ()
) -> SignedCheckpoint:
    """Verify the log's signature and parse the body; the origin must equal the log key's name.

    `extra_verifiers` (e.g. witnesses) are checked too when present, but only the log's signature
    is required: a note verified only by a witness is refused.
    """
    try:
        opened = open_note(message, [log_key, *extra_verifiers])
    except NoteError as exc:
        raise CheckpointError(f"checkpoint signature: {exc}") from None
    if not any((s.name, s.key_id) == (log_key.name, log_key.key_id) for s in opened.verified):
        raise CheckpointError(f"checkpoint is not signed by the log key {log_key.name}")
    checkpoint = Checkpoint.parse(opened.text)
    if checkpoint.origin != log_key.name:
        raise CheckpointError(
            f"checkpoint origin {checkpoint.origin!r} is not the log {log_key.name!r}"
        )
    return SignedCheckpoint(checkpoint, opened)
