"""The resident credential: a W3C VC 2.0 document secured by one BBS signature over its attributes.

Pure, no Django. docs/spec/credential.md is the normative text; in short:

* The signed attributes are the ``MESSAGE_PATHS``, in that fixed order. Message ``i`` is the
  UTF-8 of ``path + "=" + JCS(value)``, JCS being RFC 8785 canonical JSON.
* The BBS header is ``JCS(header object)``: the format name, ``@context``, ``type``, ``issuer``,
  ``validFrom``, ``validUntil``, the issuer key's ``verificationMethod`` and the list of message
  paths. The header is always visible to a verifier; the messages are disclosed one by one.
* The signature sits in a ``proof`` block of type ``PolityBbsSignatureV1`` (not the W3C
  ``bbs-2023`` cryptosuite, which needs RDF canonicalisation), ``proofValue`` being multibase
  base64url of the 80-byte BBS signature.
"""

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from identity import bbs, multibase

FORMAT = "polity-bbs-credential/v1"
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
CREDENTIAL_TYPE = "CityResidentCredential"
TYPES = ("VerifiableCredential", CREDENTIAL_TYPE)
SIGNATURE_TYPE = "PolityBbsSignatureV1"
PROOF_PURPOSE = "assertionMethod"

MESSAGE_PATHS = (
    "id",
    "credentialSubject.resident",
    "credentialSubject.district",
    "credentialSubject.birthYear",
    "credentialSubject.age_over_16",
    "credentialSubject.age_over_18",
    "credentialStatus.revocation",
    "credentialStatus.suspension",
)
SUBJECT_ATTRIBUTES = ("resident", "district", "birthYear", "age_over_16", "age_over_18")
STATUS_PURPOSES = ("revocation", "suspension")
DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
MAX_SAFE_INTEGER = 2**53 - 1

_UUID_URN = re.compile(r"^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_DECIMAL = re.compile(r"^(0|[1-9][0-9]{0,9})$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


class CredentialError(ValueError):
    """A credential or attribute that does not follow the format; ``str(err)`` says why."""


@dataclass(frozen=True)
class ResidentClaims:
    """What the city asserts about one resident, before it becomes a document."""

    credential_id: str
    district: int
    birth_year: int
    age_over_16: bool
    age_over_18: bool


def canonical_json(value: Any) -> bytes:
    """RFC 8785 (JCS) for the JSON Polity signs: objects with ASCII keys, arrays, strings,
    booleans, null and integers within ±(2^53 - 1). For these, JCS is sorted keys, no
    whitespace, no escaping beyond JSON's mandatory escapes, UTF-8."""
    _check_canonical(value, "value")
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def _check_canonical(value: Any, where: str) -> None:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise CredentialError(f"{where}: integer outside ±(2^53 - 1)")
        return
    if isinstance(value, list):
        for i, item in enumerate(value):
            _check_canonical(item, f"{where}[{i}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or not key.isascii():
                raise CredentialError(f"{where}: object keys must be ASCII strings")
            _check_canonical(item, f"{where}.{key}")
        return
    raise CredentialError(f"{where}: {type(value).__name__} is not allowed in signed JSON")


def format_datetime(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(DATETIME_FORMAT)


def parse_datetime(text: Any, where: str) -> datetime:
    if not isinstance(text, str) or not _DATETIME.match(text):
        raise CredentialError(f"{where}: expected a date-time like 2026-01-31T00:00:00Z")
    try:
        return datetime.strptime(text, DATETIME_FORMAT).replace(tzinfo=UTC)
    except ValueError as exc:
        raise CredentialError(f"{where}: {exc}") from exc


def unsigned_credential(
    *,
    claims: ResidentClaims,
    issuer: str,
    valid_from: datetime,
    valid_until: datetime,
    status_entries: Mapping[str, dict],
) -> dict:
    """The credential document without its proof; ``status_entries`` maps purpose → entry."""
    document = {
        "@context": [VC_CONTEXT],
        "id": claims.credential_id,
        "type": list(TYPES),
        "issuer": issuer,
        "validFrom": format_datetime(valid_from),
        "validUntil": format_datetime(valid_until),
        "credentialSubject": {
            "resident": True,
            "district": claims.district,
            "birthYear": claims.birth_year,
            "age_over_16": claims.age_over_16,
            "age_over_18": claims.age_over_18,
        },
        "credentialStatus": [status_entries[purpose] for purpose in STATUS_PURPOSES],
    }
    for path in MESSAGE_PATHS:
        check_attribute(path, attribute_value(document, path))
    return document


def header_object(document: Mapping, verification_method: str) -> dict:
    """The always-visible part of a credential, checked for shape; the BBS header is its JCS."""
    if document.get("@context") != [VC_CONTEXT]:
        raise CredentialError(f"@context must be [{VC_CONTEXT!r}]")
    if document.get("type") != list(TYPES):
        raise CredentialError(f"type must be {list(TYPES)}")
    issuer = document.get("issuer")
    if not isinstance(issuer, str) or not issuer.startswith("did:web:"):
        raise CredentialError("issuer must be a did:web identifier")
    if not isinstance(verification_method, str) or not verification_method.startswith(issuer + "#"):
        raise CredentialError("the verification method must be a key of the issuer's DID")
    valid_from = parse_datetime(document.get("validFrom"), "validFrom")
    valid_until = parse_datetime(document.get("validUntil"), "validUntil")
    if valid_until <= valid_from:
        raise CredentialError("validUntil must be after validFrom")
    return {
        "format": FORMAT,
        "@context": document["@context"],
        "type": document["type"],
        "issuer": issuer,
        "validFrom": document["validFrom"],
        "validUntil": document["validUntil"],
        "verificationMethod": verification_method,
        "messages": list(MESSAGE_PATHS),
    }


def header_bytes(document: Mapping, verification_method: str) -> bytes:
    return canonical_json(header_object(document, verification_method))


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()


def attribute_value(document: Mapping, path: str) -> Any:
    """The value at a message path, or ``MISSING`` when the document does not carry it."""
    if path == "id":
        return document.get("id", MISSING)
    section, _, name = path.partition(".")
    if section == "credentialSubject":
        subject = document.get("credentialSubject")
        return subject.get(name, MISSING) if isinstance(subject, dict) else MISSING
    if section == "credentialStatus":
        entries = document.get("credentialStatus", [])
        if not isinstance(entries, list):
            raise CredentialError("credentialStatus must be a list of entries")
        found = [e for e in entries if isinstance(e, dict) and e.get("statusPurpose") == name]
        if len(found) > 1:
            raise CredentialError(f"credentialStatus has more than one {name} entry")
        return found[0] if found else MISSING
    raise CredentialError(f"unknown attribute path {path!r}")


def check_attribute(path: str, value: Any) -> None:
    """Refuse a value whose type or range does not fit its path (before it is signed or shown)."""
    if path == "id":
        ok = isinstance(value, str) and bool(_UUID_URN.match(value))
        expected = "a urn:uuid: identifier"
    elif path == "credentialSubject.resident":
        ok, expected = value is True, "true"
    elif path == "credentialSubject.district":
        ok = type(value) is int and 0 < value < 65536
        expected = "an integer district number 1..65535"
    elif path == "credentialSubject.birthYear":
        ok, expected = type(value) is int and 1000 <= value <= 9999, "a four-digit year"
    elif path in ("credentialSubject.age_over_16", "credentialSubject.age_over_18"):
        ok, expected = isinstance(value, bool), "true or false"
    elif path.startswith("credentialStatus."):
        _check_status_entry(path.removeprefix("credentialStatus."), value)
        return
    else:
        raise CredentialError(f"unknown attribute path {path!r}")
    if not ok:
        raise CredentialError(f"{path}: expected {expected}")


def _check_status_entry(purpose: str, entry: Any) -> None:
    where = f"credentialStatus ({purpose})"
    keys = {"id", "type", "statusPurpose", "statusListIndex", "statusListCredential"}
    if not isinstance(entry, dict) or set(entry) != keys:
        raise CredentialError(f"{where}: an entry has exactly the fields {sorted(keys)}")
    if entry["type"] != "BitstringStatusListEntry" or entry["statusPurpose"] != purpose:
        raise CredentialError(f"{where}: must be a BitstringStatusListEntry for {purpose}")
    index, url = entry["statusListIndex"], entry["statusListCredential"]
    if not isinstance(index, str) or not _DECIMAL.match(index):
        raise CredentialError(f"{where}: statusListIndex must be a base-10 integer string")
    if not isinstance(url, str) or not url.startswith("https://"):
        raise CredentialError(f"{where}: statusListCredential must be an https URL")
    if entry["id"] != f"{url}#{index}":
        raise CredentialError(f"{where}: id must be statusListCredential#statusListIndex")


def message(path: str, value: Any) -> bytes:
    check_attribute(path, value)
    return path.encode("ascii") + b"=" + canonical_json(value)


def credential_messages(document: Mapping) -> list[bytes]:
    """All signed messages of a full credential, in ``MESSAGE_PATHS`` order."""
    messages = []
    for path in MESSAGE_PATHS:
        value = attribute_value(document, path)
        if value is MISSING:
            raise CredentialError(f"the credential has no {path}")
        messages.append(message(path, value))
    return messages


def sign_credential(
    document: Mapping, *, secret_key: bytes, public_key: bytes, verification_method: str
) -> dict:
    """``document`` plus its ``PolityBbsSignatureV1`` proof."""
    signature = bbs.sign(
        secret_key,
        public_key,
        credential_messages(document),
        header=header_bytes(document, verification_method),
    )
    return {**document, "proof": signature_proof(verification_method, signature)}


def signature_proof(verification_method: str, signature: bytes) -> dict:
    return {
        "type": SIGNATURE_TYPE,
        "verificationMethod": verification_method,
        "proofPurpose": PROOF_PURPOSE,
        "proofValue": multibase.encode(signature, "base64url"),
    }


def read_signature(document: Mapping) -> tuple[str, bytes]:
    """(verification method, signature bytes) of a full credential's proof block."""
    proof = document.get("proof")
    if not isinstance(proof, dict) or proof.get("type") != SIGNATURE_TYPE:
        raise CredentialError(f"the credential's proof must be of type {SIGNATURE_TYPE}")
    if proof.get("proofPurpose") != PROOF_PURPOSE:
        raise CredentialError(f"proofPurpose must be {PROOF_PURPOSE}")
    try:
        signature = multibase.decode(proof.get("proofValue"), "base64url")
    except ValueError as exc:
        raise CredentialError(f"proofValue: {exc}") from exc
    return proof.get("verificationMethod"), signature


def verify_credential(document: Mapping, public_key: bytes) -> None:
    """Check a full credential's signature; raises ``CredentialError`` or ``bbs.BBSError``."""
    verification_method, signature = read_signature(document)
    unsigned = {key: value for key, value in document.items() if key != "proof"}
    bbs.verify(
        public_key,
        signature,
        credential_messages(unsigned),
        header=header_bytes(unsigned, verification_method),
    )


def disclosable_paths(names: Sequence[str]) -> list[str]:
    """Map short attribute names (``district``, ``revocation``, ``id``...) to message paths."""
    paths = []
    for name in names:
        if name in MESSAGE_PATHS:
            path = name
        elif name in SUBJECT_ATTRIBUTES:
            path = f"credentialSubject.{name}"
        elif name in STATUS_PURPOSES:
            path = f"credentialStatus.{name}"
        else:
            raise CredentialError(f"unknown attribute {name!r}")
        if path not in paths:
            paths.append(path)
    return sorted(paths, key=MESSAGE_PATHS.index)
