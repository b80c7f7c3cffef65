from datetime import date

import pytest

from contactcentre.workdays import add_working_days, is_working_day, working_days_between


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (date(2026, 11, 23), date(2026, 11, 23), 0),  # the same day
        (date(2026, 11, 23), date(2026, 11, 24), 1),  # Monday to Tuesday
        (date(2026, 11, 27), date(2026, 11, 30), 1),  # Friday to Monday: the weekend does not count
        (date(2026, 12, 24), date(2026, 12, 29), 1),  # Christmas and Boxing Day (moved to Monday 28th)
        (date(2026, 12, 31), date(2027, 1, 4), 1),  # New Year's Day
    ],
)
def test_working_days_in_england(start, end, days):
    assert working_days_between(start, end) == days


def test_add_working_days_skips_weekends_and_holidays():
    assert add_working_days(date(2026, 12, 24), 3) == date(2026, 12, 31)


def test_another_calendar_can_be_configured(settings):
    settings.WEEKEND_DAYS = (4, 5)  # Friday and Saturday, as in Saudi Arabia
    assert is_working_day(date(2026, 11, 29), country="SA", subdivision="")  # a Sunday
    assert not is_working_day(date(2026, 11, 27), country="SA", subdivision="")  # a Friday
