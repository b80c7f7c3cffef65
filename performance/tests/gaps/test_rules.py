"""The five-gap rules without a database: statuses at their thresholds, counting, months."""

from datetime import date

import pytest

from performance.rules import gaps as rules


@pytest.mark.parametrize(
    ("difference", "status"), [(None, "unknown"), (0.0, "good"), (0.249, "good"), (0.25, "watch"), (0.5, "act")]
)
def test_knowledge_status_at_its_thresholds(difference, status):
    assert rules.knowledge_status(difference) == status


@pytest.mark.parametrize(
    ("unweighted", "status"), [(None, "unknown"), (0.3, "good"), (-0.25, "good"), (-0.26, "watch"), (-0.76, "act")]
)
def test_customer_status_at_its_thresholds(unweighted, status):
    assert rules.customer_status(unweighted) == status


def test_a_target_below_the_norm_keeps_full_coverage_from_reading_as_closed():
    assert rules.standards_status(100.0, 0) == "good"
    assert rules.standards_status(100.0, 1) == "watch"
    assert rules.standards_status(40.0, 0) == "act"


def test_promises_kept_but_sites_far_apart_is_only_watch():
    assert rules.promises_status(95.0, 5.0) == "good"
    assert rules.promises_status(95.0, 15.0) == "watch"
    assert rules.promises_status(None, 15.0) == "watch"
    assert rules.promises_status(None, None) == "unknown"
    assert rules.promises_status(50.0, 0.0) == "act"


def test_rag_counts_and_the_share_met_leave_out_checks_without_a_figure():
    counts = rules.rag_counts(["green", "green", "amber", "red", None])
    assert (counts.green, counts.amber, counts.red, counts.no_data) == (2, 1, 1, 1)
    assert counts.met_share == 50.0
    assert rules.rag_counts([None]).met_share is None
    assert (counts + counts).green == 4


def test_spread_needs_two_figures():
    assert rules.spread([70.0, None]) is None
    assert rules.spread([70.0, 55.0, 90.0]) == 35.0


def test_twelve_trailing_months_end_with_todays_month_cut_at_today():
    months = rules.trailing_months(date(2025, 3, 14))
    assert len(months) == 12
    assert months[0] == (date(2024, 4, 1), date(2024, 4, 30))
    assert months[-2] == (date(2025, 2, 1), date(2025, 2, 28))
    assert months[-1] == (date(2025, 3, 1), date(2025, 3, 14))
    assert rules.month_end(date(2024, 2, 1)) == date(2024, 2, 29)


def test_every_gap_has_its_prescriptions():
    assert set(rules.PRESCRIPTIONS) == set(rules.GAPS) == {1, 2, 3, 4, 5}
    assert [len(rules.PRESCRIPTIONS[n]) for n in (1, 2, 3, 4)] == [4, 10, 16, 10]  # as the seed lists them
