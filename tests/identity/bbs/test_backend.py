"""The gmpy2 G1 and pairing backend against py-ecc, the reference, on random inputs."""

from gmpy2 import mpz
from hypothesis import given, settings
from hypothesis import strategies as st
from py_ecc.bls.g2_primitives import G1_to_pubkey
from py_ecc.fields import optimized_bls12_381_FQ12 as FQ12
from py_ecc.optimized_bls12_381 import G1 as PY_G1
from py_ecc.optimized_bls12_381 import G2 as PY_G2
from py_ecc.optimized_bls12_381 import add as py_add
from py_ecc.optimized_bls12_381 import field_modulus, normalize
from py_ecc.optimized_bls12_381 import multiply as py_mul
from py_ecc.optimized_bls12_381 import pairing as py_pairing

from identity.bbs import fields, g1
from identity.bbs.pairing import X_ABS, R, neg_g2, pairing, pairing_product_is_one, prepare_g2

scalars = st.integers(min_value=1, max_value=int(R) - 1)
few = settings(max_examples=3, deadline=None)
some = settings(max_examples=15, deadline=None)


def _g1_from_pyecc(pt) -> g1.G1Point:
    x, y = normalize(pt)
    return (mpz(x.n), mpz(y.n), mpz(1))


def _g2_affine(pt):
    x, y = normalize(pt)
    return ((mpz(x.coeffs[0]), mpz(x.coeffs[1])), (mpz(y.coeffs[0]), mpz(y.coeffs[1])))


def _fq12(a: fields.Fp12) -> FQ12:
    return FQ12(fields.to_pyecc_coeffs(a))


def _random_fp12(data: st.DataObject) -> fields.Fp12:
    ints = [data.draw(st.integers(0, int(fields.P) - 1)) for _ in range(12)]
    f2 = [(mpz(ints[2 * i]), mpz(ints[2 * i + 1])) for i in range(6)]
    return ((f2[0], f2[1], f2[2]), (f2[3], f2[4], f2[5]))


def test_hard_part_decomposition_is_exact():
    p, x = int(fields.P), -X_ABS
    assert (x - 1) % 3 == 0 and (p**6 - 1) % 6 == 0
    assert ((x - 1) ** 2 // 3 * (x + p) * (x**2 + p**2 - 1) + 1) * int(R) == p**4 - p**2 + 1


@some
@given(st.data())
def test_fp12_multiplication_and_inverse_agree_with_pyecc(data):
    a, b = _random_fp12(data), _random_fp12(data)
    assert _fq12(fields.f12_mul(a, b)) == _fq12(a) * _fq12(b)
    assert _fq12(fields.f12_sqr(a)) == _fq12(a) * _fq12(a)
    if _fq12(a) != FQ12.zero():
        assert _fq12(fields.f12_mul(a, fields.f12_inv(a))) == FQ12.one()


@few
@given(st.data())
def test_frobenius_is_the_p_power(data):
    a = _random_fp12(data)
    for power in (1, 2, 3):
        assert _fq12(fields.f12_frobenius(a, power)) == _fq12(a) ** (field_modulus**power)


@few
@given(scalars, scalars)
def test_pairing_equals_pyecc_pairing(a, b):
    p, q = py_mul(PY_G1, a), py_mul(PY_G2, b)
    ours = pairing(g1.to_affine(_g1_from_pyecc(p)), _g2_affine(q))
    assert _fq12(ours) == py_pairing(q, p)


@few
@given(scalars, scalars)
def test_pairing_is_bilinear_and_product_check_decides(a, b):
    p = g1.to_affine(g1.mul(g1.GENERATOR, a))
    q = _g2_affine(py_mul(PY_G2, b))
    ab_p = g1.to_affine(g1.mul(g1.GENERATOR, a * b))
    base_q = _g2_affine(PY_G2)
    assert pairing(p, q) == pairing(ab_p, base_q)
    assert pairing_product_is_one([(p, prepare_g2(q)), (ab_p, prepare_g2(neg_g2(base_q)))])
    off = g1.to_affine(g1.mul(g1.GENERATOR, a * b + 1))
    assert not pairing_product_is_one([(p, prepare_g2(q)), (off, prepare_g2(neg_g2(base_q)))])


def test_pairing_of_identity_is_one():
    assert pairing(None, _g2_affine(PY_G2)) == fields.F12_ONE


@some
@given(scalars, scalars)
def test_g1_group_law_agrees_with_pyecc(a, b):
    pa, pb = py_mul(PY_G1, a), py_mul(PY_G1, b)
    ga, gb = g1.mul(g1.GENERATOR, a), g1.mul(g1.GENERATOR, b)
    assert g1.encode(ga) == bytes(G1_to_pubkey(pa))
    assert g1.encode(g1.add(ga, gb)) == bytes(G1_to_pubkey(py_add(pa, pb)))
    assert g1.encode(g1.double(ga)) == bytes(G1_to_pubkey(py_add(pa, pa)))
    assert g1.is_identity(g1.add(ga, g1.neg(ga)))
    assert g1.equal(g1.decode(g1.encode(ga), "test"), ga)


@some
@given(st.lists(st.tuples(scalars, st.integers(0, int(R) - 1)), min_size=1, max_size=6))
def test_multi_scalar_mul_is_the_sum_of_products(terms):
    points = [g1.mul(g1.GENERATOR, base) for base, _ in terms]
    expected = py_mul(PY_G1, sum(base * k for base, k in terms) % int(R))
    got = g1.multi_scalar_mul(points, [k for _, k in terms])
    assert g1.encode(got) == bytes(G1_to_pubkey(expected))
