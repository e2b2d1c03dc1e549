"""BN254 G1: EIP-196 vectors, agreement with py-ecc on random inputs, strict encodings."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.vectors import vectors_dir
from tests.voting.crypto.reference import ref_add, ref_msm, ref_mul
from tests.voting.crypto.strategies import points, points_or_identity, scalars
from voting.crypto import fast
from voting.crypto.backend import FAST, REFERENCE
from voting.crypto.curve import P, Q
from voting.crypto.errors import EncodingError
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
