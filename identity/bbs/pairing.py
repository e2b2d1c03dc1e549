"""Optimal ate pairing on BLS12-381 over the gmpy2 tower, for products of pairings.

Verifying a BBS signature or proof is one check ``e(P1, Q1) * e(P2, Q2) == 1``. This module
computes both Miller loops in one pass (one squaring of the accumulator per step) and then one
final exponentiation, and lets a G2 point be *prepared* once (its line coefficients computed and
cached), which is what a verifier wants for the issuer key and the fixed generator.

The value agrees with py-ecc's ``pairing(Q, P)``: the Miller function f_{|x|,Q}(P) on the same
M-type twist (x, y) -> (x / w^2, y / w^3), raised to (p^12 - 1) / r exactly. Tests compare the
two on random points.
"""

from collections.abc import Iterable, Sequence

from gmpy2 import mpz

from .fields import (
    F12_ONE,
    Fp2,
    Fp12,
    P,
    f2_add,
    f2_inv,
    f2_mul,
    f2_neg,
    f2_scale,
    f2_sqr,
    f2_sub,
    f12_conj,
    f12_frobenius,
    f12_inv,
    f12_mul,
    f12_mul_by_line,
    f12_pow,
    f12_sqr,
)

X_ABS = 0xD201000000010000  # |x|, the BLS parameter; x itself is negative
R = 0x73EDA753299D7D483339D80809A1D80553BDA402FFFE5BFEFFFFFFFF00000001
_LOOP_BITS = bin(X_ABS)[3:]  # the bits after the leading one, most significant first
_U_ABS = (X_ABS + 1) // 3  # |(x - 1) / 3|

G1Affine = tuple[mpz, mpz]
G2Affine = tuple[Fp2, Fp2]
PreparedG2 = tuple[tuple[Fp2, Fp2], ...]


def prepare_g2(q: G2Affine) -> PreparedG2:
    """Line coefficients (lambda * x_T - y_T, lambda) for every step of the Miller loop over Q.

    ``q`` must be an affine point of the prime-order subgroup of the twist, not the identity.
    """
    qx, qy = q
    tx, ty = q
    lines: list[tuple[Fp2, Fp2]] = []
    three = mpz(3)
    for bit in _LOOP_BITS:
        slope = f2_mul(f2_scale(f2_sqr(tx), three), f2_inv(f2_add(ty, ty)))
        lines.append((f2_sub(f2_mul(slope, tx), ty), slope))
        nx = f2_sub(f2_sqr(slope), f2_add(tx, tx))
        ty = f2_sub(f2_mul(slope, f2_sub(tx, nx)), ty)
        tx = nx
        if bit == "1":
            slope = f2_mul(f2_sub(qy, ty), f2_inv(f2_sub(qx, tx)))
            lines.append((f2_sub(f2_mul(slope, tx), ty), slope))
            nx = f2_sub(f2_sub(f2_sqr(slope), tx), qx)
            ty = f2_sub(f2_mul(slope, f2_sub(tx, nx)), ty)
            tx = nx
    return tuple(lines)


def miller_loop(pairs: Sequence[tuple[G1Affine, PreparedG2]]) -> Fp12:
    """Product over the pairs of f_{|x|,Q}(P), sharing the squarings of the accumulator."""
    f = F12_ONE
    evaluated = [((-px) % P, py, lines) for (px, py), lines in pairs]
    index = 0
    for bit in _LOOP_BITS:
        f = f12_sqr(f)
        for neg_px, py, lines in evaluated:
            a, slope = lines[index]
            f = f12_mul_by_line(f, a, f2_scale(slope, neg_px), py)
        index += 1
        if bit == "1":
            for neg_px, py, lines in evaluated:
                a, slope = lines[index]
                f = f12_mul_by_line(f, a, f2_scale(slope, neg_px), py)
            index += 1
    return f


def _pow_x(a: Fp12) -> Fp12:
    """a^x for a in the cyclotomic subgroup (x < 0, so conjugate a^|x|)."""
    return f12_conj(f12_pow(a, X_ABS))


def final_exponentiation(f: Fp12) -> Fp12:
    """f^((p^12 - 1) / r), exactly.

    Easy part (p^6 - 1)(p^2 + 1), then the hard part (p^4 - p^2 + 1) / r written as
    ((x - 1)^2 / 3) (x + p) (x^2 + p^2 - 1) + 1, which only needs powers of x, one power of
    (x - 1) / 3 and Frobenius maps.
    """
    g = f12_mul(f12_conj(f), f12_inv(f))
    g = f12_mul(f12_frobenius(g, 2), g)
    a = f12_conj(f12_pow(g, _U_ABS))  # g^((x - 1) / 3)
    a = f12_mul(_pow_x(a), f12_conj(a))  # ^(x - 1)
    b = f12_mul(_pow_x(a), f12_frobenius(a, 1))  # ^(x + p)
    c = f12_mul(f12_mul(_pow_x(_pow_x(b)), f12_frobenius(b, 2)), f12_conj(b))  # ^(x^2+p^2-1)
    return f12_mul(c, g)


def pairing(p: G1Affine | None, q: G2Affine | None) -> Fp12:
    """e(P, Q) for affine points (None is the identity), equal to py-ecc's pairing(Q, P)."""
    if p is None or q is None:
        return F12_ONE
    return final_exponentiation(miller_loop([(p, prepare_g2(q))]))


def pairing_product_is_one(pairs: Iterable[tuple[G1Affine | None, PreparedG2]]) -> bool:
    """True when the product of e(P_i, Q_i) is 1; pairs whose P is the identity contribute 1."""
    live = [(p, lines) for p, lines in pairs if p is not None]
    return final_exponentiation(miller_loop(live)) == F12_ONE


def neg_g2(q: G2Affine) -> G2Affine:
    return (q[0], f2_neg(q[1]))
