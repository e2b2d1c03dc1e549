"""k-of-n threshold key generation with Feldman verifiable secret sharing.

Each trustee i (numbered 1..n) draws a random polynomial f_i of degree k-1 with coefficients
a_i0..a_i(k-1), publishes the commitments K_ij = a_ij * G with a Schnorr proof of knowledge for
each, and sends f_i(l) to every other trustee l inside an encrypted box (``sharebox``). Trustee l
checks each received value against the sender's commitments,

    f_i(l) * G == sum_j l^j * K_ij,

and a mismatch names the sender. Trustee l's key share is s_l = sum_i f_i(l); the joint public key
is K = sum_i K_i0 and its secret sum_i a_i0 is never held by anyone. Anyone can compute each
trustee's public share S_l = s_l * G = sum_i sum_j l^j * K_ij from the published commitments, which
is what partial decryptions are checked against.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from voting.crypto.backend import FAST, Backend
from voting.crypto.curve import Q
from voting.crypto.errors import ShareError, VerificationError
from voting.crypto.group import G, Point, Scalar, point_from_hex, point_to_hex
from voting.crypto.hashing import TAG_COEFFICIENT, hash_to_scalar
from voting.crypto.proofs import SchnorrProof
from voting.crypto.sharebox import EncryptedShare, new_box_key, open_share, seal_share
from voting.crypto.strict import U32_MAX, hex_field, int_field, list_field, require, str_field


@dataclass(frozen=True)
class TrusteePublic:
    """What a trustee publishes in the key ceremony."""

    index: int
    name: str
    commitments: tuple[Point, ...]
    proofs: tuple[SchnorrProof, ...]
    box_key: bytes

    def to_json(self) -> dict:
        return {
            "index": self.index,
            "name": self.name,
            "commitments": [point_to_hex(p) for p in self.commitments],
            "proofs": [p.to_json() for p in self.proofs],
            "box_key": self.box_key.hex(),
        }

    @classmethod
    def from_json(cls, obj: dict) -> "TrusteePublic":
        require(obj, _TRUSTEE_KEYS, "trustee record")
        return cls(
            int_field(obj["index"], "trustee index", 1, U32_MAX),
            str_field(obj["name"], "trustee name"),
            tuple(point_from_hex(p) for p in list_field(obj["commitments"], "trustee commitments")),
            tuple(SchnorrProof.from_json(p) for p in list_field(obj["proofs"], "trustee proofs")),
            hex_field(obj["box_key"], "trustee box key", 32),
        )


_TRUSTEE_KEYS = ("index", "name", "commitments", "proofs", "box_key")


@dataclass(frozen=True)
class TrusteeSecret:
    """What a trustee keeps to itself: its polynomial and its box secret key."""

    index: int
    name: str
    coefficients: tuple[Scalar, ...]
    box_secret: bytes


def _coefficient_challenge(ceremony: bytes, index: int, j: int, commitment: Point, h: Point):
    return hash_to_scalar(
        TAG_COEFFICIENT,
        ceremony,
        index.to_bytes(4, "big"),
        j.to_bytes(4, "big"),
        commitment.to_evm(),
        h.to_evm(),
    )


def generate_trustee(
    ceremony: bytes, index: int, name: str, threshold: int, backend: Backend = FAST
) -> tuple[TrusteeSecret, TrusteePublic]:
    """A trustee's polynomial, commitments with proofs, and share-box key pair."""
    if index < 1 or threshold < 1:
        raise ValueError("trustee indexes start at 1 and the threshold is at least 1")
    g = backend.fixed(G)
    coefficients = tuple(Scalar.random_nonzero() for _ in range(threshold))
    commitments = []
    proofs = []
    for j, a in enumerate(coefficients):
        commitment = g.mul(a)
        u = Scalar.random()
        h = g.mul(u)
        c = _coefficient_challenge(ceremony, index, j, commitment, h)
        commitments.append(commitment)
        proofs.append(SchnorrProof(h, Scalar((u + c * a) % Q)))
    box_secret, box_key = new_box_key()
    secret = TrusteeSecret(index, name, coefficients, box_secret)
    return secret, TrusteePublic(index, name, tuple(commitments), tuple(proofs), box_key)


def verify_trustee_public(
    ceremony: bytes, public: TrusteePublic, threshold: int, backend: Backend = FAST
) -> None:
    """Check the commitment count and every Schnorr proof; raise ``ShareError`` naming the trustee."""
    if len(public.commitments) != threshold or len(public.proofs) != threshold:
        raise ShareError(public.index, public.name, f"must publish {threshold} commitments")
    g = backend.fixed(G)
    for j, (commitment, proof) in enumerate(zip(public.commitments, public.proofs, strict=True)):
        c = _coefficient_challenge(ceremony, public.index, j, commitment, proof.h)
        if g.mul(proof.v) != backend.add(proof.h, backend.mul(commitment, c)):
            raise ShareError(
                public.index, public.name, f"Schnorr proof for coefficient {j} does not verify"
            )


def evaluate(coefficients: Sequence[int], x: int) -> Scalar:
    acc = 0
    for a in reversed(coefficients):
        acc = (acc * x + a) % Q
    return Scalar(acc)


def committed_value(commitments: Sequence[Point], x: int, backend: Backend = FAST) -> Point:
    """sum_j x^j * K_j: the public image f(x) * G of a committed polynomial."""
    return backend.msm(commitments, [pow(x, j, Q) for j in range(len(commitments))])


def deal_shares(
    ceremony: bytes, secret: TrusteeSecret, recipients: Sequence[TrusteePublic]
) -> list[EncryptedShare]:
    """One sealed share f_i(l) for every other trustee l."""
    return [
        seal_share(
            ceremony, secret.index, r.index, r.box_key, evaluate(secret.coefficients, r.index)
        )
        for r in recipients
        if r.index != secret.index
    ]


def check_share(sender: TrusteePublic, recipient: int, value: int, backend: Backend = FAST) -> None:
    """Raise ``ShareError`` naming the sender unless value * G matches its commitments."""
    if backend.fixed(G).mul(value) != committed_value(sender.commitments, recipient, backend):
        raise ShareError(
            sender.index,
            sender.name,
            f"share for trustee {recipient} does not match the published commitments",
        )


def receive_share(
    ceremony: bytes,
    recipient: TrusteeSecret,
    sender: TrusteePublic,
    share: EncryptedShare,
    backend: Backend = FAST,
) -> Scalar:
    """Open a sealed share addressed to ``recipient`` and check it against the sender's record."""
    if share.sender != sender.index or share.recipient != recipient.index:
        raise ShareError(sender.index, sender.name, "share is addressed to someone else")
    try:
        value = open_share(ceremony, recipient.box_secret, share)
    except VerificationError as exc:
        raise ShareError(sender.index, sender.name, str(exc)) from exc
    check_share(sender, recipient.index, value, backend)
    return value


def combine_key_share(secret: TrusteeSecret, received: Mapping[int, int]) -> Scalar:
    """Trustee l's key share s_l = f_l(l) + sum of the verified shares received from the others."""
    return Scalar((evaluate(secret.coefficients, secret.index) + sum(received.values())) % Q)


def joint_public_key(publics: Sequence[TrusteePublic], backend: Backend = FAST) -> Point:
    return backend.sum([p.commitments[0] for p in publics])


def public_key_share(
    publics: Sequence[TrusteePublic], index: int, backend: Backend = FAST
) -> Point:
    """S_l = s_l * G, computed from the commitments alone."""
    points = [c for p in publics for c in p.commitments]
    scalars = [pow(index, j, Q) for p in publics for j in range(len(p.commitments))]
    return backend.msm(points, scalars)


def lagrange_at_zero(indexes: Sequence[int]) -> dict[int, Scalar]:
    """Coefficients w_l with f(0) = sum_l w_l * f(l) for any polynomial of degree < len(indexes)."""
    if len(set(indexes)) != len(indexes) or any(i < 1 or i >= Q for i in indexes):
        raise ValueError("Lagrange indexes must be distinct and in 1..q-1")
    out = {}
    for i in indexes:
        num, den = 1, 1
        for j in indexes:
            if j != i:
                num = num * j % Q
                den = den * (j - i) % Q
        out[i] = Scalar(num * pow(den, -1, Q) % Q)
    return out
