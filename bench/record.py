"""Election record verification speed: the whole record of N 1-of-3 ballots, Python and browser JS.

Run from the repository root:  .venv/bin/python bench/record.py [--ballots 10000] [--no-js]

Builds (once; cached under var/bench/) a record with ``tests.voting.record.factory`` — 3
trustees, threshold 2, N voters casting one 1-of-3 ballot each plus 1% revotes and two audits,
every ballot with its ledger receipt — then times ``voting.record.verify_record`` (every check,
ballots batch-verified) and ``verifyRecord`` of frontend/src/crypto/record.js under node.
"""

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.voting.record.factory import MAYOR_ONLY, build_election  # noqa: E402
from voting.record import verify_record  # noqa: E402


def record_file(ballots: int) -> Path:
    path = ROOT / "var" / "bench" / f"record-{ballots}.json"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        election = build_election(
            voters=ballots, revotes=ballots // 100, audits=2, contests=MAYOR_ONLY
        )
        path.write_text(json.dumps(election.record))
        print(f"built {path.relative_to(ROOT)} in {time.perf_counter() - start:.1f} s")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=10_000)
    parser.add_argument("--no-js", action="store_true")
    args = parser.parse_args()
    path = record_file(args.ballots)
    record = json.loads(path.read_text())
    cast = len(record["ballots"])
    print(f"python {platform.python_version()}, {cast} cast ballots ({args.ballots} counted)")
    start = time.perf_counter()
    report = verify_record(record)
    seconds = time.perf_counter() - start
    assert report.ok, [c.name for c in report.failures]
    print(
        f"Python verify_record: {seconds:.1f} s ({cast / seconds:.0f} ballots/s), all checks pass"
    )
    if not args.no_js:
        run = subprocess.run(
            ["node", str(ROOT / "bench" / "record.mjs"), str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        print(run.stdout.strip())


if __name__ == "__main__":
    main()
