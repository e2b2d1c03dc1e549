"""Receipts (c2sp.org/tlog-proof) and the offline verifier, including a rewritten log's receipts."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ledger.leaf import Entry
from ledger.merkle import hash_leaf
from ledger.proof import consistency_proof
from ledger.receipt import (
    Receipt,
    ReceiptError,
    format_proof_lines,
    parse_proof_lines,
    parse_receipt,
)
from ledger.verify import main, receipt_verified, verify_receipt
from tests.ledger.demo import DemoLog, payload

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def log() -> DemoLog:
    demo = DemoLog.create()
    for batch in (5, 3, 4):
        demo.append(batch)
    return demo


def run(log: DemoLog, receipt: str, **kwargs):
    kwargs.setdefault("witness_keys", [w.vkey for w in log.witnesses])
    checks = verify_receipt(receipt, log_key=log.log_vkey, **kwargs)
    return receipt_verified(checks), {c.name: c for c in checks}


def test_receipt_format_round_trips_and_matches_the_spec_layout(log):
    text = log.receipt(6)
    lines = text.split("\n")
    assert lines[0] == "c2sp.org/tlog-proof@v1"
    assert lines[1].startswith("extra ") and lines[2] == "index 6"
    receipt = parse_receipt(text)
    assert Entry.decode(receipt.extra) == log.entries[6]
    assert receipt.format() == text
    assert text.endswith(log.checkpoints[12])
    bare = Receipt(0, (), log.checkpoints[12]).format()
    assert bare.startswith("c2sp.org/tlog-proof@v1\nindex 0\n\n")


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda t: t.replace("tlog-proof@v1", "tlog-proof@v2"), "must start"),
        (lambda t: t.replace("index 6", "index 06"), "decimal"),
        (lambda t: t.replace("index 6", "idx 6"), "index"),
        (lambda t: t.replace("extra ", "extra !"), "base64"),
        (lambda t: t.replace("\n\n", "\n", 1), "empty line|base64"),
        (lambda t: t.split("\n\n")[0] + "\n\n", "no checkpoint"),
    ],
)
def test_malformed_receipts_are_refused(log, mutate, reason):
    with pytest.raises(ReceiptError, match=reason):
        parse_receipt(mutate(log.receipt(6)))


def test_every_entry_of_every_checkpoint_verifies(log):
    for size in log.checkpoints:
        for index in range(size):
            ok, checks = run(log, log.receipt(index, size), payload=payload(index))
            assert ok, [c for c in checks.values() if not c.ok]
            assert checks["payload"].ok and checks["witness quorum"].ok


def test_tampered_receipts_fail_with_a_reason(log):
    good = log.receipt(6)
    r = parse_receipt(good)
    cases = [
        ("inclusion", Receipt(r.index, r.proof, r.checkpoint_note, log.entries[7].encode())),
        ("inclusion", Receipt(7, r.proof, r.checkpoint_note, r.extra)),
        ("inclusion", Receipt(r.index, r.proof[:-1], r.checkpoint_note, r.extra)),
        (
            "entry",
            Receipt(r.index, r.proof, r.checkpoint_note, r.extra.replace(b"ballot", b"b@llot")),
        ),
        ("entry", Receipt(r.index, r.proof, r.checkpoint_note, None)),
    ]
    for check_name, receipt in cases:
        ok, checks = run(log, receipt.format())
        assert not ok
        assert not checks[check_name].ok and checks[check_name].detail
    ok, checks = run(log, good.replace("\n12\n", "\n13\n"))
    assert not ok and "does not verify" in checks["log signature"].detail
    ok, checks = run(log, good, payload={"tracker": "someone else"})
    assert not ok and "differs" in checks["payload"].detail


def test_witness_policy(log):
    good = log.receipt(3)
    note = parse_receipt(good).checkpoint_note
    one_witness = note.rsplit("\u2014", 1)[0]  # drop the last cosignature line
    stripped = good.replace(note, one_witness)
    ok, checks = run(log, stripped)
    assert not ok and checks["witness quorum"].detail == "1 of 2 required"
    assert not checks["witness citizens.example"].required  # missing, not forged
    ok, _ = run(log, stripped, min_witnesses=1)
    assert ok
    other = DemoLog.create(("auditor.example",))
    ok, checks = run(log, good, witness_keys=[other.witnesses[0].vkey])
    assert not ok and checks["witness quorum"].detail == "0 of 1 required"


def test_wrong_log_key_is_refused(log):
    stranger = DemoLog.create(())
    ok, checks = run(log, log.receipt(1), witness_keys=[])
    assert ok
    checks = verify_receipt(log.receipt(1), log_key=stranger.log_vkey)
    assert not receipt_verified(checks) and "trusted key" in checks[-1].detail


def test_an_earlier_checkpoint_catches_a_rewritten_log(log):
    honest_later = log.receipt(10)
    earlier = log.checkpoints[8]
    proof = consistency_proof(log.store, 8, 12)
    ok, checks = run(log, honest_later, earlier_checkpoint=earlier, consistency_proof=proof)
    assert ok and "extends size 8" in checks["append-only"].detail
    # An old receipt checked against a newer saved checkpoint works the other way round.
    ok, _ = run(
        log,
        log.receipt(2, 5),
        earlier_checkpoint=log.checkpoints[12],
        consistency_proof=consistency_proof(log.store, 5, 12),
    )
    assert ok

    # The operator reorders two old entries and keeps growing, signing with the real key.
    rewritten = DemoLog(log.log_skey, log.log_vkey, [])
    reordered = list(log.entries[:8])
    reordered[2], reordered[3] = reordered[3], reordered[2]
    rewritten.append_entries(reordered)
    rewritten.append(4)
    forged = rewritten.receipt(10)
    ok, checks = run(rewritten, forged, witness_keys=[])
    assert ok  # on its own, a receipt from a rewritten log looks fine ...
    ok, checks = run(
        rewritten,
        forged,
        witness_keys=[],
        earlier_checkpoint=earlier,
        consistency_proof=consistency_proof(rewritten.store, 8, 12),
    )
    assert not ok and not checks["append-only"].ok  # ... but not against a checkpoint you kept
    ok, checks = run(
        rewritten, rewritten.receipt(1, 8), witness_keys=[], earlier_checkpoint=earlier
    )
    assert not ok and "forked" in checks["append-only"].detail

    # Truncation: cut back to 5 entries and regrow to 12 with other entries.
    truncated = DemoLog(log.log_skey, log.log_vkey, [])
    truncated.append(5)
    truncated.append(7, kind="tally.result")
    ok, checks = run(
        truncated,
        truncated.receipt(11),
        witness_keys=[],
        earlier_checkpoint=earlier,
        consistency_proof=consistency_proof(truncated.store, 8, 12),
    )
    assert not ok and not checks["append-only"].ok


def test_cli_prints_a_report_and_sets_the_exit_code(log, tmp_path, capsys):
    (tmp_path / "r.tlog-proof").write_text(log.receipt(4))
    (tmp_path / "key.txt").write_text(log.log_vkey + "\n")
    (tmp_path / "earlier.txt").write_text(log.checkpoints[5])
    (tmp_path / "proof.txt").write_text(format_proof_lines(consistency_proof(log.store, 5, 12)))
    (tmp_path / "payload.json").write_text(json.dumps(payload(4)))
    argv = [
        str(tmp_path / "r.tlog-proof"),
        "--key",
        str(tmp_path / "key.txt"),
        "--checkpoint",
        str(tmp_path / "earlier.txt"),
        "--consistency",
        str(tmp_path / "proof.txt"),
        "--payload",
        str(tmp_path / "payload.json"),
    ]
    for w in log.witnesses:
        argv += ["--witness", w.vkey]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "PASS  inclusion" in out and "PASS  append-only" in out and "receipt verified" in out
    (tmp_path / "r.tlog-proof").write_text(log.receipt(4).replace("index 4", "index 5"))
    assert main(argv) == 1
    assert "FAIL  inclusion" in capsys.readouterr().out
    assert main([str(tmp_path / "missing"), "--key", log.log_vkey]) == 2
    assert parse_proof_lines((tmp_path / "proof.txt").read_text()) == consistency_proof(
        log.store, 5, 12
    )


def test_the_verifier_runs_standalone_without_django(log, tmp_path):
    receipt = tmp_path / "r.tlog-proof"
    receipt.write_text(log.receipt(0))
    code = (
        "import runpy, sys; sys.argv = ['verify', *sys.argv[1:]];"
        "\ntry: runpy.run_module('ledger.verify', run_name='__main__')"
        "\nexcept SystemExit as e: code = e.code"
        "\nassert not [m for m in sys.modules if m.split('.')[0] in ('django', 'polity')], 'django'"
        "\nsys.exit(code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(receipt), "--key", log.log_vkey],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "receipt verified" in result.stdout
    assert hash_leaf(log.entries[0].encode()) == log.store.nodes[(0, 0)]
