"""Training's pure rules, by tables: expiry by calendar months, pass marks, enrolment transitions
and a person's standing on a course."""

from datetime import date

import pytest

from staff.rules import training as rules
from staff.rules.training import EnrolmentRecord, Standing

TODAY = date(2026, 6, 15)


@pytest.mark.parametrize(
    ("completed", "months", "expires"),
    [
        (date(2026, 1, 15), 12, date(2027, 1, 15)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # end of a shorter month
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 12, 1), 1, date(2027, 1, 1)),  # across the year
        (date(2026, 3, 31), 24, date(2028, 3, 31)),
        (date(2026, 3, 31), None, None),  # never expires
    ],
)
def test_expiry_is_calendar_months_after_completion_end_of_month_safe(completed, months, expires):
    assert rules.expiry_date(completed, months) == expires


@pytest.mark.parametrize(
    ("score", "pass_mark", "passed"),
    [
        (80, 80, True),
        (79, 80, False),
        (100, 80, True),
        (0, 0, True),
        (None, 80, False),
        (None, None, True),
        (10, None, True),
    ],
)
def test_score_passes_when_it_reaches_the_pass_mark(score, pass_mark, passed):
    assert rules.passed(score, pass_mark) is passed


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        ("enrolled", "completed", True),
        ("enrolled", "failed", True),
        ("enrolled", "no_show", True),
        ("enrolled", "cancelled", True),
        ("completed", "cancelled", False),
        ("failed", "completed", False),
        ("no_show", "completed", False),
        ("cancelled", "enrolled", False),
    ],
)
def test_only_an_open_place_changes_state(current, target, allowed):
    assert rules.transition_allowed(current, target) is allowed


def done(on, expires=None):
    return EnrolmentRecord("completed", completed_on=on, expires_on=expires)


def open_place(due=None):
    return EnrolmentRecord("enrolled", due_by=due)


@pytest.mark.parametrize(
    ("records", "required", "required_by", "standing", "shown"),
    [
        # complete: a completion that never expires, or expires after 30 days
        ([done(date(2025, 1, 1))], True, None, Standing.COMPLETE, date(2025, 1, 1)),
        ([done(date(2026, 1, 1), date(2026, 7, 16))], True, None, Standing.COMPLETE, date(2026, 7, 16)),
        # expiring: within 30 days (day 30 included), not yet expired
        ([done(date(2025, 7, 15), date(2026, 7, 15))], True, None, Standing.EXPIRING, date(2026, 7, 15)),
        ([done(date(2025, 6, 16), date(2026, 6, 16))], False, None, Standing.EXPIRING, date(2026, 6, 16)),
        # it still counts on its expiry day, and has expired the day after: overdue
        ([done(date(2025, 6, 15), date(2026, 6, 15))], True, None, Standing.EXPIRING, date(2026, 6, 15)),
        ([done(date(2025, 6, 14), date(2026, 6, 14))], True, None, Standing.OVERDUE, date(2026, 6, 14)),
        ([done(date(2024, 1, 1), date(2025, 1, 1))], False, None, Standing.OVERDUE, date(2025, 1, 1)),
        # the latest completion counts, whatever the order
        (
            [done(date(2026, 5, 1), date(2027, 5, 1)), done(date(2024, 1, 1), date(2025, 1, 1))],
            True,
            None,
            Standing.COMPLETE,
            date(2027, 5, 1),
        ),
        # a renewal booked does not hide a completion still valid
        (
            [done(date(2025, 7, 1), date(2026, 7, 1)), open_place(date(2026, 6, 30))],
            True,
            None,
            Standing.EXPIRING,
            date(2026, 7, 1),
        ),
        # due: required, not done, due date today or later, or none
        ([], True, date(2026, 6, 15), Standing.DUE, date(2026, 6, 15)),
        ([], True, None, Standing.DUE, None),
        ([open_place(date(2026, 7, 1))], False, None, Standing.DUE, date(2026, 7, 1)),
        # the open place's due date wins over the plan's
        ([open_place(date(2026, 7, 1))], True, date(2026, 1, 1), Standing.DUE, date(2026, 7, 1)),
        # overdue: required and the due date passed
        ([], True, date(2026, 6, 14), Standing.OVERDUE, date(2026, 6, 14)),
        ([open_place(date(2026, 6, 1))], False, None, Standing.OVERDUE, date(2026, 6, 1)),
        (
            [EnrolmentRecord("failed"), EnrolmentRecord("no_show")],
            True,
            date(2026, 1, 1),
            Standing.OVERDUE,
            date(2026, 1, 1),
        ),
        # not required
        ([], False, None, Standing.NOT_REQUIRED, None),
        ([EnrolmentRecord("failed")], False, None, Standing.NOT_REQUIRED, None),
    ],
)
def test_standing_on_a_course(records, required, required_by, standing, shown):
    result = rules.course_standing(records, required=required, required_by=required_by, today=TODAY)
    assert (result.standing, result.on) == (standing, shown)
    assert str(result.label) and result.colour


@pytest.mark.parametrize(
    ("expires", "due"),
    [(None, False), (date(2026, 7, 16), False), (date(2026, 7, 15), True), (date(2026, 1, 1), True)],
)
def test_renewal_is_due_thirty_days_before_expiry(expires, due):
    assert rules.renewal_due(expires, TODAY) is due
