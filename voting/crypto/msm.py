"""Multi-scalar multiplication sum(k_i * P_i) on the fast backend.

Two algorithms, chosen by size (measured by ``bench/ballots.py``):
- Straus (interleaved width-5 wNAF) for up to 128 points: one shared doubling chain and an
  odd-multiples table per point, all normalised with a single inversion.
- Pippenger (bucket method, unsigned c-bit windows) for many points: each window costs one
  mixed addition per point plus 2^(c+1) bucket additions.

Points are affine pairs, the identity ``(0, 0)`` and zero scalars are skipped. Scalars are
reduced mod q first, so the result is the group law's answer for any integer scalars; a scalar
above q/2 is replaced by q - k on the negated point, so small negative weights stay short.
"""

from collections.abc import Sequence

from gmpy2 import mpz

from voting.crypto.curve import P, Q
from voting.crypto.fast import (
    JAC_IDENTITY,
    Affine,
    Jacobian,
    add,
    add_affine,
    batch_to_affine,
    double,
    odd_multiples,
    to_jacobian,
    wnaf,
)

STRAUS_MAX = 128
_HALF_Q = Q // 2
_ONE = mpz(1)


def msm_jacobian(points: Sequence[Affine], scalars: Sequence[int]) -> Jacobian:
    if len(points) != len(scalars):
        raise ValueError("msm needs as many scalars as points")
    pairs = []
    for pt, k in zip(points, scalars, strict=True):
        k %= Q
        if not k or not (pt[0] or pt[1]):
            continue
        if k > _HALF_Q:  # -k is shorter: use (q-k) * (-pt)
            pairs.append(((pt[0], P - pt[1]), Q - k))
        else:
            pairs.append((pt, k))
    if not pairs:
        return JAC_IDENTITY
    if len(pairs) <= STRAUS_MAX:
        return _straus(pairs)
    return _pippenger(pairs)


def _straus(pairs: list[tuple[Affine, int]], w: int = 5) -> Jacobian:
    count = 1 << (w - 2)
    jac: list[Jacobian] = []
    for pt, _ in pairs:
        jac.extend(odd_multiples(to_jacobian(pt), count))
    table = batch_to_affine(jac)
    schedule: list[list[tuple[int, int]]] = []
    for i, (_, k) in enumerate(pairs):
        base = i * count
        digits = wnaf(k, w)
        while len(schedule) < len(digits):
            schedule.append([])
        for bit, d in enumerate(digits):
            if d > 0:
                schedule[bit].append(table[base + (d >> 1)])
            elif d < 0:
                x, y = table[base + ((-d) >> 1)]
                schedule[bit].append((x, P - y))
    acc = JAC_IDENTITY
    for adds in reversed(schedule):
        acc = double(acc)
        for x, y in adds:
            acc = add_affine(acc, x, y)
    return acc


def _window(n: int, bits: int) -> int:
    """The window width c minimising (bits / c) * (n + 2^(c+1)) additions."""
    best, best_cost = 2, None
    for c in range(2, 17):
        cost = -(-bits // c) * (n + (1 << (c + 1)))
        if best_cost is None or cost < best_cost:
            best, best_cost = c, cost
    return best


def _pippenger(pairs: list[tuple[Affine, int]]) -> Jacobian:
    pairs.sort(key=lambda pair: pair[1].bit_length(), reverse=True)
    lengths = [k.bit_length() for _, k in pairs]
    bits = lengths[0]
    c = _window(len(pairs), bits)
    mask = (1 << c) - 1
    windows = -(-bits // c)
    result = JAC_IDENTITY
    active = 0
    for wi in reversed(range(windows)):
        for _ in range(c):
            result = double(result)
        shift = wi * c
        while active < len(pairs) and lengths[active] > shift:
            active += 1
        buckets: list = [None] * mask
        for j in range(active):
            (x, y), k = pairs[j]
            d = (k >> shift) & mask
            if d:
                b = buckets[d - 1]
                buckets[d - 1] = (mpz(x), mpz(y), _ONE) if b is None else add_affine(b, x, y)
        running = JAC_IDENTITY
        total = JAC_IDENTITY
        for b in reversed(buckets):
            if b is not None:
                running = add(running, b)
            total = add(total, running)
        result = add(result, total)
    return result
