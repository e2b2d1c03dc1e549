"""Exponential ElGamal on BN254 G1: Enc_K(m; r) = (alpha, beta) = (r*G, m*G + r*K).

Adding ciphertexts adds plaintexts, which is what makes a homomorphic tally possible; decrypting
yields m*G, and m is recovered by a bounded discrete-log search (``decode``).
"""

from dataclasses import dataclass

from voting.crypto.backend import FixedBase
from voting.crypto.errors import EncodingError
from voting.crypto.group import Point, point_from_hex, point_to_hex


@dataclass(frozen=True, slots=True)
class Ciphertext:
    alpha: Point
    beta: Point

    def to_json(self) -> dict:
        return {"alpha": point_to_hex(self.alpha), "beta": point_to_hex(self.beta)}

    @classmethod
    def from_json(cls, obj: dict, *, allow_identity: bool = False) -> "Ciphertext":
        if not isinstance(obj, dict):
            raise EncodingError("ciphertext must be an object with 'alpha' and 'beta'")
        return cls(
            point_from_hex(obj.get("alpha"), allow_identity=allow_identity),
            point_from_hex(obj.get("beta"), allow_identity=allow_identity),
        )


def encrypt(g: FixedBase, k: FixedBase, m: int, r: int) -> Ciphertext:
    """Encrypt the small integer ``m`` with nonce ``r`` (both as given; the caller samples r)."""
    alpha = g.mul(r)
    beta = g.mul(m) + k.mul(r) if m else k.mul(r)
    return Ciphertext(alpha, beta)
