"""The decision rules (governance/rules.py) at every edge: quorum, thresholds, ties, budgets."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.rules import (
    ABSTAIN,
    AGAINST,
    FOR,
    OptionSpec,
    Rules,
    decide,
    meets_threshold,
    quorum_required,
)

FAA = [OptionSpec(FOR), OptionSpec(AGAINST), OptionSpec(ABSTAIN)]


def faa(quorum_bps=1000, threshold="simple_majority", **counts):
    rules = Rules("for_against_abstain", quorum_bps, threshold)
    full = {FOR: 0, AGAINST: 0, ABSTAIN: 0, **counts}
    return decide(rules, FAA, full, ballots=sum(full.values()), eligible=100)


def test_quorum_rounds_up_in_basis_points():
    assert quorum_required(1000, 100) == 10
    assert quorum_required(1000, 101) == 11  # 10.1 people cannot take part
    assert quorum_required(0, 100) == 0
    assert quorum_required(10_000, 7) == 7
    assert quorum_required(1, 1) == 1


@pytest.mark.parametrize("bad", [-1, 10_001])
def test_quorum_outside_zero_to_one_is_refused(bad):
    with pytest.raises(ValueError, match="basis points"):
        quorum_required(bad, 10)


def test_quorum_missed_by_one_vote_defeats_a_unanimous_proposal():
    outcome = faa(**{FOR: 9})
    assert not outcome.succeeded and not outcome.quorum_met
    assert outcome.quorum_required == 10
    assert "quorum not met: 9 took part, 10 needed" in outcome.reason


def test_quorum_met_exactly_passes():
    outcome = faa(**{FOR: 10})
    assert outcome.succeeded and outcome.quorum_met


def test_abstain_counts_toward_quorum_only():
    # 4 for, 3 against, 3 abstain: quorum (10) reached thanks to abstentions; 4 > 3 decides.
    assert faa(**{FOR: 4, AGAINST: 3, ABSTAIN: 3}).succeeded
    # Abstentions do not dilute the majority: 4 for out of 10 participants still passes.
    assert faa(**{FOR: 4, AGAINST: 3, ABSTAIN: 30}).succeeded
    # ...and do not rescue it either.
    assert not faa(**{FOR: 3, AGAINST: 4, ABSTAIN: 30}).succeeded


def test_a_tie_is_defeated():
    outcome = faa(**{FOR: 6, AGAINST: 6})
    assert outcome.quorum_met and not outcome.succeeded
    assert "not reached" in outcome.reason


def test_simple_majority_needs_one_more_than_half():
    assert faa(**{FOR: 7, AGAINST: 6}).succeeded
    assert not faa(**{FOR: 6, AGAINST: 7}).succeeded


def test_two_thirds_boundary():
    assert faa(threshold="two_thirds", **{FOR: 10, AGAINST: 5}).succeeded  # exactly 2/3
    assert not faa(threshold="two_thirds", **{FOR: 9, AGAINST: 5}).succeeded  # 64%
    assert not faa(threshold="two_thirds", **{FOR: 0, AGAINST: 0, ABSTAIN: 20}).succeeded


def test_only_abstentions_never_pass():
    outcome = faa(**{ABSTAIN: 50})
    assert outcome.quorum_met and not outcome.succeeded


@given(st.integers(0, 10_000), st.integers(0, 10_000))
def test_thresholds_agree_with_exact_fractions(support, against):
    from fractions import Fraction

    decisive = support + against
    share = Fraction(support, decisive) if decisive else Fraction(0)
    assert meets_threshold("simple_majority", support, decisive) == (share > Fraction(1, 2))
    assert meets_threshold("two_thirds", support, decisive) == (
        support > 0 and share >= Fraction(2, 3)
    )


def test_unknown_threshold_is_refused():
    with pytest.raises(ValueError, match="threshold"):
        meets_threshold("unanimous", 1, 1)


def test_counts_must_match_the_options():
    rules = Rules("for_against_abstain", 0, "simple_majority")
    with pytest.raises(ValueError, match="options"):
        decide(rules, FAA, {FOR: 1, AGAINST: 0}, ballots=1, eligible=1)


SINGLE = [OptionSpec("o1"), OptionSpec("o2"), OptionSpec("o3")]


def test_single_choice_winner_needs_a_majority_of_decisive_votes():
    rules = Rules("single_choice", 0, "simple_majority")
    won = decide(rules, SINGLE, {"o1": 6, "o2": 3, "o3": 2}, ballots=11, eligible=20)
    assert won.succeeded and won.adopted == ["o1"]
    plurality_only = decide(rules, SINGLE, {"o1": 5, "o2": 3, "o3": 2}, ballots=10, eligible=20)
    assert not plurality_only.succeeded  # 5 of 10 is not more than half


def test_single_choice_tie_at_the_top_has_no_winner():
    rules = Rules("single_choice", 0, "simple_majority")
    tie = decide(rules, SINGLE, {"o1": 5, "o2": 5, "o3": 0}, ballots=10, eligible=20)
    assert not tie.succeeded and "tie" in tie.reason


def test_single_choice_blank_ballots_count_toward_quorum():
    rules = Rules("single_choice", 5000, "simple_majority")
    # 10 of 20 eligible cast ballots; only 4 chose an option.
    outcome = decide(rules, SINGLE, {"o1": 3, "o2": 1, "o3": 0}, ballots=10, eligible=20)
    assert outcome.quorum_met and outcome.succeeded


def test_approval_adopts_every_option_approved_by_enough_ballots():
    rules = Rules("approval", 0, "simple_majority")
    outcome = decide(rules, SINGLE, {"o1": 6, "o2": 5, "o3": 9}, ballots=10, eligible=10)
    assert outcome.adopted == ["o1", "o3"]  # 5 of 10 is not more than half
    none = decide(rules, SINGLE, {"o1": 5, "o2": 5, "o3": 0}, ballots=10, eligible=10)
    assert not none.succeeded


BUDGET = [
    OptionSpec("o1", 600_00),
    OptionSpec("o2", 500_00),
    OptionSpec("o3", 300_00),
    OptionSpec("o4", 100_00),
]


def test_budget_funds_by_points_skipping_what_no_longer_fits():
    rules = Rules("budget", 0, "simple_majority", budget_cents=1000_00)
    outcome = decide(
        rules, BUDGET, {"o1": 40, "o2": 35, "o3": 20, "o4": 0}, ballots=10, eligible=10
    )
    # o1 (600) fits; o2 (500) does not fit in the 400 left; o3 (300) does; o4 has no points.
    assert outcome.succeeded
    assert outcome.funded == {"o1": 600_00, "o3": 300_00}


def test_budget_ties_go_to_ballot_order():
    rules = Rules("budget", 0, "simple_majority", budget_cents=600_00)
    outcome = decide(rules, BUDGET, {"o1": 0, "o2": 5, "o3": 5, "o4": 1}, ballots=3, eligible=3)
    assert outcome.funded == {"o2": 500_00, "o4": 100_00}


def test_budget_without_points_funds_nothing():
    rules = Rules("budget", 0, "simple_majority", budget_cents=1000_00)
    zero = {"o1": 0, "o2": 0, "o3": 0, "o4": 0}
    assert not decide(rules, BUDGET, zero, ballots=2, eligible=2).succeeded


def test_budget_needs_a_budget():
    with pytest.raises(ValueError, match="budget"):
        decide(
            Rules("budget", 0, "simple_majority"),
            BUDGET,
            dict.fromkeys(["o1", "o2", "o3", "o4"], 1),
            ballots=1,
            eligible=1,
        )


def test_the_pure_modules_import_no_django():
    """rules, signing, device_condition and commitments can be run and audited alone."""
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys; import governance.rules, governance.signing, governance.device_condition, "
        "governance.commitments; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('django', 'polity')]; "
        "assert not bad, bad"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
