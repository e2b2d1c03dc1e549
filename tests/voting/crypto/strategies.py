"""Hypothesis strategies for BN254 points and scalars that do not use the code under test."""

from hypothesis import strategies as st

from voting.crypto.curve import B, P, Q
from voting.crypto.group import IDENTITY, Point

SPECIAL_SCALARS = [0, 1, 2, 3, Q - 2, Q - 1, Q, Q + 1, 2 * Q - 1, 2**254, 2**256 - 1]


def _lift_x(x: int, odd: bool) -> Point:
    """Try-and-increment: the first x' >= x on the curve, sqrt by exponentiation."""
    while True:
        rhs = (x * x * x + B) % P
        y = pow(rhs, (P + 1) // 4, P)
        if y * y % P == rhs:
            return Point(x, P - y if (y % 2 == 1) != odd else y)
        x = (x + 1) % P


points = st.builds(_lift_x, st.integers(min_value=0, max_value=P - 1), st.booleans())
points_or_identity = st.one_of(st.just(IDENTITY), points)
scalars = st.one_of(
    st.integers(min_value=0, max_value=Q - 1),
    st.sampled_from(SPECIAL_SCALARS),
    st.integers(min_value=0, max_value=2**256 - 1),
)
