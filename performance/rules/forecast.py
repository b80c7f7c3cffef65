"""The contact forecast: calls offered to one queue per 15-minute interval of one day, from its own
history (docs/performance/workforce.md, "Forecast"). Pure: plain data in, plain data out.

The method, a day-of-week x time-of-day profile times a trend:
- reference days: the same weekday in each of the last `weeks` weeks before the day (before the
  day the forecast is made: today, for a day still to come), within the queue's history;
- profile: for each local time of day, the mean of the calls offered at that time on the
  reference days (a reference day with no call at that time counts as 0);
- trend: the calls of the 7 days ending on each reference day (a whole week, so the weekly
  pattern cancels out) fitted by least squares against the week's middle day; the factor is the
  line at the forecast day over the line at the reference days' mean date (the date the profile
  stands for), clamped to TREND_LIMITS. With a steady linear growth the forecast is exact. Fewer
  than MIN_TREND_WEEKS complete weeks (within the history): no trend (factor 1);
- forecast(interval) = profile(its local time of day) x factor.

What is forecast is `offered` (answered + abandoned; short abandons excluded: they never reach an
agent), the same count the actuals show. Accuracy is the WAPE: sum |forecast - actual| / sum actual."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time, timedelta

WEEKS = 8  # reference weeks
MIN_TREND_WEEKS = 3
TREND_LIMITS = (0.5, 2.0)  # one odd week cannot halve or double a forecast beyond this

# The calls offered per local day, per local time of day: {day: {time: calls}}.
History = Mapping[date, Mapping[time, float]]


@dataclass(frozen=True)
class DayForecast:
    day: date
    profile: dict[time, float]  # mean calls per local time of day on the reference days
    trend: float  # the factor applied to the profile
    reference_days: list[date]  # most recent first
    trend_weeks: int  # complete weeks the trend was fitted on (0: no trend)

    @property
    def has_history(self) -> bool:
        return bool(self.reference_days)

    def at(self, moment: time) -> float:
        """The calls forecast in the interval starting at local time `moment`."""
        return self.profile.get(moment, 0.0) * self.trend


def reference_days(day: date, *, as_of: date, first_day: date | None, weeks: int = WEEKS) -> list[date]:
    """The same weekday as `day` in the `weeks` weeks before `as_of` (most recent first), on or after
    `first_day`, the first day of the queue's history (None: no history)."""
    if first_day is None:
        return []
    last = min(day, as_of) - timedelta(days=1)
    last -= timedelta(days=(last.weekday() - day.weekday()) % 7)
    days = [last - timedelta(weeks=k) for k in range(weeks)]
    return [d for d in days if d >= first_day]


def history_needed(day: date, *, as_of: date, weeks: int = WEEKS) -> tuple[date, date]:
    """The days (first, last) of history a forecast of `day` reads."""
    last = min(day, as_of) - timedelta(days=1)
    return last - timedelta(weeks=weeks, days=6), last


def _day_total(history: History, day: date) -> float:
    return sum(history.get(day, {}).values())


def trend_factor(points: list[tuple[float, float]], profile_at: float) -> float:
    """The least-squares line through (weeks from the day, calls in the week centred there), at 0
    (the day) over at `profile_at` (the reference days' mean), clamped. 1 with fewer than
    MIN_TREND_WEEKS points or no calls."""
    if len(points) < MIN_TREND_WEEKS:
        return 1.0
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread if spread else 0.0
    at_day = mean_y + slope * (0 - mean_x)
    at_profile = mean_y + slope * (profile_at - mean_x)
    if at_profile <= 0:
        return 1.0
    low, high = TREND_LIMITS
    return min(max(at_day / at_profile, low), high)


def forecast_day(
    day: date, history: History, *, as_of: date, first_day: date | None, weeks: int = WEEKS
) -> DayForecast:
    """The forecast of `day` from `history` (which must cover `history_needed`), made on `as_of`."""
    references = reference_days(day, as_of=as_of, first_day=first_day, weeks=weeks)
    profile: dict[time, float] = {}
    for reference in references:
        for moment, calls in history.get(reference, {}).items():
            profile[moment] = profile.get(moment, 0.0) + calls
    if references:
        profile = {moment: calls / len(references) for moment, calls in sorted(profile.items())}
    points = []
    for reference in references:
        week = [reference - timedelta(days=k) for k in range(7)]
        if first_day is not None and week[-1] >= first_day:
            middle = (week[3] - day).days / 7
            points.append((middle, sum(_day_total(history, d) for d in week)))
    profile_at = sum((r - day).days / 7 for r in references) / len(references) if references else 0.0
    return DayForecast(
        day=day,
        profile=profile,
        trend=trend_factor(points, profile_at),
        reference_days=references,
        trend_weeks=len(points) if len(points) >= MIN_TREND_WEEKS else 0,
    )


def wape(pairs: list[tuple[float, float]]) -> float | None:
    """Weighted absolute percentage error of (forecast, actual) pairs, as a share: sum |F - A| / sum A.
    None when nothing happened (no actual calls), where any error would be infinite."""
    actual = sum(a for _, a in pairs)
    if actual <= 0:
        return None
    return sum(abs(f - a) for f, a in pairs) / actual
