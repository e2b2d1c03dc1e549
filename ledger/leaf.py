"""The ledger entry: what one leaf of the log is, byte for byte (docs/spec/ledger.md §Entries).

An entry records *that* something happened (its kind), *when* the log accepted it, and a SHA-256
digest of its payload. The payload itself (salted commitments, tallies, state changes) is kept
by the app that anchored it and never enters the log, so erasing personal data never breaks it.

Leaf bytes (ASCII, four lines, each ending in "\\n")::

    polity.ledger.entry/v1
    kind <kind>
    time <YYYY-MM-DDTHH:MM:SS.ffffffZ>
    payload-sha256 <64 lowercase hex digits>

and the leaf hash is RFC 6962's SHA-256(0x00 || leaf bytes).

The payload digest is SHA-256 of the payload's canonical JSON (:func:`canonical_json`), a strict
subset of RFC 8785 (JCS): objects with string keys sorted by UTF-16 code units, no insignificant
whitespace, integers only (|n| <= 2**53 - 1), strings with JCS escaping, UTF-8 output.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from ledger.merkle import hash_leaf

HEADER = "polity.ledger.entry/v1"
MAX_SAFE_INTEGER = 2**53 - 1
_KIND = re.compile(r"[a-z][a-z0-9._-]{0,63}")
_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")
_DIGEST = re.compile(r"[0-9a-f]{64}")
_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
}


class EntryError(ValueError):
    """A payload cannot be encoded canonically, or leaf bytes are not a valid entry."""


def canonical_json(value: object) -> bytes:
    """The canonical JSON bytes of `value` (see the module docstring), or EntryError."""
    return _encode(value, "payload").encode("utf-8")


def _encode(value: object, where: str) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise EntryError(f"{where}: integer {value} exceeds 2**53 - 1; encode it as a string")
        return str(value)
    if isinstance(value, float):
        raise EntryError(f"{where}: floats are not canonical; encode {value!r} as a string")
    if isinstance(value, str):
        return _string(value, where)
    if isinstance(value, list | tuple):
        return "[" + ",".join(_encode(v, f"{where}[{i}]") for i, v in enumerate(value)) + "]"
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise EntryError(f"{where}: object keys must be strings")
        keys = sorted(value, key=lambda k: k.encode("utf-16-be", "surrogatepass"))
        items = (_string(k, where) + ":" + _encode(value[k], f"{where}.{k}") for k in keys)
        return "{" + ",".join(items) + "}"
    raise EntryError(f"{where}: {type(value).__name__} is not a JSON value")


def _string(text: str, where: str) -> str:
    if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        raise EntryError(f"{where}: string contains a lone surrogate")
    if "\x00" in text:  # PostgreSQL cannot store it, so no log may accept it
        raise EntryError(f"{where}: string contains a NUL character")
    out = []
    for c in text:
        if c in _ESCAPES:
            out.append(_ESCAPES[c])
        elif ord(c) < 0x20:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def payload_digest(payload: object) -> bytes:
    """SHA-256 of the payload's canonical JSON: what the log commits to."""
    return hashlib.sha256(canonical_json(payload)).digest()


def format_time(moment: datetime) -> str:
    """UTC with microseconds, fixed width: 2025-03-01T09:30:00.000000Z."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise EntryError("entry time must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class Entry:
    """One ledger entry; `encode()` gives the leaf bytes, `leaf_hash()` its RFC 6962 hash."""

    kind: str
    time: str
    payload_sha256: bytes

    def __post_init__(self) -> None:
        if not _KIND.fullmatch(self.kind):
            raise EntryError(f"entry kind {self.kind!r} must match [a-z][a-z0-9._-]{{0,63}}")
        if not _TIME.fullmatch(self.time):
            raise EntryError(f"entry time {self.time!r} must look like 2025-03-01T09:30:00.000000Z")
        try:
            datetime.strptime(self.time, "%Y-%m-%dT%H:%M:%S.%fZ")
        except ValueError:
            raise EntryError(f"entry time {self.time!r} is not a real date and time") from None
        if len(self.payload_sha256) != 32:
            raise EntryError("payload digest must be 32 bytes")

    @classmethod
    def create(cls, kind: str, payload: object, moment: datetime) -> "Entry":
        return cls(kind, format_time(moment), payload_digest(payload))

    def encode(self) -> bytes:
        return (
            f"{HEADER}\nkind {self.kind}\ntime {self.time}\n"
            f"payload-sha256 {self.payload_sha256.hex()}\n"
        ).encode("ascii")

    def leaf_hash(self) -> bytes:
        return hash_leaf(self.encode())

    @classmethod
    def decode(cls, data: bytes) -> "Entry":
        """Parse leaf bytes; anything `encode` would not produce exactly is refused."""
        try:
            text = data.decode("ascii")
        except UnicodeDecodeError:
            raise EntryError("entry is not ASCII") from None
        lines = text.split("\n")
        if len(lines) != 5 or lines[4] != "" or lines[0] != HEADER:
            raise EntryError(f"entry must be four lines starting with {HEADER!r}")
        fields = {}
        for line, name in zip(lines[1:4], ("kind", "time", "payload-sha256"), strict=True):
            label, _, value = line.partition(" ")
            if label != name:
                raise EntryError(f"entry line {line[:30]!r} should start with {name!r}")
            fields[name] = value
        if not _DIGEST.fullmatch(fields["payload-sha256"]):
            raise EntryError("payload digest must be 64 lowercase hex digits")
        entry = cls(fields["kind"], fields["time"], bytes.fromhex(fields["payload-sha256"]))
        if entry.encode() != data:
            raise EntryError("entry is not in canonical form")
        return entry
