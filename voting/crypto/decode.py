"""Recovering a count m from m*G by baby-step giant-step, bounded by the largest possible count.

A tally count can be at most (number of ballots) x (largest ballot weight) x (max per selection),
so the search needs about 2*sqrt(bound) group operations and never runs unbounded.
"""

from math import isqrt

from voting.crypto import fast
from voting.crypto.curve import P
from voting.crypto.errors import DecryptionError
from voting.crypto.group import Point


class DiscreteLog:
    """Baby steps for one bound, reusable across all the counts of a tally."""

    def __init__(self, bound: int) -> None:
        if bound < 0:
            raise ValueError("bound must be non-negative")
        self.bound = bound
        self.step = isqrt(bound) + 1
        jac = [fast.JAC_IDENTITY]
        for _ in range(self.step - 1):
            jac.append(fast.add_affine(jac[-1], 1, 2))
        self.baby = {pt: j for j, pt in enumerate(fast.batch_to_affine(jac))}
        giant = fast.to_affine(fast.add_affine(jac[-1], 1, 2))  # step * G
        self.minus_giant = (giant[0], P - giant[1])

    def solve(self, target: Point) -> int:
        """m in 0..bound with m*G == target, or raise ``DecryptionError``."""
        current = fast.to_jacobian(target)
        for i in range(self.step + 1):
            j = self.baby.get(fast.to_affine(current))
            if j is not None:
                m = i * self.step + j
                if m <= self.bound:
                    return m
                break
            current = fast.add_affine(current, *self.minus_giant)
        raise DecryptionError(f"decrypted value is not a count in 0..{self.bound}")
