"""The trustee secret file: what a trustee keeps on their own device between the key ceremony and
the decryption (docs/spec/election-record.md §8). Pure; the browser (frontend/src/crypto/
trusteefile.js) reads and writes the same format, so a trustee may switch between the two.

Plain, or sealed with a passphrase: PBKDF2-HMAC-SHA256 (600,000 iterations by default) derives an
AES-256-GCM key; the plaintext is the canonical JSON of the plain form, the AEAD data the version
string. A wrong passphrase and a modified file are indistinguishable and both refused.
"""

import json
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from ledger.leaf import canonical_json
from voting.crypto import EncodingError, Scalar, TrusteeSecret
from voting.crypto.group import scalar_from_hex, scalar_to_hex

VERSION = "polity-trustee-secret-v1"
DEFAULT_ITERATIONS = 600_000
MIN_ITERATIONS, MAX_ITERATIONS = 1_000, 10_000_000
PLAIN_KEYS = {
    "version",
    "election",
    "ceremony",
    "threshold",
    "index",
    "name",
    "coefficients",
    "box_secret",
    "key_share",
}
SEALED_KEYS = {"version", "encryption", "ciphertext"}
ENCRYPTION_KEYS = {"kdf", "iterations", "salt", "cipher", "nonce"}


class TrusteeFileError(ValueError):
    """The file is not a trustee secret file, or the passphrase is wrong (the message says)."""


@dataclass(frozen=True)
class TrusteeFile:
    election: str
    ceremony: bytes
    threshold: int
    secret: TrusteeSecret
    key_share: Scalar | None = None

    def to_json(self) -> dict:
        return {
            "version": VERSION,
            "election": self.election,
            "ceremony": self.ceremony.hex(),
            "threshold": self.threshold,
            "index": self.secret.index,
            "name": self.secret.name,
            "coefficients": [scalar_to_hex(a) for a in self.secret.coefficients],
            "box_secret": self.secret.box_secret.hex(),
            "key_share": None if self.key_share is None else scalar_to_hex(self.key_share),
        }

    @classmethod
    def from_json(cls, obj: object) -> "TrusteeFile":
        if not isinstance(obj, dict) or set(obj) != PLAIN_KEYS or obj["version"] != VERSION:
            raise TrusteeFileError(f"not a {VERSION} file (wrong or missing fields)")
        threshold, index = obj["threshold"], obj["index"]
        if type(threshold) is not int or type(index) is not int or threshold < 1 or index < 1:
            raise TrusteeFileError("threshold and index must be positive integers")
        if not isinstance(obj["election"], str) or not isinstance(obj["name"], str):
            raise TrusteeFileError("election and name must be strings")
        coefficients = obj["coefficients"]
        if not isinstance(coefficients, list) or len(coefficients) != threshold:
            raise TrusteeFileError(f"the file must hold {threshold} coefficients")
        try:
            ceremony = _hex(obj["ceremony"], 32, "ceremony")
            secret = TrusteeSecret(
                index,
                obj["name"],
                tuple(scalar_from_hex(a) for a in coefficients),
                _hex(obj["box_secret"], 32, "box_secret"),
            )
            share = None if obj["key_share"] is None else scalar_from_hex(obj["key_share"])
        except EncodingError as exc:
            raise TrusteeFileError(str(exc)) from None
        return cls(obj["election"], ceremony, threshold, secret, share)


def _hex(value: object, size: int, what: str) -> bytes:
    if not isinstance(value, str) or len(value) != 2 * size or value != value.lower():
        raise TrusteeFileError(f"{what} must be {size} bytes of lowercase hex")
    try:
        return bytes.fromhex(value)
    except ValueError:
        raise TrusteeFileError(f"{what} must be {size} bytes of lowercase hex") from None


def _key(passphrase: str, salt: bytes, iterations: int) -> bytes:
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=iterations)
    return kdf.derive(passphrase.encode("utf-8"))


def dump_trustee_file(
    tf: TrusteeFile, passphrase: str | None = None, *, iterations: int = DEFAULT_ITERATIONS
) -> str:
    """The file's text; sealed with ``passphrase`` when one is given."""
    plain = tf.to_json()
    if passphrase is None:
        return json.dumps(plain, indent=2) + "\n"
    if not MIN_ITERATIONS <= iterations <= MAX_ITERATIONS:
        raise ValueError(f"iterations must be {MIN_ITERATIONS}..{MAX_ITERATIONS}")
    salt, nonce = os.urandom(16), os.urandom(12)
    sealed = AESGCM(_key(passphrase, salt, iterations)).encrypt(
        nonce, canonical_json(plain), VERSION.encode()
    )
    doc = {
        "version": VERSION,
        "encryption": {
            "kdf": "pbkdf2-sha256",
            "iterations": iterations,
            "salt": salt.hex(),
            "cipher": "aes-256-gcm",
            "nonce": nonce.hex(),
        },
        "ciphertext": sealed.hex(),
    }
    return json.dumps(doc, indent=2) + "\n"


def is_sealed(text: str | bytes) -> bool:
    """True when the file needs a passphrase."""
    try:
        doc = json.loads(text)
    except ValueError:
        return False
    return isinstance(doc, dict) and "encryption" in doc


def load_trustee_file(text: str | bytes, passphrase: str | None = None) -> TrusteeFile:
    """Read a plain or sealed trustee file; ``TrusteeFileError`` says what is wrong."""
    try:
        doc = json.loads(text)
    except ValueError:
        raise TrusteeFileError("not a trustee file: the text is not JSON") from None
    if not isinstance(doc, dict) or doc.get("version") != VERSION:
        raise TrusteeFileError(f"not a {VERSION} file")
    if "encryption" not in doc:
        return TrusteeFile.from_json(doc)
    if passphrase is None:
        raise TrusteeFileError("this trustee file is sealed: a passphrase is needed")
    enc = doc["encryption"]
    if set(doc) != SEALED_KEYS or not isinstance(enc, dict) or set(enc) != ENCRYPTION_KEYS:
        raise TrusteeFileError("sealed trustee file has wrong or missing fields")
    if enc["kdf"] != "pbkdf2-sha256" or enc["cipher"] != "aes-256-gcm":
        raise TrusteeFileError("sealed trustee file uses an unknown kdf or cipher")
    iterations = enc["iterations"]
    if type(iterations) is not int or not MIN_ITERATIONS <= iterations <= MAX_ITERATIONS:
        raise TrusteeFileError(f"iterations must be {MIN_ITERATIONS}..{MAX_ITERATIONS}")
    salt, nonce = _hex(enc["salt"], 16, "salt"), _hex(enc["nonce"], 12, "nonce")
    ciphertext = doc["ciphertext"]
    if not isinstance(ciphertext, str) or len(ciphertext) < 32 or len(ciphertext) % 2:
        raise TrusteeFileError("ciphertext must be lowercase hex")
    sealed = _hex(ciphertext, len(ciphertext) // 2, "ciphertext")
    try:
        plain = AESGCM(_key(passphrase, salt, iterations)).decrypt(nonce, sealed, VERSION.encode())
    except InvalidTag:
        raise TrusteeFileError("wrong passphrase or damaged file") from None
    return TrusteeFile.from_json(json.loads(plain))
