"""BBS key generation, signing and signature verification (draft-irtf-cfrg-bbs-signatures).

A signature (A, e) over messages m_1..m_L satisfies e(A, W + e * BP2) == e(B, BP2) with
B = P1 + Q_1 * domain + sum(H_i * m_i); it is 80 bytes: A compressed (48) || e (32).
"""

from collections.abc import Sequence

from gmpy2 import invert

from . import g1, g2, suite
from .errors import BBSError, EncodingError, InvalidSignature
from .g1 import G1Point
from .pairing import pairing_product_is_one
from .suite import API_ID, SCALAR_LENGTH, R, i2osp, scalar_to_bytes

SIGNATURE_LENGTH = g1.POINT_LENGTH + SCALAR_LENGTH
KEY_DST = API_ID + b"KEYGEN_DST_"


def keygen(key_material: bytes, key_info: bytes = b"", key_dst: bytes = KEY_DST) -> bytes:
    """Derive a 32-byte secret key from at least 32 bytes of secret randomness."""
    if len(key_material) < 32:
        raise BBSError("key_material must be at least 32 bytes of secret randomness")
    if len(key_info) > 65535:
        raise BBSError("key_info must be at most 65535 bytes")
    derive_input = key_material + i2osp(len(key_info), 2) + key_info
    sk = suite.hash_to_scalar(derive_input, key_dst)
    if sk == 0:
        raise BBSError("key derivation produced the zero scalar; use other key material")
    return scalar_to_bytes(sk)


def decode_secret_key(sk: bytes) -> int:
    if len(sk) != SCALAR_LENGTH:
        raise EncodingError(f"secret key: must be {SCALAR_LENGTH} bytes, got {len(sk)}")
    value = int.from_bytes(sk, "big")
    if not 0 < value < R:
        raise EncodingError("secret key: scalar must be in 1..r-1")
    return value


def sk_to_pk(sk: bytes) -> bytes:
    """The 96-byte public key W = SK * BP2 (compressed G2)."""
    return g2.scalar_mul_generator(decode_secret_key(sk))


def decode_signature(signature: bytes) -> tuple[G1Point, int]:
    """Strictly decode (A, e): A a subgroup point other than the identity, 0 < e < r."""
    if len(signature) != SIGNATURE_LENGTH:
        raise EncodingError(f"signature: must be {SIGNATURE_LENGTH} bytes, got {len(signature)}")
    a = g1.decode(signature[: g1.POINT_LENGTH], "signature A")
    if g1.is_identity(a):
        raise EncodingError("signature: A is the identity point")
    e = int.from_bytes(signature[g1.POINT_LENGTH :], "big")
    if not 0 < e < R:
        raise EncodingError("signature: e must be a scalar in 1..r-1")
    return a, e


def _commitment_base(pk: bytes, header: bytes, scalars: Sequence[int]) -> tuple[G1Point, int]:
    generators = suite.create_generators(len(scalars) + 1)
    domain = suite.calculate_domain(pk, generators[0], generators[1:], header)
    return suite.message_commitment_base(domain, generators, list(enumerate(scalars))), domain


def sign(sk: bytes, pk: bytes, messages: Sequence[bytes], *, header: bytes = b"") -> bytes:
    """Sign the ordered ``messages`` (and the ``header``, signed but not a message)."""
    secret = decode_secret_key(sk)
    g2.decode_public_key(pk)
    scalars = suite.messages_to_scalars(messages)
    b, domain = _commitment_base(pk, header, scalars)
    e = suite.hash_to_scalar(suite.serialize([secret, *scalars, domain]), API_ID + b"H2S_")
    if (secret + e) % R == 0:
        raise BBSError("signing failed: SK + e is zero; this happens with negligible chance")
    a = g1.mul(b, int(invert(secret + e, R)))
    if g1.is_identity(a):
        raise BBSError("signing failed: A is the identity point")
    return g1.encode(a) + scalar_to_bytes(e)


def verify(pk: bytes, signature: bytes, messages: Sequence[bytes], *, header: bytes = b"") -> None:
    """Return if ``signature`` is the signer's over exactly these messages in this order.

    Raises EncodingError for a malformed key or signature and InvalidSignature otherwise.
    """
    a, e = decode_signature(signature)
    prepared_w = g2.prepared_public_key(pk)
    b, _ = _commitment_base(pk, header, suite.messages_to_scalars(messages))
    # e(A, W + e BP2) = e(B, BP2)  <=>  e(A, W) * e(e A - B, BP2) = 1
    lhs = g1.to_affine(a)
    rhs = g1.to_affine(g1.add(g1.mul(a, e), g1.neg(b)))
    if not pairing_product_is_one([(lhs, prepared_w), (rhs, g2.PREPARED_BP2)]):
        raise InvalidSignature(
            f"signature does not verify for these {len(messages)} messages, header and key"
        )
