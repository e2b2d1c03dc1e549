"""W3C Bitstring Status List 1.0: the bitstring, its ``encodedList`` text and the list credential.

Pure, no Django. Bit ``i`` of the list is bit ``7 - i % 8`` of byte ``i // 8`` (index 0 is the
most significant bit of the first byte), ``1`` meaning the status (revoked or suspended) is set.
``encodedList`` is multibase base64url (``u``, no padding) of the GZIP (RFC 1952) compression of
the bitstring. Lists hold at least 131,072 entries (16 KiB), the specification's minimum, so that
one index hides among many.
"""

import gzip
import io

from identity import multibase

MINIMUM_ENTRIES = 131_072
MAXIMUM_ENTRIES = 8 * 2**20  # 1 MiB decompressed: refuse gzip bombs from a foreign list
PURPOSES = ("revocation", "suspension")


def empty_bitstring(entries: int = MINIMUM_ENTRIES) -> bytes:
    if entries < MINIMUM_ENTRIES or entries % 8:
        raise ValueError(
            f"a status list needs a multiple of 8 and at least {MINIMUM_ENTRIES} entries"
        )
    return bytes(entries // 8)


def get_bit(bitstring: bytes, index: int) -> bool:
    if not 0 <= index < len(bitstring) * 8:
        raise ValueError(f"status index {index} is outside the list (0..{len(bitstring) * 8 - 1})")
    return bool(bitstring[index // 8] >> (7 - index % 8) & 1)


def set_bit(bitstring: bytes, index: int, value: bool) -> bytes:
    """A copy of ``bitstring`` with bit ``index`` set to ``value``."""
    get_bit(bitstring, index)  # range check
    data = bytearray(bitstring)
    mask = 1 << (7 - index % 8)
    data[index // 8] = data[index // 8] | mask if value else data[index // 8] & ~mask
    return bytes(data)


def encode_list(bitstring: bytes) -> str:
    """The ``encodedList`` value. ``mtime=0`` makes the output depend on the bits alone."""
    return multibase.encode(gzip.compress(bitstring, compresslevel=9, mtime=0), "base64url")


def decode_list(encoded: str) -> bytes:
    """The bitstring behind an ``encodedList``; refuses bad encodings and lists that are too short."""
    compressed = multibase.decode(encoded, "base64url")
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(compressed)) as stream:
            bitstring = stream.read(MAXIMUM_ENTRIES // 8 + 1)
    except (OSError, EOFError) as exc:
        raise ValueError(f"encodedList is not GZIP data: {exc}") from exc
    if len(bitstring) * 8 > MAXIMUM_ENTRIES:
        raise ValueError(f"encodedList expands to more than {MAXIMUM_ENTRIES} entries")
    if len(bitstring) * 8 < MINIMUM_ENTRIES:
        raise ValueError(
            f"encodedList has {len(bitstring) * 8} entries; the minimum is {MINIMUM_ENTRIES}"
        )
    return bitstring


def status_entry(*, list_url: str, purpose: str, index: int) -> dict:
    """A ``BitstringStatusListEntry`` for a credential's ``credentialStatus``."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown status purpose {purpose!r}")
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def status_list_credential(
    *, list_url: str, issuer: str, purpose: str, bitstring: bytes, valid_from: str
) -> dict:
    """The unsigned ``BitstringStatusListCredential`` document served at ``list_url``."""
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encode_list(bitstring),
        },
    }


STATUS_LIST_SIGNATURE_HEADER = b"polity-bbs-status-list/v1"


def sign_status_list(
    document: dict, *, secret_key: bytes, public_key: bytes, verification_method: str
) -> dict:
    """Secure a status list credential: one BBS signature whose only message is the JCS of the
    document without ``proof`` and whose header is ``polity-bbs-status-list/v1``."""
    from identity import bbs
    from identity.credential import canonical_json, signature_proof

    signature = bbs.sign(
        secret_key, public_key, [canonical_json(document)], header=STATUS_LIST_SIGNATURE_HEADER
    )
    return {**document, "proof": signature_proof(verification_method, signature)}


def verify_status_list(document: dict, public_key: bytes) -> None:
    """Raises ``CredentialError`` or ``bbs.BBSError`` unless the city signed this list."""
    from identity import bbs
    from identity.credential import canonical_json, read_signature

    _method, signature = read_signature(document)
    unsigned = {key: value for key, value in document.items() if key != "proof"}
    bbs.verify(
        public_key, signature, [canonical_json(unsigned)], header=STATUS_LIST_SIGNATURE_HEADER
    )
