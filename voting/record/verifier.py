"""``verify_record``: every check of docs/spec/election-record.md §5, in order, with its needs.

The table in the spec and the calls below are meant to be read side by side; the browser
verifier (frontend/src/crypto/record.js) runs the same list.
"""

import json
from collections.abc import Sequence

from voting.record import checks_ballots as cb
from voting.record import checks_election as ce
from voting.record import checks_ledger as cl
from voting.record import checks_tally as ct
from voting.record.build import ANCHOR_KINDS
from voting.record.format import RECORD_VERSION, RecordError
from voting.record.ledger_view import LedgerView
from voting.record.report import Progress, Report, Runner
from voting.record.state import State

FIXED_CHECKS = 26  # checks that are not per ballot, audit, trustee, partial or extra anchor


def load_record(data: str | bytes) -> dict:
    """Parse a record's JSON; ``RecordError`` when it is not a record at all (exit status 2)."""

    def no_float(text: str) -> float:
        raise RecordError(f"numbers in a record are integers; found {text}")

    def no_constant(text: str) -> float:
        raise RecordError(f"{text} is not JSON")

    try:
        record = json.loads(data, parse_float=no_float, parse_constant=no_constant)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RecordError(f"not JSON: {exc}") from None
    except RecursionError:
        raise RecordError("JSON nested too deeply") from None
    if not isinstance(record, dict):
        raise RecordError("an election record is a JSON object")
    if record.get("version") != RECORD_VERSION:
        raise RecordError(f"not a {RECORD_VERSION} document (version {record.get('version')!r})")
    return record


def _size(record: dict, key: str) -> int:
    value = record.get(key) if isinstance(record, dict) else None
    return len(value) if isinstance(value, list | dict) else 0


def verify_record(
    record: dict,
    *,
    log_key: str | None = None,
    witness_keys: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> Report:
    """Run every check on a parsed record; see ``Report.ok`` and ``Report.failures``."""
    anchors = record.get("anchors") if isinstance(record, dict) else None
    others = _size(anchors, "other") if isinstance(anchors, dict) else 0
    ceremony = record.get("ceremony") if isinstance(record, dict) else None
    total = (
        FIXED_CHECKS
        + 5 * _size(record, "ballots")
        + 4 * _size(record, "audited")
        + (_size(ceremony, "trustees") if isinstance(ceremony, dict) else 0)
        + _size(record, "decryptions")
        + others
    )
    run = Runner(total, progress)
    s = State(
        record,
        LedgerView(
            record.get("ledger") if isinstance(record, dict) else None, log_key, witness_keys
        ),
    )
    run.phase = "manifest"
    if not run.check("record.format", [], lambda: ce.record_format(s)):
        return run.report
    run.check("manifest.format", [], lambda: ce.manifest_format(s))
    run.check("manifest.context", ["manifest.format"], lambda: ce.manifest_context(s))
    run.check("manifest.fingerprint", ["manifest.context"], lambda: ce.manifest_fingerprint(s))

    run.phase = "ceremony"
    run.check("ceremony.format", [], lambda: ce.ceremony_format(s))
    run.check("ceremony.id", ["ceremony.format"], lambda: ce.ceremony_identity(s))
    for t in s.trustees:
        run.check(
            f"ceremony.trustee[{t.index}]",
            ["ceremony.format"],
            lambda t=t: ce.ceremony_trustee(s, t.index),
        )
    run.check(
        "ceremony.joint_key",
        ["manifest.context", "ceremony.format"],
        lambda: ce.ceremony_joint_key(s),
    )
    run.check("ceremony.shares", ["ceremony.format"], lambda: ce.ceremony_shares(s))

    run.phase = "roll"
    run.check("roll.format", [], lambda: ce.roll_format(s))
    run.check("roll.hash", ["roll.format"], lambda: ce.roll_hash(s))

    run.phase = "ledger"
    run.check("ledger.keys", [], s.ledger.check_keys)
    run.check("ledger.checkpoint", ["ledger.keys"], s.ledger.check_checkpoint)
    for role in ANCHOR_KINDS:
        run.check(f"ledger.anchor.{role}", ["ledger.checkpoint"], lambda r=role: cl.anchor(s, r))
    run.family(
        "ledger.anchor.other[{}]",
        others,
        "anchors",
        lambda i: ["ledger.checkpoint"],
        lambda i: cl.other_anchor(s, i),
    )

    run.phase = "ballots"
    n = len(record["ballots"])
    s.ballots = [None] * n
    run.family("ballot[{}].format", n, "ballots", lambda i: [], lambda i: cb.ballot_format(s, i))
    families = (
        ("voter", ["roll.format"], cb.ballot_voter),
        ("tracker", [], cb.ballot_tracker),
        ("receipt", ["ledger.checkpoint"], cb.ballot_receipt),
    )
    for name, needs, fn in families:
        run.family(
            f"ballot[{{}}].{name}",
            n,
            "ballots",
            lambda i, needs=needs: [f"ballot[{i}].format", *needs],
            lambda i, fn=fn: fn(s, i),
        )
    cb.ballot_proofs(s, run)
    run.check("ballots.unique_trackers", ["ballot[*].format"], lambda: cb.unique_trackers(s))
    run.check("ballots.last_counts", ["ballot[*].format"], lambda: cb.last_counts(s))

    run.phase = "audited"
    m = len(record["audited"])
    s.audited = [None] * m
    audit = (
        ("format", [], cb.audited_format),
        ("tracker", [], cb.audited_tracker),
        ("receipt", ["ledger.checkpoint"], cb.audited_receipt),
        ("reveal", ["manifest.context", "roll.format"], cb.audited_reveal),
    )
    for name, needs, fn in audit:
        run.family(
            f"audited[{{}}].{name}",
            m,
            "audited ballots",
            lambda i, name=name, needs=needs: (
                [] if name == "format" else [f"audited[{i}].format", *needs]
            ),
            lambda i, fn=fn: fn(s, i),
        )
    both = ["ballot[*].format", "audited[*].format"]
    run.check("audited.never_cast", both, lambda: cb.never_cast(s))
    run.check("ledger.order", both, lambda: cl.order(s))

    run.phase = "tally"
    run.check("tally.format", ["manifest.format"], lambda: ct.tally_format(s))
    run.check(
        "tally.aggregate",
        ["manifest.context", "roll.format", "tally.format", "ballot[*].format"],
        lambda: ct.tally_aggregate(s),
    )

    run.phase = "decryption"
    run.check(
        "decryption.format", ["ceremony.format", "tally.format"], lambda: ct.decryption_format(s)
    )
    valid = []
    for p in s.partials:
        name = f"decryption.partial[{p.trustee}]"
        if run.check(
            name, ["manifest.context", "decryption.format"], lambda p=p: ct.decryption_partial(s, p)
        ):
            valid.append(p)

    run.phase = "result"
    run.check("result.format", ["manifest.format"], lambda: ct.result_format(s))
    run.check("result.ballots", ["ballot[*].format", "result.format"], lambda: ct.result_ballots(s))
    run.check(
        "result.counts",
        ["manifest.context", "tally.format", "decryption.format", "result.format"],
        lambda: ct.result_counts(s, valid),
    )
    return run.report
