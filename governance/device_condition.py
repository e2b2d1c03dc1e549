"""Whether a project's devices meet a milestone's condition, e.g. "95% of the street lights
report working for 24 hours". Pure: the worker feeds it readings from the database.

A device *meets* the condition at time ``now``, for the window ``[start, now]`` with
``start = now - window``, when:

* it was seen at the start: it has a reading in ``[start - max_gap, start]`` (the latest such
  reading opens the streak);
* it is still reporting: its last reading is at or after ``now - max_gap``;
* no two consecutive readings of the streak are more than ``max_gap`` apart;
* every reading of the streak has the metric ``true``.

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


def device_meets(
    samples: Sequence[Sample], *, start: datetime, end: datetime, gap: timedelta
) -> bool:
    """`samples` of one device sorted by time (any range; only [start - gap, end] is used)."""
    opening = [s for s in samples if start - gap <= s.timestamp <= start]
    if not opening:
        return False
    streak = [opening[-1]] + [s for s in samples if start < s.timestamp <= end]
    if not all(s.ok for s in streak) or streak[-1].timestamp < end - gap:
        return False
    return all(b.timestamp - a.timestamp <= gap for a, b in pairwise(streak))


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
        ordered = sorted(samples, key=lambda s: s.timestamp)
        if device_meets(ordered, start=start, end=now, gap=max_gap):
            meeting += 1
    devices = len(readings)
    required = -(-quorum_bps * devices // BPS)
    return Evaluation(devices > 0 and meeting >= required, devices, meeting, required, start, now)
