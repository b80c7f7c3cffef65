"""Working days: Monday to Friday, less the public holidays of the installation's calendar
(settings.HOLIDAY_COUNTRY / HOLIDAY_SUBDIVISION, England by default), from the `holidays` package.

Used for claim turnaround ("paid within 5 working days") and complaint deadlines."""

from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.conf import settings


@lru_cache(maxsize=8)
def _calendar(country: str, subdivision: str) -> holidays.HolidayBase:
    return holidays.country_holidays(country, subdiv=subdivision or None)


def is_working_day(day: date, *, country: str | None = None, subdivision: str | None = None) -> bool:
    calendar = _calendar(
        country or settings.HOLIDAY_COUNTRY, subdivision if subdivision is not None else settings.HOLIDAY_SUBDIVISION
    )
    weekend = settings.WEEKEND_DAYS
    return day.weekday() not in weekend and day not in calendar


def working_days_between(start: date, end: date, **calendar) -> int:
    """Working days after `start` up to and including `end` (paid the day it arrived: 0)."""
    if end <= start:
        return 0
    return sum(
        1 for offset in range(1, (end - start).days + 1) if is_working_day(start + timedelta(days=offset), **calendar)
    )


def add_working_days(start: date, days: int, **calendar) -> date:
    """The date `days` working days after `start`."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if is_working_day(current, **calendar):
            days -= 1
    return current
