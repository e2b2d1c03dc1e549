"""Ballots made by the browser code (frontend/src/crypto, run in node) verify in Python."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.voting.crypto.conftest import make_context
from voting.crypto import (
    BallotSecrets,
    Contest,
    EncryptedBallot,
    VerificationError,
    verify_audited_ballot,
    verify_ballot,
)
from voting.crypto.curve import Q

ROOT = Path(__file__).resolve().parents[3]
CRYPTO_JS = (ROOT / "frontend" / "src" / "crypto" / "index.js").as_uri()

SCRIPT = f"""
import * as c from {json.dumps(CRYPTO_JS)};
const req = JSON.parse(process.argv[1]);
const ctx = c.makeContext(req.context);
const out = c.encryptBallot(ctx, req.voter, req.choices);
process.stdout.write(JSON.stringify(out));
"""


def js_encrypt(record: dict, voter: str, choices: dict) -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    request = json.dumps({"context": record, "voter": voter, "choices": choices})
    run = subprocess.run(
        [node, "--input-type=module", "-e", SCRIPT, request],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


@pytest.fixture(scope="module")
def ctx():
    return make_context(
        (
            Contest("mayor", ("alice", "bob", "carol", "dave", "erin")),
            Contest("budget", ("parks", "roads", "schools"), max_votes=4, max_per_selection=2),
        )
    )


def test_js_ballot_verifies_in_python(ctx):
    choices = {"mayor": {"erin": 1}, "budget": {"parks": 2, "schools": 1}}
    out = js_encrypt(ctx.to_json(), "alias-42", choices)
    ballot = EncryptedBallot.from_json(out["ballot"])
    verify_ballot(ctx, ballot, "alias-42")
    assert ballot.tracker == out["tracker"]
    revealed = verify_audited_ballot(ctx, ballot, BallotSecrets.from_json(out["secrets"]))
    assert revealed["mayor"] == {"alice": 0, "bob": 0, "carol": 0, "dave": 0, "erin": 1}
    assert revealed["budget"] == {"parks": 2, "roads": 0, "schools": 1}


def test_tampered_js_ballot_is_rejected_in_python(ctx):
    wire = js_encrypt(ctx.to_json(), "alias-42", {"mayor": {"bob": 1}})["ballot"]
    branch = wire["contests"][1]["proof"][2]
    branch["c"] = f"{(int(branch['c'], 16) + 1) % Q:064x}"
    with pytest.raises(VerificationError, match="contest 'budget': range proof challenge mismatch"):
        verify_ballot(ctx, EncryptedBallot.from_json(wire))
