"""The dashboard's periods: what each preset means on a given day, and the period compared with."""

from datetime import date

import pytest

from performance.selectors import dashboard as d
from performance.selectors.kpis import Period

TODAY = date(2026, 3, 4)  # a Wednesday


def p(first: str, last: str) -> Period:
    return Period(date.fromisoformat(first), date.fromisoformat(last))


@pytest.mark.parametrize(
    ("preset", "first", "last"),
    [
        (d.TODAY, date(2026, 3, 4), date(2026, 3, 4)),
        (d.YESTERDAY, date(2026, 3, 3), date(2026, 3, 3)),
        (d.THIS_WEEK, date(2026, 3, 2), date(2026, 3, 4)),
        (d.LAST_WEEK, date(2026, 2, 23), date(2026, 3, 1)),
        (d.THIS_MONTH, date(2026, 3, 1), date(2026, 3, 4)),
        (d.LAST_MONTH, date(2026, 2, 1), date(2026, 2, 28)),
        (d.LAST_12_MONTHS, date(2025, 3, 1), date(2026, 2, 28)),
    ],
)
def test_each_preset_means_whole_local_days(preset, first, last):
    assert d.preset_period(preset, TODAY) == Period(first, last)


def test_a_custom_period_needs_both_ends():
    assert d.preset_period(d.CUSTOM, TODAY, date(2026, 1, 5), date(2026, 1, 9)) == Period(
        date(2026, 1, 5), date(2026, 1, 9)
    )
    with pytest.raises(ValueError):
        d.preset_period(d.CUSTOM, TODAY, date(2026, 1, 5), None)


@pytest.mark.parametrize(
    ("preset", "period", "compare", "expected"),
    [
        # The previous period of the same kind.
        (d.TODAY, p("2026-03-04", "2026-03-04"), d.PREVIOUS, p("2026-03-03", "2026-03-03")),
        # This week so far against the same days of last week, not the three days before.
        (d.THIS_WEEK, p("2026-03-02", "2026-03-04"), d.PREVIOUS, p("2026-02-23", "2026-02-25")),
        # February against the whole of January; this month so far against the same days of last month.
        (d.LAST_MONTH, p("2026-02-01", "2026-02-28"), d.PREVIOUS, p("2026-01-01", "2026-01-31")),
        (d.THIS_MONTH, p("2026-03-01", "2026-03-31"), d.PREVIOUS, p("2026-02-01", "2026-02-28")),
        (d.THIS_MONTH, p("2026-03-01", "2026-03-04"), d.PREVIOUS, p("2026-02-01", "2026-02-04")),
        (d.LAST_12_MONTHS, p("2025-03-01", "2026-02-28"), d.PREVIOUS, p("2024-03-01", "2025-02-28")),
        # A custom period: as many days just before, or whole months before when it is whole months.
        (d.CUSTOM, p("2026-01-05", "2026-01-09"), d.PREVIOUS, p("2025-12-31", "2026-01-04")),
        (d.CUSTOM, p("2026-01-01", "2026-02-28"), d.PREVIOUS, p("2025-11-01", "2025-12-31")),
        # The same days a year earlier; a leap day becomes the 28th, a February stays whole.
        (d.CUSTOM, p("2028-02-29", "2028-02-29"), d.LAST_YEAR, p("2027-02-28", "2027-02-28")),
        (d.LAST_MONTH, p("2028-02-01", "2028-02-29"), d.LAST_YEAR, p("2027-02-01", "2027-02-28")),
        (d.LAST_MONTH, p("2027-02-01", "2027-02-28"), d.LAST_YEAR, p("2026-02-01", "2026-02-28")),
    ],
)
def test_the_comparison_period(preset, period, compare, expected):
    assert d.comparison_period(period, preset, compare) == expected


def test_no_comparison_when_none_is_asked_for():
    assert d.comparison_period(Period(TODAY, TODAY), d.TODAY, d.NO_COMPARISON) is None


@pytest.mark.parametrize(
    ("days", "grain"), [(1, "day"), (31, "day"), (32, "week"), (186, "week"), (187, "month"), (365, "month")]
)
def test_the_trend_is_daily_weekly_or_monthly_by_the_period_length(days, grain):
    first = date(2025, 1, 1)
    assert d.trend_grain(Period(first, date.fromordinal(first.toordinal() + days - 1))) == grain
