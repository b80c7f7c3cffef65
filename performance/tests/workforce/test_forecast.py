"""The forecast rule (performance/rules/forecast.py) on synthetic histories with a known profile and
trend, no database.

The synthetic queue: on every day d, calls at 09:00 = 3 x L(d) and at 14:00 = 1 x L(d), where the
level L(d) = 10 + 0.1 x (days since 1 January 2026) grows linearly. A 7-day window's total is
28 x L(its middle day), so the least-squares line is exact, and the forecast of a day is exactly
its own 3 x L and 1 x L: the profile (the mean of the 8 reference days, 4.5 weeks back on average:
3 x (L - 3.15)) times the trend (L / (L - 3.15))."""

from datetime import date, time, timedelta

import pytest

from performance.rules import forecast

ORIGIN = date(2026, 1, 1)
NINE, TWO = time(9), time(14)


def level(day: date) -> float:
    return 10 + 0.1 * (day - ORIGIN).days


def growing_history(first: date, last: date) -> dict:
    days = (last - first).days + 1
    return {
        first + timedelta(days=k): {NINE: 3 * level(first + timedelta(days=k)), TWO: level(first + timedelta(days=k))}
        for k in range(days)
    }


def test_a_linear_trend_is_projected_to_the_day_exactly():
    day = date(2026, 6, 1)  # a Monday
    history = growing_history(ORIGIN, day - timedelta(days=1))
    plan = forecast.forecast_day(day, history, as_of=day, first_day=ORIGIN)
    assert plan.reference_days == [day - timedelta(weeks=k) for k in range(1, 9)]
    assert plan.trend_weeks == 8
    # The mean of the reference days' level is L(day - 4.5 weeks) = L(day) - 3.15.
    assert plan.profile[NINE] == pytest.approx(3 * (level(day) - 3.15))
    assert plan.trend == pytest.approx(level(day) / (level(day) - 3.15))
    assert plan.at(NINE) == pytest.approx(3 * level(day))
    assert plan.at(TWO) == pytest.approx(level(day))
    assert plan.at(time(3)) == 0


def test_a_flat_history_gives_its_profile_and_no_trend():
    day = date(2026, 6, 1)
    history = {ORIGIN + timedelta(days=k): {NINE: 12.0} for k in range(200)}
    plan = forecast.forecast_day(day, history, as_of=day, first_day=ORIGIN)
    assert plan.trend == pytest.approx(1.0)
    assert plan.at(NINE) == pytest.approx(12.0)


def test_the_profile_is_the_same_weekday_only():
    """Mondays busy at 09:00, Tuesdays at 15:00: a Monday's forecast has no 15:00 calls."""
    day = date(2026, 6, 1)
    history = {}
    for k in range(1, 60):
        past = day - timedelta(days=k)
        history[past] = {NINE: 20.0} if past.weekday() == 0 else {time(15): 8.0}
    plan = forecast.forecast_day(day, history, as_of=day, first_day=day - timedelta(days=59))
    assert plan.at(NINE) == pytest.approx(20.0)
    assert plan.at(time(15)) == 0


def test_a_missing_interval_on_a_reference_day_counts_as_no_calls():
    day = date(2026, 6, 1)
    first = day - timedelta(weeks=2)
    history = {first: {NINE: 10.0}, day - timedelta(weeks=1): {}}  # the last Monday had no 09:00 call
    plan = forecast.forecast_day(day, history, as_of=day, first_day=first)
    assert plan.reference_days == [day - timedelta(weeks=1), first]
    assert plan.profile[NINE] == pytest.approx(5.0)
    assert (plan.trend, plan.trend_weeks) == (1.0, 0)  # two weeks: too few for a trend


def test_no_history_before_the_day_forecasts_nothing():
    day = date(2026, 6, 1)
    plan = forecast.forecast_day(day, {}, as_of=day, first_day=None)
    assert not plan.has_history
    assert plan.at(NINE) == 0
    started_after = forecast.forecast_day(day, {day: {NINE: 5.0}}, as_of=day, first_day=day)
    assert not started_after.has_history  # the day's own calls are never its forecast


def test_a_day_to_come_is_forecast_from_the_weeks_before_today():
    today = date(2026, 6, 3)  # a Wednesday
    day = date(2026, 6, 15)  # a Monday two weeks on
    plan = forecast.forecast_day(day, {}, as_of=today, first_day=date(2026, 1, 1), weeks=3)
    assert plan.reference_days == [date(2026, 6, 1), date(2026, 5, 25), date(2026, 5, 18)]
    assert forecast.history_needed(day, as_of=today, weeks=3) == (date(2026, 5, 6), date(2026, 6, 2))


def test_the_trend_is_clamped_so_one_odd_week_cannot_run_away():
    points = [(-3.0, 10.0), (-2.0, 100.0), (-1.0, 1000.0)]
    assert forecast.trend_factor(points, -2.0) == forecast.TREND_LIMITS[1]
    assert forecast.trend_factor([(-3.0, 1000.0), (-2.0, 100.0), (-1.0, 1.0)], -2.0) == forecast.TREND_LIMITS[0]
    assert forecast.trend_factor([(-2.0, 10.0), (-1.0, 20.0)], -1.5) == 1.0  # two weeks: no trend
    assert forecast.trend_factor([(-3.0, 0.0), (-2.0, 0.0), (-1.0, 0.0)], -2.0) == 1.0


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([(10, 12), (10, 8)], 0.2),  # |−2| + |2| over 20
        ([(5, 0), (5, 10)], 1.0),  # an interval with no call still weighs its error
        ([(0, 0), (3, 0)], None),  # no call at all: undefined
        ([], None),
    ],
)
def test_wape_is_the_absolute_error_over_the_actual_calls(pairs, expected):
    result = forecast.wape(pairs)
    assert result == (pytest.approx(expected) if expected is not None else None)
