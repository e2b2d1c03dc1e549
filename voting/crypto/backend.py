"""The group operations that encryption, proofs and verification are written against.

Two interchangeable backends with the same answers:
- ``FAST``: gmpy2 Jacobian arithmetic, fixed-base tables, Straus/Pippenger MSM (the default).
- ``REFERENCE``: py-ecc ``optimized_bn128``, the reference group law, with naive MSM. It exists so
  the benchmark can show what the fast backend buys, and so tests can cross-check the two.

A backend is passed explicitly (usually inside an ``ElectionContext``); there is no global switch.
"""

from collections.abc import Sequence
from typing import Protocol

from py_ecc.optimized_bn128 import FQ, Z1, add, multiply, normalize

from voting.crypto import fast
from voting.crypto.curve import Q
from voting.crypto.group import Point
from voting.crypto.msm import msm_jacobian


class FixedBase(Protocol):
    """A base point prepared for many multiplications."""

    base: Point

    def mul(self, k: int) -> Point: ...


class Backend(Protocol):
    name: str

    def add(self, a: Point, b: Point) -> Point: ...

    def mul(self, a: Point, k: int) -> Point: ...

    def msm(self, points: Sequence[Point], scalars: Sequence[int]) -> Point: ...

    def sum(self, points: Sequence[Point]) -> Point: ...

    def fixed(self, base: Point) -> FixedBase: ...


class _FastFixed:
    def __init__(self, base: Point) -> None:
        self.base = base
        shared = fast.generator_table()
        self.table = shared if base == shared.base else fast.FixedBaseTable(base)

    def mul(self, k: int) -> Point:
        return Point._trusted(self.table.mul(k))


class FastBackend:
    name = "fast (gmpy2)"

    def add(self, a: Point, b: Point) -> Point:
        return a + b

    def mul(self, a: Point, k: int) -> Point:
        return Point._trusted(fast.mul(a, k))

    def msm(self, points: Sequence[Point], scalars: Sequence[int]) -> Point:
        return Point._trusted(fast.to_affine(msm_jacobian(points, scalars)))

    def sum(self, points: Sequence[Point]) -> Point:
        acc = fast.JAC_IDENTITY
        for pt in points:
            if not pt.is_identity:
                acc = fast.add_affine(acc, pt[0], pt[1])
        return Point._trusted(fast.to_affine(acc))

    def fixed(self, base: Point) -> FixedBase:
        return _FastFixed(base)


def _to_pyecc(pt: Point) -> tuple:
    return Z1 if pt.is_identity else (FQ(pt[0]), FQ(pt[1]), FQ(1))


def _from_pyecc(pt: tuple) -> Point:
    if pt[2] == FQ(0):
        return Point(0, 0)
    x, y = normalize(pt)
    return Point(int(x), int(y))


class _ReferenceFixed:
    def __init__(self, base: Point) -> None:
        self.base = base

    def mul(self, k: int) -> Point:
        return REFERENCE.mul(self.base, k)


class ReferenceBackend:
    name = "reference (py-ecc)"

    def add(self, a: Point, b: Point) -> Point:
        return _from_pyecc(add(_to_pyecc(a), _to_pyecc(b)))

    def mul(self, a: Point, k: int) -> Point:
        return _from_pyecc(multiply(_to_pyecc(a), k % Q))

    def msm(self, points: Sequence[Point], scalars: Sequence[int]) -> Point:
        acc = Z1
        for pt, k in zip(points, scalars, strict=True):
            acc = add(acc, multiply(_to_pyecc(pt), k % Q))
        return _from_pyecc(acc)

    def sum(self, points: Sequence[Point]) -> Point:
        acc = Z1
        for pt in points:
            acc = add(acc, _to_pyecc(pt))
        return _from_pyecc(acc)

    def fixed(self, base: Point) -> FixedBase:
        return _ReferenceFixed(base)


FAST = FastBackend()
REFERENCE = ReferenceBackend()
