"""The BLS12-381-SHA-256 ciphersuite: constants, hashing to scalars, generators, domain.

Everything here follows draft-irtf-cfrg-bbs-signatures (the revision in docs/spec/bbs.md), with
api_id = ciphersuite_id || "H2G_HM2S_" (messages mapped to scalars by hashing).
"""

import hashlib
from collections.abc import Sequence
from functools import lru_cache

from py_ecc.bls.hash import expand_message_xmd

from . import g1
from .errors import BBSError
from .g1 import G1Point

CIPHERSUITE_ID = b"BBS_BLS12381G1_XMD:SHA-256_SSWU_RO_"
API_ID = CIPHERSUITE_ID + b"H2G_HM2S_"
R = int(g1.R)
SCALAR_LENGTH = 32
EXPAND_LENGTH = 48  # ceil((ceil(log2(r)) + k) / 8) with k = 128
MAX_MESSAGES = (
    256  # Polity's resource limit, not the draft's: bounds work a stranger's proof causes
)
P1: G1Point = g1.decode(
    bytes.fromhex(
        "a8ce256102840821a3e94ea9025e4662b205762f9776b3a766c872b948f1fd22"
        "5e7c59698588e70d11406d161b4e28c9"
    ),
    "P1",
)


def expand_message(message: bytes, dst: bytes, length: int) -> bytes:
    """RFC 9380 expand_message_xmd with SHA-256."""
    return expand_message_xmd(message, dst, length, hashlib.sha256)


def hash_to_scalar(message: bytes, dst: bytes) -> int:
    """OS2IP(expand_message(message, dst, 48)) mod r: a uniform scalar (may be 0)."""
    return int.from_bytes(expand_message(message, dst, EXPAND_LENGTH), "big") % R


def i2osp(value: int, length: int) -> bytes:
    return value.to_bytes(length, "big")


def scalar_to_bytes(value: int) -> bytes:
    return i2osp(value, SCALAR_LENGTH)


def messages_to_scalars(messages: Sequence[bytes], api_id: bytes = API_ID) -> list[int]:
    """Map each octet-string message to a scalar with hash_to_scalar (the "HM2S" suite)."""
    dst = api_id + b"MAP_MSG_TO_SCALAR_AS_HASH_"
    return [hash_to_scalar(bytes(message), dst) for message in messages]


def create_generators(count: int, api_id: bytes = API_ID) -> tuple[G1Point, ...]:
    """The first ``count`` generators (Q_1, H_1, H_2, ...), deterministic from api_id.

    Generators only depend on the count, so they are computed once and sliced from a cache
    that grows by doubling. At most MAX_MESSAGES + 1 (Q_1 and one per message).
    """
    if count < 0:
        raise BBSError("generator count must not be negative")
    if count > MAX_MESSAGES + 1:
        raise BBSError(f"at most {MAX_MESSAGES} messages are supported, got {count - 1}")
    size = 16
    while size < count:
        size *= 2
    return _generators(api_id, size)[:count]


@lru_cache(maxsize=16)
def _generators(api_id: bytes, count: int) -> tuple[G1Point, ...]:
    seed_dst = api_id + b"SIG_GENERATOR_SEED_"
    generator_dst = api_id + b"SIG_GENERATOR_DST_"
    v = expand_message(api_id + b"MESSAGE_GENERATOR_SEED", seed_dst, EXPAND_LENGTH)
    out = []
    for i in range(1, count + 1):
        v = expand_message(v + i2osp(i, 8), seed_dst, EXPAND_LENGTH)
        out.append(g1.hash_to_g1(v, generator_dst))
    return tuple(out)


def serialize(items: Sequence[G1Point | int | bytes]) -> bytes:
    """Concatenate points (48 bytes), scalars (32 bytes) and ``bytes`` taken as they are.

    The draft also serialises plain integers (lengths, indexes) as 8 bytes; callers pass those
    as ``i2osp(n, 8)`` so a scalar and an integer can never be confused.
    """
    out = bytearray()
    for item in items:
        if isinstance(item, bytes):
            out += item
        elif isinstance(item, tuple):
            out += g1.encode(item)
        else:
            out += scalar_to_bytes(item)
    return bytes(out)


def calculate_domain(
    pk: bytes, q1: G1Point, h_points: Sequence[G1Point], header: bytes, api_id: bytes = API_ID
) -> int:
    """Bind the key, the generators in use, the api_id and the header into one scalar."""
    dom_octets = serialize([i2osp(len(h_points), 8), q1, *h_points]) + api_id
    dom_input = pk + dom_octets + i2osp(len(header), 8) + header
    return hash_to_scalar(dom_input, api_id + b"H2S_")


def message_commitment_base(
    domain: int, generators: Sequence[G1Point], indexed_scalars: Sequence[tuple[int, int]]
) -> G1Point:
    """P1 + Q_1 * domain + sum(H_i * m_i) over the given (index, scalar) pairs."""
    points = [P1, generators[0]] + [generators[1 + i] for i, _ in indexed_scalars]
    scalars = [1, domain] + [m for _, m in indexed_scalars]
    return g1.multi_scalar_mul(points, scalars)


def seeded_random_scalars(seed: bytes, dst: bytes, count: int) -> list[int]:
    """The draft's mocked_calculate_random_scalars: deterministic scalars for test vectors only.

    Never use this to make real proofs: scalars derived from a known seed reveal the hidden
    messages.
    """
    if count * EXPAND_LENGTH > 255 * 32:
        raise BBSError("too many seeded scalars requested for expand_message_xmd")
    stream = expand_message(seed, dst, count * EXPAND_LENGTH)
    return [
        int.from_bytes(stream[i * EXPAND_LENGTH : (i + 1) * EXPAND_LENGTH], "big") % R
        for i in range(count)
    ]
