"""Points and scalars of BN254 G1, their canonical encodings and strict decoders.

``Point`` is an affine pair ``(x, y)`` checked on construction (coordinates below p, on the
curve); the identity is ``(0, 0)``, as in the EVM encoding. ``Scalar`` is an int checked to be
below q. Arithmetic on ``Point`` (``+``, ``-``, ``k * P``) uses the fast gmpy2 backend; the
``backend`` module offers the same operations on py-ecc for comparison.

Encodings (docs/spec/ballot.md section "Encodings"):
- EVM: 64 bytes, x || y, each 32-byte big-endian; the identity is 64 zero bytes.
- compressed: 32 bytes, x big-endian with bit 7 of the first byte set when y > p - y (y is the
  larger of the two roots) and bit 6 set for the identity (then every other bit is zero).
  The top two bits of x are always free because p < 2^254.
- scalar: 32 bytes big-endian, value < q.
"""

import re
import secrets

from gmpy2 import mpz

from voting.crypto import fast
from voting.crypto.curve import G_X, G_Y, B, P, Q
from voting.crypto.errors import EncodingError

_SQRT_EXP = (P + 1) // 4  # p = 3 mod 4


class Point(tuple):
    """An affine point of BN254 G1, validated on construction. ``Point(0, 0)`` is the identity."""

    __slots__ = ()

    def __new__(cls, x: int, y: int) -> "Point":
        if not (0 <= x < P and 0 <= y < P):
            raise EncodingError("point coordinate is not below the field modulus p")
        if (x or y) and (y * y - x * x * x - B) % P:
            raise EncodingError("point is not on the BN254 curve")
        return tuple.__new__(cls, (int(x), int(y)))

    @classmethod
    def _trusted(cls, xy: tuple[int, int]) -> "Point":
        """Wrap a pair that the group law produced from valid points (no re-check)."""
        return tuple.__new__(cls, (int(xy[0]), int(xy[1])))

    @property
    def x(self) -> int:
        return self[0]

    @property
    def y(self) -> int:
        return self[1]

    @property
    def is_identity(self) -> bool:
        return not self[0] and not self[1]

    def __add__(self, other: "Point") -> "Point":  # type: ignore[override]
        if not isinstance(other, Point):
            return NotImplemented
        total = fast.add(fast.to_jacobian(self), fast.to_jacobian(other))
        return Point._trusted(fast.to_affine(total))

    def __neg__(self) -> "Point":
        return self if self.is_identity else Point._trusted((self[0], P - self[1]))

    def __sub__(self, other: "Point") -> "Point":
        return self + (-other)

    def __mul__(self, k: int) -> "Point":  # type: ignore[override]
        if not isinstance(k, int):
            return NotImplemented
        return Point._trusted(fast.mul(self, k))

    __rmul__ = __mul__

    def __repr__(self) -> str:
        if self.is_identity:
            return "Point(identity)"
        return f"Point(0x{self[0]:064x}, 0x{self[1]:064x})"

    def to_evm(self) -> bytes:
        return self[0].to_bytes(32, "big") + self[1].to_bytes(32, "big")

    @classmethod
    def from_evm(cls, data: bytes, *, allow_identity: bool = False) -> "Point":
        if len(data) != 64:
            raise EncodingError(f"EVM point encoding must be 64 bytes, got {len(data)}")
        point = cls(int.from_bytes(data[:32], "big"), int.from_bytes(data[32:], "big"))
        if point.is_identity and not allow_identity:
            raise EncodingError("point is the identity, which is not allowed here")
        return point

    def to_compressed(self) -> bytes:
        if self.is_identity:
            return bytes([0x40]) + bytes(31)
        out = bytearray(self[0].to_bytes(32, "big"))
        if self[1] > P - self[1]:
            out[0] |= 0x80
        return bytes(out)

    @classmethod
    def from_compressed(cls, data: bytes, *, allow_identity: bool = False) -> "Point":
        if len(data) != 32:
            raise EncodingError(f"compressed point encoding must be 32 bytes, got {len(data)}")
        flags = data[0] & 0xC0
        x = int.from_bytes(bytes([data[0] & 0x3F]) + data[1:], "big")
        if flags == 0x40:
            if x:
                raise EncodingError("identity encoding has non-zero bits")
            if not allow_identity:
                raise EncodingError("point is the identity, which is not allowed here")
            return IDENTITY
        if flags == 0xC0:
            raise EncodingError("compressed point has both flag bits set")
        if x >= P:
            raise EncodingError("point coordinate is not below the field modulus p")
        rhs = (x * x * x + B) % P
        y = int(pow(mpz(rhs), _SQRT_EXP, P))
        if y * y % P != rhs:
            raise EncodingError("no point on the BN254 curve has this x coordinate")
        if (y > P - y) != bool(flags & 0x80):
            y = P - y
        return cls(x, y)


class Scalar(int):
    """An integer modulo q in canonical form (0 <= value < q)."""

    def __new__(cls, value: int) -> "Scalar":
        if not 0 <= value < Q:
            raise EncodingError("scalar is not below the group order q")
        return int.__new__(cls, value)

    @classmethod
    def random(cls) -> "Scalar":
        """Uniform in [0, q), from the operating system's CSPRNG."""
        return int.__new__(cls, secrets.randbelow(Q))

    @classmethod
    def random_nonzero(cls) -> "Scalar":
        return int.__new__(cls, 1 + secrets.randbelow(Q - 1))

    def to_bytes32(self) -> bytes:
        return int(self).to_bytes(32, "big")

    @classmethod
    def from_bytes32(cls, data: bytes) -> "Scalar":
        if len(data) != 32:
            raise EncodingError(f"scalar encoding must be 32 bytes, got {len(data)}")
        return cls(int.from_bytes(data, "big"))

    def __repr__(self) -> str:
        return f"Scalar(0x{int(self):064x})"


IDENTITY = Point(0, 0)
G = Point(G_X, G_Y)


def point_from_hex(text: str, *, allow_identity: bool = False) -> Point:
    """Decode the canonical JSON form of a point: 128 lowercase hex digits (EVM encoding)."""
    return Point.from_evm(_strict_hex(text, 64, "point"), allow_identity=allow_identity)


def point_to_hex(point: Point) -> str:
    return point.to_evm().hex()


def scalar_from_hex(text: str) -> Scalar:
    """Decode the canonical JSON form of a scalar: 64 lowercase hex digits, value < q."""
    return Scalar.from_bytes32(_strict_hex(text, 32, "scalar"))


def scalar_to_hex(k: int) -> str:
    return Scalar(k).to_bytes32().hex()


_LOWER_HEX = re.compile(r"[0-9a-f]*")


def _strict_hex(text: object, size: int, what: str) -> bytes:
    if not isinstance(text, str) or len(text) != 2 * size:
        raise EncodingError(f"{what} must be a string of {2 * size} hex digits")
    if not _LOWER_HEX.fullmatch(text):
        raise EncodingError(f"{what} must be lowercase hex")
    return bytes.fromhex(text)
