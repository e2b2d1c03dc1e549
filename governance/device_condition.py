"""Whether a project's devices meet a milestone's condition, e.g. "95% of the street lights
report working for 24 hours". Pure: the worker feeds it readings from the database.

A device *meets* the condition at time ``now`` when, in the window ``[now - window, now]``:

* it reported at least once at or before ``now - window + max_gap`` (the window's start is
  covered) and at least once at or after ``now - max_gap`` (it is still reporting);
* no two consecutive readings in the window are more than ``max_gap`` apart;
* every reading in the window has the metric ``true``.

The condition holds when the devices that meet it are at least ``quorum_bps`` of the project's
active devices (rounded up), and there is at least one device.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise

BPS = 10_000


@dataclass(frozen=True)
class Sample:
    timestamp: datetime
    ok: bool


@dataclass(frozen=True)
class Evaluation:
    met: bool
    devices: int
    meeting: int
    required: int
    window_start: datetime
    window_end: datetime

    def summary(self) -> str:
        return f"{self.meeting} of {self.devices} devices meet it ({self.required} required)"


def device_meets(
    samples: Sequence[Sample], *, start: datetime, end: datetime, gap: timedelta
) -> bool:
    """`samples` sorted by time, already limited to [start, end]."""
    if not samples or not all(s.ok for s in samples):
        return False
    if samples[0].timestamp > start + gap or samples[-1].timestamp < end - gap:
        return False
    return all(b.timestamp - a.timestamp <= gap for a, b in pairwise(samples))


def evaluate(
    readings: Mapping[str, Iterable[Sample]],
    *,
    now: datetime,
    window: timedelta,
    max_gap: timedelta,
    quorum_bps: int,
) -> Evaluation:
    """`readings` has one key per active device of the project (possibly with no samples)."""
    if not 0 < quorum_bps <= BPS:
        raise ValueError(f"device quorum must be 1..{BPS} basis points")
    start = now - window
    meeting = 0
    for samples in readings.values():
        in_window = sorted(
            (s for s in samples if start <= s.timestamp <= now), key=lambda s: s.timestamp
        )
        if device_meets(in_window, start=start, end=now, gap=max_gap):
            meeting += 1
    devices = len(readings)
    required = -(-quorum_bps * devices // BPS)
    return Evaluation(devices > 0 and meeting >= required, devices, meeting, required, start, now)
