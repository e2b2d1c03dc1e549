"""``python -m voting.verify``: the report it prints and its exit status (0 verified, 1 a check
failed, 2 not a record or bad usage)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.voting.record.factory import default_election
from voting.record import RecordError, load_record
from voting.verify import main

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def record_file(tmp_path):
    path = tmp_path / "record.json"
    path.write_text(json.dumps(default_election().record))
    return path


def write(tmp_path, text: str) -> Path:
    path = tmp_path / "other.json"
    path.write_text(text)
    return path


def test_a_valid_record_exits_0_with_a_pass_line_per_check(record_file, capsys):
    assert main([str(record_file), "--log-key", default_election().log.log_vkey]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "PASS  record.format: election city-2026"
    assert "PASS  ledger.keys: log polity.example/ledger (pinned by you), 2 witness key(s)" in out
    assert out[-1] == "record verified: every check passed"
    assert all(line.startswith("PASS  ") for line in out[:-1])


def test_a_tampered_record_exits_1_naming_the_failed_checks(record_file, capsys):
    record = json.loads(record_file.read_text())
    record["result"]["counts"]["council"]["eli"] += 5
    record_file.write_text(json.dumps(record))
    assert main([str(record_file), "--quiet"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("FAIL  ledger.anchor.published: anchors.published.payload does not")
    assert out[1] == (
        "FAIL  result.counts: result.counts.council.eli = "
        f"{record['result']['counts']['council']['eli']} is not the decryption of the tally"
    )
    assert out[-1] == "record NOT verified: 2 check(s) failed or were skipped"


def test_json_output_lists_every_check(record_file, capsys):
    assert main([str(record_file), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True
    assert report["checks"][-1] == {
        "name": "result.counts",
        "status": "pass",
        "detail": "every count is the decryption of the tally by trustees 1, 3",
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "an election record is a JSON object"),
        ('{"version": "polity-election-record-v0"}', "not a polity-election-record-v1 document"),
        ('{"version": "polity-election-record-v1", "w": 1.5}', "integers; found 1.5"),
        ('{"version": "polity-election-record-v1", "w": NaN}', "NaN is not JSON"),
    ],
)
def test_input_that_is_not_a_record_exits_2_with_the_reason(tmp_path, capsys, text, message):
    with pytest.raises(RecordError, match=message):
        load_record(text)
    assert main([str(write(tmp_path, text))]) == 2
    assert message in capsys.readouterr().err


def test_a_missing_file_or_a_malformed_pinned_key_exits_2(tmp_path, record_file, capsys):
    assert main([str(tmp_path / "absent.json")]) == 2
    assert main([str(record_file), "--log-key", "polity.example/ledger+00000000+AAAA"]) == 2
    assert "error:" in capsys.readouterr().err


def test_the_module_runs_standalone_from_stdin(record_file):
    run = subprocess.run(
        [sys.executable, "-m", "voting.verify", "-", "--quiet"],
        input=record_file.read_bytes(),
        cwd=ROOT,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stdout.decode() + run.stderr.decode()
    assert run.stdout.decode().strip() == "record verified: every check passed"
    assert (
        b"django"
        not in subprocess.run(
            [sys.executable, "-c", "import sys, voting.verify; print(sorted(sys.modules))"],
            cwd=ROOT,
            capture_output=True,
            timeout=60,
            check=True,
        ).stdout.lower()
    )
