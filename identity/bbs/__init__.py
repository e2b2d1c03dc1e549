"""BBS signatures (draft-irtf-cfrg-bbs-signatures-08, BLS12-381-SHA-256) for Polity's digital IDs.

Pure Python on py-ecc (reference group law, hash-to-curve) with a gmpy2 backend for G1 and the
pairing. Every input and output is ``bytes``; messages are ordered octet strings whose meaning
is the caller's business. Verification functions return ``None`` or raise a ``BBSError``
subclass whose message says why. See docs/spec/bbs.md for the encodings.
"""

import secrets

from .errors import BBSError, EncodingError, InvalidProof, InvalidSignature
from .proof import proof_gen, proof_verify
from .signature import keygen, sign, sk_to_pk, verify
from .suite import CIPHERSUITE_ID

__all__ = [
    "CIPHERSUITE_ID",
    "BBSError",
    "EncodingError",
    "InvalidProof",
    "InvalidSignature",
    "generate_secret_key",
    "keygen",
    "proof_gen",
    "proof_verify",
    "sign",
    "sk_to_pk",
    "verify",
]


def generate_secret_key(key_info: bytes = b"") -> bytes:
    """A fresh 32-byte secret key from 32 bytes of OS randomness (KeyGen with random IKM)."""
    return keygen(secrets.token_bytes(32), key_info)
