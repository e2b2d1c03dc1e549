"""Records for the JS verifier tests: ``python -m tests.voting.record.fixtures OUTDIR``.

Writes ``valid.json`` (the default factory election), ``weighted.json`` (weighted roll, every
trustee decrypting), ``empty.json`` (no ballot at all: every tally slot is the identity) and ``tamper.json``: each tamper case of ``tampering.cases`` with the names of
the checks the Python verifier failed on it, so the JS test can require the very same names;
``python-reports.json`` holds the Python reports of the two valid records, and ``recast.json``
with ``recast-report.json`` an otherwise valid election where an audited ballot was cast re-proven.
"""

import json
import sys
from pathlib import Path

from tests.voting.record.factory import build_election
from tests.voting.record.tampering import cases
from voting.record import verify_record


def main(outdir: str) -> None:
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    default = build_election()
    weighted = build_election(weighted=True, decrypting=(1, 2, 3), voters=5, revotes=1, audits=1)
    empty = build_election(voters=0, revotes=0, audits=0)
    tampered = []
    for case in cases(default.record):
        report = verify_record(case.apply(default.record))
        tampered.append({**case.to_json(), "python": [c.name for c in report.failures]})
    (out / "valid.json").write_text(json.dumps(default.record))
    (out / "weighted.json").write_text(json.dumps(weighted.record))
    (out / "empty.json").write_text(json.dumps(empty.record))
    (out / "tamper.json").write_text(json.dumps(tampered))
    (out / "log-key.txt").write_text(default.log.log_vkey)
    names = {
        key: [c.to_json() for c in verify_record(e.record).checks]
        for key, e in (("valid", default), ("weighted", weighted), ("empty", empty))
    }
    (out / "python-reports.json").write_text(json.dumps(names))
    recast = build_election(voters=3, revotes=0, audits=1, recast=True)
    (out / "recast.json").write_text(json.dumps(recast.record))
    report = [c.to_json() for c in verify_record(recast.record).checks]
    (out / "recast-report.json").write_text(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1])
