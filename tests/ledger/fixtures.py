"""Write receipts made by the Python ledger, and the Python verifier's verdicts, for the JS tests.

``python -m tests.ledger.fixtures OUT_DIR`` writes ``OUT_DIR/ledger-fixtures.json``. The node tests
(frontend/test/ledger.test.mjs) run this, verify each receipt in JavaScript and require the same
verdict and the same failing checks as ``ledger.verify``.
"""

import json
import sys
from pathlib import Path

from ledger.leaf import canonical_json
from ledger.proof import consistency_proof
from ledger.receipt import Receipt, format_proof_lines, parse_receipt
from ledger.verify import receipt_verified, verify_receipt
from tests.ledger.demo import DemoLog, payload


def _tampered(log: DemoLog) -> dict[str, str]:
    good = log.receipt(9)
    r = parse_receipt(good)
    note = r.checkpoint_note
    cosig_line = note.rsplit("\u2014", 1)[1]
    flipped = cosig_line[:-6] + ("A" if cosig_line[-6] != "A" else "B") + cosig_line[-5:]
    return {
        "valid": good,
        "valid-first-entry": log.receipt(0),
        "valid-older-checkpoint": log.receipt(2, 5),
        "other-entry": Receipt(9, r.proof, note, log.entries[8].encode()).format(),
        "wrong-index": Receipt(8, r.proof, note, r.extra).format(),
        "proof-hash-flipped": Receipt(9, (bytes(32), *r.proof[1:]), note, r.extra).format(),
        "proof-truncated": Receipt(9, r.proof[:-1], note, r.extra).format(),
        "size-edited": good.replace("\n12\n", "\n13\n"),
        "no-entry": Receipt(9, r.proof, note, None).format(),
        "entry-not-canonical": Receipt(9, r.proof, note, r.extra + b"x").format(),
        "one-cosignature-dropped": good.replace("\u2014" + cosig_line, ""),
        "cosignature-forged": good.replace(cosig_line, flipped),
        "not-a-receipt": good.replace("c2sp.org/tlog-proof@v1", "tlog-proof"),
    }


def build(out_dir: Path) -> Path:
    log = DemoLog.create()
    for batch in (5, 3, 4):
        log.append(batch)
    witnesses = [w.vkey for w in log.witnesses]
    cases = []
    for name, text in _tampered(log).items():
        checks = verify_receipt(text, log_key=log.log_vkey, witness_keys=witnesses)
        cases.append(
            {
                "name": name,
                "receipt": text,
                "verified": receipt_verified(checks),
                "failed": [c.name for c in checks if not c.ok],
            }
        )
    history = {
        "earlier": log.checkpoints[8],
        "proof": format_proof_lines(consistency_proof(log.store, 8, 12)),
        "bad_proof": format_proof_lines(consistency_proof(log.store, 5, 12)),
    }
    data = {
        "logKey": log.log_vkey,
        "witnessKeys": witnesses,
        "cases": cases,
        "history": history,
        "payload": canonical_json(payload(9)).decode(),
    }
    path = out_dir / "ledger-fixtures.json"
    path.write_text(json.dumps(data, indent=1))
    return path


if __name__ == "__main__":
    print(build(Path(sys.argv[1])))
