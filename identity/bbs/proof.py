"""BBS proofs of knowledge of a signature, disclosing a chosen subset of the messages.

ProofGen randomises the signature into (Abar, Bbar, D) and proves in zero knowledge that they
come from a valid signature over the disclosed messages and some hidden ones; ProofVerify checks
the Schnorr-style responses against a Fiat-Shamir challenge bound to the presentation header,
then one pairing-product equation e(Abar, W) * e(Bbar, -BP2) == 1.

Proof bytes: Abar || Bbar || D (48 bytes each) || e^ || r1^ || r3^ || m^_j... || c (32 each).
"""

import secrets
from collections.abc import Callable, Sequence

from gmpy2 import invert

from . import g1, g2, suite
from .errors import BBSError, EncodingError, InvalidProof
from .g1 import G1Point
from .pairing import pairing_product_is_one
from .signature import decode_signature
from .suite import API_ID, SCALAR_LENGTH, R, i2osp, scalar_to_bytes

RandomScalars = Callable[[int], Sequence[int]]
_POINTS_LENGTH = 3 * g1.POINT_LENGTH
MIN_PROOF_LENGTH = _POINTS_LENGTH + 4 * SCALAR_LENGTH


def calculate_random_scalars(count: int) -> list[int]:
    """Uniform scalars in 1..r-1 from the operating system's CSPRNG."""
    return [1 + secrets.randbelow(R - 1) for _ in range(count)]


def _check_indexes(indexes: Sequence[int], total: int, what: str) -> list[int]:
    checked = [int(i) for i in indexes]
    for position, index in enumerate(checked):
        if not 0 <= index < total:
            raise BBSError(f"{what}: index {index} is outside 0..{total - 1}")
        if position and index <= checked[position - 1]:
            raise BBSError(f"{what}: indexes must be strictly ascending, got {checked}")
    return checked


def _challenge(
    points: Sequence[G1Point],
    domain: int,
    indexes: Sequence[int],
    scalars: Sequence[int],
    presentation_header: bytes,
) -> int:
    """c = hash_to_scalar(R || (i, m_i)... || Abar, Bbar, D, T1, T2 || domain || ph)."""
    items: list[G1Point | int | bytes] = [i2osp(len(indexes), 8)]
    for index, scalar in zip(indexes, scalars, strict=True):
        items += [i2osp(index, 8), scalar]
    items += [*points, domain]
    octets = suite.serialize(items) + i2osp(len(presentation_header), 8) + presentation_header
    return suite.hash_to_scalar(octets, API_ID + b"H2S_")


def proof_gen(
    pk: bytes,
    signature: bytes,
    messages: Sequence[bytes],
    disclosed_indexes: Sequence[int],
    *,
    header: bytes = b"",
    presentation_header: bytes = b"",
    random_scalars: RandomScalars = calculate_random_scalars,
) -> bytes:
    """Derive an unlinkable proof that discloses ``messages[i]`` for i in ``disclosed_indexes``.

    ``random_scalars(n)`` must return n uniformly random scalars; it is a parameter only so the
    draft's mocked-randomness vectors can be reproduced. The signature is not re-verified here:
    a proof from a bad signature simply fails ProofVerify.
    """
    a, e = decode_signature(signature)
    g2.decode_public_key(pk)
    total = len(messages)
    disclosed = _check_indexes(disclosed_indexes, total, "disclosed_indexes")
    undisclosed = sorted(set(range(total)) - set(disclosed))
    scalars = suite.messages_to_scalars(messages)
    generators = suite.create_generators(total + 1)
    domain = suite.calculate_domain(pk, generators[0], generators[1:], header)

    randoms = [int(x) % R for x in random_scalars(5 + len(undisclosed))]
    if len(randoms) != 5 + len(undisclosed):
        raise BBSError("random_scalars returned the wrong number of scalars")
    r1, r2, e_tilde, r1_tilde, r3_tilde = randoms[:5]
    m_tilde = randoms[5:]
    if r1 == 0 or r2 == 0:
        raise BBSError("random_scalars returned zero for r1 or r2")

    b = suite.message_commitment_base(domain, generators, list(enumerate(scalars)))
    d = g1.mul(b, r2)
    a_bar = g1.mul(a, r1 * r2)
    b_bar = g1.multi_scalar_mul([d, a_bar], [r1, -e])
    t1 = g1.multi_scalar_mul([a_bar, d], [e_tilde, r1_tilde])
    t2 = g1.multi_scalar_mul([d, *(generators[1 + j] for j in undisclosed)], [r3_tilde, *m_tilde])
    c = _challenge(
        [a_bar, b_bar, d, t1, t2],
        domain,
        disclosed,
        [scalars[i] for i in disclosed],
        presentation_header,
    )
    r3 = int(invert(r2, R))
    responses = [
        (e_tilde + e * c) % R,
        (r1_tilde - r1 * c) % R,
        (r3_tilde - r3 * c) % R,
        *((mt + scalars[j] * c) % R for mt, j in zip(m_tilde, undisclosed, strict=True)),
    ]
    return b"".join(g1.encode(pt) for pt in (a_bar, b_bar, d)) + b"".join(
        scalar_to_bytes(s) for s in [*responses, c]
    )


def decode_proof(proof: bytes) -> tuple[list[G1Point], list[int]]:
    """Split a proof into its three points (none the identity) and its scalars (all in 1..r-1)."""
    if len(proof) < MIN_PROOF_LENGTH:
        raise EncodingError(f"proof: at least {MIN_PROOF_LENGTH} bytes, got {len(proof)}")
    if (len(proof) - _POINTS_LENGTH) % SCALAR_LENGTH:
        raise EncodingError("proof: length is not 3 points plus a whole number of scalars")
    points = []
    for name, offset in (("Abar", 0), ("Bbar", 48), ("D", 96)):
        point = g1.decode(proof[offset : offset + g1.POINT_LENGTH], f"proof {name}")
        if g1.is_identity(point):
            raise EncodingError(f"proof: {name} is the identity point")
        points.append(point)
    scalars = []
    for offset in range(_POINTS_LENGTH, len(proof), SCALAR_LENGTH):
        value = int.from_bytes(proof[offset : offset + SCALAR_LENGTH], "big")
        if not 0 < value < R:
            position = (offset - _POINTS_LENGTH) // SCALAR_LENGTH
            raise EncodingError(f"proof: scalar {position} is not in 1..r-1")
        scalars.append(value)
    return points, scalars


def proof_verify(
    pk: bytes,
    proof: bytes,
    disclosed_messages: Sequence[bytes],
    disclosed_indexes: Sequence[int],
    *,
    header: bytes = b"",
    presentation_header: bytes = b"",
) -> None:
    """Return if ``proof`` shows a signature by ``pk`` over messages including the disclosed ones.

    The total message count is read from the proof's length. Raises EncodingError for a
    malformed key or proof, BBSError for inconsistent disclosures, InvalidProof otherwise.
    """
    (a_bar, b_bar, d), scalars = decode_proof(proof)
    e_hat, r1_hat, r3_hat, *m_hat, c = scalars
    if len(disclosed_messages) != len(disclosed_indexes):
        raise BBSError(
            f"{len(disclosed_messages)} disclosed messages but "
            f"{len(disclosed_indexes)} disclosed indexes"
        )
    total = len(disclosed_indexes) + len(m_hat)
    disclosed = _check_indexes(disclosed_indexes, total, "disclosed_indexes")
    undisclosed = sorted(set(range(total)) - set(disclosed))
    prepared_w = g2.prepared_public_key(pk)
    disclosed_scalars = suite.messages_to_scalars(disclosed_messages)
    generators = suite.create_generators(total + 1)
    domain = suite.calculate_domain(pk, generators[0], generators[1:], header)

    t1 = g1.multi_scalar_mul([b_bar, a_bar, d], [c, e_hat, r1_hat])
    t2 = g1.multi_scalar_mul(
        [
            suite.P1,
            generators[0],
            *(generators[1 + i] for i in disclosed),
            d,
            *(generators[1 + j] for j in undisclosed),
        ],
        [c, domain * c, *(m * c for m in disclosed_scalars), r3_hat, *m_hat],
    )
    expected = _challenge(
        [a_bar, b_bar, d, t1, t2], domain, disclosed, disclosed_scalars, presentation_header
    )
    if expected != c:
        raise InvalidProof(
            "proof challenge mismatch: the disclosed messages, their indexes, the header, "
            "the presentation header or the issuer key differ from what was proven"
        )
    pairs = [(g1.to_affine(a_bar), prepared_w), (g1.to_affine(b_bar), g2.PREPARED_NEG_BP2)]
    if not pairing_product_is_one(pairs):
        raise InvalidProof("proof pairing check failed: not derived from a signature by this key")
