"""Homomorphic tally, partial decryptions with proofs, and their combination and verification.

- ``aggregate``: per selection, (A, B) = sum_i w_i * (alpha_i, beta_i) over the ballots (w_i = 1
  unless ballot weights are given).
- ``partial_decrypt``: trustee l publishes M_l = s_l * A for every selection with a Chaum-Pedersen
  proof that log_G(S_l) == log_A(M_l).
- ``combine``: with any set T of at least k trustees, M = sum_{l in T} w_l * M_l where w_l are the
  Lagrange coefficients at 0 for T; missing trustees are thereby compensated. Then B - M = m*G.
- ``decrypt_tally`` decodes m by baby-step giant-step; ``verify_tally`` re-checks a published
  result: every proof, the combination, and m*G == B - M for the claimed counts.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from voting.crypto.ballot import EncryptedBallot
from voting.crypto.curve import Q
from voting.crypto.decode import DiscreteLog
from voting.crypto.election import ElectionContext
from voting.crypto.elgamal import Ciphertext
from voting.crypto.errors import DecryptionError, VerificationError
from voting.crypto.group import Point, Scalar, point_from_hex, point_to_hex
from voting.crypto.hashing import TAG_DECRYPTION, hash_to_scalar
from voting.crypto.proofs import DlogEqualityProof
from voting.crypto.strict import U32_MAX, int_field, list_field, require, str_field
from voting.crypto.threshold import TrusteePublic, lagrange_at_zero, public_key_share

Counts = dict[str, dict[str, int]]


@dataclass(frozen=True)
class EncryptedTally:
    """Sum of the ballots: ``contests[i] = (contest_id, ((selection_id, Ciphertext), ...))``."""

    contests: tuple[tuple[str, tuple[tuple[str, Ciphertext], ...]], ...]
    ballots: int
    max_weight: int = 1

    def slots(self) -> list[tuple[str, str, Ciphertext]]:
        return [(cid, sid, ct) for cid, sels in self.contests for sid, ct in sels]

    def to_json(self) -> dict:
        return {
            "ballots": self.ballots,
            "max_weight": self.max_weight,
            "contests": [
                {"id": cid, "selections": [{"id": sid, **ct.to_json()} for sid, ct in sels]}
                for cid, sels in self.contests
            ],
        }

    @classmethod
    def from_json(cls, obj: dict) -> "EncryptedTally":
        require(obj, ("ballots", "contests"), "encrypted tally")
        ballots = int_field(obj["ballots"], "encrypted tally ballots")
        max_weight = int_field(obj.get("max_weight", 1), "encrypted tally max_weight", 1)
        contests = []
        for c in list_field(obj["contests"], "encrypted tally contests"):
            require(c, ("id", "selections"), "encrypted tally contest")
            cid = str_field(c["id"], "encrypted tally contest id")
            selections = []
            for s in list_field(c["selections"], f"encrypted tally contest {cid!r} selections"):
                require(s, ("id",), f"encrypted tally contest {cid!r} selection")
                sid = str_field(s["id"], f"encrypted tally contest {cid!r} selection id")
                selections.append((sid, Ciphertext.from_json(s, allow_identity=True)))
            contests.append((cid, tuple(selections)))
        return cls(tuple(contests), ballots, max_weight)


def aggregate(
    ctx: ElectionContext,
    ballots: Sequence[EncryptedBallot],
    weights: Sequence[int] | None = None,
) -> EncryptedTally:
    """Homomorphic sum of (already verified) ballots, optionally weighted per ballot."""
    if weights is not None and len(weights) != len(ballots):
        raise ValueError("need one weight per ballot")
    if weights is not None and any(w < 0 for w in weights):
        raise ValueError("ballot weights must be non-negative")
    be = ctx.backend
    contests = []
    for ci, contest in enumerate(ctx.contests):
        sels = []
        for si, sid in enumerate(contest.selections):
            alphas = [b.contests[ci].selections[si].ciphertext.alpha for b in ballots]
            betas = [b.contests[ci].selections[si].ciphertext.beta for b in ballots]
            if weights is None:
                ct = Ciphertext(be.sum(alphas), be.sum(betas))
            else:
                ct = Ciphertext(be.msm(alphas, weights), be.msm(betas, weights))
            sels.append((sid, ct))
        contests.append((contest.id, tuple(sels)))
    max_weight = max(weights, default=1) if weights is not None else 1
    return EncryptedTally(tuple(contests), len(ballots), max_weight)


def add_tallies(ctx: ElectionContext, tallies: Sequence[EncryptedTally]) -> EncryptedTally:
    """Sum partial tallies (e.g. one per worker chunk) into one; ballots counts add up."""
    if not tallies:
        return aggregate(ctx, [])
    be = ctx.backend
    shapes = {tuple((cid, tuple(s for s, _ in sels)) for cid, sels in t.contests) for t in tallies}
    if len(shapes) != 1:
        raise ValueError("tallies to add must have the same contests and selections")
    contests = []
    for ci, (cid, sels) in enumerate(tallies[0].contests):
        summed = []
        for si, (sid, _) in enumerate(sels):
            cts = [t.contests[ci][1][si][1] for t in tallies]
            alpha = be.sum([ct.alpha for ct in cts])
            summed.append((sid, Ciphertext(alpha, be.sum([ct.beta for ct in cts]))))
        contests.append((cid, tuple(summed)))
    return EncryptedTally(
        tuple(contests),
        sum(t.ballots for t in tallies),
        max(t.max_weight for t in tallies),
    )


def verify_aggregate(
    ctx: ElectionContext,
    ballots: Sequence[EncryptedBallot],
    tally: EncryptedTally,
    weights: Sequence[int] | None = None,
) -> None:
    """Raise ``VerificationError`` unless ``tally`` is exactly the (weighted) sum of ``ballots``."""
    expected = aggregate(ctx, ballots, weights)
    if tally.ballots != expected.ballots or tally.max_weight != expected.max_weight:
        raise VerificationError(
            f"tally claims {tally.ballots} ballot(s) (max weight {tally.max_weight}); "
            f"the record has {expected.ballots} (max weight {expected.max_weight})"
        )
    if [(c, s) for c, s, _ in tally.slots()] != [(c, s) for c, s, _ in expected.slots()]:
        raise VerificationError("tally contests and selections do not match the manifest")
    for (cid, sid, got), (_, _, want) in zip(tally.slots(), expected.slots(), strict=True):
        if got != want:
            raise VerificationError(
                f"contest {cid!r} selection {sid!r}: tally ciphertext is not the sum of the ballots"
            )


@dataclass(frozen=True)
class PartialDecryption:
    """Trustee ``trustee``'s M_l and proof for each slot of the tally, in tally order."""

    trustee: int
    shares: tuple[tuple[Point, DlogEqualityProof], ...]

    def to_json(self) -> dict:
        return {
            "trustee": self.trustee,
            "shares": [{"m": point_to_hex(m), "proof": p.to_json()} for m, p in self.shares],
        }

    @classmethod
    def from_json(cls, obj: dict) -> "PartialDecryption":
        require(obj, ("trustee", "shares"), "partial decryption")
        trustee = int_field(obj["trustee"], "partial decryption trustee", 1, U32_MAX)
        shares = []
        for s in list_field(obj["shares"], "partial decryption shares"):
            require(s, ("m", "proof"), "partial decryption share")
            m = point_from_hex(s["m"], allow_identity=True)
            shares.append((m, DlogEqualityProof.from_json(s["proof"])))
        return cls(trustee, tuple(shares))


def _challenge(ctx: ElectionContext, trustee: int, share: Point, alpha: Point, m: Point, a, b):
    return hash_to_scalar(
        TAG_DECRYPTION,
        ctx.fingerprint,
        trustee.to_bytes(4, "big"),
        share.to_evm(),
        alpha.to_evm(),
        m.to_evm(),
        a.to_evm(),
        b.to_evm(),
    )


def partial_decrypt(
    ctx: ElectionContext, tally: EncryptedTally, trustee: int, key_share: Scalar
) -> PartialDecryption:
    be = ctx.backend
    public_share = ctx.g.mul(key_share)
    shares = []
    for _, _, ct in tally.slots():
        m = be.mul(ct.alpha, key_share)
        u = Scalar.random()
        a, b = ctx.g.mul(u), be.mul(ct.alpha, u)
        c = _challenge(ctx, trustee, public_share, ct.alpha, m, a, b)
        shares.append((m, DlogEqualityProof(a, b, Scalar((u + c * key_share) % Q))))
    return PartialDecryption(trustee, tuple(shares))


def verify_partial_decryption(
    ctx: ElectionContext, tally: EncryptedTally, partial: PartialDecryption, public_share: Point
) -> None:
    """Raise ``VerificationError`` naming the trustee and slot whose proof fails."""
    be = ctx.backend
    slots = tally.slots()
    if len(partial.shares) != len(slots):
        raise VerificationError(f"trustee {partial.trustee}: partial decryption has wrong length")
    for (cid, sid, ct), (m, proof) in zip(slots, partial.shares, strict=True):
        c = _challenge(ctx, partial.trustee, public_share, ct.alpha, m, proof.a, proof.b)
        ok_g = ctx.g.mul(proof.v) == be.add(proof.a, be.mul(public_share, c))
        ok_a = be.mul(ct.alpha, proof.v) == be.add(proof.b, be.mul(m, c))
        if not (ok_g and ok_a):
            raise VerificationError(
                f"trustee {partial.trustee}: decryption proof for contest {cid!r} selection "
                f"{sid!r} does not verify"
            )


def combine(
    ctx: ElectionContext,
    tally: EncryptedTally,
    partials: Sequence[PartialDecryption],
    threshold: int,
) -> list[Point]:
    """m*G for each slot from at least ``threshold`` partial decryptions (not re-verified here)."""
    indexes = [p.trustee for p in partials]
    if len(set(indexes)) < threshold:
        raise DecryptionError(
            f"{len(set(indexes))} trustee(s) decrypted; at least {threshold} are needed"
        )
    chosen = {p.trustee: p for p in partials}
    weights = lagrange_at_zero(sorted(chosen))
    be = ctx.backend
    out = []
    for slot, (_, _, ct) in enumerate(tally.slots()):
        points = [chosen[i].shares[slot][0] for i in sorted(chosen)]
        mask = be.msm(points, [weights[i] for i in sorted(chosen)])
        out.append(be.add(ct.beta, -mask))
    return out


def _check_all(ctx, tally, partials, publics: Sequence[TrusteePublic]) -> None:
    by_index = {p.index: p for p in publics}
    for partial in partials:
        if partial.trustee not in by_index:
            raise VerificationError(f"partial decryption from unknown trustee {partial.trustee}")
        share = public_key_share(publics, partial.trustee, ctx.backend)
        verify_partial_decryption(ctx, tally, partial, share)


def count_bound(tally: EncryptedTally, ctx: ElectionContext) -> int:
    per_selection = max(c.max_per_selection for c in ctx.contests)
    return tally.ballots * tally.max_weight * per_selection


def decrypt_tally(
    ctx: ElectionContext,
    tally: EncryptedTally,
    partials: Sequence[PartialDecryption],
    publics: Sequence[TrusteePublic],
    threshold: int,
) -> Counts:
    """Verify every partial decryption, combine them and decode the counts."""
    _check_all(ctx, tally, partials, publics)
    points = combine(ctx, tally, partials, threshold)
    dlog = DiscreteLog(count_bound(tally, ctx))
    counts: Counts = {}
    for (cid, sid, _), point in zip(tally.slots(), points, strict=True):
        counts.setdefault(cid, {})[sid] = dlog.solve(point)
    return counts


def verify_tally(
    ctx: ElectionContext,
    tally: EncryptedTally,
    partials: Sequence[PartialDecryption],
    publics: Sequence[TrusteePublic],
    threshold: int,
    counts: Mapping[str, Mapping[str, int]],
) -> None:
    """Re-check a published result; raise ``VerificationError`` naming what does not hold."""
    _check_all(ctx, tally, partials, publics)
    try:
        points = combine(ctx, tally, partials, threshold)
    except DecryptionError as exc:
        raise VerificationError(str(exc)) from exc
    slots = tally.slots()
    published = {(c, s) for c, sels in counts.items() for s in sels}
    if published != {(c, s) for c, s, _ in slots}:
        raise VerificationError("published counts do not name exactly the tally's selections")
    bound = count_bound(tally, ctx)
    for (cid, sid, _), point in zip(slots, points, strict=True):
        claimed = counts[cid][sid]
        if not isinstance(claimed, int) or isinstance(claimed, bool) or not 0 <= claimed <= bound:
            raise VerificationError(
                f"contest {cid!r} selection {sid!r}: published count is not an integer 0..{bound}"
            )
        if ctx.g.mul(claimed) != point:
            raise VerificationError(
                f"contest {cid!r} selection {sid!r}: published count {claimed} does not match "
                "the decryption"
            )
