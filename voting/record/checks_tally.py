"""Checks 32-38 of spec §5: the encrypted tally, the partial decryptions and the result."""

from voting.crypto import (
    CryptoError,
    EncryptedTally,
    PartialDecryption,
    combine,
    public_key_share,
    verify_aggregate,
    verify_partial_decryption,
)
from voting.record.format import CheckFailed, exact_keys, integer, listing
from voting.record.state import State


def _slots(s: State) -> list[tuple[str, str]]:
    return [(c.id, sid) for c in s.contests for sid in c.selections]


def tally_format(s: State) -> str:
    tally = exact_keys(s.section("tally"), ("ballots", "max_weight", "contests"), "tally")
    integer(tally["ballots"], "tally.ballots")
    integer(tally["max_weight"], "tally.max_weight", 1)
    names = []
    for ci, c in enumerate(listing(tally["contests"], "tally.contests")):
        exact_keys(c, ("id", "selections"), f"tally.contests[{ci}]")
        for si, sel in enumerate(listing(c["selections"], f"tally.contests[{ci}].selections")):
            exact_keys(sel, ("id", "alpha", "beta"), f"tally.contests[{ci}].selections[{si}]")
            names.append((c["id"], sel["id"]))
    if names != _slots(s):
        raise CheckFailed("tally.contests do not name the manifest's contests and selections")
    s.tally = EncryptedTally.from_json(tally)
    return f"{len(names)} selection(s), {s.tally.ballots} ballot(s)"


def tally_aggregate(s: State) -> str:
    assert s.ctx is not None and s.tally is not None
    positions = s.counted()
    items = s.section("ballots")
    weights = [s.roll.get(items[i]["alias"], 1) for i in positions]
    try:
        verify_aggregate(
            s.ctx,
            [s.ballots[i] for i in positions],
            s.tally,
            None if all(w == 1 for w in weights) else weights,
        )
    except CryptoError as exc:
        raise CheckFailed(f"tally: {exc}") from None
    return f"the sum of {len(positions)} counted ballot(s)"


def decryption_format(s: State) -> str:
    partials = listing(s.section("decryptions"), "decryptions")
    slots = len(_slots(s))
    decoded = []
    previous = 0
    for i, p in enumerate(partials):
        where = f"decryptions[{i}]"
        exact_keys(p, ("trustee", "shares"), where)
        index = integer(p["trustee"], f"{where}.trustee", 1, len(s.trustees))
        if index <= previous:
            raise CheckFailed(f"{where}.trustee is repeated or out of order")
        previous = index
        shares = listing(p["shares"], f"{where}.shares")
        if len(shares) != slots:
            raise CheckFailed(f"{where} must have one share per tally selection ({slots})")
        for j, share in enumerate(shares):
            exact_keys(share, ("m", "proof"), f"{where}.shares[{j}]")
            exact_keys(share["proof"], ("a", "b", "v"), f"{where}.shares[{j}].proof")
        decoded.append(PartialDecryption.from_json(p))
    if len(decoded) < s.threshold:
        raise CheckFailed(f"{len(decoded)} trustee(s) decrypted; the threshold is {s.threshold}")
    s.partials = decoded
    return "trustees " + ", ".join(str(p.trustee) for p in decoded)


def decryption_partial(s: State, partial: PartialDecryption) -> str:
    assert s.ctx is not None and s.tally is not None
    share = public_key_share(s.trustees, partial.trustee)
    try:
        verify_partial_decryption(s.ctx, s.tally, partial, share)
    except CryptoError as exc:
        raise CheckFailed(f"decryptions: {exc}") from None
    return f"{len(partial.shares)} proof(s) verify"


def result_format(s: State) -> str:
    result = exact_keys(s.section("result"), ("ballots", "counts"), "result")
    integer(result["ballots"], "result.ballots")
    counts = result["counts"]
    if not isinstance(counts, dict) or set(counts) != {c.id for c in s.contests}:
        raise CheckFailed("result.counts must name exactly the manifest's contests")
    for contest in s.contests:
        sels = counts[contest.id]
        if not isinstance(sels, dict) or set(sels) != set(contest.selections):
            raise CheckFailed(f"result.counts.{contest.id} must name exactly its selections")
        for sid in contest.selections:
            integer(sels[sid], f"result.counts.{contest.id}.{sid}")
    s.counts = counts
    return "counts for every selection"


def result_ballots(s: State) -> str:
    counted = len(s.counted())
    if s.section("result")["ballots"] != counted:
        raise CheckFailed(f"result.ballots is not the number of counted ballots ({counted})")
    return f"{counted} counted ballot(s)"


def result_counts(s: State, valid: list[PartialDecryption]) -> str:
    """count*G == B - sum(lambda_l M_l), using the partial decryptions whose proofs hold."""
    assert s.ctx is not None and s.tally is not None
    if len(valid) < s.threshold:
        raise CheckFailed(
            f"only {len(valid)} partial decryption(s) verify; the threshold is {s.threshold}"
        )
    points = combine(s.ctx, s.tally, valid, s.threshold)
    bound = s.tally.ballots * s.tally.max_weight * max(c.max_per_selection for c in s.contests)
    for (cid, sid), point in zip(_slots(s), points, strict=True):
        claimed = s.counts[cid][sid]
        if claimed > bound:
            raise CheckFailed(f"result.counts.{cid}.{sid} exceeds the largest possible {bound}")
        if s.ctx.g.mul(claimed) != point:
            raise CheckFailed(
                f"result.counts.{cid}.{sid} = {claimed} is not the decryption of the tally"
            )
    return "every count is the decryption of the tally by trustees " + ", ".join(
        str(p.trustee) for p in valid
    )
