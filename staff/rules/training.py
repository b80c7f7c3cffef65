"""Training's pure rules: when a completion expires, whether a score passes, which enrolment states
may follow which, and a person's standing on a course (complete, expiring, due, overdue, not
required) from their records. Plain data in, plain data out; no database."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

# A completion that expires within this many days is "expiring": time to book the renewal.
EXPIRING_WITHIN_DAYS = 30

# Enrolment statuses (the values of staff.models.EnrolmentStatus), repeated here as plain strings so
# that the rules need no models.
ENROLLED, COMPLETED, FAILED, NO_SHOW, CANCELLED = "enrolled", "completed", "failed", "no_show", "cancelled"

# Only an open place moves; every way it ends is final (a failed or missed course is a new enrolment).
ENROLMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    ENROLLED: frozenset({COMPLETED, FAILED, NO_SHOW, CANCELLED}),
    COMPLETED: frozenset(),
    FAILED: frozenset(),
    NO_SHOW: frozenset(),
    CANCELLED: frozenset(),
}

# A place in a session is taken by every enrolment except a cancelled one (a no-show still sat in
# the room's count on the day).
PLACE_TAKING = frozenset({ENROLLED, COMPLETED, FAILED, NO_SHOW})


class Standing(StrEnum):
    COMPLETE = "complete"
    EXPIRING = "expiring"
    DUE = "due"
    OVERDUE = "overdue"
    NOT_REQUIRED = "not_required"


STANDING_LABELS = {
    Standing.COMPLETE: _("Complete"),
    Standing.EXPIRING: _("Expiring"),
    Standing.DUE: _("Due"),
    Standing.OVERDUE: _("Overdue"),
    Standing.NOT_REQUIRED: _("Not required"),
}
# Bootstrap contextual colours; the label is always shown beside the colour.
STANDING_COLOURS = {
    Standing.COMPLETE: "success",
    Standing.EXPIRING: "warning",
    Standing.DUE: "info",
    Standing.OVERDUE: "danger",
    Standing.NOT_REQUIRED: "secondary",
}


@dataclass(frozen=True)
class EnrolmentRecord:
    status: str
    due_by: date | None = None
    completed_on: date | None = None
    expires_on: date | None = None


@dataclass(frozen=True)
class CourseStanding:
    standing: Standing
    # The date that matters for the standing: the expiry for a completion, the due date otherwise.
    on: date | None = None
    completed_on: date | None = None
    expires_on: date | None = None
    due_by: date | None = None

    @property
    def label(self):
        return STANDING_LABELS[self.standing]

    @property
    def colour(self) -> str:
        return STANDING_COLOURS[self.standing]


def add_months(day: date, months: int) -> date:
    """`day` plus calendar months; the 31st of a shorter month is its last day (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expiry_date(completed_on: date, renewal_months: int | None) -> date | None:
    """When a completion stops counting: so many calendar months after it; never without a renewal."""
    return add_months(completed_on, renewal_months) if renewal_months else None


def passed(score: int | None, pass_mark: int | None) -> bool:
    """A course without an assessment is passed by attending; otherwise the score must reach the mark."""
    if pass_mark is None:
        return True
    return score is not None and score >= pass_mark


def transition_allowed(current: str, new: str) -> bool:
    return new in ENROLMENT_TRANSITIONS.get(current, frozenset())


def is_expired(expires_on: date | None, today: date) -> bool:
    """A certificate counts on its expiry day itself and has expired the day after (as a nursing
    registration does in staff.rules.employees)."""
    return expires_on is not None and expires_on < today


def course_standing(
    records: list[EnrolmentRecord], *, required: bool, required_by: date | None, today: date
) -> CourseStanding:
    """A person's standing on one course.

    - complete: their latest completion has not expired and does not expire within 30 days;
    - expiring: it expires within the next 30 days;
    - overdue: the certificate has expired, or the course is required and its due date has passed;
    - due: required (by their job's induction plan, or an open place) and the due date not passed;
    - not required: none of these.
    The due date is the open place's, else `required_by` (the induction plan's)."""
    completions = [r for r in records if r.status == COMPLETED and r.completed_on]
    latest = max(completions, key=lambda r: r.completed_on, default=None)
    open_place = next((r for r in records if r.status == ENROLLED), None)
    due_by = (open_place.due_by if open_place else None) or required_by
    if latest is not None:
        dates = {"completed_on": latest.completed_on, "expires_on": latest.expires_on, "due_by": due_by}
        if latest.expires_on is None or latest.expires_on > today + timedelta(days=EXPIRING_WITHIN_DAYS):
            return CourseStanding(Standing.COMPLETE, latest.expires_on or latest.completed_on, **dates)
        if not is_expired(latest.expires_on, today):
            return CourseStanding(Standing.EXPIRING, latest.expires_on, **dates)
        return CourseStanding(Standing.OVERDUE, latest.expires_on, **dates)
    if not (required or open_place):
        return CourseStanding(Standing.NOT_REQUIRED)
    if due_by is not None and due_by < today:
        return CourseStanding(Standing.OVERDUE, due_by, due_by=due_by)
    return CourseStanding(Standing.DUE, due_by, due_by=due_by)


def renewal_due(expires_on: date | None, today: date) -> bool:
    """A completion whose renewal should be planned now: expiring within 30 days, or already expired."""
    return expires_on is not None and expires_on <= today + timedelta(days=EXPIRING_WITHIN_DAYS)
