"""Governance evidence speed: device readings verified per second, and how long the worker takes
to evaluate a milestone's device condition.

Run from the repository root:  .venv/bin/python bench/governance.py [--devices 1000]

Prints (one core): parse + Ed25519-verify of one signed reading (median, microseconds) and
readings per second; and the time to evaluate "95% of N lights working for 24 hours" from N x 97
readings (one every 15 minutes), the pure part of the beat task's evaluation.
"""

import argparse
import platform
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from governance import device_condition, signing

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def bench_readings(count: int) -> None:
    key = Ed25519PrivateKey.generate()
    public = signing.public_key_hex(key)
    readings = [
        signing.sign_reading(
            key,
            {
                "device": "lamp-001",
                "counter": i,
                "timestamp": signing.format_time(NOW + timedelta(seconds=i)),
                "metrics": {"working": True, "lux": 1200},
            },
        )
        for i in range(count)
    ]
    times = []
    for data in readings:
        start = time.perf_counter()
        signing.verify_reading(signing.parse_reading(data), public)
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(f"reading parse+verify: {median * 1e6:.0f} µs median, {1 / median:,.0f} readings/s")


def bench_condition(devices: int) -> None:
    window, gap = timedelta(hours=24), timedelta(minutes=30)
    samples = {
        f"lamp-{d}": [
            device_condition.Sample(NOW - timedelta(minutes=15 * k), True) for k in range(97)
        ]
        for d in range(devices)
    }
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        result = device_condition.evaluate(
            samples, now=NOW, window=window, max_gap=gap, quorum_bps=9500
        )
        runs.append(time.perf_counter() - start)
    assert result.met and result.meeting == devices
    print(
        f"condition over {devices} devices x 97 readings: "
        f"{statistics.median(runs) * 1000:.1f} ms median"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=1000)
    parser.add_argument("--readings", type=int, default=2000)
    args = parser.parse_args()
    print(f"Python {platform.python_version()} on {platform.machine()}")
    bench_readings(args.readings)
    bench_condition(args.devices)


if __name__ == "__main__":
    main()
