"""Disjunctive Chaum-Pedersen range proofs for ElGamal ciphertexts, in commitment form.

Statement: (alpha, beta) encrypts some m in {lo, ..., hi} under K, i.e. there is r with
alpha = r*G and beta - m*G = r*K. The proof has one branch per allowed value j with commitments
(a_j, b_j), a challenge share c_j and a response v_j such that

    v_j * G == a_j + c_j * alpha
    v_j * K == b_j + c_j * (beta - j*G)            for every j in lo..hi
    sum(c_j) == H(statement parts, a_lo, b_lo, ..., a_hi, b_hi)  (mod q)

The prover answers the real branch honestly and simulates the others (choosing c_j, v_j first).
Keeping the commitments in the proof, instead of only the challenges, makes every check a linear
equation in group elements, so any number of proofs fold into one MSM (``fold.Fold``). A 0/1
selection is the range {0, 1}; a contest limit is a range over the sum of its selections.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from voting.crypto.curve import Q
from voting.crypto.election import ElectionContext
from voting.crypto.errors import EncodingError, VerificationError
from voting.crypto.fold import Fold, weight
from voting.crypto.group import (
    Point,
    Scalar,
    point_from_hex,
    point_to_hex,
    scalar_from_hex,
    scalar_to_hex,
)
from voting.crypto.hashing import hash_to_scalar


@dataclass(frozen=True, slots=True)
class Branch:
    a: Point
    b: Point
    c: Scalar
    v: Scalar

    def to_json(self) -> dict:
        return {
            "a": point_to_hex(self.a),
            "b": point_to_hex(self.b),
            "c": scalar_to_hex(self.c),
            "v": scalar_to_hex(self.v),
        }

    @classmethod
    def from_json(cls, obj: dict) -> "Branch":
        if not isinstance(obj, dict) or set(obj) != {"a", "b", "c", "v"}:
            raise EncodingError("proof branch must be an object with exactly a, b, c, v")
        return cls(
            point_from_hex(obj["a"]),
            point_from_hex(obj["b"]),
            scalar_from_hex(obj["c"]),
            scalar_from_hex(obj["v"]),
        )


@dataclass(frozen=True, slots=True)
class RangeProof:
    branches: tuple[Branch, ...]

    def to_json(self) -> list:
        return [b.to_json() for b in self.branches]

    @classmethod
    def from_json(cls, obj: list) -> "RangeProof":
        if not isinstance(obj, list) or not obj:
            raise EncodingError("range proof must be a non-empty list of branches")
        return cls(tuple(Branch.from_json(b) for b in obj))

    def commitment_parts(self) -> list[bytes]:
        parts = []
        for br in self.branches:
            parts.append(br.a.to_evm())
            parts.append(br.b.to_evm())
        return parts


def prove_range(
    ctx: ElectionContext,
    *,
    tag: str,
    statement: Sequence[bytes],
    value: int,
    nonce: int,
    lo: int,
    hi: int,
) -> RangeProof:
    """Prove that Enc(value; nonce) encrypts a value in lo..hi (value must be in range).

    ``statement`` are the hash parts that fix what is proven (see ``ballot.statement_*``); the
    commitments are appended to them for the challenge.
    """
    if not lo <= value <= hi:
        raise ValueError(f"value {value} is outside the range {lo}..{hi}")
    g, k = ctx.g, ctx.k
    be = ctx.backend
    sims: dict[int, tuple[Scalar, Scalar]] = {}
    commitments: list[tuple[Point, Point]] = []
    u = Scalar.random()
    for j in range(lo, hi + 1):
        if j == value:
            commitments.append((g.mul(u), k.mul(u)))
            continue
        c, v = Scalar.random(), Scalar.random()
        sims[j] = (c, v)
        # a = v*G - c*alpha and b = v*K - c*(beta - j*G), written with the known nonce so that
        # only fixed-base multiplications are needed.
        t = (v - c * nonce) % Q
        a = g.mul(t)
        b = be.add(k.mul(t), g.mul(-c * (value - j) % Q))
        commitments.append((a, b))
    parts = [p for a, b in commitments for p in (a.to_evm(), b.to_evm())]
    challenge = hash_to_scalar(tag, *statement, *parts)
    c_real = (challenge - sum(c for c, _ in sims.values())) % Q
    branches = []
    for idx, j in enumerate(range(lo, hi + 1)):
        a, b = commitments[idx]
        if j == value:
            branches.append(Branch(a, b, Scalar(c_real), Scalar((u + c_real * nonce) % Q)))
        else:
            c, v = sims[j]
            branches.append(Branch(a, b, c, v))
    return RangeProof(tuple(branches))


def check_range_challenge(
    proof: RangeProof, *, tag: str, statement: Sequence[bytes], lo: int, hi: int, where: str
) -> None:
    """The non-linear part of verification: branch count and the challenge sum."""
    if len(proof.branches) != hi - lo + 1:
        raise VerificationError(
            f"{where}: range proof has {len(proof.branches)} branches, expected {hi - lo + 1}"
        )
    challenge = hash_to_scalar(tag, *statement, *proof.commitment_parts())
    if sum(br.c for br in proof.branches) % Q != challenge:
        raise VerificationError(f"{where}: range proof challenge mismatch")


def fold_range_proof(fold: Fold, proof: RangeProof, lo: int) -> tuple[int, int]:
    """Add the proof's 2*(hi-lo+1) equations to ``fold`` with random weights.

    Returns the coefficients that alpha and beta receive; the caller adds those points (or, for a
    contest, every selection's alpha and beta) to the fold itself.
    """
    alpha_coeff = 0
    beta_coeff = 0
    for idx, br in enumerate(proof.branches):
        j = lo + idx
        w1 = weight()
        w2 = weight()
        fold.g += w1 * br.v + w2 * br.c * j
        fold.k += w2 * br.v
        fold.add(br.a, -w1)
        fold.add(br.b, -w2)
        alpha_coeff -= w1 * br.c
        beta_coeff -= w2 * br.c
    return alpha_coeff % Q, beta_coeff % Q


def explain_range_proof(
    ctx: ElectionContext, proof: RangeProof, alpha: Point, beta: Point, lo: int, where: str
) -> None:
    """Check each equation on its own and raise naming the first false one (slow path)."""
    be = ctx.backend
    for idx, br in enumerate(proof.branches):
        j = lo + idx
        if ctx.g.mul(br.v) != be.add(br.a, be.mul(alpha, br.c)):
            raise VerificationError(f"{where}: range proof equation for value {j} fails (alpha)")
        shifted = be.add(beta, ctx.g.mul(-j % Q))
        if ctx.k.mul(br.v) != be.add(br.b, be.mul(shifted, br.c)):
            raise VerificationError(f"{where}: range proof equation for value {j} fails (beta)")


@dataclass(frozen=True, slots=True)
class DlogEqualityProof:
    """Chaum-Pedersen: log_G(X) == log_H(Y) with commitments a = u*G, b = u*H, v = u + c*x."""

    a: Point
    b: Point
    v: Scalar

    def to_json(self) -> dict:
        return {"a": point_to_hex(self.a), "b": point_to_hex(self.b), "v": scalar_to_hex(self.v)}

    @classmethod
    def from_json(cls, obj: dict) -> "DlogEqualityProof":
        if not isinstance(obj, dict) or set(obj) != {"a", "b", "v"}:
            raise EncodingError("Chaum-Pedersen proof must be an object with exactly a, b, v")
        # b = u*H is the identity exactly when H is (a decryption of an empty tally slot), and a
        # proof with b at the identity is no easier to forge: the challenge still binds b.
        return cls(
            point_from_hex(obj["a"]),
            point_from_hex(obj["b"], allow_identity=True),
            scalar_from_hex(obj["v"]),
        )


@dataclass(frozen=True, slots=True)
class SchnorrProof:
    """Knowledge of x with X = x*G: commitment h = u*G, response v = u + c*x."""

    h: Point
    v: Scalar

    def to_json(self) -> dict:
        return {"h": point_to_hex(self.h), "v": scalar_to_hex(self.v)}

    @classmethod
    def from_json(cls, obj: dict) -> "SchnorrProof":
        if not isinstance(obj, dict) or set(obj) != {"h", "v"}:
            raise EncodingError("Schnorr proof must be an object with exactly h, v")
        return cls(point_from_hex(obj["h"]), scalar_from_hex(obj["v"]))
