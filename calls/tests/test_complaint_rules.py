"""The complaint clock (UK FCA DISP on the English calendar) and the complaint state rules, by tables:
no database."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from calls.models import ComplaintStatus
from calls.rules import complaints as rules
from contactcentre.workdays import add_working_days

LONDON = ZoneInfo("Europe/London")
FCA = rules.PROFILES["fca_disp"]


@pytest.fixture(autouse=True)
def english_calendar(settings):
    settings.HOLIDAY_COUNTRY = "GB"
    settings.HOLIDAY_SUBDIVISION = "ENG"
    settings.WEEKEND_DAYS = (5, 6)
    settings.TIME_ZONE = "Europe/London"


def london(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def close(day: date) -> datetime:
    return london(day.year, day.month, day.day, 23, 59, 59, 999999)


@pytest.mark.parametrize(
    ("received_at", "summary_day", "final_day"),
    [
        # Friday afternoon before the summer bank holiday (Mon 31 Aug): Tue, Wed, Thu.
        pytest.param(
            london(2026, 8, 28, 15, 30), date(2026, 9, 3), date(2026, 10, 23), id="friday-before-bank-holiday"
        ),
        # Christmas Day (Fri) and Boxing Day observed on Mon 28 Dec are not business days.
        pytest.param(london(2026, 12, 23, 10, 0), date(2026, 12, 30), date(2027, 2, 17), id="before-christmas"),
        pytest.param(london(2026, 12, 24, 16, 45), date(2026, 12, 31), date(2027, 2, 18), id="christmas-eve"),
        # New Year's Day (Fri 1 Jan 2027) and the weekend after it.
        pytest.param(london(2026, 12, 30, 9, 0), date(2027, 1, 5), date(2027, 2, 24), id="over-new-year"),
        # Received on a Saturday: the day of receipt is the Saturday; Mon, Tue, Wed follow.
        pytest.param(london(2026, 5, 9, 11, 0), date(2026, 5, 13), date(2026, 7, 4), id="saturday"),
        # Received on a bank holiday (May Day): counted from the day after, like a Saturday.
        pytest.param(london(2026, 5, 4, 12, 0), date(2026, 5, 7), date(2026, 6, 29), id="on-a-bank-holiday"),
        # After hours on a Friday: still Friday's complaint.
        pytest.param(london(2026, 6, 5, 21, 45), date(2026, 6, 10), date(2026, 7, 31), id="friday-evening"),
        # Easter: Good Friday and Easter Monday.
        pytest.param(london(2026, 4, 2, 13, 0), date(2026, 4, 9), date(2026, 5, 28), id="before-easter"),
        # The clocks go forward (Sun 29 Mar 2026) inside the summary window.
        pytest.param(london(2026, 3, 27, 14, 0), date(2026, 4, 1), date(2026, 5, 22), id="clocks-go-forward"),
        # The clocks go back (Sun 25 Oct 2026) inside the eight weeks.
        pytest.param(london(2026, 9, 4, 9, 0), date(2026, 9, 9), date(2026, 10, 30), id="clocks-go-back"),
    ],
)
def test_fca_deadlines_fall_at_the_close_of_the_right_days(received_at, summary_day, final_day):
    deadlines = rules.complaint_deadlines(received_at, FCA)
    assert deadlines.summary_resolution_due == close(summary_day)
    assert deadlines.final_response_due == close(final_day)
    assert deadlines.final_response_due.date() - deadlines.received_on == timedelta(weeks=8)


def test_friday_afternoon_complaint_before_the_summer_bank_holiday_is_due_thursday_night():
    deadlines = rules.complaint_deadlines(london(2026, 8, 28, 15, 30), FCA)
    assert deadlines.received_on == date(2026, 8, 28)
    assert deadlines.summary_resolution_due.isoformat() == "2026-09-03T23:59:59.999999+01:00"
    assert deadlines.final_response_due.isoformat() == "2026-10-23T23:59:59.999999+01:00"


def test_deadlines_are_aware_and_carry_the_offset_of_their_own_day():
    deadlines = rules.complaint_deadlines(london(2026, 9, 4, 9, 0), FCA)
    assert deadlines.summary_resolution_due.utcoffset() == timedelta(hours=1)  # BST
    assert deadlines.final_response_due.utcoffset() == timedelta(0)  # GMT again
    assert deadlines.final_response_due.astimezone(UTC) == datetime(2026, 10, 30, 23, 59, 59, 999999, tzinfo=UTC)
    spring = rules.complaint_deadlines(london(2026, 3, 27, 14, 0), FCA)
    assert spring.summary_resolution_due.astimezone(UTC) == datetime(2026, 4, 1, 22, 59, 59, 999999, tzinfo=UTC)


def test_day_of_receipt_is_the_local_calendar_day_not_the_utc_one():
    # 23:30 UTC on Tuesday is 00:30 on Wednesday in London (BST): a Wednesday complaint.
    deadlines = rules.complaint_deadlines(datetime(2026, 7, 14, 23, 30, tzinfo=UTC), FCA)
    assert deadlines.received_on == date(2026, 7, 15)
    assert deadlines.summary_resolution_due == close(date(2026, 7, 20))


def test_naive_receipt_time_is_refused():
    with pytest.raises(ValueError, match="aware"):
        rules.complaint_deadlines(datetime(2026, 8, 28, 15, 30), FCA)


def test_unknown_profile_is_refused_with_the_known_ones_named():
    with pytest.raises(ValueError, match="fca_disp"):
        rules.profile_get("nowhere")


@pytest.mark.parametrize(
    ("received_at", "summary_reminder", "final_reminder"),
    [
        # One business day before Thu 3 Sep: Wed 2 Sep; five before Fri 23 Oct: Fri 16 Oct.
        (london(2026, 8, 28, 15, 30), london(2026, 9, 2), london(2026, 10, 16)),
        # Summary due Wed 30 Dec: the business day before is Tue 29 Dec (Mon 28 is a bank holiday).
        (london(2026, 12, 23, 10, 0), london(2026, 12, 29), london(2027, 2, 10)),
        # Final due on a Saturday (4 Jul): five business days before is Mon 29 Jun.
        (london(2026, 5, 9, 11, 0), london(2026, 5, 12), london(2026, 6, 29)),
    ],
)
def test_reminders_fall_at_the_start_of_a_business_day_before_each_deadline(
    received_at, summary_reminder, final_reminder
):
    deadlines = rules.complaint_deadlines(received_at, FCA)
    assert deadlines.summary_reminder_at == summary_reminder
    assert deadlines.final_reminder_at == final_reminder


@hypothesis_settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    deadline_day=st.dates(date(2026, 1, 1), date(2027, 12, 31)),
    today=st.dates(date(2026, 1, 1), date(2027, 12, 31)),
    days=st.integers(1, 6),
)
def test_reminder_horizon_matches_the_reminder_day(deadline_day, today, days):
    """The sweep's query (deadline on or before add_working_days(today, n)) finds exactly the deadlines
    whose reminder day (working_days_before(deadline, n)) has come."""
    reminded = rules.working_days_before(deadline_day, days) <= today
    assert reminded == (deadline_day <= add_working_days(today, days))


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        ("open", "acknowledged", True),
        ("open", "resolved", True),
        ("open", "final_response", True),
        ("acknowledged", "resolved", True),
        ("acknowledged", "final_response", True),
        ("acknowledged", "acknowledged", False),
        ("acknowledged", "open", False),
        ("resolved", "final_response", False),
        ("resolved", "acknowledged", False),
        ("final_response", "resolved", False),
        ("final_response", "open", False),
    ],
)
def test_transition_table(current, target, allowed):
    due = london(2026, 9, 3, 23, 59)
    refusal = rules.transition_refusal(current, target, now=london(2026, 9, 1, 10, 0), summary_due=due)
    assert (refusal is None) is allowed


def test_summary_resolution_is_refused_after_the_close_of_the_third_business_day():
    due = close(date(2026, 9, 3))
    assert rules.transition_refusal("open", "resolved", now=due, summary_due=due) is None
    later = due + timedelta(microseconds=1)
    assert (
        rules.transition_refusal("acknowledged", "resolved", now=later, summary_due=due) == rules.SUMMARY_WINDOW_CLOSED
    )
    assert rules.transition_refusal("acknowledged", "final_response", now=later, summary_due=due) is None


@pytest.mark.parametrize(
    ("status", "late", "expected"),
    [
        ("open", False, ["acknowledge", "resolve", "final-response", "assign"]),
        ("open", True, ["acknowledge", "final-response", "assign"]),
        ("acknowledged", False, ["resolve", "final-response", "assign"]),
        ("acknowledged", True, ["final-response", "assign"]),
        ("resolved", False, []),
        ("final_response", True, []),
    ],
)
def test_available_actions(status, late, expected):
    due = close(date(2026, 9, 3))
    now = due + timedelta(hours=1) if late else due - timedelta(hours=1)
    assert rules.available_actions(status, now=now, summary_due=due) == expected


class TestReminderDue:
    RECEIVED = london(2026, 8, 28, 15, 30)

    def due(self, now, status="open", sent=None):
        d = rules.complaint_deadlines(self.RECEIVED, FCA)
        return rules.reminder_due(
            status=status,
            summary_due=d.summary_resolution_due,
            final_due=d.final_response_due,
            reminder_sent_at=sent,
            now=now,
            profile=FCA,
        )

    def test_nothing_before_the_summary_reminder_time(self):
        assert self.due(london(2026, 9, 1, 23, 59)) is None

    def test_summary_reminder_from_the_start_of_the_day_before_the_last(self):
        assert self.due(london(2026, 9, 2, 0, 0)) == "summary"
        assert self.due(london(2026, 9, 3, 18, 0), status="acknowledged") == "summary"

    def test_summary_reminder_once(self):
        assert self.due(london(2026, 9, 3, 9, 0), sent=london(2026, 9, 2, 0, 15)) is None

    def test_no_summary_reminder_once_its_deadline_has_passed(self):
        assert self.due(london(2026, 9, 4, 0, 5)) is None

    def test_final_reminder_a_week_ahead_even_after_a_summary_reminder(self):
        assert self.due(london(2026, 10, 15, 23, 0), sent=london(2026, 9, 2, 0, 15)) is None
        assert self.due(london(2026, 10, 16, 0, 0), sent=london(2026, 9, 2, 0, 15)) == "final"
        assert self.due(london(2026, 10, 16, 0, 0)) == "final"

    def test_final_reminder_once(self):
        assert self.due(london(2026, 10, 20, 9, 0), sent=london(2026, 10, 16, 0, 15)) is None

    def test_closed_complaints_get_no_reminder(self):
        assert self.due(london(2026, 9, 2, 9, 0), status="resolved") is None
        assert self.due(london(2026, 10, 16, 9, 0), status="final_response") is None


@pytest.mark.parametrize(
    ("status", "breached_at", "late", "expected"),
    [
        ("open", None, True, True),
        ("acknowledged", None, True, True),
        ("acknowledged", None, False, False),
        ("acknowledged", london(2026, 10, 24), True, False),  # flagged once
        ("final_response", None, True, False),
        ("resolved", None, True, False),
    ],
)
def test_breach_is_a_final_deadline_missed_while_open(status, breached_at, late, expected):
    due = close(date(2026, 10, 23))
    now = due + timedelta(seconds=1) if late else due
    assert rules.breach_due(status=status, final_due=due, breached_at=breached_at, now=now) is expected


@pytest.mark.parametrize(
    ("status", "now", "expected"),
    [
        ("open", london(2026, 9, 3, 12, 0), False),
        ("open", london(2026, 9, 4, 0, 0), True),  # never acknowledged in the summary window
        ("acknowledged", london(2026, 9, 4, 0, 0), False),
        ("acknowledged", london(2026, 10, 24, 0, 0), True),
        ("resolved", london(2026, 10, 24, 0, 0), False),
    ],
)
def test_overdue(status, now, expected):
    summary_due, final_due = close(date(2026, 9, 3)), close(date(2026, 10, 23))
    assert rules.is_overdue(status, summary_due=summary_due, final_due=final_due, now=now) is expected


def test_deadline_states_for_the_detail_page():
    summary_due, final_due = close(date(2026, 9, 3)), close(date(2026, 10, 23))
    before, after = london(2026, 9, 2, 9, 0), london(2026, 9, 10, 9, 0)
    state = rules.summary_state
    assert state("open", summary_due=summary_due, closed_at=None, acknowledged=False, now=before) == rules.PENDING
    assert state("open", summary_due=summary_due, closed_at=None, acknowledged=False, now=after) == rules.OVERDUE
    assert (
        state("acknowledged", summary_due=summary_due, closed_at=None, acknowledged=True, now=after) == rules.MOVED_ON
    )
    assert state("resolved", summary_due=summary_due, closed_at=before, acknowledged=False, now=after) == rules.MET
    assert rules.final_state(final_due=final_due, closed_at=None, now=after) == rules.PENDING
    assert rules.final_state(final_due=final_due, closed_at=None, now=london(2026, 10, 24)) == rules.OVERDUE
    assert rules.final_state(final_due=final_due, closed_at=london(2026, 10, 24), now=after) == rules.MISSED
    assert rules.final_state(final_due=final_due, closed_at=after, now=after) == rules.MET


def test_reference_names_the_year_of_receipt_and_the_number():
    assert rules.reference_for(123, date(2026, 12, 31)) == "C-2026-000123"
    assert rules.reference_for(1234567, date(2027, 1, 1)) == "C-2027-1234567"


@pytest.mark.parametrize(
    ("count", "contacts", "expected"),
    [(3, 1000, Decimal("3.0")), (7, 2300, Decimal("3.0")), (1, 3, Decimal("333.3")), (5, 0, None)],
)
def test_complaints_per_thousand_contacts(count, contacts, expected):
    assert rules.per_thousand(count, contacts) == expected


def test_percentage_rounds_half_up_and_has_no_value_without_a_base():
    assert rules.percentage(1, 8) == Decimal("12.5")
    assert rules.percentage(2, 3) == Decimal("66.7")
    assert rules.percentage(0, 0) is None


def test_statuses_the_rules_know_are_the_models():
    assert set(rules.COMPLAINT_TRANSITIONS) == set(ComplaintStatus.values)
