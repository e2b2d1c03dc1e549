"""Every published RFC 6962 / RFC 9162 proof vector (transparency-dev/merkle testdata).

Positive cases must verify, negative ones must be refused with a reason. The subtree folders hold
the Merkle Tree Certificates generalisation (subtree inclusion and subtree consistency).
"""

import base64
import json
from pathlib import Path

import pytest

from ledger.proof_verify import (
    ProofError,
    verify_consistency,
    verify_inclusion,
    verify_subtree_consistency,
    verify_subtree_inclusion,
)
from tests.vectors import VECTORS, vectors_dir


def _cases(kind: str) -> list[Path]:
    folder = VECTORS / "rfc6962" / kind
    return sorted(folder.rglob("*.json")) if folder.is_dir() else []


def _load(kind: str, path: Path) -> dict:
    vectors_dir("rfc6962", kind)
    return json.loads(path.read_text())


def _b64(value: str | None) -> bytes:
    return base64.b64decode(value or "")


def _hashes(values: list[str] | None) -> list[bytes]:
    return [_b64(v) for v in values or []]


def _check(want_err: bool, call) -> None:
    if want_err:
        with pytest.raises(ProofError) as refused:
            call()
        assert str(refused.value), "a refusal must say why"
    else:
        call()


def _id(path: Path) -> str:
    return str(path.relative_to(VECTORS / "rfc6962"))


@pytest.mark.parametrize("path", _cases("inclusion"), ids=_id)
def test_inclusion_vector(path: Path) -> None:
    v = _load("inclusion", path)
    _check(
        v["wantErr"],
        lambda: verify_inclusion(
            v["leafIdx"], v["treeSize"], _b64(v["leafHash"]), _hashes(v["proof"]), _b64(v["root"])
        ),
    )


@pytest.mark.parametrize("path", _cases("consistency"), ids=_id)
def test_consistency_vector(path: Path) -> None:
    v = _load("consistency", path)
    _check(
        v["wantErr"],
        lambda: verify_consistency(
            v["size1"], v["size2"], _hashes(v["proof"]), _b64(v["root1"]), _b64(v["root2"])
        ),
    )


@pytest.mark.parametrize("path", _cases("subtreeinclusion"), ids=_id)
def test_subtree_inclusion_vector(path: Path) -> None:
    v = _load("subtreeinclusion", path)
    _check(
        v["wantErr"],
        lambda: verify_subtree_inclusion(
            v["leafIdx"],
            v["start"],
            v["end"],
            _b64(v["leafHash"]),
            _hashes(v["proof"]),
            _b64(v["root"]),
        ),
    )


@pytest.mark.parametrize("path", _cases("subtreeconsistency"), ids=_id)
def test_subtree_consistency_vector(path: Path) -> None:
    v = _load("subtreeconsistency", path)
    _check(
        v["wantErr"],
        lambda: verify_subtree_consistency(
            v["start"], v["end"], v["size"], _hashes(v["proof"]), _b64(v["root1"]), _b64(v["root2"])
        ),
    )


def test_every_vector_folder_is_exercised() -> None:
    counts = {
        kind: len(_cases(kind))
        for kind in ("inclusion", "consistency", "subtreeinclusion", "subtreeconsistency")
    }
    if not VECTORS.is_dir():
        pytest.skip("vectors absent")
    assert all(counts.values()), counts
