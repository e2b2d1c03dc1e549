"""Random linear combinations of group equations, checked with one multi-scalar multiplication.

Every verification equation here has the form ``sum(s_i * P_i) == identity`` over G, the election
key K and points taken from the ballot. A ``Fold`` multiplies each equation by a fresh random
128-bit weight and adds them up: if any single equation is false, the folded one is false except
with probability about 2^-128. G and K get their coefficients summed as scalars (one fixed-base
multiplication each); the other points go into one MSM.
"""

import secrets
from collections.abc import Iterable

from voting.crypto import fast
from voting.crypto.backend import FAST
from voting.crypto.curve import Q
from voting.crypto.election import ElectionContext
from voting.crypto.group import Point
from voting.crypto.msm import msm_jacobian

WEIGHT_BITS = 128


def weight() -> int:
    return secrets.randbits(WEIGHT_BITS) | 1


class Fold:
    def __init__(self) -> None:
        self.g = 0
        self.k = 0
        self.points: list[Point] = []
        self.scalars: list[int] = []

    def add(self, point: Point, scalar: int) -> None:
        self.points.append(point)
        self.scalars.append(scalar)

    def extend(self, others: Iterable["Fold"]) -> None:
        for other in others:
            self.g += other.g
            self.k += other.k
            self.points.extend(other.points)
            self.scalars.extend(other.scalars)

    def holds(self, ctx: ElectionContext) -> bool:
        """True when the folded equation is satisfied."""
        if ctx.backend is FAST:
            acc = msm_jacobian(self.points, self.scalars)
            acc = fast.add(acc, ctx.g.table.mul_jacobian(self.g % Q))
            acc = fast.add(acc, ctx.k.table.mul_jacobian(self.k % Q))
            return not acc[2]
        be = ctx.backend
        total = be.add(be.msm(self.points, self.scalars), ctx.g.mul(self.g % Q))
        return be.add(total, ctx.k.mul(self.k % Q)).is_identity


def combine(folds: Iterable[Fold]) -> Fold:
    out = Fold()
    out.extend(folds)
    return out
