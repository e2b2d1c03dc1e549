"""Running named checks with dependencies, and the report they make (spec §5 "Reporting").

A check either passes, fails with a reason, or is skipped because a check it needs did not pass.
Families (one check per ballot, say) are reported as a ``[*]`` summary followed by each item
that did not pass, so a 100,000-ballot record gives a readable report that still names every bad
ballot.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ledger.leaf import EntryError
from voting.crypto import CryptoError
from voting.record.format import CheckFailed

PASS, FAIL, SKIP = "pass", "fail", "skip"
MAX_NAMED = 10

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    detail: str

    def to_json(self) -> dict:
        return {"name": self.name, "status": self.status, "detail": self.detail}


@dataclass
class Report:
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.status == PASS for c in self.checks)

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if c.status != PASS]

    def to_json(self) -> dict:
        return {"ok": self.ok, "checks": [c.to_json() for c in self.checks]}


def reason(exc: BaseException) -> str:
    """A sentence for a failed check; malformed input shows up as KeyError/TypeError too."""
    if isinstance(exc, CheckFailed | CryptoError | EntryError):
        return str(exc)
    if isinstance(exc, KeyError):
        return f"missing key {exc.args[0]!r}"
    if isinstance(exc, ValueError) and str(exc):
        return str(exc)
    return f"malformed input ({type(exc).__name__}: {exc})"


class Runner:
    """Runs checks in order, remembers every status by name (items included), builds the report."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.report = Report()
        self.status: dict[str, str] = {}
        self.total = total
        self.done = 0
        self.phase = ""
        self._progress = progress

    def passed(self, name: str) -> bool:
        return self.status.get(name) == PASS

    def tick(self, n: int = 1) -> None:
        self.done += n
        if self._progress is not None:
            self._progress(min(self.done, self.total), self.total, self.phase)

    def attempt(self, needs: Sequence[str], fn: Callable[[], str | None]) -> tuple[str, str]:
        for need in needs:
            if not self.passed(need):
                return SKIP, f"skipped: needs {need}"
        try:
            detail = fn()
        except Exception as exc:  # adversarial input: any failure to read it is a failed check
            return FAIL, reason(exc)
        return PASS, detail or "ok"

    def check(self, name: str, needs: Sequence[str], fn: Callable[[], str | None]) -> bool:
        status, detail = self.attempt(needs, fn)
        self.add(name, status, detail)
        self.tick()
        return status == PASS

    def add(self, name: str, status: str, detail: str) -> None:
        self.status[name] = status
        self.report.checks.append(Check(name, status, detail))

    def family(
        self,
        pattern: str,
        count: int,
        noun: str,
        needs: Callable[[int], Sequence[str]],
        fn: Callable[[int], str | None],
    ) -> None:
        """Run ``fn(i)`` for each item; ``pattern`` is like ``"ballot[{}].format"``."""
        results = []
        for i in range(count):
            results.append(self.attempt(needs(i), lambda i=i: fn(i)))
            self.tick()
        self.family_results(pattern, noun, results)

    def family_results(self, pattern: str, noun: str, results: Sequence[tuple[str, str]]) -> None:
        """Record item statuses and report the ``[*]`` summary and every item that did not pass."""
        bad = []
        for i, (status, _) in enumerate(results):
            self.status[pattern.format(i)] = status
            if status != PASS:
                bad.append(i)
        total = len(results)
        if bad:
            names = ", ".join(_item(pattern, i) for i in bad[:MAX_NAMED])
            more = f" and {len(bad) - MAX_NAMED} more" if len(bad) > MAX_NAMED else ""
            summary = f"{len(bad)} of {total} {noun} did not pass: {names}{more}"
        else:
            summary = f"{total} of {total} {noun}"
        self.add(pattern.format("*"), FAIL if bad else PASS, summary)
        for i in bad:
            status, detail = results[i]
            self.report.checks.append(Check(pattern.format(i), status, detail))


def _item(pattern: str, i: int) -> str:
    """``ballot[3]`` from ``ballot[{}].format``."""
    name = pattern.format(i)
    return name[: name.index("]") + 1]
