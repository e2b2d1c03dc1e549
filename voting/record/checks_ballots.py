"""Checks 19-30 of spec §5: cast ballots (batch-verified proofs, receipts, revotes) and audits."""

from voting.crypto import (
    BallotSecrets,
    CryptoError,
    EncodingError,
    EncryptedBallot,
    verify_audited_ballot,
)
from voting.crypto.verify import find_invalid_ballots
from voting.record.build import AUDITED, CAST, audited_payload, cast_payload
from voting.record.format import (
    CheckFailed,
    alias,
    exact_keys,
    hex64,
    integer,
    ledger_time,
    listing,
    string,
)
from voting.record.report import PASS, Runner
from voting.record.state import State

CAST_KEYS = ("alias", "ballot", "tracker", "cast_at", "superseded", "receipt")
AUDIT_KEYS = ("alias", "ballot", "tracker", "secrets", "audited_at", "receipt")
CHUNK = 2000  # ballots per folded MSM: bounded memory, progress between chunks


def _decode(wire: object, where: str) -> EncryptedBallot:
    try:
        return EncryptedBallot.from_json(wire)
    except EncodingError as exc:
        raise CheckFailed(f"{where}: {exc}") from None


def ballot_format(s: State, i: int) -> None:
    where = f"ballots[{i}]"
    item = exact_keys(s.section("ballots")[i], CAST_KEYS, where)
    alias(item["alias"], f"{where}.alias")
    hex64(item["tracker"], f"{where}.tracker")
    ledger_time(item["cast_at"], f"{where}.cast_at")
    if not isinstance(item["superseded"], bool):
        raise CheckFailed(f"{where}.superseded must be true or false")
    string(item["receipt"], f"{where}.receipt")
    s.ballots[i] = _decode(item["ballot"], f"{where}.ballot")


def ballot_voter(s: State, i: int) -> None:
    item = s.section("ballots")[i]
    if s.ballots[i].voter != item["alias"]:
        raise CheckFailed(f"ballots[{i}].ballot.voter is not ballots[{i}].alias")
    if item["alias"] not in s.roll:
        raise CheckFailed(f"ballots[{i}].alias is not on the roll")


def ballot_tracker(s: State, i: int) -> None:
    if s.ballots[i].tracker != s.section("ballots")[i]["tracker"]:
        raise CheckFailed(f"ballots[{i}].tracker is not the tracker of ballots[{i}].ballot")


def ballot_receipt(s: State, i: int) -> None:
    item = s.section("ballots")[i]
    where = f"ballots[{i}].receipt"
    proven = s.ledger.prove(item["receipt"], CAST, cast_payload(s.election, item["tracker"]), where)
    if proven.entry.time != item["cast_at"]:
        raise CheckFailed(f"ballots[{i}].cast_at is not the time of its ledger entry")


def ballot_proofs(s: State, runner: Runner) -> None:
    """Check 23: every ballot's proofs, folded into one MSM per chunk; bad ones named."""
    results: list[tuple[str, str]] = [(PASS, "ok")] * len(s.ballots)
    ready = []
    for i in range(len(s.ballots)):
        status, detail = runner.attempt([f"ballot[{i}].format", "manifest.context"], lambda: None)
        if status == PASS:
            ready.append(i)
        else:
            results[i] = (status, detail)
    assert s.ctx is not None or not ready
    for start in range(0, len(ready), CHUNK):
        chunk = ready[start : start + CHUNK]
        for pos, error in find_invalid_ballots(s.ctx, [s.ballots[i] for i in chunk]):
            results[chunk[pos]] = ("fail", f"ballots[{chunk[pos]}].ballot: {error}")
        runner.tick(len(chunk))
    runner.tick(len(s.ballots) - len(ready))
    runner.family_results("ballot[{}].proofs", "ballots", results)


def unique_trackers(s: State) -> str:
    seen: dict[str, int] = {}
    repeats = []
    for i, item in enumerate(s.section("ballots")):
        first = seen.setdefault(item["tracker"], i)
        if first != i:
            repeats.append(f"ballot[{i}] repeats the tracker of ballot[{first}]")
    if repeats:
        raise CheckFailed("; ".join(repeats[:10]))
    return f"{len(seen)} distinct tracker(s)"


def last_counts(s: State) -> str:
    keep = set(s.counted())
    wrong = []
    for i, item in enumerate(s.section("ballots")):
        if item["superseded"] != (i not in keep):
            state = "true" if item["superseded"] else "false"
            wrong.append(f"ballot[{i}].superseded is {state}")
    if wrong:
        raise CheckFailed("; ".join(wrong[:10]) + " (only the last ballot of each alias counts)")
    return f"{len(keep)} counted, {len(s.section('ballots')) - len(keep)} superseded"


def audited_format(s: State, i: int) -> None:
    where = f"audited[{i}]"
    item = exact_keys(s.section("audited")[i], AUDIT_KEYS, where)
    alias(item["alias"], f"{where}.alias")
    hex64(item["tracker"], f"{where}.tracker")
    ledger_time(item["audited_at"], f"{where}.audited_at")
    string(item["receipt"], f"{where}.receipt")
    ballot = _decode(item["ballot"], f"{where}.ballot")
    secrets = exact_keys(item["secrets"], ("tracker", "contests"), f"{where}.secrets")
    hex64(secrets["tracker"], f"{where}.secrets.tracker")
    contests = listing(secrets["contests"], f"{where}.secrets.contests")
    if [c.get("id") if isinstance(c, dict) else None for c in contests] != [
        c.id for c in ballot.contests
    ]:
        raise CheckFailed(f"{where}.secrets.contests do not follow the ballot's contests")
    for ci, (c, enc) in enumerate(zip(contests, ballot.contests, strict=True)):
        cw = f"{where}.secrets.contests[{ci}]"
        exact_keys(c, ("id", "selections"), cw)
        sels = listing(c["selections"], f"{cw}.selections")
        for si, sel in enumerate(sels):
            exact_keys(sel, ("id", "vote", "nonce"), f"{cw}.selections[{si}]")
            integer(sel["vote"], f"{cw}.selections[{si}].vote")
        if [sel["id"] for sel in sels] != [x.id for x in enc.selections]:
            raise CheckFailed(f"{cw}.selections do not follow the ballot's selections")
    try:
        s.audited[i] = (ballot, BallotSecrets.from_json(secrets))
    except EncodingError as exc:
        raise CheckFailed(f"{where}.secrets: {exc}") from None


def audited_tracker(s: State, i: int) -> None:
    ballot, secrets = s.audited[i]
    item = s.section("audited")[i]
    if ballot.tracker != item["tracker"] or secrets.tracker != item["tracker"]:
        raise CheckFailed(
            f"audited[{i}].tracker (and secrets.tracker) must be the tracker of the ballot"
        )


def audited_receipt(s: State, i: int) -> None:
    item = s.section("audited")[i]
    where = f"audited[{i}].receipt"
    payload = audited_payload(s.election, item["tracker"])
    proven = s.ledger.prove(item["receipt"], AUDITED, payload, where)
    if proven.entry.time != item["audited_at"]:
        raise CheckFailed(f"audited[{i}].audited_at is not the time of its ledger entry")


def audited_reveal(s: State, i: int) -> str:
    ballot, secrets = s.audited[i]
    item = s.section("audited")[i]
    if ballot.voter != item["alias"] or item["alias"] not in s.roll:
        raise CheckFailed(f"audited[{i}].alias must be the ballot's voter and on the roll")
    assert s.ctx is not None
    try:
        choices = verify_audited_ballot(s.ctx, ballot, secrets)
    except CryptoError as exc:
        raise CheckFailed(f"audited[{i}]: {exc}") from None
    picked = sum(v for sels in choices.values() for v in sels.values())
    return f"re-encrypts to {picked} vote(s)"


def _alphas(wire: dict) -> set[str]:
    """A decoded ballot's selection alphas as written; strict decoding made the hex canonical."""
    return {sel["alpha"] for contest in wire["contests"] for sel in contest["selections"]}


def never_cast(s: State) -> str:
    """Check 30: no audited ballot is cast, by tracker or by ciphertext.

    The revealed nonces let anyone prove an audited ballot's ciphertexts again with fresh proofs,
    under a new tracker; so a cast ballot (counted or superseded) of the same voter sharing any
    selection alpha with an audited ballot is such a copy (spec §2.6), and is named.
    """
    ballots = s.section("ballots")
    cast = {item["tracker"]: i for i, item in enumerate(ballots)}
    of_voter: dict[str, list[int]] = {}
    for i, ballot in enumerate(s.ballots):
        of_voter.setdefault(ballot.voter, []).append(i)
    both = []
    for i, item in enumerate(s.section("audited")):
        if item["tracker"] in cast:
            both.append(f"audited[{i}] was cast as ballot[{cast[item['tracker']]}]")
            continue
        alphas = _alphas(item["ballot"])
        both.extend(
            f"audited[{i}] (tracker {item['tracker']}) shares a selection alpha with "
            f"ballot[{j}] (tracker {ballots[j]['tracker']}): a re-proven copy was cast"
            for j in of_voter.get(s.audited[i][0].voter, [])
            if not alphas.isdisjoint(_alphas(ballots[j]["ballot"]))
        )
    if both:
        raise CheckFailed("; ".join(both[:10]))
    return f"{len(s.section('audited'))} audited ballot(s), none cast, no ciphertext shared"
