"""py-ecc as the reference group law, on ``Point`` values (test-only helpers)."""

from py_ecc.optimized_bn128 import FQ, Z1, add, multiply, normalize

from voting.crypto.group import Point


def to_ref(pt: Point) -> tuple:
    return Z1 if pt.is_identity else (FQ(pt.x), FQ(pt.y), FQ(1))


def from_ref(pt: tuple) -> Point:
    if pt[2] == FQ(0):
        return Point(0, 0)
    x, y = normalize(pt)
    return Point(int(x), int(y))


def ref_add(a: Point, b: Point) -> Point:
    return from_ref(add(to_ref(a), to_ref(b)))


def ref_mul(a: Point, k: int) -> Point:
    return from_ref(multiply(to_ref(a), k))


def ref_msm(points: list[Point], scalars: list[int]) -> Point:
    acc = Z1
    for pt, k in zip(points, scalars, strict=True):
        acc = add(acc, multiply(to_ref(pt), k))
    return from_ref(acc)
