"""The issuer's ``did:web`` document and its Multikey public keys. Pure, no Django.

A BLS12-381 G2 public key (96 bytes, compressed) is published as a Multikey whose
``publicKeyMultibase`` is ``z`` + base58btc(``0xeb 0x01`` || key): 0xeb is the multicodec
``bls12_381-g2-pub``, written as the unsigned varint ``eb 01``. Every key the city has used stays
in ``verificationMethod`` and ``assertionMethod``, so a credential signed before a key rotation
still verifies until it is revoked.
"""

import hashlib
from collections.abc import Mapping, Sequence

from identity import multibase

MULTICODEC_BLS12_381_G2_PUB = b"\xeb\x01"
PUBLIC_KEY_LENGTH = 96
DID_CONTEXT = "https://www.w3.org/ns/did/v1"
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"


def did_web(domain: str) -> str:
    """``did:web`` for a host name; a port's colon is percent-encoded as the method requires."""
    host = domain.strip().lower()
    if not host or "/" in host:
        raise ValueError(f"not a host name: {domain!r}")
    return "did:web:" + host.replace(":", "%3A")


def key_id(public_key: bytes) -> str:
    """The fragment naming a key: stable, derived from the key itself."""
    return "bbs-" + hashlib.sha256(public_key).hexdigest()[:16]


def public_key_multibase(public_key: bytes) -> str:
    if len(public_key) != PUBLIC_KEY_LENGTH:
        raise ValueError(f"a BLS12-381 G2 public key is {PUBLIC_KEY_LENGTH} bytes")
    return multibase.encode(MULTICODEC_BLS12_381_G2_PUB + public_key, "base58btc")


def public_key_from_multibase(text: str) -> bytes:
    data = multibase.decode(text, "base58btc")
    if not data.startswith(MULTICODEC_BLS12_381_G2_PUB):
        raise ValueError("publicKeyMultibase is not a bls12_381-g2-pub (0xeb01) Multikey")
    key = data[len(MULTICODEC_BLS12_381_G2_PUB) :]
    if len(key) != PUBLIC_KEY_LENGTH:
        raise ValueError(f"publicKeyMultibase holds {len(key)} key bytes, not {PUBLIC_KEY_LENGTH}")
    return key


def did_document(did: str, public_keys: Sequence[bytes]) -> dict:
    """The DID document listing ``public_keys`` (newest first) as assertion keys."""
    methods = [
        {
            "id": f"{did}#{key_id(key)}",
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": public_key_multibase(key),
        }
        for key in public_keys
    ]
    return {
        "@context": [DID_CONTEXT, MULTIKEY_CONTEXT],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def resolve_assertion_key(document: Mapping, verification_method: str) -> bytes | None:
    """The public key behind ``verification_method`` if the document lists it for assertions."""
    if verification_method not in document.get("assertionMethod", []):
        return None
    for method in document.get("verificationMethod", []):
        if method.get("id") == verification_method and method.get("type") == "Multikey":
            return public_key_from_multibase(method["publicKeyMultibase"])
    return None
