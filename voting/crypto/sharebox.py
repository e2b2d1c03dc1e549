"""Encrypting a key-generation share for one trustee, so the server only relays ciphertexts.

Format (docs/spec/ballot.md "Encrypted shares"): X25519 ECIES with HKDF-SHA256 and AES-256-GCM.
The sender draws a fresh ephemeral X25519 key e, computes z = X25519(e, recipient_key) and

    context = encode_parts("polity-share-v1", ceremony, u32(sender), u32(recipient), E, R)
    key     = HKDF-SHA256(ikm=z, salt=empty, info=context, length=32)
    box     = AES-256-GCM(key, nonce, plaintext=share as 32 bytes, aad=context)

where E and R are the raw 32-byte ephemeral and recipient public keys, and nonce is 12 random
bytes. Binding sender, recipient and ceremony into the AEAD means a relayed box cannot be
replayed to another trustee or into another ceremony.
"""

import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from voting.crypto.errors import VerificationError
from voting.crypto.group import Scalar
from voting.crypto.hashing import encode_parts
from voting.crypto.strict import U32_MAX, hex_field, int_field, require

_RAW = {"encoding": serialization.Encoding.Raw, "format": serialization.PublicFormat.Raw}


def new_box_key() -> tuple[bytes, bytes]:
    """A fresh X25519 key pair as raw bytes: (secret, public)."""
    secret = X25519PrivateKey.generate()
    raw_secret = secret.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    return raw_secret, secret.public_key().public_bytes(**_RAW)


@dataclass(frozen=True, slots=True)
class EncryptedShare:
    sender: int
    recipient: int
    ephemeral: bytes
    nonce: bytes
    ciphertext: bytes

    def to_json(self) -> dict:
        return {
            "sender": self.sender,
            "recipient": self.recipient,
            "ephemeral": self.ephemeral.hex(),
            "nonce": self.nonce.hex(),
            "ciphertext": self.ciphertext.hex(),
        }

    @classmethod
    def from_json(cls, obj: dict) -> "EncryptedShare":
        require(obj, _SHARE_KEYS, "encrypted share")
        return cls(
            int_field(obj["sender"], "encrypted share sender", 1, U32_MAX),
            int_field(obj["recipient"], "encrypted share recipient", 1, U32_MAX),
            hex_field(obj["ephemeral"], "encrypted share ephemeral key", 32),
            hex_field(obj["nonce"], "encrypted share nonce", 12),
            hex_field(obj["ciphertext"], "encrypted share ciphertext", 48),
        )


_SHARE_KEYS = ("sender", "recipient", "ephemeral", "nonce", "ciphertext")


def _context(ceremony: bytes, sender: int, recipient: int, eph: bytes, rcpt: bytes) -> bytes:
    return encode_parts(
        b"polity-share-v1",
        ceremony,
        sender.to_bytes(4, "big"),
        recipient.to_bytes(4, "big"),
        eph,
        rcpt,
    )


def _key(shared: bytes, context: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=context).derive(shared)


def seal_share(
    ceremony: bytes, sender: int, recipient: int, recipient_key: bytes, value: Scalar
) -> EncryptedShare:
    ephemeral = X25519PrivateKey.generate()
    eph_pub = ephemeral.public_key().public_bytes(**_RAW)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient_key))
    context = _context(ceremony, sender, recipient, eph_pub, recipient_key)
    nonce = os.urandom(12)
    box = AESGCM(_key(shared, context)).encrypt(nonce, Scalar(value).to_bytes32(), context)
    return EncryptedShare(sender, recipient, eph_pub, nonce, box)


def open_share(ceremony: bytes, recipient_secret: bytes, share: EncryptedShare) -> Scalar:
    """Decrypt a share addressed to the holder of ``recipient_secret``; raise if tampered."""
    secret = X25519PrivateKey.from_private_bytes(recipient_secret)
    rcpt_pub = secret.public_key().public_bytes(**_RAW)
    shared = secret.exchange(X25519PublicKey.from_public_bytes(share.ephemeral))
    context = _context(ceremony, share.sender, share.recipient, share.ephemeral, rcpt_pub)
    try:
        plain = AESGCM(_key(shared, context)).decrypt(share.nonce, share.ciphertext, context)
    except InvalidTag as exc:
        raise VerificationError(
            f"share from trustee {share.sender} to trustee {share.recipient} does not decrypt "
            "(wrong recipient, ceremony or tampered box)"
        ) from exc
    return Scalar.from_bytes32(plain)
