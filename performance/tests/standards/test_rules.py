"""The pure rules: red/amber/green, the benchmarks, how challenging a target is, and the limits a
target and warning must respect."""

from decimal import Decimal

import pytest

from performance.models import Metric
from performance.rules.standards import BENCHMARKS, Challenge, challenge, rag, threshold_errors


@pytest.mark.parametrize(
    ("metric", "value", "target", "warning", "expected"),
    [
        # More is better: service level 80 target, 70 warning.
        (Metric.SERVICE_LEVEL, 85.0, 80, 70, "green"),
        (Metric.SERVICE_LEVEL, 80.0, 80, 70, "green"),  # exactly on the target meets it
        (Metric.SERVICE_LEVEL, 79.9, 80, 70, "amber"),
        (Metric.SERVICE_LEVEL, 70.0, 80, 70, "amber"),  # exactly on the warning is amber
        (Metric.SERVICE_LEVEL, 69.9, 80, 70, "red"),
        # Less is better: abandonment 5 target, 8 warning.
        (Metric.ABANDONMENT_RATE, 4.0, 5, 8, "green"),
        (Metric.ABANDONMENT_RATE, 5.0, 5, 8, "green"),
        (Metric.ABANDONMENT_RATE, 6.5, 5, 8, "amber"),
        (Metric.ABANDONMENT_RATE, 8.0, 5, 8, "amber"),
        (Metric.ABANDONMENT_RATE, 8.1, 5, 8, "red"),
        (Metric.ASA, 61, Decimal("30"), Decimal("60"), "red"),
        (Metric.NPS, -5, 30, 10, "red"),
        # Nothing to judge.
        (Metric.SERVICE_LEVEL, None, 80, 70, None),
        (Metric.SERVICE_LEVEL, 50.0, None, None, None),
        # No warning: no amber band.
        (Metric.SERVICE_LEVEL, 79.0, 80, None, "red"),
    ],
)
def test_rag_honours_the_direction_of_each_measure(metric, value, target, warning, expected):
    assert rag(metric, value, target, warning) == expected


def test_a_value_computed_as_a_float_meets_a_decimal_target_it_equals():
    assert rag(Metric.FCR, 100.0 * 701 / 1000, Decimal("70.10"), Decimal("60")) == "green"


@pytest.mark.parametrize(
    ("metric", "target", "expected"),
    [
        (Metric.SERVICE_LEVEL, 70, Challenge.BELOW),
        (Metric.SERVICE_LEVEL, 80, Challenge.COMMON),
        (Metric.SERVICE_LEVEL, 85, Challenge.STRETCHING),
        (Metric.SERVICE_LEVEL, 90, Challenge.BEST),
        (Metric.SERVICE_LEVEL, 95, Challenge.BEST),
        (Metric.ABANDONMENT_RATE, 8, Challenge.BELOW),
        (Metric.ABANDONMENT_RATE, 5, Challenge.COMMON),
        (Metric.ABANDONMENT_RATE, 3, Challenge.STRETCHING),
        (Metric.ABANDONMENT_RATE, 2, Challenge.BEST),
        (Metric.FCR, 75, Challenge.STRETCHING),
        (Metric.AHT, 300, None),  # no recognised figure: depends on the work
        (Metric.SERVICE_LEVEL, None, None),
    ],
)
def test_challenge_places_a_target_against_the_common_norm_and_the_best(metric, target, expected):
    assert challenge(metric, target) == (expected.value if expected else None)


def test_the_benchmarks_quote_the_figures_domain_md_names():
    assert BENCHMARKS[Metric.SERVICE_LEVEL].common == 80  # 80/20
    assert BENCHMARKS[Metric.ABANDONMENT_RATE].common == 5  # under 5%
    assert BENCHMARKS[Metric.FCR].common == 70  # 70-75%
    for bench in BENCHMARKS.values():
        assert str(bench.source)
        assert challenge(bench.metric, bench.best) == Challenge.BEST


@pytest.mark.parametrize(
    ("metric", "target", "warning", "fields"),
    [
        (Metric.SERVICE_LEVEL, "80", "70", set()),
        (Metric.SERVICE_LEVEL, "80", "85", {"warning"}),  # more is better: warning below the target
        (Metric.ABANDONMENT_RATE, "5", "4", {"warning"}),  # less is better: warning above it
        (Metric.SERVICE_LEVEL, "120", "70", {"target"}),  # a percentage
        (Metric.NPS, "-20", "-40", set()),
        (Metric.NPS, "30", "-101", {"warning"}),
        (Metric.CES, "8", "5", {"target"}),
        (Metric.ASA, "-1", "10", {"target"}),
        (Metric.ASA, "20", "600", set()),
    ],
)
def test_threshold_errors_name_the_field_at_fault(metric, target, warning, fields):
    assert set(threshold_errors(metric, Decimal(target), Decimal(warning))) == fields
