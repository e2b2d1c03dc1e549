"""Fast BN254 G1 arithmetic on gmpy2: Jacobian coordinates, fixed-base tables, wNAF.

Points come in as affine pairs ``(x, y)`` of ints (``(0, 0)`` is the identity, as in the EVM
encoding) and go out the same way; in between they are Jacobian triples ``(X, Y, Z)`` of mpz with
affine ``(X/Z^2, Y/Z^3)`` and ``Z == 0`` for the identity. Nothing here validates its inputs: the
callers (``group.Point``) only ever hand in points already checked to be on the curve, and the
results are checked against py-ecc in the tests.

The curve has a = 0 and prime order, so no point has y = 0 and doubling never meets 2-torsion.
"""

from collections.abc import Sequence
from functools import cache

from gmpy2 import invert, mpz

from voting.crypto.curve import G_X, G_Y, P, Q

_P = mpz(P)
_ZERO = mpz(0)
_ONE = mpz(1)
JAC_IDENTITY = (_ONE, _ONE, _ZERO)

Affine = tuple[int, int]
Jacobian = tuple  # (mpz, mpz, mpz)


def to_jacobian(pt: Affine) -> Jacobian:
    x, y = pt
    if not x and not y:
        return JAC_IDENTITY
    return (mpz(x), mpz(y), _ONE)


def double(pt: Jacobian) -> Jacobian:
    X, Y, Z = pt
    if not Z:
        return pt
    A = X * X % _P
    B = Y * Y % _P
    C = B * B % _P
    D = 4 * X * B % _P
    E = 3 * A
    X3 = (E * E - 2 * D) % _P
    return (X3, (E * (D - X3) - 8 * C) % _P, 2 * Y * Z % _P)


def add_affine(pt: Jacobian, x2: int, y2: int) -> Jacobian:
    """Jacobian + affine (the affine point must not be the identity)."""
    X1, Y1, Z1 = pt
    if not Z1:
        return (mpz(x2), mpz(y2), _ONE)
    ZZ = Z1 * Z1 % _P
    H = x2 * ZZ % _P - X1
    R = y2 * ZZ * Z1 % _P - Y1
    if not H:
        return double(pt) if not R else JAC_IDENTITY
    HH = H * H % _P
    HHH = H * HH % _P
    V = X1 * HH % _P
    X3 = (R * R - HHH - 2 * V) % _P
    return (X3, (R * (V - X3) - Y1 * HHH) % _P, Z1 * H % _P)


def add(p1: Jacobian, p2: Jacobian) -> Jacobian:
    X2, Y2, Z2 = p2
    if not Z2:
        return p1
    if Z2 == 1:
        return add_affine(p1, X2, Y2)
    X1, Y1, Z1 = p1
    if not Z1:
        return p2
    Z1Z1 = Z1 * Z1 % _P
    Z2Z2 = Z2 * Z2 % _P
    U1 = X1 * Z2Z2 % _P
    S1 = Y1 * Z2Z2 * Z2 % _P
    H = X2 * Z1Z1 % _P - U1
    R = Y2 * Z1Z1 * Z1 % _P - S1
    if not H:
        return double(p1) if not R else JAC_IDENTITY
    HH = H * H % _P
    HHH = H * HH % _P
    V = U1 * HH % _P
    X3 = (R * R - HHH - 2 * V) % _P
    return (X3, (R * (V - X3) - S1 * HHH) % _P, Z1 * Z2 % _P * H % _P)


def to_affine(pt: Jacobian) -> Affine:
    X, Y, Z = pt
    if not Z:
        return (0, 0)
    zi = invert(Z, _P)
    zi2 = zi * zi % _P
    return (int(X * zi2 % _P), int(Y * zi2 * zi % _P))


def batch_to_affine(pts: Sequence[Jacobian]) -> list[Affine]:
    """Normalise many points with one field inversion (Montgomery's trick)."""
    prefix = []
    acc = _ONE
    for _, _, Z in pts:
        prefix.append(acc)
        if Z:
            acc = acc * Z % _P
    inv = invert(acc, _P)
    out: list[Affine] = [(0, 0)] * len(pts)
    for i in range(len(pts) - 1, -1, -1):
        X, Y, Z = pts[i]
        if not Z:
            continue
        zi = inv * prefix[i] % _P
        inv = inv * Z % _P
        zi2 = zi * zi % _P
        out[i] = (int(X * zi2 % _P), int(Y * zi2 * zi % _P))
    return out


def wnaf(k: int, w: int) -> list[int]:
    """Width-w NAF digits of k >= 0, least significant first; digits are odd and |d| < 2^(w-1)."""
    digits: list[int] = []
    full = 1 << w
    half = full >> 1
    mask = full - 1
    while k:
        zeros = (k & -k).bit_length() - 1
        if zeros:
            digits.extend([0] * zeros)
            k >>= zeros
        d = k & mask
        if d >= half:
            d -= full
        digits.append(d)
        k = (k - d) >> 1
    return digits


def odd_multiples(pt: Jacobian, count: int) -> list[Jacobian]:
    """[P, 3P, 5P, ..., (2*count-1)P] in Jacobian form."""
    twice = double(pt)
    out = [pt]
    for _ in range(count - 1):
        out.append(add(out[-1], twice))
    return out


def mul(pt: Affine, k: int) -> Affine:
    """k * pt for any integer k (reduced mod q), by width-5 wNAF."""
    k %= Q
    if not k or pt == (0, 0):
        return (0, 0)
    table = batch_to_affine(odd_multiples(to_jacobian(pt), 8))
    acc = JAC_IDENTITY
    for d in reversed(wnaf(k, 5)):
        acc = double(acc)
        if d > 0:
            x, y = table[d >> 1]
            acc = add_affine(acc, x, y)
        elif d < 0:
            x, y = table[(-d) >> 1]
            acc = add_affine(acc, x, P - y)
    return to_affine(acc)


class FixedBaseTable:
    """Precomputed multiples of one base point: ``mul`` costs about 32 mixed additions.

    Signed 8-bit windows: for window i the table holds d * 2^(8i) * base for d = 1..128, and a
    digit d in [-127, 128] adds +-table[i][|d|-1]. Building takes 4096 additions and one
    inversion; build one per base that is used many times (G, an election's public key).
    """

    WINDOW = 8

    def __init__(self, base: Affine) -> None:
        self.base = (int(base[0]), int(base[1]))
        w = self.WINDOW
        half = 1 << (w - 1)
        windows = (Q.bit_length() + w) // w
        rows = []
        start = to_jacobian(self.base)
        for _ in range(windows):
            row = [start]
            for _ in range(half - 1):
                row.append(add(row[-1], start))
            rows.append(row)
            start = double(row[-1])  # 2^w * start = 2 * (half * start)
        flat = batch_to_affine([p for row in rows for p in row])
        self.rows = [flat[i * half : (i + 1) * half] for i in range(windows)]
        self.identity = self.base == (0, 0)

    def mul_jacobian(self, k: int) -> Jacobian:
        k %= Q
        if self.identity:
            return JAC_IDENTITY
        w = self.WINDOW
        full = 1 << w
        half = full >> 1
        mask = full - 1
        acc = JAC_IDENTITY
        for row in self.rows:
            if not k:
                break
            d = k & mask
            k >>= w
            if d > half:
                d -= full
                k += 1
            if d > 0:
                x, y = row[d - 1]
                acc = add_affine(acc, x, y)
            elif d < 0:
                x, y = row[-d - 1]
                acc = add_affine(acc, x, P - y)
        return acc

    def mul(self, k: int) -> Affine:
        return to_affine(self.mul_jacobian(k))


@cache
def generator_table() -> FixedBaseTable:
    """The table for G, built on first use and shared (it is a pure function of the curve)."""
    return FixedBaseTable((G_X, G_Y))
