"""Time the transparency ledger on whatever database DATABASE_URL names.

Run (SQLite by default; for PostgreSQL set DATABASE_URL=postgres://user@host:5432/polity):

    .venv/bin/python bench/ledger.py [--entries 50000] [--sizes 10000,100000,1000000]

It creates its own scratch database (``polity_bench_ledger`` on PostgreSQL, a file under DATA_DIR
on SQLite), never the one the site uses, and drops it at the end. It prints:

1. append throughput through the sequencer: entries appended with ``append_many`` (1,000 per
   transaction), then integrated by ``sequence`` (leaves, tree nodes, signed checkpoint in one
   transaction per batch); entries/s for the sequencer alone and for append + sequence;
2. inclusion-proof time at each size (the tree bulk-loaded as stored nodes, no entries): median
   and p95 of ``selectors.inclusion_proof`` for random leaves, i.e. one ``(level, index) IN``
   query plus the hashing, and the proof's size;
3. the size of a real receipt.
"""

import argparse
import hashlib
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polity.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from ledger import selectors, services  # noqa: E402
from ledger.tree import CompactRange  # noqa: E402


def scratch_database() -> str:
    test = settings.DATABASES["default"].setdefault("TEST", {})
    if connection.vendor == "sqlite":
        test["NAME"] = str(Path(settings.DATA_DIR) / "bench-ledger.sqlite3")
    else:
        test["NAME"] = "polity_bench_ledger"
    return connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)


def _append(first: int, count: int, chunk: int = 1000) -> None:
    for start in range(first, first + count, chunk):
        services.append_many(
            [
                ("bench.item", {"tracker": f"trk-{i:08d}", "election": "bench", "seq": i})
                for i in range(start, min(start + chunk, first + count))
            ]
        )


def throughput(entries: int, batch: int) -> None:
    chunk = 1000
    started = time.perf_counter()
    _append(0, entries, chunk)
    appended = time.perf_counter()
    services.sequence_pending(batch_size=batch)
    sequenced = time.perf_counter()
    append_s, sequence_s = appended - started, sequenced - appended
    print(
        f"append {entries} entries (append_many, {chunk}/transaction)  {entries / append_s:9.0f} entries/s"
    )
    print(
        f"sequence them (batches of {batch})                 {entries / sequence_s:9.0f} entries/s"
    )
    print(
        f"append + sequence, end to end                      {entries / (append_s + sequence_s):9.0f} entries/s"
    )
    small = max(1, entries // 10)
    _append(entries, small, chunk)
    begin = time.perf_counter()
    services.sequence_pending(batch_size=100)
    small_s = time.perf_counter() - begin
    print(
        f"sequence {small} more in batches of 100 (a checkpoint each) {small / small_s:9.0f} entries/s"
    )
    entry = selectors.entry_at(entries // 2)
    receipt = selectors.receipt_for(entry)
    print(
        f"receipt of entry {entries // 2} (tlog-proof with checkpoint)     {len(receipt.encode()):9d} bytes"
    )


def bulk_load(compact: CompactRange, upto: int) -> None:
    """Extend the stored tree with synthetic leaf hashes up to `upto` leaves, in bulk."""
    rows = []
    for i in range(compact.size, upto):
        leaf = hashlib.sha256(b"\x00bench leaf %d" % i).digest()
        rows.extend((node.level, node.index, digest) for node, digest in compact.append(leaf))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(
                'COPY ledger_treenode (level, "index", hash) FROM STDIN'
            ) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(
                'INSERT INTO ledger_treenode (level, "index", hash) VALUES (%s, %s, %s)', rows
            )
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE ledger_treenode")


def proof_times(sizes: list[int], samples: int) -> None:
    call_command("flush", interactive=False, verbosity=0)
    compact = CompactRange()
    rng = random.Random(6962)
    for size in sizes:
        started = time.perf_counter()
        bulk_load(compact, size)
        load_s = time.perf_counter() - started
        indexes = [rng.randrange(size) for _ in range(samples)]
        selectors.inclusion_proof(indexes[0], size)  # warm the connection and caches
        times, lengths = [], []
        for index in indexes:
            begin = time.perf_counter()
            proof = selectors.inclusion_proof(index, size)
            times.append((time.perf_counter() - begin) * 1000)
            lengths.append(len(proof))
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(
            f"inclusion proof at {size:>9,} leaves: median {statistics.median(times):6.2f} ms, "
            f"p95 {p95:6.2f} ms; {max(lengths)} hashes = {32 * max(lengths)} bytes "
            f"(tree of {size:,} loaded in {load_s:.1f} s)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=services.BATCH_SIZE)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--samples", type=int, default=300)
    args = parser.parse_args()
    services._schedule_sequencer = lambda: None  # the bench runs the sequencer itself
    original = settings.DATABASES["default"]["NAME"]
    scratch = scratch_database()
    print(
        f"database: {connection.vendor} (scratch database {scratch}), Python {sys.version.split()[0]}"
    )
    try:
        throughput(args.entries, args.batch)
        proof_times([int(s) for s in args.sizes.split(",")], args.samples)
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
