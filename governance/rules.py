"""How a decrypted vote decides a proposal: quorum, support threshold, winners, funded projects.

Pure functions (no Django), so the rules can be read, tested at every edge and re-run by anyone
from a published election result. docs/spec/governance.md §3 states the same rules in prose.

All arithmetic is on integers: quorum is in basis points of the eligible residents and rounds
up (a 10% quorum of 101 residents needs 11 participants), thresholds compare cross-multiplied.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

BPS = 10_000
FOR, AGAINST, ABSTAIN = "for", "against", "abstain"


@dataclass(frozen=True)
class OptionSpec:
    key: str
    amount_cents: int | None = None  # participatory budget: what the project asks for


@dataclass(frozen=True)
class Rules:
    vote_type: str  # for_against_abstain | single_choice | approval | budget
    quorum_bps: int
    threshold: str  # simple_majority | two_thirds
    budget_cents: int | None = None


@dataclass(frozen=True)
class Outcome:
    succeeded: bool
    reason: str
    participation: int
    quorum_required: int
    quorum_met: bool
    adopted: list[str] = field(default_factory=list)
    funded: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "succeeded": self.succeeded,
            "reason": self.reason,
            "participation": self.participation,
            "quorum_required": self.quorum_required,
            "quorum_met": self.quorum_met,
            "adopted": list(self.adopted),
            "funded": dict(self.funded),
        }


def quorum_required(quorum_bps: int, eligible: int) -> int:
    """The smallest participation that meets the quorum: ceil(quorum_bps * eligible / 10000)."""
    if not 0 <= quorum_bps <= BPS:
        raise ValueError(f"quorum must be 0..{BPS} basis points, not {quorum_bps}")
    if eligible < 0:
        raise ValueError("the number of eligible residents cannot be negative")
    return -(-quorum_bps * eligible // BPS)


def meets_threshold(threshold: str, support: int, decisive: int) -> bool:
    """Whether `support` out of `decisive` votes passes: more than half, or at least two thirds.

    Zero decisive votes never pass; a tie never passes a simple majority.
    """
    if decisive <= 0 or support <= 0:
        return False
    if threshold == "simple_majority":
        return 2 * support > decisive
    if threshold == "two_thirds":
        return 3 * support >= 2 * decisive
    raise ValueError(f"unknown support threshold {threshold!r}")


def decide(
    rules: Rules,
    options: Sequence[OptionSpec],
    counts: Mapping[str, int],
    *,
    ballots: int,
    eligible: int,
) -> Outcome:
    """The outcome of a proposal from its decrypted counts.

    `counts` maps each option key to its votes (budget points for a participatory budget);
    `ballots` is the number of ballots counted and `eligible` the size of the frozen voter roll.
    """
    keys = [o.key for o in options]
    if set(counts) != set(keys):
        raise ValueError(f"counts are for {sorted(counts)}, the options are {sorted(keys)}")
    if any(v < 0 for v in counts.values()) or ballots < 0:
        raise ValueError("counts cannot be negative")
    needed = quorum_required(rules.quorum_bps, eligible)
    if rules.vote_type == "for_against_abstain":
        participation = counts[FOR] + counts[AGAINST] + counts[ABSTAIN]
    else:
        participation = ballots
    base = {"participation": participation, "quorum_required": needed}
    if participation < needed:
        reason = f"quorum not met: {participation} took part, {needed} needed"
        return Outcome(False, reason, quorum_met=False, **base)
    decide_by_type = {
        "for_against_abstain": _for_against,
        "single_choice": _single_choice,
        "approval": _approval,
        "budget": _budget,
    }.get(rules.vote_type)
    if decide_by_type is None:
        raise ValueError(f"unknown vote type {rules.vote_type!r}")
    succeeded, reason, adopted, funded = decide_by_type(rules, options, counts, ballots)
    return Outcome(succeeded, reason, quorum_met=True, adopted=adopted, funded=funded, **base)


def _for_against(rules: Rules, options, counts, ballots):
    support, against = counts[FOR], counts[AGAINST]
    decisive = support + against
    if meets_threshold(rules.threshold, support, decisive):
        return True, f"{support} for, {against} against: {rules.threshold} reached", [FOR], {}
    return False, f"{support} for, {against} against: {rules.threshold} not reached", [], {}


def _single_choice(rules: Rules, options, counts, ballots):
    decisive = sum(counts.values())
    ranked = sorted(options, key=lambda o: -counts[o.key])
    top = ranked[0]
    if len(ranked) > 1 and counts[ranked[1].key] == counts[top.key]:
        return False, f"tie at {counts[top.key]} votes: no option wins", [], {}
    if meets_threshold(rules.threshold, counts[top.key], decisive):
        return True, f"{top.key} wins with {counts[top.key]} of {decisive}", [top.key], {}
    return False, f"{top.key} leads with {counts[top.key]} of {decisive}: not enough", [], {}


def _approval(rules: Rules, options, counts, ballots):
    adopted = [o.key for o in options if meets_threshold(rules.threshold, counts[o.key], ballots)]
    if adopted:
        return True, f"approved by enough ballots: {', '.join(adopted)}", adopted, {}
    return False, "no option was approved by enough ballots", [], {}


def _budget(rules: Rules, options, counts, ballots):
    """Fund projects by points, most first (ties: ballot order), skipping any that no longer fits
    in what is left of the budget; projects with no points get nothing."""
    if rules.budget_cents is None or rules.budget_cents <= 0:
        raise ValueError("a participatory budget needs a positive budget")
    left = rules.budget_cents
    funded: dict[str, int] = {}
    order = {o.key: i for i, o in enumerate(options)}
    for option in sorted(options, key=lambda o: (-counts[o.key], order[o.key])):
        amount = option.amount_cents or 0
        if counts[option.key] > 0 and 0 < amount <= left:
            funded[option.key] = amount
            left -= amount
    if funded:
        return True, f"{len(funded)} projects funded, {left} cents left", list(funded), funded
    return False, "no project received points within the budget", [], {}
