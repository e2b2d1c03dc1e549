"""Ballot crypto speed: encrypt+prove, single verify, batch verify; fast backend vs py-ecc.

Run from the repository root:  .venv/bin/python bench/ballots.py [--ballots 1000] [--reference 20]

For each ballot shape it prints milliseconds per ballot (median of repeated calls) for
encrypt+prove and for one verify, and ballots per second for batch verification of ``--ballots`` ballots, on one core. The py-ecc
reference backend runs the same code with py-ecc's group law and a naive MSM, on fewer ballots
(``--reference``), because it is about 50x slower.
"""

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from voting.crypto import (
    FAST,
    REFERENCE,
    Contest,
    ElectionContext,
    G,
    Scalar,
    batch_verify,
    election_fingerprint,
    encrypt_ballot,
    verify_ballot,
)

SHAPES = {
    "1-of-3": (Contest("c", ("a", "b", "c")), {"b": 1}),
    "1-of-5": (Contest("c", ("a", "b", "c", "d", "e")), {"d": 1}),
    "approval-of-10": (Contest("c", tuple("abcdefghij"), max_votes=10), dict.fromkeys("bdfh", 1)),
}


def per_call(fn, repeat: int) -> float:
    """Median of ``repeat`` timed calls (robust to other processes sharing the machine)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(shape: str, backend, batch: int, repeat: int) -> dict:
    contest, choice = SHAPES[shape]
    key = G * Scalar.random_nonzero()
    start = time.perf_counter()
    ctx = ElectionContext(
        election_fingerprint("bench", (contest,), key), key, (contest,), backend=backend
    )
    setup = time.perf_counter() - start
    encrypt = per_call(lambda: encrypt_ballot(ctx, "voter", {"c": choice}), repeat)
    ballots = [encrypt_ballot(ctx, f"v{i}", {"c": choice})[0] for i in range(batch)]
    verify = per_call(lambda: verify_ballot(ctx, ballots[0]), repeat)
    start = time.perf_counter()
    batch_verify(ctx, ballots)
    batch_time = time.perf_counter() - start
    return {
        "setup_ms": setup * 1e3,
        "encrypt_ms": encrypt * 1e3,
        "verify_ms": verify * 1e3,
        "batch": batch,
        "batch_per_s": batch / batch_time,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=1000, help="batch size, fast backend")
    parser.add_argument("--reference", type=int, default=20, help="batch size, py-ecc backend")
    args = parser.parse_args()
    print(f"python {platform.python_version()} on {platform.machine()}, one process, one core")
    header = "shape            backend             encrypt+prove   verify one   batch verify"
    print(header)
    print("-" * len(header))
    for shape in SHAPES:
        for backend, batch, repeat in ((FAST, args.ballots, 50), (REFERENCE, args.reference, 3)):
            r = run(shape, backend, batch, repeat)
            print(
                f"{shape:<16} {backend.name:<19} {r['encrypt_ms']:>10.1f} ms {r['verify_ms']:>9.1f} ms"
                f"   {r['batch_per_s']:>7.0f} ballots/s ({r['batch']} ballots)"
            )


if __name__ == "__main__":
    main()
