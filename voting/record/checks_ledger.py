"""Checks 14-18 and 31 of spec §5: the lifecycle anchors and the order of everything in the log."""

from itertools import pairwise

from voting.record.build import (
    ANCHOR_KINDS,
    closed_payload,
    frozen_payload,
    opened_payload,
    published_payload,
)
from voting.record.format import CheckFailed, exact_keys, same_json, string
from voting.record.ledger_view import leaf_index
from voting.record.state import State


def _expected(s: State, role: str) -> dict:
    rec = s.record
    if role == "frozen":
        return frozen_payload(rec["manifest"], rec["context"], rec["roll"], rec["ceremony"])
    if role == "opened":
        return opened_payload(s.election, rec["context"].get("fingerprint"))
    if role == "closed":
        trackers = [b.get("tracker") if isinstance(b, dict) else None for b in rec["ballots"]]
        if not all(isinstance(t, str) for t in trackers):
            raise CheckFailed("anchors.closed: not every ballot has a tracker to recompute from")
        return closed_payload(s.election, trackers)
    return published_payload(s.election, rec["tally"], rec["decryptions"], rec["result"])


def anchor(s: State, role: str) -> str:
    where = f"anchors.{role}"
    item = exact_keys(s.section("anchors")[role], ("kind", "payload", "receipt"), where)
    kind = ANCHOR_KINDS[role]
    if item["kind"] != kind:
        raise CheckFailed(f"{where}.kind must be {kind!r}")
    proven = s.ledger.prove(item["receipt"], kind, item["payload"], f"{where}.receipt")
    try:
        expected = _expected(s, role)
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise CheckFailed(
            f"{where}: cannot recompute the payload from the record ({exc})"
        ) from None
    if not same_json(item["payload"], expected):
        fields = sorted(
            k for k in expected if not same_json(item["payload"].get(k), expected[k])
        ) or sorted(set(item["payload"]) - set(expected))
        raise CheckFailed(
            f"{where}.payload does not match the record: {', '.join(fields)} differ(s)"
        )
    return f"leaf {proven.index} at {proven.entry.time}"


def other_anchor(s: State, i: int) -> str:
    where = f"anchors.other[{i}]"
    item = exact_keys(s.section("anchors")["other"][i], ("kind", "payload", "receipt"), where)
    kind = string(item["kind"], f"{where}.kind")
    if not isinstance(item["payload"], dict) or item["payload"].get("election") != s.election:
        raise CheckFailed(f"{where}.payload must name this election")
    proven = s.ledger.prove(item["receipt"], kind, item["payload"], f"{where}.receipt")
    return f"{kind} at leaf {proven.index}"


def _index(item: object) -> int | None:
    return leaf_index(item.get("receipt")) if isinstance(item, dict) else None


def order(s: State) -> str:
    """frozen < opened < every cast and audited ballot < closed < published, lists increasing."""
    anchors = s.section("anchors")
    at = {role: _index(anchors[role]) for role in ANCHOR_KINDS}
    problems = []
    chain = [(role, at[role]) for role in ANCHOR_KINDS if at[role] is not None]
    for (r1, i1), (r2, i2) in pairwise(chain):
        if not i1 < i2:
            problems.append(f"anchor {r1} (leaf {i1}) is not before {r2} (leaf {i2})")
    for key, noun in (("ballots", "ballot"), ("audited", "audited")):
        last = None
        for i, item in enumerate(s.section(key)):
            idx = _index(item)
            if idx is None:
                continue
            if at["opened"] is not None and idx <= at["opened"]:
                problems.append(f"{noun}[{i}] (leaf {idx}) was logged before the election opened")
            if at["closed"] is not None and idx >= at["closed"]:
                problems.append(f"{noun}[{i}] (leaf {idx}) was logged after the election closed")
            if last is not None and idx <= last:
                problems.append(f"{noun}[{i}] (leaf {idx}) is out of ledger order")
            last = idx
    if problems:
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise CheckFailed("; ".join(problems[:5]) + more)
    return "anchors, ballots and audits are in ledger order within the voting window"
