"""The browser's canonical JSON (frontend/src/governance/canonical.js), which the proposal
timeline uses to check that a ledger entry commits to the payload shown, agrees byte for byte
with the ledger's (ledger.leaf.canonical_json) on random payloads."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.leaf import canonical_json

ROOT = Path(__file__).resolve().parents[2]
MODULE = ROOT / "frontend" / "src" / "governance" / "canonical.js"
SCRIPT = f"""
import {{ canonicalJson }} from '{MODULE.as_uri()}';
let input = '';
process.stdin.on('data', (c) => (input += c));
process.stdin.on('end', () => {{
  const out = JSON.parse(input).map((v) => {{
    try {{ return canonicalJson(v); }} catch (e) {{ return 'ERROR ' + e.message; }}
  }});
  process.stdout.write(JSON.stringify(out));
}});
"""
TEXT = st.text(
    alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=12
)  # the ledger refuses lone surrogates and NUL
SAFE = st.integers(-(2**53) + 1, 2**53 - 1)
VALUES = st.recursive(
    st.none() | st.booleans() | SAFE | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)


def node_canonical(values: list) -> list[str]:
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    result = subprocess.run(
        ["node", "--input-type=module", "-e", SCRIPT],
        input=json.dumps(values),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(VALUES, min_size=40, max_size=40))
def test_browser_and_ledger_canonical_json_agree(values):
    expected = [canonical_json(v).decode("utf-8") for v in values]
    assert node_canonical(values) == expected


def test_a_real_governance_payload_and_refusals():
    payload = {
        "proposal": 1,
        "from": "tallying",
        "to": "succeeded",
        "quorum_met": True,
        "funded": {},
        "reason": "3 for, 1 against: simple_majority reached",
        "ñ": None,
    }
    assert node_canonical([payload, 1.5]) == [
        canonical_json(payload).decode("utf-8"),
        "ERROR not a canonical integer: 1.5",
    ]
