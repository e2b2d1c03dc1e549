"""Partner witnesses: the standalone server's rules, the log pushing checkpoints, and the quorum."""

import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from django.test import override_settings

from ledger import cosigning, keys, selectors, services
from ledger.checkpoint import Checkpoint as CheckpointBody
from ledger.checkpoint import sign_checkpoint
from ledger.cosignature import COSIGNATURE_V1, CosignatureVerifier, format_add_checkpoint
from ledger.models import Cosignature
from ledger.note import Ed25519Signer, generate_signer_key, open_note
from ledger.proof import consistency_proof
from ledger.tree import MemoryNodeStore, extend_tree
from ledger.witness_server import Witness, make_server

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def grow(count: int):
    services.append_many([("test.item", {"n": i}) for i in range(count)])
    return services.sequence_pending()


def forked_note(real_leaves: list[bytes], keep: int, extra: int) -> tuple[str, MemoryNodeStore]:
    """A checkpoint signed with the real log key over a different history after `keep` leaves."""
    store = MemoryNodeStore()
    leaves = real_leaves[:keep] + [bytes([7]) * 32 for _ in range(extra)]
    update = extend_tree(store, 0, leaves)
    store.put_nodes(update.nodes)
    body = CheckpointBody(keys.origin(), update.size, update.root)
    return sign_checkpoint(body, keys.log_signer()), store


def request(old: int, hashes: list[bytes], note: str) -> bytes:
    return format_add_checkpoint(old, hashes, note).encode()


WITNESS_KEY, _ = generate_signer_key("auditor.example/witness", COSIGNATURE_V1)


@pytest.fixture
def witness(tmp_path) -> Witness:
    return Witness(WITNESS_KEY, [keys.log_verifier_key()], tmp_path / "state.json")


def test_witness_cosigns_consistent_checkpoints_and_remembers_across_restarts(witness, tmp_path):
    first = grow(5)
    answer = witness.add_checkpoint(request(0, [], first.note))
    assert answer.status == 200, answer.body
    verifier = CosignatureVerifier(witness.verifier_key)
    open_note(first.note + answer.body, [verifier])  # a valid cosignature/v1 on our note
    second = grow(6)
    answer = witness.add_checkpoint(request(5, selectors.consistency_proof(5, 11), second.note))
    assert answer.status == 200, answer.body
    restarted = Witness(WITNESS_KEY, [keys.log_verifier_key()], tmp_path / "state.json")
    assert restarted.state.latest(keys.origin()).size == 11
    assert restarted.add_checkpoint(request(5, [], second.note)).status == 409


@pytest.mark.parametrize(
    "damage", ["{not json", '["a list"]', '{"%s": "not a checkpoint"}', "\udcff"]
)
def test_a_damaged_state_file_stops_the_witness_instead_of_starting_over(witness, tmp_path, damage):
    first = grow(3)
    assert witness.add_checkpoint(request(0, [], first.note)).status == 200
    state = tmp_path / "state.json"
    if damage == "\udcff":
        state.write_bytes(b"\xff\xfe")
    else:
        state.write_text(damage.replace("%s", keys.origin()))
    answer = witness.add_checkpoint(request(0, [], first.note))  # would be a rollback to 0
    assert answer.status == 500 and "state file" in answer.body and "is damaged" in answer.body
    (tmp_path / "key").write_text(WITNESS_KEY)
    started = subprocess.run(
        [
            *(sys.executable, "-m", "ledger.witness_server", "serve"),
            *("--key", str(tmp_path / "key"), "--state", str(state)),
            *("--log-key", keys.log_verifier_key(), "--port", "1"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert started.returncode == 2 and "is damaged" in started.stderr, started.stderr


def test_witness_answers_409_with_its_size_when_old_size_is_not_its_own(witness):
    first, second = grow(4), grow(3)
    assert witness.add_checkpoint(request(0, [], first.note)).status == 200
    answer = witness.add_checkpoint(request(0, [], second.note))
    assert (answer.status, answer.body, answer.content_type) == (409, "4\n", "text/x.tlog.size")


def test_witness_refuses_a_rolled_back_tree(witness):
    small, big = grow(4), grow(4)
    assert witness.add_checkpoint(request(0, [], big.note)).status == 200
    answer = witness.add_checkpoint(request(8, [], small.note))
    assert answer.status == 400 and "larger than checkpoint size" in answer.body


def test_witness_refuses_a_fork_and_a_bad_proof(witness):
    real = grow(6)
    leaf_hashes = [bytes(item.entry.leaf_hash) for item in selectors.entries_between(0, 6)]
    assert witness.add_checkpoint(request(0, [], real.note)).status == 200
    same_size, _ = forked_note(leaf_hashes, 3, 3)
    answer = witness.add_checkpoint(request(6, [], same_size))
    assert answer.status == 409, answer.body
    longer, store = forked_note(leaf_hashes, 3, 7)
    answer = witness.add_checkpoint(request(6, consistency_proof(store, 6, 10), longer))
    assert answer.status == 422 and "not consistent" in answer.body
    assert witness.state.latest(keys.origin()).size == 6


def test_witness_refuses_unknown_logs_and_bad_signatures(witness):
    checkpoint = grow(2)
    stranger, _ = generate_signer_key("other.example/log")
    body = CheckpointBody("other.example/log", 2, bytes(checkpoint.root))
    other = sign_checkpoint(body, Ed25519Signer(stranger))
    assert witness.add_checkpoint(request(0, [], other)).status == 404
    forged = checkpoint.note.replace("\n2\n", "\n3\n", 1)
    assert witness.add_checkpoint(request(0, [], forged)).status == 403
    assert witness.add_checkpoint(b"old 01\n\n" + checkpoint.note.encode()).status == 400


# --- over HTTP: the log pushes checkpoints to running witness servers --------------------------


@pytest.fixture
def partners(tmp_path):
    """Three partner witnesses served over HTTP on free ports, registered with the log."""
    running = []
    for name in ("contractor.example/w", "auditor.example/w", "citizens.example/w"):
        skey, vkey = generate_signer_key(name, COSIGNATURE_V1)
        service = Witness(skey, [keys.log_verifier_key()], tmp_path / f"{name.split('.')[0]}.json")
        server = make_server(service, "127.0.0.1", 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_port}"
        row = cosigning.register_witness(verifier_key=vkey, label=name, url=url)
        running.append((row, service, server))
    yield running
    for _row, _service, server in running:
        server.shutdown()
        server.server_close()


def test_log_collects_verified_cosignatures_and_reaches_quorum(partners):
    checkpoint = grow(5)
    assert not selectors.is_witnessed(checkpoint)
    stored = cosigning.request_cosignatures()
    assert len(stored) == 3
    assert selectors.is_witnessed(checkpoint)
    text = selectors.checkpoint_text(checkpoint)
    verifiers = [CosignatureVerifier(row.verifier_key) for row, _s, _v in partners]
    assert len(open_note(text, verifiers).verified) == 3
    # The next checkpoint goes with a consistency proof from 5; witnesses move to 9.
    grown = grow(4)
    assert len(cosigning.request_cosignatures()) == 3
    assert all(service.state.latest(keys.origin()).size == 9 for _r, service, _s in partners)
    assert cosigning.request_cosignatures(grown) == []  # nothing left to ask


@override_settings(LEDGER_WITNESS_QUORUM=2)
def test_one_cosignature_is_not_a_quorum_and_inactive_partners_do_not_count(partners):
    checkpoint = grow(3)
    (first, _, _), (second, _, _), (third, _, _) = partners
    for row in (second, third):
        row.active = False
        row.save()
    cosigning.request_cosignatures()
    assert Cosignature.objects.filter(checkpoint=checkpoint).count() == 1
    assert not selectors.is_witnessed(checkpoint)
    second.active = True
    second.save()
    cosigning.request_cosignatures()
    assert selectors.is_witnessed(checkpoint)
    first.active = False
    first.save()
    assert not selectors.is_witnessed(checkpoint)


def test_log_catches_up_when_a_witness_is_ahead_of_what_it_knows(partners):
    """The witness cosigned size 4 but the log lost the answer: 409 tells it to resend from 4."""
    first = grow(4)
    row, service, _server = partners[0]
    assert service.add_checkpoint(request(0, [], first.note)).status == 200
    second = grow(3)
    cosigning.request_cosignatures(second)
    assert second.cosignatures.filter(witness=row).exists()


def test_a_witness_that_is_down_is_skipped_and_asked_again_later(partners):
    _row, _service, server = partners[2]
    server.shutdown()
    server.server_close()
    checkpoint = grow(2)
    assert len(cosigning.request_cosignatures()) == 2
    assert cosigning.needs_cosignatures(checkpoint)


def test_receipt_verifies_offline_with_witness_keys_and_fails_when_tampered(partners, tmp_path):
    entries = services.append_many([("test.item", {"n": i}) for i in range(7)])
    services.sequence_pending()
    cosigning.request_cosignatures()
    receipt = selectors.receipt_for(entries[5])
    (tmp_path / "ok.tlog-proof").write_text(receipt)
    (tmp_path / "payload.json").write_text('{"n": 5}')
    witness_args = [arg for row, _s, _v in partners for arg in ("--witness", row.verifier_key)]
    command = [
        sys.executable,
        "-m",
        "ledger.verify",
        "--key",
        keys.log_verifier_key(),
        *witness_args,
    ]
    ok = subprocess.run(
        [*command, str(tmp_path / "ok.tlog-proof"), "--payload", str(tmp_path / "payload.json")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "PASS  witness quorum: 3 of 3 required" in ok.stdout
    assert "PASS  payload: matches the entry" in ok.stdout
    lines = receipt.split("\n")
    lines[3] = ("A" if lines[3][0] != "A" else "B") + lines[3][1:]  # first proof hash
    (tmp_path / "bad.tlog-proof").write_text("\n".join(lines))
    bad = subprocess.run(
        [*command, str(tmp_path / "bad.tlog-proof")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert bad.returncode == 1
    assert "FAIL  inclusion" in bad.stdout


def test_the_witness_server_runs_standalone_without_django(tmp_path):
    """A partner runs `python -m ledger.witness_server` with no Polity settings or database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE"))}
    key_file = tmp_path / "w.key"
    init = subprocess.run(
        [
            sys.executable,
            "-m",
            "ledger.witness_server",
            "init",
            "--name",
            "p.example/w",
            "--key",
            str(key_file),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=True,
    )
    vkey = init.stdout.strip()
    assert vkey.startswith("p.example/w+")
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    probe = "import sys, ledger.witness_server; sys.exit('django' in sys.modules)"
    assert (
        subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, check=False).returncode
        == 0
    )
    checkpoint = grow(3)
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ledger.witness_server",
            "serve",
            "--key",
            str(key_file),
            "--state",
            str(tmp_path / "state.json"),
            "--log-key",
            keys.log_verifier_key(),
            "--port",
            str(port),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        row = cosigning.register_witness(
            verifier_key=vkey, label="p", url=f"http://127.0.0.1:{port}"
        )
        _wait_for(f"http://127.0.0.1:{port}/")
        assert len(cosigning.request_cosignatures(checkpoint)) == 1
        assert checkpoint.cosignatures.get().witness == row
    finally:
        server.terminate()
        server.wait(timeout=10)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str) -> None:
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
