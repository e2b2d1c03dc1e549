"""Strict decoding: keys, points, signatures and proofs that are not canonical are refused."""

import pytest
from gmpy2 import mpz
from py_ecc.bls.g2_primitives import G2_to_signature
from py_ecc.bls.point_compression import modular_squareroot_in_FQ2
from py_ecc.fields import optimized_bls12_381_FQ2 as FQ2
from py_ecc.optimized_bls12_381 import Z2, b2

from identity.bbs import EncodingError, g1, keygen, proof_verify, sign, sk_to_pk, verify
from identity.bbs.fields import P
from identity.bbs.signature import decode_secret_key

SK = keygen(b"\x07" * 32)
PK = sk_to_pk(SK)
MESSAGES = [b"resident", b"district-5"]
R = int(g1.R)


def _curve_point_outside_subgroup() -> bytes:
    for x in range(1, 100):
        rhs = (x**3 + 4) % P
        y = pow(rhs, (P + 1) // 4, P)
        if y * y % P == rhs:
            point = (mpz(x), y, mpz(1))
            if not g1.in_subgroup(point):
                return g1.encode(point)
    raise AssertionError("no test point found")


def _x_off_curve() -> bytes:
    for x in range(1, 100):
        rhs = (x**3 + 4) % P
        if pow(rhs, (P - 1) // 2, P) != 1:
            return bytes([0x80]) + x.to_bytes(47, "big")
    raise AssertionError("no test x found")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (bytes(47), "48 bytes"),
        (b"\x00" * 48, "compression flag"),
        (bytes([0xC0]) + bytes(46) + b"\x01", "identity"),
        (bytes([0xE0]) + bytes(47), "identity"),
        (bytes([0x80 | 0x1F]) + b"\xff" * 47, "field modulus"),
        (_x_off_curve(), "not a point on"),
        (_curve_point_outside_subgroup(), "subgroup"),
    ],
)
def test_g1_decode_rejects_with_a_reason(data, reason):
    with pytest.raises(EncodingError, match=reason):
        g1.decode(data, "test point")


def test_g1_identity_round_trips():
    assert g1.is_identity(g1.decode(g1.encode(g1.IDENTITY), "identity"))


def _g2_point_outside_subgroup() -> bytes:
    for x in range(1, 100):
        fx = FQ2([x, 1])
        y = modular_squareroot_in_FQ2(fx**3 + b2)
        if y is not None:
            return bytes(G2_to_signature((fx, y, FQ2.one())))
    raise AssertionError("no test point found")


@pytest.mark.parametrize(
    ("pk", "reason"),
    [
        (PK[:95], "96 bytes"),
        (bytes(G2_to_signature(Z2)), "identity"),
        (bytes(96), "not a compressed G2 point"),
        (_g2_point_outside_subgroup(), "subgroup"),
    ],
)
def test_public_key_decode_rejects_with_a_reason(pk, reason):
    signature = sign(SK, PK, MESSAGES)
    with pytest.raises(EncodingError, match=reason):
        verify(pk, signature, MESSAGES)


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        (lambda s: s[:79], "80 bytes"),
        (lambda s: s[:48] + bytes(32), "e must be"),
        (lambda s: s[:48] + R.to_bytes(32, "big"), "e must be"),
        (lambda s: g1.encode(g1.IDENTITY) + s[48:], "identity"),
    ],
)
def test_signature_decode_rejects_with_a_reason(tamper, reason):
    signature = sign(SK, PK, MESSAGES)
    with pytest.raises(EncodingError, match=reason):
        verify(PK, tamper(signature), MESSAGES)


def test_proof_decode_rejects_bad_lengths_scalars_and_points():
    from identity.bbs import proof_gen

    proof = proof_gen(PK, sign(SK, PK, MESSAGES), MESSAGES, [0])
    cases = [
        (proof[:271], "at least 272"),
        (proof + b"\x00", "whole number"),
        (proof[:-32] + R.to_bytes(32, "big"), "scalar 4"),
        (proof[:-32] + bytes(32), "scalar 4"),
        (g1.encode(g1.IDENTITY) + proof[48:], "Abar is the identity"),
        (proof[:48] + _curve_point_outside_subgroup() + proof[96:], "subgroup"),
    ]
    for bad, reason in cases:
        with pytest.raises(EncodingError, match=reason):
            proof_verify(PK, bad, MESSAGES[:1], [0])


def test_secret_key_must_be_a_nonzero_scalar():
    for bad in (bytes(32), R.to_bytes(32, "big"), b"\x01" * 31):
        with pytest.raises(EncodingError, match="secret key"):
            decode_secret_key(bad)
