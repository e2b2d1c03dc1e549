"""Hashing to scalars: RFC 9380 ``hash_to_field`` over expand_message_xmd with SHA-256.

Every Fiat-Shamir challenge is ``hash_to_scalar(tag, part_1, ..., part_n)``: the parts are joined
as ``len(part) as 4 bytes big-endian || part`` (so no two part lists share an encoding) and hashed
with DST ``"POLITY-V1-BN254-" + tag``. Each use has its own tag (``TAG_*`` below).
"""

import hashlib

from voting.crypto.curve import Q
from voting.crypto.group import Scalar

DST_PREFIX = b"POLITY-V1-BN254-"
TAG_SELECTION = "SELECTION-PROOF"
TAG_CONTEST = "CONTEST-PROOF"
TAG_COEFFICIENT = "COEFFICIENT-PROOF"
TAG_DECRYPTION = "DECRYPTION-PROOF"

_B_IN_BYTES = 32  # SHA-256 output
_R_IN_BYTES = 64  # SHA-256 block
_L = 48  # ceil((ceil(log2(q)) + 128) / 8) for k = 128-bit security


def expand_message_xmd(msg: bytes, dst: bytes, len_in_bytes: int) -> bytes:
    """RFC 9380 section 5.3.1 with SHA-256, including the oversize-DST rule of 5.3.3."""
    if len(dst) > 255:
        dst = hashlib.sha256(b"H2C-OVERSIZE-DST-" + dst).digest()
    ell = -(-len_in_bytes // _B_IN_BYTES)
    if ell > 255 or len_in_bytes > 65535:
        raise ValueError("expand_message_xmd: requested output is too long")
    dst_prime = dst + bytes([len(dst)])
    msg_prime = bytes(_R_IN_BYTES) + msg + len_in_bytes.to_bytes(2, "big") + b"\0" + dst_prime
    b0 = hashlib.sha256(msg_prime).digest()
    bi = hashlib.sha256(b0 + b"\x01" + dst_prime).digest()
    out = [bi]
    for i in range(2, ell + 1):
        mixed = bytes(x ^ y for x, y in zip(b0, bi, strict=True))
        bi = hashlib.sha256(mixed + bytes([i]) + dst_prime).digest()
        out.append(bi)
    return b"".join(out)[:len_in_bytes]


def hash_to_field(msg: bytes, dst: bytes, count: int, modulus: int, length: int) -> list[int]:
    """RFC 9380 section 5.2 for a prime field (m = 1): ``count`` elements of F_modulus."""
    uniform = expand_message_xmd(msg, dst, count * length)
    return [
        int.from_bytes(uniform[i * length : (i + 1) * length], "big") % modulus
        for i in range(count)
    ]


def encode_parts(*parts: bytes) -> bytes:
    return b"".join(len(part).to_bytes(4, "big") + part for part in parts)


def hash_to_scalar(tag: str, *parts: bytes) -> Scalar:
    """One scalar below q, bound to ``tag`` and to the exact sequence of ``parts``."""
    (value,) = hash_to_field(encode_parts(*parts), DST_PREFIX + tag.encode(), 1, Q, _L)
    return Scalar(value)
