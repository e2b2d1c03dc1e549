"""Shared vocabulary of the election record (docs/spec/election-record.md §1): digests, ids,
strict field validators, and the ceremony id.

``digest`` is the ledger's payload digest (canonical JSON of docs/spec/ledger.md §2.2, SHA-256),
so the digest of an anchored payload is exactly the ``payload-sha256`` of its ledger entry.
"""

import hashlib
import re
from collections.abc import Iterable, Sequence
from datetime import datetime

from ledger.leaf import canonical_json, payload_digest

RECORD_VERSION = "polity-election-record-v1"
CEREMONY_VERSION = "polity-ceremony-v1"
MAX_SAFE_INTEGER = 2**53 - 1
MAX_WEIGHT = 1_000_000

ELECTION_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
ALIAS = re.compile(r"[\x21-\x7e]{1,256}")
HEX64 = re.compile(r"[0-9a-f]{64}")
TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")


class RecordError(ValueError):
    """The input is not an election record at all (the CLI's exit status 2)."""


class CheckFailed(Exception):
    """A check does not hold; the message names the field and says why."""


def digest(value: object) -> str:
    """H(value): hex SHA-256 of the canonical JSON of a JSON value (ledger.md §2.2)."""
    return payload_digest(value).hex()


def same_json(a: object, b: object) -> bool:
    """Equal as canonical JSON (so key order and int/bool distinctions are what count)."""
    return canonical_json(a) == canonical_json(b)


def ceremony_id(election: str, threshold: int, trustees: Sequence[tuple[int, str]]) -> bytes:
    """The 32-byte ceremony id every trustee's Schnorr proofs are bound to (spec §2.3)."""
    doc = {
        "version": CEREMONY_VERSION,
        "election": election,
        "threshold": threshold,
        "trustees": [{"index": i, "name": n} for i, n in sorted(trustees)],
    }
    return hashlib.sha256(canonical_json(doc)).digest()


def exact_keys(obj: object, keys: Iterable[str], where: str, optional: Iterable[str] = ()) -> dict:
    """``obj`` as a dict with exactly ``keys`` (plus any of ``optional``), or CheckFailed."""
    if not isinstance(obj, dict):
        raise CheckFailed(f"{where} must be an object")
    required, allowed = set(keys), set(keys) | set(optional)
    missing = sorted(required - set(obj))
    extra = sorted(set(obj) - allowed)
    if missing:
        raise CheckFailed(f"{where} is missing {', '.join(missing)}")
    if extra:
        raise CheckFailed(f"{where} has unexpected key(s) {', '.join(extra)}")
    return obj


def integer(value: object, where: str, lo: int = 0, hi: int = MAX_SAFE_INTEGER) -> int:
    if type(value) is not int or not lo <= value <= hi:
        raise CheckFailed(f"{where} must be an integer {lo}..{hi}")
    return value


def string(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise CheckFailed(f"{where} must be a string")
    return value


def listing(value: object, where: str) -> list:
    if not isinstance(value, list):
        raise CheckFailed(f"{where} must be a list")
    return value


def hex64(value: object, where: str) -> str:
    if not isinstance(value, str) or not HEX64.fullmatch(value):
        raise CheckFailed(f"{where} must be 64 lowercase hex digits")
    return value


def alias(value: object, where: str) -> str:
    if not isinstance(value, str) or not ALIAS.fullmatch(value):
        raise CheckFailed(f"{where} must be 1-256 printable ASCII characters without space")
    return value


def ledger_time(value: object, where: str) -> str:
    if not isinstance(value, str) or not TIME.fullmatch(value):
        raise CheckFailed(f"{where} must be a time like 2026-03-01T09:30:00.000000Z")
    try:
        datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ")
    except ValueError:
        raise CheckFailed(f"{where} is not a real date and time") from None
    return value
