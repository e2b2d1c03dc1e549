"""BLS12-381 extension-field tower on gmpy2, the arithmetic under the fast pairing.

Fp2 = Fp[i] / (i^2 + 1), Fp6 = Fp2[v] / (v^3 - xi) with xi = 1 + i, Fp12 = Fp6[w] / (w^2 - v).
Elements are plain tuples of ``gmpy2.mpz`` (Fp2: 2 ints, Fp6: 3 Fp2, Fp12: 2 Fp6) so that the
hot loops pay for as little Python as possible. Every function returns fully reduced values.

The tower embeds into py-ecc's FQ12 = Fp[w] / (w^12 - 2 w^6 + 2) by i -> w^6 - 1, v -> w^2,
w -> w (see ``to_pyecc_coeffs``); tests use that map to check the pairing against py-ecc.
"""

from gmpy2 import invert, mpz

P = mpz(
    0x1A0111EA397FE69A4B1BA7B6434BACD764774B84F38512BF6730D2A0F6B0F6241EABFFFEB153FFFFB9FEFFFFFFFFAAAB
)

Fp2 = tuple[mpz, mpz]
Fp6 = tuple[Fp2, Fp2, Fp2]
Fp12 = tuple[Fp6, Fp6]

F2_ZERO: Fp2 = (mpz(0), mpz(0))
F2_ONE: Fp2 = (mpz(1), mpz(0))
F6_ZERO: Fp6 = (F2_ZERO, F2_ZERO, F2_ZERO)
F6_ONE: Fp6 = (F2_ONE, F2_ZERO, F2_ZERO)
F12_ONE: Fp12 = (F6_ONE, F6_ZERO)


# --- Fp2 ---------------------------------------------------------------------------------------


def f2_add(a: Fp2, b: Fp2) -> Fp2:
    return ((a[0] + b[0]) % P, (a[1] + b[1]) % P)


def f2_sub(a: Fp2, b: Fp2) -> Fp2:
    return ((a[0] - b[0]) % P, (a[1] - b[1]) % P)


def f2_neg(a: Fp2) -> Fp2:
    return (-a[0] % P, -a[1] % P)


def f2_mul(a: Fp2, b: Fp2) -> Fp2:
    a0, a1 = a
    b0, b1 = b
    t0 = a0 * b0
    t1 = a1 * b1
    return ((t0 - t1) % P, ((a0 + a1) * (b0 + b1) - t0 - t1) % P)


def f2_sqr(a: Fp2) -> Fp2:
    a0, a1 = a
    return ((a0 + a1) * (a0 - a1) % P, 2 * a0 * a1 % P)


def f2_scale(a: Fp2, c: mpz) -> Fp2:
    """Multiply by an element of the base field Fp."""
    return (a[0] * c % P, a[1] * c % P)


def f2_mul_xi(a: Fp2) -> Fp2:
    """Multiply by xi = 1 + i, the non-residue that defines Fp6."""
    a0, a1 = a
    return ((a0 - a1) % P, (a0 + a1) % P)


def f2_conj(a: Fp2) -> Fp2:
    """The p-power Frobenius of Fp2."""
    return (a[0], -a[1] % P)


def f2_inv(a: Fp2) -> Fp2:
    a0, a1 = a
    t = invert(a0 * a0 + a1 * a1, P)
    return (a0 * t % P, -a1 * t % P)


def f2_pow(a: Fp2, e: int) -> Fp2:
    result = F2_ONE
    for bit in bin(e)[2:]:
        result = f2_sqr(result)
        if bit == "1":
            result = f2_mul(result, a)
    return result


# --- Fp6 ---------------------------------------------------------------------------------------


def f6_add(a: Fp6, b: Fp6) -> Fp6:
    return (f2_add(a[0], b[0]), f2_add(a[1], b[1]), f2_add(a[2], b[2]))


def f6_sub(a: Fp6, b: Fp6) -> Fp6:
    return (f2_sub(a[0], b[0]), f2_sub(a[1], b[1]), f2_sub(a[2], b[2]))


def f6_neg(a: Fp6) -> Fp6:
    return (f2_neg(a[0]), f2_neg(a[1]), f2_neg(a[2]))


def f6_mul(a: Fp6, b: Fp6) -> Fp6:
    a0, a1, a2 = a
    b0, b1, b2 = b
    t0 = f2_mul(a0, b0)
    t1 = f2_mul(a1, b1)
    t2 = f2_mul(a2, b2)
    c0 = f2_add(t0, f2_mul_xi(f2_sub(f2_mul(f2_add(a1, a2), f2_add(b1, b2)), f2_add(t1, t2))))
    c1 = f2_add(f2_sub(f2_mul(f2_add(a0, a1), f2_add(b0, b1)), f2_add(t0, t1)), f2_mul_xi(t2))
    c2 = f2_add(f2_sub(f2_mul(f2_add(a0, a2), f2_add(b0, b2)), f2_add(t0, t2)), t1)
    return (c0, c1, c2)


def f6_mul_by_01(a: Fp6, b0: Fp2, b1: Fp2) -> Fp6:
    """Multiply by the sparse element b0 + b1 v (the shape of a Miller-loop line)."""
    a0, a1, a2 = a
    t0 = f2_mul(a0, b0)
    t1 = f2_mul(a1, b1)
    c0 = f2_add(t0, f2_mul_xi(f2_mul(a2, b1)))
    c1 = f2_sub(f2_mul(f2_add(a0, a1), f2_add(b0, b1)), f2_add(t0, t1))
    c2 = f2_add(f2_mul(a2, b0), t1)
    return (c0, c1, c2)


def f6_mul_by_v(a: Fp6) -> Fp6:
    return (f2_mul_xi(a[2]), a[0], a[1])


def f6_scale(a: Fp6, c: mpz) -> Fp6:
    return (f2_scale(a[0], c), f2_scale(a[1], c), f2_scale(a[2], c))


def f6_inv(a: Fp6) -> Fp6:
    a0, a1, a2 = a
    t0 = f2_sub(f2_sqr(a0), f2_mul_xi(f2_mul(a1, a2)))
    t1 = f2_sub(f2_mul_xi(f2_sqr(a2)), f2_mul(a0, a1))
    t2 = f2_sub(f2_sqr(a1), f2_mul(a0, a2))
    norm = f2_add(f2_mul(a0, t0), f2_mul_xi(f2_add(f2_mul(a2, t1), f2_mul(a1, t2))))
    inv = f2_inv(norm)
    return (f2_mul(t0, inv), f2_mul(t1, inv), f2_mul(t2, inv))


# --- Fp12 --------------------------------------------------------------------------------------


def f12_mul(a: Fp12, b: Fp12) -> Fp12:
    a0, a1 = a
    b0, b1 = b
    t0 = f6_mul(a0, b0)
    t1 = f6_mul(a1, b1)
    c1 = f6_sub(f6_mul(f6_add(a0, a1), f6_add(b0, b1)), f6_add(t0, t1))
    return (f6_add(t0, f6_mul_by_v(t1)), c1)


def f12_sqr(a: Fp12) -> Fp12:
    a0, a1 = a
    ab = f6_mul(a0, a1)
    c0 = f6_mul(f6_add(a0, a1), f6_add(a0, f6_mul_by_v(a1)))
    c0 = f6_sub(c0, f6_add(ab, f6_mul_by_v(ab)))
    return (c0, f6_add(ab, ab))


def f12_conj(a: Fp12) -> Fp12:
    """a^(p^6): the inverse of any element of the cyclotomic subgroup."""
    return (a[0], f6_neg(a[1]))


def f12_inv(a: Fp12) -> Fp12:
    a0, a1 = a
    inv = f6_inv(f6_sub(f6_mul(a0, a0), f6_mul_by_v(f6_mul(a1, a1))))
    return (f6_mul(a0, inv), f6_neg(f6_mul(a1, inv)))


def f12_pow(a: Fp12, e: int) -> Fp12:
    result = F12_ONE
    for bit in bin(e)[2:]:
        result = f12_sqr(result)
        if bit == "1":
            result = f12_mul(result, a)
    return result


def f12_mul_by_line(f: Fp12, a: Fp2, b: Fp2, c: mpz) -> Fp12:
    """Multiply f by the line value (a + b v) + (c v) w, with c in Fp."""
    f0, f1 = f
    f0_l0 = f6_mul_by_01(f0, a, b)
    f1_l0 = f6_mul_by_01(f1, a, b)
    c0 = f6_add(f0_l0, f6_scale(f6_mul_by_v(f6_mul_by_v(f1)), c))
    c1 = f6_add(f1_l0, f6_scale(f6_mul_by_v(f0), c))
    return (c0, c1)


def _frobenius_constants(power: int) -> list[Fp2]:
    """gamma_e = xi^(e (p^power - 1) / 6) for the basis element w^e, e = 0..5."""
    xi = (mpz(1), mpz(1))
    return [f2_pow(xi, e * (P**power - 1) // 6) for e in range(6)]


_FROBENIUS = {power: _frobenius_constants(power) for power in (1, 2, 3)}


def f12_frobenius(a: Fp12, power: int) -> Fp12:
    """a^(p^power) for power in 1, 2, 3."""
    gamma = _FROBENIUS[power]
    conjugate = power % 2 == 1
    out: list[list[Fp2]] = [[F2_ZERO] * 3, [F2_ZERO] * 3]
    for k in range(2):
        for j in range(3):
            coeff = a[k][j]
            if conjugate:
                coeff = f2_conj(coeff)
            out[k][j] = f2_mul(coeff, gamma[2 * j + k])
    return (tuple(out[0]), tuple(out[1]))  # type: ignore[return-value]


def to_pyecc_coeffs(a: Fp12) -> list[int]:
    """The 12 coefficients of ``a`` in py-ecc's FQ12 basis (powers of w, w^12 = 2 w^6 - 2)."""
    coeffs = [0] * 12
    for k in range(2):
        for j in range(3):
            c0, c1 = a[k][j]
            e = 2 * j + k  # c0 + c1 i with i = w^6 - 1, times w^e
            coeffs[e] += int(c0) - int(c1)
            coeffs[e + 6] += int(c1)
    return [c % int(P) for c in coeffs]
