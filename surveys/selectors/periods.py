"""Periods as the survey pages read them: whole local days, the last one included."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[the start of `start`, the start of the day after `end`) in local time: a range the indexes serve."""
    return (
        timezone.make_aware(datetime.combine(start, time.min)),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)),
    )


def period_starts(by: str, start: date, end: date) -> list[date]:
    """The first day of every week (Monday) or month that touches [start, end]."""
    if by == "week":
        first = start - timedelta(days=start.weekday())
        return [first + timedelta(weeks=n) for n in range((end - first).days // 7 + 1)]
    months, cursor = [], start.replace(day=1)
    while cursor <= end:
        months.append(cursor)
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    return months
