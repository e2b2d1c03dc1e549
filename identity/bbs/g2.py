"""BLS12-381 G2 for BBS public keys: py-ecc's group law, strict decoding, cached preparation.

G2 work happens once per key (derive it, decode and check it), so py-ecc's speed is enough; what
the verifier repeats, the pairing, uses the key's prepared line coefficients, cached here by the
key's bytes.
"""

from functools import lru_cache

from gmpy2 import mpz
from py_ecc.bls.g2_primitives import G2_to_signature, signature_to_G2, subgroup_check
from py_ecc.optimized_bls12_381 import G2, is_inf, is_on_curve, multiply, normalize
from py_ecc.optimized_bls12_381 import b2 as _B2

from .errors import EncodingError
from .pairing import G2Affine, PreparedG2, neg_g2, prepare_g2

POINT_LENGTH = 96


def from_pyecc(pt) -> G2Affine:
    """Affine gmpy2 coordinates of a py-ecc optimized G2 point (not the identity)."""
    x, y = normalize(pt)
    return ((mpz(x.coeffs[0]), mpz(x.coeffs[1])), (mpz(y.coeffs[0]), mpz(y.coeffs[1])))


BP2: G2Affine = from_pyecc(G2)
PREPARED_NEG_BP2: PreparedG2 = prepare_g2(neg_g2(BP2))
PREPARED_BP2: PreparedG2 = prepare_g2(BP2)


def scalar_mul_generator(k: int) -> bytes:
    """Compressed encoding of k * BP2 (k in 1..r-1): how a secret key becomes a public key."""
    return bytes(G2_to_signature(multiply(G2, k)))


def decode_public_key(data: bytes) -> G2Affine:
    """Decode a BBS public key: a canonical compressed G2 point of the subgroup, not identity."""
    return _decode_public_key(bytes(data))


@lru_cache(maxsize=128)
def _decode_public_key(data: bytes) -> G2Affine:
    if len(data) != POINT_LENGTH:
        raise EncodingError(f"public key: a G2 point is {POINT_LENGTH} bytes, got {len(data)}")
    try:
        point = signature_to_G2(data)
    except ValueError as err:
        raise EncodingError(f"public key: not a compressed G2 point ({err})") from None
    if is_inf(point):
        raise EncodingError("public key: the identity point is not a valid key")
    if not is_on_curve(point, _B2):
        raise EncodingError("public key: not a point on the BLS12-381 G2 curve")
    if bytes(G2_to_signature(point)) != data:
        raise EncodingError("public key: non-canonical encoding of a G2 point")
    if not subgroup_check(point):
        raise EncodingError("public key: point is not in the prime-order subgroup of G2")
    return from_pyecc(point)


@lru_cache(maxsize=128)
def prepared_public_key(data: bytes) -> PreparedG2:
    """Miller-loop line coefficients of a decoded public key, computed once per key."""
    return prepare_g2(decode_public_key(data))
