"""Complaint rules with no database: the regulatory deadline profiles and the clock they set, the state
table, which actions a complaint allows, when a reminder or a breach is due, and the report's maths.

The default profile is the UK FCA's (DISP):
- A complaint resolved by the close of the third business day after the day of receipt may be closed
  with a summary resolution communication (DISP 1.5). The day of receipt is the calendar day the
  complaint arrived in the installation's time zone, even outside business hours or on a non-business
  day; the business days are counted after it, on the working-day calendar of contactcentre.workdays.
- Otherwise a final response is due by the end of eight weeks after receipt (DISP 1.6.2): the close of
  the day 56 calendar days after the day of receipt (weeks are calendar weeks; a weekend or bank
  holiday does not move it).
- "Close" of a day is 23:59:59.999999 of that day in settings.TIME_ZONE; every datetime here is aware.

Reminders (our choice; DISP sets none): one before each deadline, at the start (00:00) of a business
day before the deadline's day: one business day before the summary deadline (so the owner has the
whole of the last two days) and five business days (a working week) before the final response.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from contactcentre.workdays import add_working_days, is_working_day

from ..models.complaints import ComplaintOutcome, ComplaintStatus


@dataclass(frozen=True)
class DeadlineProfile:
    code: str
    label: str
    summary_business_days: int  # summary resolution by the close of this business day after receipt
    final_response_weeks: int  # final response by the close of the day this many weeks after receipt
    summary_reminder_business_days: int = 1  # the reminder: at the start of the business day this many before
    final_reminder_business_days: int = 5


FCA_DISP = DeadlineProfile(
    code="fca_disp",
    label=_("UK FCA DISP (summary resolution in 3 business days, final response in 8 weeks)"),
    summary_business_days=3,
    final_response_weeks=8,
)

# Every profile an installation may choose with settings.COMPLAINT_PROFILE; a complaint keeps the code
# of the profile it was received under (Complaint.profile), so changing the setting never moves the
# deadlines of complaints already open.
PROFILES: dict[str, DeadlineProfile] = {FCA_DISP.code: FCA_DISP}
DEFAULT_PROFILE = FCA_DISP.code


def profile_get(code: str) -> DeadlineProfile:
    try:
        return PROFILES[code]
    except KeyError:
        raise ValueError(f"Unknown complaint profile {code!r}; known: {', '.join(sorted(PROFILES))}") from None


@dataclass(frozen=True)
class Deadlines:
    received_on: date  # the day of receipt, in the installation's time zone
    summary_resolution_due: datetime
    final_response_due: datetime
    summary_reminder_at: datetime
    final_reminder_at: datetime


def _zone(tz: ZoneInfo | None) -> ZoneInfo:
    return tz or ZoneInfo(settings.TIME_ZONE)


def close_of(day: date, tz: ZoneInfo | None = None) -> datetime:
    """The last instant of `day` where the installation is (never ambiguous: clocks change at night)."""
    return datetime.combine(day, time.max, tzinfo=_zone(tz))


def start_of(day: date, tz: ZoneInfo | None = None) -> datetime:
    return datetime.combine(day, time.min, tzinfo=_zone(tz))


def working_days_before(day: date, days: int) -> date:
    """The business day `days` business days before `day` (the mirror of add_working_days)."""
    current = day
    while days > 0:
        current -= timedelta(days=1)
        if is_working_day(current):
            days -= 1
    return current


def reminder_times(
    summary_due: datetime, final_due: datetime, profile: DeadlineProfile, tz: ZoneInfo | None = None
) -> tuple[datetime, datetime]:
    """When the reminders for these deadlines fall: worked out from the deadlines as stored."""
    zone = _zone(tz)
    summary_day = summary_due.astimezone(zone).date()
    final_day = final_due.astimezone(zone).date()
    return (
        start_of(working_days_before(summary_day, profile.summary_reminder_business_days), zone),
        start_of(working_days_before(final_day, profile.final_reminder_business_days), zone),
    )


def complaint_deadlines(received_at: datetime, profile: DeadlineProfile, tz: ZoneInfo | None = None) -> Deadlines:
    if received_at.tzinfo is None:
        raise ValueError("received_at must be an aware datetime")
    zone = _zone(tz)
    received_on = received_at.astimezone(zone).date()
    summary_due = close_of(add_working_days(received_on, profile.summary_business_days), zone)
    final_due = close_of(received_on + timedelta(weeks=profile.final_response_weeks), zone)
    summary_reminder_at, final_reminder_at = reminder_times(summary_due, final_due, profile, zone)
    return Deadlines(received_on, summary_due, final_due, summary_reminder_at, final_reminder_at)


def reminder_horizon(now: datetime, business_days: int, tz: ZoneInfo | None = None) -> datetime:
    """The latest deadline whose reminder (`business_days` before it) has fallen due by `now`: a deadline
    on day D is reminded from the start of working_days_before(D, n), which is on or before today exactly
    when D is on or before add_working_days(today, n). The sweep's query uses it."""
    zone = _zone(tz)
    return close_of(add_working_days(now.astimezone(zone).date(), business_days), zone)


# --- The state machine ------------------------------------------------------------------------
OPEN_STATUSES = frozenset({ComplaintStatus.OPEN, ComplaintStatus.ACKNOWLEDGED})

# Acknowledge an open complaint; resolve it in the summary window; or send the final response.
# Resolved and final-response complaints are closed: a member who comes back unhappy is a new complaint.
COMPLAINT_TRANSITIONS: dict[str, frozenset[str]] = {
    ComplaintStatus.OPEN: frozenset(
        {ComplaintStatus.ACKNOWLEDGED, ComplaintStatus.RESOLVED, ComplaintStatus.FINAL_RESPONSE}
    ),
    ComplaintStatus.ACKNOWLEDGED: frozenset({ComplaintStatus.RESOLVED, ComplaintStatus.FINAL_RESPONSE}),
    ComplaintStatus.RESOLVED: frozenset(),
    ComplaintStatus.FINAL_RESPONSE: frozenset(),
}

# The browser's actions: slug -> (permission, target status; None for a change that keeps the status).
COMPLAINT_ACTIONS: dict[str, tuple[str, str | None]] = {
    "acknowledge": ("calls.change_complaint", ComplaintStatus.ACKNOWLEDGED),
    "resolve": ("calls.change_complaint", ComplaintStatus.RESOLVED),
    "final-response": ("calls.respond_complaint", ComplaintStatus.FINAL_RESPONSE),
    "assign": ("calls.change_complaint", None),
}

NOT_ALLOWED = "not_allowed"
SUMMARY_WINDOW_CLOSED = "summary_window_closed"


def transition_refusal(current: str, target: str, *, now: datetime, summary_due: datetime) -> str | None:
    """Why the move is refused (NOT_ALLOWED, SUMMARY_WINDOW_CLOSED), or None when it is allowed. A summary
    resolution is only for complaints resolved by the close of the summary deadline (DISP 1.5); after it
    the complaint needs a final response."""
    if target not in COMPLAINT_TRANSITIONS.get(current, frozenset()):
        return NOT_ALLOWED
    if target == ComplaintStatus.RESOLVED and now > summary_due:
        return SUMMARY_WINDOW_CLOSED
    return None


def available_actions(status: str, *, now: datetime, summary_due: datetime) -> list[str]:
    """The actions the complaint allows now, in COMPLAINT_ACTIONS' order (permissions aside)."""
    names = []
    for name, (_permission, target) in COMPLAINT_ACTIONS.items():
        if target is None:
            if status in OPEN_STATUSES:
                names.append(name)
        elif transition_refusal(status, target, now=now, summary_due=summary_due) is None:
            names.append(name)
    return names


# --- The clock ----------------------------------------------------------------------------------
def reminder_due(
    *,
    status: str,
    summary_due: datetime,
    final_due: datetime,
    reminder_sent_at: datetime | None,
    now: datetime,
    profile: DeadlineProfile,
) -> str | None:
    """ "summary" or "final" when that deadline's reminder is due now and not yet sent, else None.
    One reminder per deadline, recorded in the one `reminder_sent_at`: a reminder sent at or after a
    deadline's reminder time counts as that deadline's. No reminder for a deadline already past (the
    summary window has then closed; a missed final response is a breach, flagged separately)."""
    if status not in OPEN_STATUSES:
        return None
    summary_at, final_at = reminder_times(summary_due, final_due, profile)
    for kind, at, due in (("summary", summary_at, summary_due), ("final", final_at, final_due)):
        if at <= now <= due and (reminder_sent_at is None or reminder_sent_at < at):
            return kind
    return None


def breach_due(*, status: str, final_due: datetime, breached_at: datetime | None, now: datetime) -> bool:
    """A complaint still without its final response after the final deadline is a breach, flagged once.
    Passing the summary deadline is not a breach (the complaint moves to the eight-week track); an open
    complaint not acknowledged by then shows as overdue (is_overdue) until it is."""
    return status in OPEN_STATUSES and breached_at is None and now > final_due


def is_overdue(status: str, *, summary_due: datetime, final_due: datetime, now: datetime) -> bool:
    """Needs doing now: not acknowledged by the close of the summary window, or past the final deadline."""
    if status == ComplaintStatus.OPEN and now > summary_due:
        return True
    return status in OPEN_STATUSES and now > final_due


# Each deadline's state on the detail page.
MET, MISSED, PENDING, OVERDUE, MOVED_ON = "met", "missed", "pending", "overdue", "moved_on"


def summary_state(
    status: str, *, summary_due: datetime, closed_at: datetime | None, acknowledged: bool, now: datetime
) -> str:
    """MET when closed in the window; else PENDING while it is open; after it, MOVED_ON to the final
    response (acknowledged) or OVERDUE (never acknowledged)."""
    if closed_at is not None and closed_at <= summary_due:
        return MET
    if now <= summary_due and status in OPEN_STATUSES:
        return PENDING
    return MOVED_ON if acknowledged or closed_at is not None else OVERDUE


def final_state(*, final_due: datetime, closed_at: datetime | None, now: datetime) -> str:
    if closed_at is not None:
        return MET if closed_at <= final_due else MISSED
    return PENDING if now <= final_due else OVERDUE


def reference_for(number: int, received_on: date) -> str:
    """C-2026-000123: the year of receipt and the complaint's number (its primary key, hence unique)."""
    return f"C-{received_on.year}-{number:06d}"


# --- Report maths -------------------------------------------------------------------------------
UPHELD_OUTCOMES = frozenset({ComplaintOutcome.UPHELD, ComplaintOutcome.PARTLY_UPHELD})


def per_thousand(count: int, contacts: int) -> Decimal | None:
    """Complaints per 1,000 contacts, to one decimal place; None with no contacts to divide by."""
    if contacts <= 0:
        return None
    return (Decimal(count) * 1000 / Decimal(contacts)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def percentage(part: int, whole: int) -> Decimal | None:
    if whole <= 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
