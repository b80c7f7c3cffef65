"""The periods the reports cover (rules/reports.py) and the local date beat's moment falls on."""

from datetime import UTC, date, datetime

import pytest

from performance.models import ReportKind
from performance.rules.reports import (
    Timing,
    period_before,
    period_containing,
    period_due,
    period_is_over,
    same_period_last_year,
    timing_for,
)
from performance.selectors.kpis import Period

D, W, M = ReportKind.DAILY_OPERATIONS, ReportKind.WEEKLY_KPI, ReportKind.MONTHLY_BOARD


@pytest.mark.parametrize(
    ("kind", "today", "first", "last"),
    [
        (D, date(2026, 3, 1), date(2026, 2, 28), date(2026, 2, 28)),  # across a month end
        (D, date(2025, 1, 1), date(2024, 12, 31), date(2024, 12, 31)),  # across a year end
        (W, date(2026, 3, 9), date(2026, 3, 2), date(2026, 3, 8)),  # on a Monday: the week just ended
        (W, date(2026, 3, 15), date(2026, 3, 2), date(2026, 3, 8)),  # on a Sunday: still the week before
        (W, date(2026, 1, 1), date(2025, 12, 22), date(2025, 12, 28)),  # a week across the year end
        (M, date(2026, 3, 1), date(2026, 2, 1), date(2026, 2, 28)),
        (M, date(2024, 3, 31), date(2024, 2, 1), date(2024, 2, 29)),  # a leap February
        (M, date(2026, 1, 15), date(2025, 12, 1), date(2025, 12, 31)),
    ],
)
def test_the_period_due_is_the_last_whole_day_week_or_month_before_today(kind, today, first, last):
    assert period_due(kind, today) == Period(first, last)
    assert period_is_over(Period(first, last), today)


def test_a_period_holding_a_day_and_the_one_before_it():
    assert period_containing(W, date(2026, 3, 4)) == Period(date(2026, 3, 2), date(2026, 3, 8))
    assert period_containing(M, date(2026, 12, 31)) == Period(date(2026, 12, 1), date(2026, 12, 31))
    assert period_before(M, Period(date(2026, 3, 1), date(2026, 3, 31))) == Period(date(2026, 2, 1), date(2026, 2, 28))
    assert period_before(W, Period(date(2026, 3, 2), date(2026, 3, 8))) == Period(date(2026, 2, 23), date(2026, 3, 1))
    assert same_period_last_year(Period(date(2024, 2, 1), date(2024, 2, 29))) == Period(
        date(2023, 2, 1), date(2023, 2, 28)
    )
    assert not period_is_over(Period(date(2026, 3, 2), date(2026, 3, 8)), date(2026, 3, 8))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("now", "yesterday"),
    [
        # 29 March 2026: clocks go forward at 01:00 UTC. 00:30 UTC is 00:30 GMT on the 29th.
        (datetime(2026, 3, 29, 0, 30, tzinfo=UTC), date(2026, 3, 28)),
        # 23:30 UTC on the 28th is still the 28th in London (GMT).
        (datetime(2026, 3, 28, 23, 30, tzinfo=UTC), date(2026, 3, 27)),
        # 25 October 2026: 23:30 UTC on the 24th is 00:30 BST on the 25th.
        (datetime(2026, 10, 24, 23, 30, tzinfo=UTC), date(2026, 10, 24)),
        # after the clocks went back, 23:30 UTC is 23:30 GMT, the same day.
        (datetime(2026, 10, 25, 23, 30, tzinfo=UTC), date(2026, 10, 24)),
    ],
)
def test_the_day_due_is_the_local_day_of_the_moment_beat_starts_the_run_across_dst(now, yesterday):
    from performance.services.reports import report_due_period

    from .factories import make_schedule

    schedule = make_schedule(D)
    assert report_due_period(schedule.pk, now=now) == Period(yesterday, yesterday)
    weekly = make_schedule(W)
    # Monday 30 March 00:30 BST (= Sunday 29th 23:30 UTC) sends the week of 23-29 March.
    assert report_due_period(weekly.pk, now=datetime(2026, 3, 29, 23, 30, tzinfo=UTC)) == Period(
        date(2026, 3, 23), date(2026, 3, 29)
    )


@pytest.mark.django_db
def test_a_switched_off_schedule_is_due_nothing():
    from performance.services.reports import report_due_period

    from .factories import make_schedule

    assert report_due_period(make_schedule(D, is_active=False).pk) is None


def test_timing_keeps_the_weekday_only_for_the_weekly_pack_and_reads_back_a_crontab():
    weekly = timing_for(W, hour=6, minute=15, weekday=5, day_of_month=3)
    assert weekly.crontab() == {
        "minute": "15",
        "hour": "6",
        "day_of_week": "5",
        "day_of_month": "*",
        "month_of_year": "*",
    }
    monthly = timing_for(M, hour=8, minute=0, weekday=5, day_of_month=3)
    assert (monthly.day_of_week, monthly.day_of_month) == (None, 3)

    class Crontab:
        minute, hour, day_of_week, day_of_month = "15", "6", "5", "*"

    assert Timing.of(Crontab) == weekly
