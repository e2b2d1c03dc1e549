"""Signed evidence for milestones: device readings and inspectors' sign-offs (Ed25519, RFC 8032).

Both are signed over a documented canonical message (docs/spec/governance.md §5):

    reading:      b"polity-device-reading-v1\\n"       || canonical_json(reading without signature)
    attestation:  b"polity-milestone-attestation-v1\\n" || canonical_json(statement)

where canonical_json is the ledger's (docs/spec/ledger.md §2.2). Parsing is strict and every
refusal says why. Pure module: no Django, so devices and auditors can use it as is.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ledger.leaf import EntryError, canonical_json

READING_PREFIX = b"polity-device-reading-v1\n"
ATTESTATION_PREFIX = b"polity-milestone-attestation-v1\n"
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
_METRIC = re.compile(r"[a-z][a-z0-9_]{0,39}")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_SIGNATURE = re.compile(r"[0-9a-f]{128}")
MAX_METRICS = 16
MAX_COUNTER = 2**53 - 1
ATTESTATION_RESULTS = ("delivered",)


class EvidenceError(ValueError):
    """Malformed or unverifiable evidence; the message says which field and why."""


def format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(TIME_FORMAT)


def parse_time(text: object, field: str) -> datetime:
    if not isinstance(text, str) or not _TIME.fullmatch(text):
        raise EvidenceError(f"{field}: must be UTC time like 2026-03-01T09:30:00Z")
    try:
        return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        raise EvidenceError(f"{field}: {text} is not a real date and time") from None


def public_key_from_hex(text: str) -> Ed25519PublicKey:
    if not isinstance(text, str) or not _HEX64.fullmatch(text):
        raise EvidenceError("public key: must be 64 lowercase hex digits (32 bytes)")
    return Ed25519PublicKey.from_public_bytes(bytes.fromhex(text))


def public_key_hex(private_key: Ed25519PrivateKey) -> str:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def _check_signature(public_key_text: str, message: bytes, signature: object) -> None:
    if not isinstance(signature, str) or not _SIGNATURE.fullmatch(signature):
        raise EvidenceError("signature: must be 128 lowercase hex digits (64 bytes)")
    try:
        public_key_from_hex(public_key_text).verify(bytes.fromhex(signature), message)
    except InvalidSignature:
        raise EvidenceError("signature: does not verify under the registered key") from None


# --- device readings ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    device: str
    counter: int
    timestamp: datetime
    metrics: dict
    signature: str

    def body(self) -> dict:
        return {
            "device": self.device,
            "counter": self.counter,
            "timestamp": format_time(self.timestamp),
            "metrics": self.metrics,
        }


def reading_message(body: dict) -> bytes:
    try:
        return READING_PREFIX + canonical_json(body)
    except EntryError as exc:
        raise EvidenceError(str(exc)) from None


def parse_reading(data: object) -> Reading:
    """A reading from its JSON object, strictly: exactly the five fields, well formed."""
    if not isinstance(data, dict):
        raise EvidenceError("a reading must be a JSON object")
    expected = {"device", "counter", "timestamp", "metrics", "signature"}
    if set(data) != expected:
        missing, extra = expected - set(data), set(data) - expected
        what = f"missing {sorted(missing)}" if missing else f"unexpected {sorted(extra)}"
        raise EvidenceError(f"reading: {what}")
    device = data["device"]
    if not isinstance(device, str) or not _ID.fullmatch(device):
        raise EvidenceError("device: must match [a-z0-9][a-z0-9_-]{0,63}")
    counter = data["counter"]
    if isinstance(counter, bool) or not isinstance(counter, int) or not 0 <= counter <= MAX_COUNTER:
        raise EvidenceError("counter: must be an integer from 0 to 2**53 - 1")
    timestamp = parse_time(data["timestamp"], "timestamp")
    metrics = data["metrics"]
    if not isinstance(metrics, dict) or not 1 <= len(metrics) <= MAX_METRICS:
        raise EvidenceError(f"metrics: must be an object with 1 to {MAX_METRICS} entries")
    for name, value in metrics.items():
        if not _METRIC.fullmatch(name):
            raise EvidenceError(f"metrics: name {name!r} must match [a-z][a-z0-9_]{{0,39}}")
        if not isinstance(value, bool | int) or (
            not isinstance(value, bool) and abs(value) > MAX_COUNTER
        ):
            raise EvidenceError(f"metrics.{name}: must be true, false or an integer")
    return Reading(device, counter, timestamp, dict(metrics), data["signature"])


def verify_reading(reading: Reading, public_key: str) -> None:
    """EvidenceError unless the device's key signed this reading."""
    _check_signature(public_key, reading_message(reading.body()), reading.signature)


def sign_reading(private_key: Ed25519PrivateKey, body: dict) -> dict:
    """What a device (or the simulator) posts: the body plus its signature."""
    signature = private_key.sign(reading_message(body)).hex()
    return {**body, "signature": signature}


# --- inspectors' sign-offs ---------------------------------------------------------------------


STATEMENT_FIELDS = {
    "site",
    "project",
    "milestone",
    "amount_cents",
    "inspector",
    "inspected_at",
    "result",
    "report_sha256",
}


def attestation_message(statement: dict) -> bytes:
    try:
        return ATTESTATION_PREFIX + canonical_json(statement)
    except EntryError as exc:
        raise EvidenceError(str(exc)) from None


def parse_statement(data: object) -> dict:
    """The statement an inspector signs, strictly (see docs/spec/governance.md §5.2)."""
    if not isinstance(data, dict) or set(data) != STATEMENT_FIELDS:
        raise EvidenceError(f"statement: must be an object with exactly {sorted(STATEMENT_FIELDS)}")
    for name in ("project", "milestone", "amount_cents"):
        value = data[name]
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_COUNTER:
            raise EvidenceError(f"statement.{name}: must be a positive integer")
    if not isinstance(data["site"], str) or not data["site"]:
        raise EvidenceError("statement.site: must name this deployment")
    if not isinstance(data["inspector"], str) or not _ID.fullmatch(data["inspector"]):
        raise EvidenceError("statement.inspector: must be the inspector's key id")
    parse_time(data["inspected_at"], "statement.inspected_at")
    if data["result"] not in ATTESTATION_RESULTS:
        raise EvidenceError(f"statement.result: must be one of {list(ATTESTATION_RESULTS)}")
    report = data["report_sha256"]
    if not isinstance(report, str) or not (report == "" or _HEX64.fullmatch(report)):
        raise EvidenceError("statement.report_sha256: must be empty or 64 lowercase hex digits")
    return dict(data)


def verify_statement(statement: dict, signature: object, public_key: str) -> None:
    _check_signature(public_key, attestation_message(statement), signature)


def sign_statement(private_key: Ed25519PrivateKey, statement: dict) -> str:
    return private_key.sign(attestation_message(statement)).hex()
