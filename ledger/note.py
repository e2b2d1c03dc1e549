"""C2SP signed notes (c2sp.org/signed-note) with Ed25519 keys, and the key string formats.

A note is UTF-8 text ending in a newline, a blank line, then signature lines
``— <key name> base64(4-byte key ID || signature)``. Verification follows the spec: signatures
from unknown keys (name and key ID not both matching) are ignored; a signature from a known key
that fails makes the whole note invalid; at least one known signature must verify.

Key strings are those of golang.org/x/mod/sumdb/note:

- verifier key: ``<name>+<key ID as 8 hex digits>+base64(<type byte> || <public key>)``
- signer key:   ``PRIVATE+KEY+<name>+<key ID as 8 hex digits>+base64(<type byte> || <seed>)``

with key ID = ``SHA-256(name || 0x0A || type byte || public key)[:4]``. Type 0x01 is a plain
Ed25519 note signature (this module); 0x04 is a timestamped cosignature (:mod:`ledger.cosignature`).
"""

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ledger.b64 import b64decode, b64encode

ED25519 = 0x01
MAX_SIGNATURES = 100
SIGNATURE_PREFIX = "\u2014 "  # em dash, space
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")
_BAD_NAME = re.compile(r"[\s+]")


class NoteError(ValueError):
    """A note, key or signature is malformed or does not verify; the message says why."""


def key_id(name: str, key_type: int, public_key: bytes) -> int:
    """The 32-bit key ID: the first four bytes of SHA-256(name || "\\n" || type || public key)."""
    digest = hashlib.sha256(name.encode() + b"\n" + bytes([key_type]) + public_key).digest()
    return int.from_bytes(digest[:4], "big")


def check_key_name(name: str) -> str:
    if not name or _BAD_NAME.search(name) or _CONTROL.search(name) or "\n" in name:
        raise NoteError(f"key name {name!r} must be non-empty, without spaces or '+'")
    return name


@dataclass(frozen=True)
class Signature:
    """One signature line: who (name and key ID) and the signature bytes after the key ID."""

    name: str
    key_id: int
    data: bytes

    def line(self) -> str:
        blob = self.key_id.to_bytes(4, "big") + self.data
        return f"{SIGNATURE_PREFIX}{self.name} {b64encode(blob)}\n"


class Verifier(Protocol):
    """A trusted key as a note verifier; `verify` gets the note text and the signature bytes."""

    name: str
    key_id: int

    def verify(self, text: bytes, signature: bytes) -> bool: ...


class Signer(Protocol):
    name: str
    key_id: int

    def sign(self, text: bytes) -> bytes: ...


@dataclass(frozen=True)
class Note:
    """A parsed note: its text (with final newline) and all its signature lines, in order."""

    text: str
    signatures: tuple[Signature, ...]

    def format(self) -> str:
        return self.text + "\n" + "".join(s.line() for s in self.signatures)

    def with_signatures(self, extra: Iterable[Signature]) -> "Note":
        """This note with more signature lines appended, dropping exact duplicates."""
        merged = list(self.signatures)
        for sig in extra:
            if sig not in merged:
                merged.append(sig)
        return Note(self.text, tuple(merged))


def _check_text(text: str, what: str) -> None:
    if _CONTROL.search(text):
        raise NoteError(f"{what} contains a control character other than newline")


def parse_note(message: str | bytes) -> Note:
    """Split a note into text and signature lines, checking only its shape (no cryptography)."""
    if isinstance(message, bytes):
        try:
            message = message.decode("utf-8")
        except UnicodeDecodeError:
            raise NoteError("note is not valid UTF-8") from None
    _check_text(message, "note")
    if not message.endswith("\n"):
        raise NoteError("note must end with a newline")
    split = message.rfind("\n\n")
    if split < 0:
        raise NoteError("note has no blank line separating text from signatures")
    text, block = message[: split + 1], message[split + 2 :]
    lines = block.split("\n")[:-1]
    if not lines:
        raise NoteError("note has no signature lines")
    if len(lines) > MAX_SIGNATURES:
        raise NoteError(f"note has {len(lines)} signatures, more than the {MAX_SIGNATURES} allowed")
    return Note(text, tuple(_parse_signature_line(line) for line in lines))


def _parse_signature_line(line: str) -> Signature:
    if not line.startswith(SIGNATURE_PREFIX):
        raise NoteError(f"signature line {line[:40]!r} does not start with an em dash and a space")
    name, space, blob = line[len(SIGNATURE_PREFIX) :].partition(" ")
    if not space:
        raise NoteError(f"signature line {line[:40]!r} has no space before the signature")
    check_key_name(name)
    try:
        raw = b64decode(blob, f"signature of {name}")
    except ValueError as exc:
        raise NoteError(str(exc)) from None
    if len(raw) < 5:
        raise NoteError(f"signature of {name} is too short to hold a key ID and a signature")
    return Signature(name, int.from_bytes(raw[:4], "big"), raw[4:])


@dataclass(frozen=True)
class OpenedNote:
    """A note whose signatures were checked: `verified` by trusted keys, `unverified` unknown."""

    text: str
    verified: tuple[Signature, ...]
    unverified: tuple[Signature, ...]


def open_note(message: str | bytes | Note, verifiers: Sequence[Verifier]) -> OpenedNote:
    """Verify a note against trusted keys, per c2sp.org/signed-note (see module docstring)."""
    note = message if isinstance(message, Note) else parse_note(message)
    text = note.text.encode("utf-8")
    by_id = {(v.name, v.key_id): v for v in verifiers}
    verified: list[Signature] = []
    unverified: list[Signature] = []
    for sig in note.signatures:
        verifier = by_id.get((sig.name, sig.key_id))
        if verifier is None:
            unverified.append(sig)
        elif not verifier.verify(text, sig.data):
            raise NoteError(f"signature by {sig.name} (key ID {sig.key_id:08x}) does not verify")
        elif all((s.name, s.key_id) != (sig.name, sig.key_id) for s in verified):
            verified.append(sig)
    if not verified:
        known = ", ".join(sorted(v.name for v in verifiers)) or "none"
        found = ", ".join(s.name for s in note.signatures)
        raise NoteError(f"no signature from a trusted key ({known}); note is signed by {found}")
    return OpenedNote(note.text, tuple(verified), tuple(unverified))


def sign_note(text: str, signers: Sequence[Signer]) -> str:
    """Sign `text` (which must end in a newline) with every signer; return the whole note."""
    if not text.endswith("\n"):
        raise NoteError("note text must end with a newline")
    _check_text(text, "note text")
    data = text.encode("utf-8")
    sigs = tuple(Signature(s.name, s.key_id, s.sign(data)) for s in signers)
    return Note(text, sigs).format()


# --- key strings --------------------------------------------------------------------------------


def encode_verifier_key(name: str, key_type: int, public_key: bytes) -> str:
    check_key_name(name)
    kid = key_id(name, key_type, public_key)
    return f"{name}+{kid:08x}+{b64encode(bytes([key_type]) + public_key)}"


def decode_verifier_key(vkey: str) -> tuple[str, int, int, bytes]:
    """Split a verifier key string into (name, key ID, type byte, public key), checking the ID."""
    parts = vkey.strip().split("+", 2)
    if len(parts) != 3:
        raise NoteError("verifier key must look like <name>+<8 hex digits>+<base64 key>")
    name, hex_id, blob = parts
    return _decode_key(name, hex_id, blob, "verifier key", public_from=None)


def decode_signer_key(skey: str) -> tuple[str, int, int, bytes]:
    """Split a signer key string into (name, key ID, type byte, 32-byte Ed25519 seed)."""
    parts = skey.strip().split("+", 4)
    if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
        raise NoteError("signer key must look like PRIVATE+KEY+<name>+<8 hex digits>+<base64 key>")
    return _decode_key(parts[2], parts[3], parts[4], "signer key", public_from=_ed25519_public)


def _ed25519_public(seed: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()


def _decode_key(
    name: str, hex_id: str, blob: str, what: str, public_from: Callable[[bytes], bytes] | None
) -> tuple[str, int, int, bytes]:
    check_key_name(name)
    if not re.fullmatch(r"[0-9a-f]{8}", hex_id):
        raise NoteError(f"{what} ID {hex_id!r} must be 8 lowercase hex digits")
    try:
        raw = b64decode(blob, what)
    except ValueError as exc:
        raise NoteError(str(exc)) from None
    if len(raw) != 33:
        raise NoteError(f"{what} must hold a type byte and a 32-byte Ed25519 key")
    key_type, key = raw[0], raw[1:]
    public = public_from(key) if public_from else key
    if key_id(name, key_type, public) != int(hex_id, 16):
        raise NoteError(f"{what} ID {hex_id} does not match the key (wrong name or key)")
    return name, int(hex_id, 16), key_type, key


def generate_signer_key(name: str, key_type: int = ED25519) -> tuple[str, str]:
    """A fresh Ed25519 key as (signer key string, verifier key string)."""
    seed = Ed25519PrivateKey.generate().private_bytes_raw()
    return encode_signer_key(name, key_type, seed), encode_verifier_key(
        name, key_type, _ed25519_public(seed)
    )


def encode_signer_key(name: str, key_type: int, seed: bytes) -> str:
    kid = key_id(name, key_type, _ed25519_public(seed))
    return f"PRIVATE+KEY+{check_key_name(name)}+{kid:08x}+{b64encode(bytes([key_type]) + seed)}"


class Ed25519Verifier:
    """Verifies type 0x01 note signatures: Ed25519 (RFC 8032) over the note text."""

    def __init__(self, vkey: str) -> None:
        self.name, self.key_id, key_type, public = decode_verifier_key(vkey)
        if key_type != ED25519:
            raise NoteError(f"key {self.name} has type 0x{key_type:02x}, not Ed25519 (0x01)")
        self.public_key = public
        self._key = Ed25519PublicKey.from_public_bytes(public)

    def verify(self, text: bytes, signature: bytes) -> bool:
        try:
            self._key.verify(signature, text)
        except InvalidSignature:
            return False
        return True


class Ed25519Signer:
    """Signs notes with a type 0x01 Ed25519 signer key string."""

    def __init__(self, skey: str) -> None:
        self.name, self.key_id, key_type, seed = decode_signer_key(skey)
        if key_type != ED25519:
            raise NoteError(f"key {self.name} has type 0x{key_type:02x}, not Ed25519 (0x01)")
        self._key = Ed25519PrivateKey.from_private_bytes(seed)

    def sign(self, text: bytes) -> bytes:
        return self._key.sign(text)

    def verifier_key(self) -> str:
        return encode_verifier_key(self.name, ED25519, self._key.public_key().public_bytes_raw())
