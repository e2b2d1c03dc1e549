"""Verify a published election record: ``python -m voting.verify RECORD.json [options]``.

Needs only the record, ``voting.crypto``, ``voting.record`` and the pure ledger modules (no
Django, no database, no network). Prints one PASS/FAIL/SKIP line per check of
docs/spec/election-record.md §5 and a summary.

Exit status: 0 every check passed; 1 the record was read and a check failed or was skipped;
2 the input is not a record (unreadable, not JSON, not an object, unknown version) or the
command line is wrong (including a malformed pinned key).
"""

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from ledger.cosignature import CosignatureVerifier
from ledger.note import Ed25519Verifier, NoteError
from voting.record import RecordError, load_record, verify_record
from voting.record.report import PASS

MARKS = {"pass": "PASS", "fail": "FAIL", "skip": "SKIP"}


def _read_key(value: str) -> str:
    path = Path(value)
    return path.read_text().strip() if "+" not in value or path.is_file() else value


def _progress(done: int, total: int, phase: str) -> None:
    print(f"\r{phase:<10} {done}/{total}", end="", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m voting.verify",
        description="Re-verify a Polity election record from start to finish.",
    )
    parser.add_argument("record", help="the record.json file (or - for standard input)")
    parser.add_argument("--log-key", help="pin the ledger's verifier key (string or file)")
    parser.add_argument(
        "--witness", action="append", help="trusted witness key (string or file); repeat"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--quiet", action="store_true", help="print only failures and summary")
    parser.add_argument("--progress", action="store_true", help="show progress on stderr")
    args = parser.parse_args(argv)
    try:
        data = sys.stdin.buffer.read() if args.record == "-" else Path(args.record).read_bytes()
        log_key = _read_key(args.log_key) if args.log_key else None
        witnesses = [_read_key(w) for w in args.witness] if args.witness else None
        if log_key is not None:
            Ed25519Verifier(log_key)
        for w in witnesses or ():
            CosignatureVerifier(w)
        record = load_record(data)
    except (OSError, RecordError, NoteError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    report = verify_record(
        record,
        log_key=log_key,
        witness_keys=witnesses,
        progress=_progress if args.progress else None,
    )
    if args.progress:
        print(file=sys.stderr)
    if args.json:
        json.dump(report.to_json(), sys.stdout, indent=1)
        print()
    else:
        for check in report.checks:
            if not (args.quiet and check.status == PASS):
                print(f"{MARKS[check.status]}  {check.name}: {check.detail}")
        failed = len(report.failures)
        print(
            "record verified: every check passed"
            if report.ok
            else f"record NOT verified: {failed} check(s) failed or were skipped"
        )
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
