"""The periods scheduled reports cover, and their default timing (pure: no database).

A period is whole local days (`Period`, first and last included). The day a report is due is a
local date in the site's clock (Europe/London, TIME_ZONE), taken from the moment beat starts the
task, so a run at 00:30 on the night the clocks change still reports the right days.

- daily operations: yesterday;
- weekly KPI pack: the last whole week, Monday to Sunday (on a Monday: the week that just ended);
- monthly board pack: the last whole calendar month."""

from dataclasses import dataclass
from datetime import date, timedelta

from ..models import ReportKind
from ..selectors.kpis import Period


def period_containing(kind: str, day: date) -> Period:
    """The report period of this kind that holds `day` (a day, its Monday-Sunday week, its month)."""
    if kind == ReportKind.DAILY_OPERATIONS:
        return Period(day, day)
    if kind == ReportKind.WEEKLY_KPI:
        monday = day - timedelta(days=day.weekday())
        return Period(monday, monday + timedelta(days=6))
    if kind == ReportKind.MONTHLY_BOARD:
        first = day.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        return Period(first, following - timedelta(days=1))
    raise ValueError(f"Unknown report kind {kind!r}")


def period_due(kind: str, today: date) -> Period:
    """The period a report of this kind sent on `today` covers: the last whole one before today."""
    if kind == ReportKind.DAILY_OPERATIONS:
        return period_containing(kind, today - timedelta(days=1))
    if kind == ReportKind.WEEKLY_KPI:
        return period_containing(kind, today - timedelta(days=today.weekday() + 1))
    if kind == ReportKind.MONTHLY_BOARD:
        return period_containing(kind, today.replace(day=1) - timedelta(days=1))
    raise ValueError(f"Unknown report kind {kind!r}")


def period_before(kind: str, period: Period) -> Period:
    """The period of the same kind just before this one (the comparison column)."""
    return period_containing(kind, period.first - timedelta(days=1))


def same_period_last_year(period: Period) -> Period:
    """The same days a year before (29 February becomes the 28th)."""

    def back(day: date) -> date:
        try:
            return day.replace(year=day.year - 1)
        except ValueError:
            return day.replace(year=day.year - 1, day=28)

    return Period(back(period.first), back(period.last))


def period_is_over(period: Period, today: date) -> bool:
    """A report is only built for a period that has ended (its figures are whole)."""
    return period.last < today


@dataclass(frozen=True)
class Timing:
    """When a schedule's report is sent, as a crontab in local time: `hour`:`minute`, on
    `day_of_week` (0 = Sunday ... 6 = Saturday, crontab's numbering; weekly only) or
    `day_of_month` (1-28; monthly only)."""

    hour: int
    minute: int
    day_of_week: int | None = None
    day_of_month: int | None = None

    def crontab(self) -> dict[str, str]:
        """The fields of django-celery-beat's CrontabSchedule."""
        return {
            "minute": str(self.minute),
            "hour": str(self.hour),
            "day_of_week": "*" if self.day_of_week is None else str(self.day_of_week),
            "day_of_month": "*" if self.day_of_month is None else str(self.day_of_month),
            "month_of_year": "*",
        }

    @classmethod
    def of(cls, crontab) -> "Timing":
        """Read back a CrontabSchedule (or anything with its fields); "*" is None."""

        def number(value: str) -> int | None:
            return None if value in ("*", "") else int(value)

        return cls(
            hour=number(crontab.hour) or 0,
            minute=number(crontab.minute) or 0,
            day_of_week=number(crontab.day_of_week),
            day_of_month=number(crontab.day_of_month),
        )


# The default timing of each kind: daily at 07:00, weekly on Monday at 07:30, monthly on the 1st at 08:00.
DEFAULT_TIMING = {
    ReportKind.DAILY_OPERATIONS: Timing(hour=7, minute=0),
    ReportKind.WEEKLY_KPI: Timing(hour=7, minute=30, day_of_week=1),
    ReportKind.MONTHLY_BOARD: Timing(hour=8, minute=0, day_of_month=1),
}


def timing_for(kind: str, *, hour: int, minute: int, weekday: int | None, day_of_month: int | None) -> Timing:
    """A schedule's timing from the edit form: the weekday only for the weekly pack, the day of
    the month only for the monthly one."""
    return Timing(
        hour=hour,
        minute=minute,
        day_of_week=weekday if kind == ReportKind.WEEKLY_KPI else None,
        day_of_month=day_of_month if kind == ReportKind.MONTHLY_BOARD else None,
    )


# A failed run is tried again this many times, after 1, 2, 4 and 8 minutes (tasks/reports.py).
MAX_RETRIES = 4
