"""BN254 G1: EIP-196 vectors, agreement with py-ecc on random inputs, strict encodings."""

import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.vectors import vectors_dir
from tests.voting.crypto.reference import ref_add, ref_msm, ref_mul, ref_mul_g
from tests.voting.crypto.strategies import points, points_or_identity, scalars
from voting.crypto import fast
from voting.crypto.backend import FAST, REFERENCE
from voting.crypto.curve import P, Q
from voting.crypto.errors import EncodingError
from voting.crypto.fold import WEIGHT_BITS
from voting.crypto.group import IDENTITY, G, Point, Scalar, point_from_hex, scalar_from_hex
from voting.crypto.msm import STRAUS_MAX, msm_jacobian


def _eip196():
    return json.loads(vectors_dir("bn254", "eip196.json").read_text())


def _words(hex_input: str, count: int) -> list[int]:
    """EVM precompile input: right-padded with zeros, extra bytes ignored."""
    data = bytes.fromhex(hex_input).ljust(32 * count, b"\0")[: 32 * count]
    return [int.from_bytes(data[32 * i : 32 * i + 32], "big") for i in range(count)]


@pytest.mark.parametrize("backend", [FAST, REFERENCE], ids=["fast", "py-ecc"])
def test_eip196_scalar_mul_vectors(backend):
    cases = _eip196()["scalar_mul"]
    assert cases
    for case in cases:
        x, y, k = _words(case["input"], 3)
        got = backend.mul(Point(x, y), k)
        assert got.to_evm().hex() == case["expected"], case["name"]


@pytest.mark.parametrize("backend", [FAST, REFERENCE], ids=["fast", "py-ecc"])
def test_eip196_add_vectors(backend):
    cases = _eip196()["add"]
    assert cases
    for case in cases:
        x1, y1, x2, y2 = _words(case["input"], 4)
        got = backend.add(Point(x1, y1), Point(x2, y2))
        assert got.to_evm().hex() == case["expected"], case["name"]


def test_eip196_points_decode_from_evm_bytes():
    for case in _eip196()["scalar_mul"]:
        raw = bytes.fromhex(case["expected"])
        assert Point.from_evm(raw, allow_identity=True).to_evm() == raw


@settings(max_examples=1500, deadline=None)
@given(points_or_identity, points_or_identity)
def test_addition_matches_py_ecc(a, b):
    assert a + b == ref_add(a, b)
    assert a + a == ref_add(a, a)
    assert a + (-a) == IDENTITY
    assert a - b == ref_add(a, -b)


@settings(max_examples=400, deadline=None)
@given(points_or_identity, scalars)
def test_multiplication_matches_py_ecc(pt, k):
    expected = ref_mul(pt, k)
    assert pt * k == expected
    assert FAST.mul(pt, k) == expected


@settings(max_examples=300, deadline=None)
@given(scalars)
def test_fixed_base_table_matches_py_ecc(k):
    assert Point._trusted(fast.generator_table().mul(k)) == ref_mul(G, k)


@settings(max_examples=25, deadline=None)
@given(points, st.lists(scalars, min_size=1, max_size=3))
def test_fixed_base_table_of_other_point(base, ks):
    table = FAST.fixed(base)
    for k in ks:
        assert table.mul(k) == ref_mul(base, k)


@settings(max_examples=120, deadline=None)
@given(st.lists(st.tuples(points_or_identity, scalars), min_size=0, max_size=8))
def test_small_msm_matches_py_ecc(pairs):
    pts = [p for p, _ in pairs]
    ks = [k for _, k in pairs]
    assert FAST.msm(pts, ks) == ref_msm(pts, ks)


@settings(max_examples=4, deadline=None)
@given(st.lists(st.tuples(points, scalars), min_size=STRAUS_MAX + 1, max_size=STRAUS_MAX + 20))
def test_pippenger_msm_matches_py_ecc(pairs):
    pts = [p for p, _ in pairs]
    ks = [k for _, k in pairs]
    assert len(pts) > STRAUS_MAX  # exercises the bucket method
    assert FAST.msm(pts, ks) == ref_msm(pts, ks)


def test_msm_with_repeated_and_cancelling_points():
    p = G * 12345
    pts = [p] * 70 + [-p] * 70 + [G]  # more than STRAUS_MAX: the bucket method
    ks = [7] * 70 + [7] * 70 + [Q - 1]
    assert Point._trusted(fast.to_affine(msm_jacobian(pts, ks))) == -G
    assert FAST.msm([p, p], [1, Q - 1]) == IDENTITY
    assert FAST.msm([], []) == IDENTITY


# Thousands of MSM cases against py-ecc. The points have known discrete logs (made once by py-ecc),
# so the expected value of any combination is one cheap reference multiplication of G.

_HALF_Q = Q // 2


@pytest.fixture(scope="module")
def known_points() -> list[tuple[int, Point]]:
    rng = random.Random(196)
    logs = [rng.randrange(1, Q) for _ in range(40)] + [1, 2, Q - 1, _HALF_Q, _HALF_Q + 1]
    return [(a, ref_mul(G, a)) for a in logs]


def _scalar(rng: random.Random, kind: str) -> int:
    """Scalars as the verifiers use them, and the edges of the signed (q/2) recoding."""
    if kind == "mixed":
        kind = rng.choice(["full", "weight", "near q", "negative", "half", "oversized", "tiny"])
    small = rng.randrange(1, 2 ** rng.choice([8, 64, WEIGHT_BITS]))
    return {
        "full": rng.randrange(Q),
        "weight": rng.getrandbits(WEIGHT_BITS) | 1,  # a batch-verification weight
        "near q": Q - small,  # a negated weight: recoded as -small on the negated point
        "negative": -small if rng.random() < 0.7 else -rng.randrange(Q),
        "half": _HALF_Q + rng.randrange(-2, 3),
        "oversized": rng.randrange(Q, 2**256),
        "tiny": rng.randrange(0, 4),
    }[kind]


def _case(rng, known, n: int, kind: str, *, degenerate: bool = True):
    """n (point, scalar) pairs and their discrete logs; ``degenerate`` mixes in the identity,
    negated and repeated points. Without it every pair is non-zero, so n picks the MSM path."""
    pts, ks, logs = [], [], []
    for _ in range(n):
        a, pt = rng.choice(known)
        roll = rng.random() if degenerate else 1.0
        if roll < 0.1:
            a, pt = 0, IDENTITY
        elif roll < 0.3:
            a, pt = -a, -pt
        elif roll < 0.4 and pts:
            j = rng.randrange(len(pts))  # a point already in the list, or its negation
            sign = rng.choice([1, -1])
            a, pt = sign * logs[j], pts[j] if sign == 1 else -pts[j]
        k = _scalar(rng, kind)
        while not degenerate and k % Q == 0:
            k = _scalar(rng, kind)
        pts.append(pt)
        ks.append(k)
        logs.append(a)
    return pts, ks, logs


def _expected(logs: list[int], ks: list[int]) -> Point:
    return ref_mul_g(sum(a * k for a, k in zip(logs, ks, strict=True)))


SMALL_KINDS = ["full", "weight", "near q", "negative", "half", "oversized", "mixed"]


@pytest.mark.parametrize("kind", SMALL_KINDS)
def test_straus_msm_matches_py_ecc_on_thousands_of_cases(known_points, kind):
    rng = random.Random(f"straus-{kind}")
    for i in range(500):  # 7 kinds x 500: 3500 cases of 0..8 points
        pts, ks, logs = _case(rng, known_points, i % 9, kind)
        assert FAST.msm(pts, ks) == _expected(logs, ks), (kind, i)
    for _ in range(25):  # and up to the Straus limit
        pts, ks, logs = _case(rng, known_points, rng.randrange(9, STRAUS_MAX + 1), kind)
        assert FAST.msm(pts, ks) == _expected(logs, ks), (kind, len(pts))


# Pippenger's window width c changes at these sizes (254-bit scalars: 5 from 129, 6 from 281, 7
# from 662, 8 from 1383; 128-bit weights: 6 from 289, 7 from 683, 8 from 1110), and 128/129
# non-zero pairs is the switch from Straus.
PIPPENGER_SIZES = [127, 128, 129, 130, 200, 280, 281, 288, 289]
PIPPENGER_SIZES += [661, 662, 682, 683, 1109, 1110, 1383]


@pytest.mark.parametrize("kind", ["full", "weight", "near q", "mixed"])
def test_pippenger_msm_matches_py_ecc_at_every_window_width(known_points, kind):
    rng = random.Random(f"pippenger-{kind}")
    for n in PIPPENGER_SIZES:
        pts, ks, logs = _case(rng, known_points, n, kind, degenerate=False)
        assert FAST.msm(pts, ks) == _expected(logs, ks), (kind, n)
        pts, ks, logs = _case(rng, known_points, n + 7, kind)  # with identities and repeats
        assert FAST.msm(pts, ks) == _expected(logs, ks), (kind, n + 7)


def test_pippenger_with_nine_bit_windows(known_points):
    rng = random.Random("wide")
    pts, ks, logs = _case(rng, known_points, 4438, "full", degenerate=False)
    assert FAST.msm(pts, ks) == _expected(logs, ks)


def test_pippenger_with_one_long_scalar_among_short_ones(known_points):
    rng = random.Random("one-long")
    pts, ks, logs = _case(rng, known_points, 400, "weight", degenerate=False)
    ks[rng.randrange(400)] = _HALF_Q  # the window count follows the longest scalar
    assert FAST.msm(pts, ks) == _expected(logs, ks)


def test_doubling_through_addition_and_order():
    p = G * 777
    assert p + p == p * 2 == ref_mul(p, 2)
    assert G * Q == IDENTITY
    assert G * (Q - 1) == -G
    assert G * 0 == IDENTITY


@settings(max_examples=200, deadline=None)
@given(points_or_identity)
def test_encodings_round_trip(pt):
    assert Point.from_evm(pt.to_evm(), allow_identity=True) == pt
    assert Point.from_compressed(pt.to_compressed(), allow_identity=True) == pt


def test_identity_is_rejected_unless_allowed():
    with pytest.raises(EncodingError, match="identity"):
        Point.from_evm(bytes(64))
    with pytest.raises(EncodingError, match="identity"):
        Point.from_compressed(IDENTITY.to_compressed())
    with pytest.raises(EncodingError, match="identity"):
        point_from_hex("00" * 64)


def test_off_curve_point_is_rejected():
    with pytest.raises(EncodingError, match="not on the BN254 curve"):
        Point(1, 3)
    with pytest.raises(EncodingError, match="not on the BN254 curve"):
        Point.from_evm((1).to_bytes(32, "big") + (3).to_bytes(32, "big"))


def test_non_canonical_coordinates_are_rejected():
    # (1 + p, 2) names the generator modulo p but is not its canonical encoding.
    with pytest.raises(EncodingError, match="below the field modulus"):
        Point.from_evm((1 + P).to_bytes(32, "big") + (2).to_bytes(32, "big"))
    with pytest.raises(EncodingError, match="lowercase hex"):
        point_from_hex((G * 5).to_evm().hex().upper())
    with pytest.raises(EncodingError, match="must be a string of 128 hex digits"):
        point_from_hex(G.to_evm().hex()[:-2])


def test_compressed_decoding_is_strict():
    enc = bytearray(G.to_compressed())
    both = bytes([enc[0] | 0xC0]) + bytes(enc[1:])
    with pytest.raises(EncodingError, match="both flag bits"):
        Point.from_compressed(both)
    with pytest.raises(EncodingError, match="non-zero bits"):
        Point.from_compressed(bytes([0x40]) + bytes(30) + b"\x01")
    # x = 0: 0^3 + 3 = 3 is not a square mod p, so there is no such point.
    with pytest.raises(EncodingError, match="no point"):
        Point.from_compressed(bytes(32))
    big_x = (P + 1).to_bytes(32, "big")
    with pytest.raises(EncodingError, match="below the field modulus"):
        Point.from_compressed(big_x)


def test_scalars_must_be_canonical():
    assert Scalar.from_bytes32((Q - 1).to_bytes(32, "big")) == Q - 1
    with pytest.raises(EncodingError, match="below the group order"):
        Scalar.from_bytes32(Q.to_bytes(32, "big"))
    with pytest.raises(EncodingError, match="below the group order"):
        scalar_from_hex(f"{Q:064x}")
    with pytest.raises(EncodingError, match="32 bytes"):
        Scalar.from_bytes32(b"\x01")


def test_random_scalars_are_below_q_and_vary():
    values = {Scalar.random() for _ in range(50)}
    assert len(values) == 50
    assert all(0 <= v < Q for v in values)
    assert all(0 < Scalar.random_nonzero() < Q for _ in range(50))
