"""Presentations of the resident credential: derive (holder side) and verify (verifier side).

Pure, no Django: the caller supplies how to resolve the issuer's key and how to read a status
bit. A presentation is a ``VerifiablePresentation`` holding one derived credential: the
always-visible fields, only the disclosed attributes, and a ``PolityBbsProofV1`` proof (a BBS
proof bound to the verifier's nonce as presentation header). Which messages are disclosed
follows from which attributes the derived credential carries. See docs/spec/credential.md.

In production the holder derives presentations in the browser (frontend/src/wallet/); the Python
``derive_presentation`` exists for tests, benchmarks and command-line holders.
"""

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from identity import bbs, multibase
from identity.credential import (
    MESSAGE_PATHS,
    MISSING,
    PROOF_PURPOSE,
    STATUS_PURPOSES,
    SUBJECT_ATTRIBUTES,
    VC_CONTEXT,
    CredentialError,
    attribute_value,
    credential_messages,
    disclosable_paths,
    header_bytes,
    message,
    parse_datetime,
    read_signature,
)

PROOF_TYPE = "PolityBbsProofV1"
PRESENTATION_TYPE = ["VerifiablePresentation"]
NONCE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,128}$")
_ENVELOPE_FIELDS = ("@context", "type", "issuer", "validFrom", "validUntil")
_CREDENTIAL_FIELDS = {*_ENVELOPE_FIELDS, "id", "credentialSubject", "credentialStatus", "proof"}
_PROOF_FIELDS = {"type", "verificationMethod", "proofPurpose", "nonce", "proofValue"}


class PresentationError(ValueError):
    """A presentation that is not even well formed; ``str(err)`` says what is wrong."""


def check_nonce(nonce: Any) -> str:
    if not isinstance(nonce, str) or not NONCE_PATTERN.match(nonce):
        raise PresentationError("nonce: 8 to 128 characters from A-Z, a-z, 0-9, '-' and '_'")
    return nonce


def presentation_header(nonce: str) -> bytes:
    """The BBS presentation header: the verifier's nonce, UTF-8."""
    return check_nonce(nonce).encode("ascii")


def derive_presentation(
    document: Mapping, *, public_key: bytes, disclose: Sequence[str], nonce: str
) -> dict:
    """A presentation of ``document`` disclosing ``disclose`` (short names or paths) only."""
    verification_method, signature = read_signature(document)
    unsigned = {key: value for key, value in document.items() if key != "proof"}
    paths = disclosable_paths(disclose)
    proof = bbs.proof_gen(
        public_key,
        signature,
        credential_messages(unsigned),
        [MESSAGE_PATHS.index(path) for path in paths],
        header=header_bytes(unsigned, verification_method),
        presentation_header=presentation_header(nonce),
    )
    derived = {key: unsigned[key] for key in _ENVELOPE_FIELDS}
    if "id" in paths:
        derived["id"] = unsigned["id"]
    derived["credentialSubject"] = {
        name: unsigned["credentialSubject"][name]
        for name in SUBJECT_ATTRIBUTES
        if f"credentialSubject.{name}" in paths
    }
    entries = [
        attribute_value(unsigned, f"credentialStatus.{purpose}")
        for purpose in STATUS_PURPOSES
        if f"credentialStatus.{purpose}" in paths
    ]
    if entries:
        derived["credentialStatus"] = entries
    derived["proof"] = {
        "type": PROOF_TYPE,
        "verificationMethod": verification_method,
        "proofPurpose": PROOF_PURPOSE,
        "nonce": nonce,
        "proofValue": multibase.encode(proof, "base64url"),
    }
    return {"@context": [VC_CONTEXT], "type": PRESENTATION_TYPE, "verifiableCredential": [derived]}


@dataclass
class ParsedPresentation:
    credential: dict
    verification_method: str
    nonce: str
    header: bytes
    proof: bytes
    disclosed: dict[str, Any]  # path -> value, in message order
    valid_from: datetime
    valid_until: datetime

    @property
    def indexes(self) -> list[int]:
        return [MESSAGE_PATHS.index(path) for path in self.disclosed]

    @property
    def messages(self) -> list[bytes]:
        return [message(path, value) for path, value in self.disclosed.items()]


def read_presentation(presentation: Any) -> ParsedPresentation:
    """Check the shape of a presentation; everything it shows must be covered by its proof."""
    if not isinstance(presentation, dict):
        raise PresentationError("a presentation is a JSON object")
    if presentation.get("@context") != [VC_CONTEXT]:
        raise PresentationError(f"presentation @context must be [{VC_CONTEXT!r}]")
    if presentation.get("type") != PRESENTATION_TYPE:
        raise PresentationError("presentation type must be ['VerifiablePresentation']")
    credentials = presentation.get("verifiableCredential")
    if not isinstance(credentials, list) or len(credentials) != 1:
        raise PresentationError("verifiableCredential must hold exactly one credential")
    credential = credentials[0]
    if not isinstance(credential, dict):
        raise PresentationError("the credential must be a JSON object")
    extra = set(credential) - _CREDENTIAL_FIELDS
    if extra:
        raise PresentationError(
            f"credential field {sorted(extra)[0]!r} is not covered by the proof"
        )
    subject = credential.get("credentialSubject")
    if not isinstance(subject, dict):
        raise PresentationError("credentialSubject must be a JSON object")
    unknown = set(subject) - set(SUBJECT_ATTRIBUTES)
    if unknown:
        raise PresentationError(f"credentialSubject.{sorted(unknown)[0]} is not an attribute")
    proof = credential.get("proof")
    if not isinstance(proof, dict) or set(proof) != _PROOF_FIELDS:
        raise PresentationError(f"the proof block has exactly the fields {sorted(_PROOF_FIELDS)}")
    if proof["type"] != PROOF_TYPE or proof["proofPurpose"] != PROOF_PURPOSE:
        raise PresentationError(f"proof type must be {PROOF_TYPE} for {PROOF_PURPOSE}")
    try:
        nonce = check_nonce(proof["nonce"])
        proof_bytes = multibase.decode(proof["proofValue"], "base64url")
        statuses = credential.get("credentialStatus", [])
        if not isinstance(statuses, list) or (statuses == [] and "credentialStatus" in credential):
            raise CredentialError("credentialStatus must be a non-empty list when present")
        for entry in statuses:
            if not isinstance(entry, dict) or entry.get("statusPurpose") not in STATUS_PURPOSES:
                raise CredentialError("credentialStatus entries are revocation or suspension")
        header = header_bytes(credential, proof["verificationMethod"])
        disclosed = {}
        for path in MESSAGE_PATHS:
            value = attribute_value(credential, path)
            if value is not MISSING:
                message(path, value)  # type and range check
                disclosed[path] = value
        valid_from = parse_datetime(credential["validFrom"], "validFrom")
        valid_until = parse_datetime(credential["validUntil"], "validUntil")
    except (CredentialError, ValueError) as exc:
        raise PresentationError(str(exc)) from exc
    return ParsedPresentation(
        credential=credential,
        verification_method=proof["verificationMethod"],
        nonce=nonce,
        header=header,
        proof=proof_bytes,
        disclosed=disclosed,
        valid_from=valid_from,
        valid_until=valid_until,
    )


@dataclass
class Check:
    name: str
    passed: bool
    detail: str


@dataclass
class PresentationReport:
    """What a verifier learns. ``verified`` only when every check passed; ``reason`` is the first
    failure. ``disclosed`` maps attribute paths to values (proven only if ``verified``)."""

    verified: bool = False
    reason: str | None = None
    checks: list[Check] = field(default_factory=list)
    issuer: str = ""
    verification_method: str = ""
    valid_from: str = ""
    valid_until: str = ""
    disclosed: dict[str, Any] = field(default_factory=dict)
    status: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, passed: bool, detail: str) -> bool:
        self.checks.append(Check(name, passed, detail))
        return passed

    def as_dict(self) -> dict:
        return asdict(self)


# (purpose, statusListCredential URL, index) -> bit; raises LookupError(reason) for unknown lists.
StatusBit = Callable[[str, str, int], bool]


def verify_presentation(
    presentation: Any,
    *,
    expected_nonce: str,
    city_did: str,
    resolve_key: Callable[[str], bytes | None],
    status_bit: StatusBit,
    now: datetime,
    required: Sequence[str] = (),
    require_status: Sequence[str] = STATUS_PURPOSES,
) -> PresentationReport:
    """Verify a presentation for a verifier who sent ``expected_nonce`` and asks for the
    attributes ``required`` (short names or paths) and the statuses ``require_status``.

    Raises ``PresentationError`` for malformed input; otherwise returns a report whose checks
    name each failure (foreign issuer, unknown key, wrong nonce, bad proof, expired, missing
    attribute, revoked or suspended)."""
    check_nonce(expected_nonce)
    try:
        required_paths = disclosable_paths(required)
    except CredentialError as exc:
        raise PresentationError(str(exc)) from exc
    unknown_purposes = set(require_status) - set(STATUS_PURPOSES)
    if unknown_purposes:
        raise PresentationError(f"unknown status purpose {sorted(unknown_purposes)[0]!r}")
    parsed = read_presentation(presentation)
    report = PresentationReport(
        issuer=parsed.credential["issuer"],
        verification_method=parsed.verification_method,
        valid_from=parsed.credential["validFrom"],
        valid_until=parsed.credential["validUntil"],
        disclosed=dict(parsed.disclosed),
    )
    issuer_ok = report.add(
        "issuer",
        parsed.credential["issuer"] == city_did,
        f"issued by {parsed.credential['issuer']}"
        + ("" if parsed.credential["issuer"] == city_did else f", not by the city ({city_did})"),
    )
    public_key = resolve_key(parsed.verification_method) if issuer_ok else None
    report.add(
        "issuer key",
        public_key is not None,
        f"{parsed.verification_method} is a key of the city's DID document"
        if public_key is not None
        else f"{parsed.verification_method} is not a key in the city's DID document",
    )
    nonce_ok = parsed.nonce == expected_nonce
    report.add(
        "nonce",
        nonce_ok,
        "bound to your nonce"
        if nonce_ok
        else f"bound to nonce {parsed.nonce!r}, not to your nonce {expected_nonce!r}",
    )
    _check_proof(report, parsed, public_key)
    _check_validity(report, parsed, now)
    missing = [path for path in required_paths if path not in parsed.disclosed]
    report.add(
        "requested attributes",
        not missing,
        "all disclosed" if not missing else "not disclosed: " + ", ".join(missing),
    )
    for purpose in STATUS_PURPOSES:
        _check_status(report, parsed, purpose, purpose in require_status, status_bit)
    failed = [check for check in report.checks if not check.passed]
    report.verified = not failed
    report.reason = f"{failed[0].name}: {failed[0].detail}" if failed else None
    return report


def _check_proof(
    report: PresentationReport, parsed: ParsedPresentation, public_key: bytes | None
) -> None:
    if public_key is None:
        report.add("proof", False, "not checked: the issuer key is unknown")
        return
    try:
        bbs.proof_verify(
            public_key,
            parsed.proof,
            parsed.messages,
            parsed.indexes,
            header=parsed.header,
            presentation_header=presentation_header(parsed.nonce),
        )
    except bbs.BBSError as exc:
        report.add("proof", False, f"the BBS proof does not verify: {exc}")
        return
    report.add("proof", True, f"BBS proof of {len(parsed.disclosed)} disclosed attribute(s)")


def _check_validity(report: PresentationReport, parsed: ParsedPresentation, now: datetime) -> None:
    if now < parsed.valid_from:
        report.add("validity", False, f"not valid before {report.valid_from}")
    elif now >= parsed.valid_until:
        report.add("validity", False, f"expired at {report.valid_until}")
    else:
        report.add("validity", True, f"valid from {report.valid_from} until {report.valid_until}")


def _check_status(
    report: PresentationReport,
    parsed: ParsedPresentation,
    purpose: str,
    required: bool,
    status_bit: StatusBit,
) -> None:
    entry = parsed.disclosed.get(f"credentialStatus.{purpose}")
    name = f"{purpose} status"
    if entry is None:
        report.status[purpose] = "not disclosed"
        if required:
            report.add(name, False, f"the holder did not disclose the {purpose} status entry")
        return
    try:
        is_set = status_bit(purpose, entry["statusListCredential"], int(entry["statusListIndex"]))
    except LookupError as exc:
        report.status[purpose] = "unknown"
        report.add(name, False, str(exc.args[0] if exc.args else exc))
        return
    state = {"revocation": "revoked", "suspension": "suspended"}[purpose]
    report.status[purpose] = state if is_set else "active"
    report.add(name, not is_set, f"the credential is {state}" if is_set else f"not {state}")
