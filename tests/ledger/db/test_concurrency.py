"""Sequencers running at the same time never fork the log; the on-append trigger reaches a worker.

The fork test needs real row locks, so it runs on PostgreSQL only (SQLite serialises writers at
BEGIN IMMEDIATE already); the worker test runs on both.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from ledger import keys, selectors, services
from ledger.audit import audit_log
from ledger.merkle import tree_hash
from ledger.models import Checkpoint, Entry, LogLeaf, PendingEntry
from ledger.proof_verify import verify_consistency
from ledger.verify import receipt_verified, verify_receipt
from tests.conftest import database_url_for

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.slow
def test_two_processes_sequencing_concurrently_never_fork_the_log(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks; SQLite serialises whole transactions")
    keys.log_signer()  # create the key file before two processes race for it
    env = {**os.environ, "DATABASE_URL": database_url_for(connection.settings_dict)}
    hammers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.ledger.db.hammer", name, "150"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    appended = 0
    for hammer in hammers:
        out, err = hammer.communicate(timeout=300)
        assert hammer.returncode == 0, err[-3000:]
        appended += int(out.strip().splitlines()[-1])

    size = selectors.tree_size()
    assert size == appended == Entry.objects.count()
    assert not PendingEntry.objects.exists()
    indexes = list(LogLeaf.objects.order_by("index").values_list("index", flat=True))
    assert indexes == list(range(size))
    ordered = LogLeaf.objects.order_by("index").values_list("entry__leaf_hash", flat=True)
    leaf_hashes = [bytes(h) for h in ordered]
    checkpoints = list(Checkpoint.objects.order_by("size"))
    assert len(checkpoints) > 20  # both processes really did sequence, many times
    previous = None
    for checkpoint in checkpoints:
        # Every signed root is the root of a prefix of the one final log ...
        assert bytes(checkpoint.root) == tree_hash(leaf_hashes[: checkpoint.size])
        # ... and each checkpoint provably extends the one before it.
        if previous is not None:
            proof = selectors.consistency_proof(previous.size, checkpoint.size)
            verify_consistency(
                previous.size, checkpoint.size, proof, bytes(previous.root), bytes(checkpoint.root)
            )
        previous = checkpoint
    assert audit_log().ok


@pytest.mark.worker
def test_append_triggers_the_sequencer_in_a_real_worker(celery_worker_process, transactional_db):
    first = services.append("test.item", {"n": 1})
    burst = [services.append("test.item", {"n": i}) for i in range(2, 30)]
    deadline = time.monotonic() + 60
    while selectors.entry_index(burst[-1]) is None or selectors.entry_index(first) is None:
        assert time.monotonic() < deadline, celery_worker_process.log()[-3000:]
        time.sleep(0.2)
    assert selectors.tree_size() == 29
    receipt = selectors.receipt_for(burst[-1])
    assert receipt_verified(verify_receipt(receipt, log_key=keys.log_verifier_key()))
    assert "ledger.sequence" in celery_worker_process.log()
