"""Pure rules for employment records: the state of a nurse's registration, and retention maths
(headcount, attrition, early attrition, tenure) on plain data, with no database.

Definitions (docs/people/employees.md says them in words):

- A person is *employed on a day* when their start date is on or before it and they have no leaving
  date or their leaving date (their last day) is on or after it.
- *Headcount on a day*: the people employed on that day. *Average headcount over a period*: the mean
  of the daily headcounts over the period's days, i.e. person-days employed in the period divided by
  the number of days in the period.
- *Leavers in a period*: people whose leaving date falls in the period (both ends included).
- *Attrition rate*: leavers in the period / average headcount over the period, as a percentage.
- *Early leaver*: a leaver whose leaving date is fewer than 90 days after their start date.
- *Starters in a period*: people whose start date falls in the period.
- *Early attrition*: early leavers in the period, as a share of starters in the period and as a share
  of leavers in the period.
- *Tenure* of a leaver: days from start date to leaving date; average tenure is their mean.
"""

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from calls.rules.complaints import percentage

EXPIRY_WARNING_DAYS = 60
EARLY_LEAVER_DAYS = 90

VALID, EXPIRING, EXPIRED = "valid", "expiring", "expired"


def registration_state(expires_on: date | None, *, today: date) -> str:
    """A registration's state on `today`: expired once its expiry date has passed (it is valid on the
    day itself), expiring when it expires within the next 60 days, otherwise valid."""
    if expires_on is None:
        return VALID
    if expires_on < today:
        return EXPIRED
    if expires_on <= today + timedelta(days=EXPIRY_WARNING_DAYS):
        return EXPIRING
    return VALID


@dataclass(frozen=True)
class Span:
    """One employment: when it started and (for a leaver) the last day, with what it is grouped by."""

    start_date: date
    left_on: date | None = None
    reason: str = ""
    site: Hashable = None
    team: Hashable = None


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("A period ends on or after it starts.")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __contains__(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end


def days_employed(span: Span, period: Period) -> int:
    """How many of the period's days the person was employed on."""
    first = max(span.start_date, period.start)
    last = min(span.left_on or period.end, period.end)
    return max((last - first).days + 1, 0)


def headcount_on(spans: Iterable[Span], day: date) -> int:
    return sum(1 for s in spans if s.start_date <= day and (s.left_on is None or s.left_on >= day))


def average_headcount(spans: Iterable[Span], period: Period) -> Decimal:
    """Person-days employed in the period / days in the period, to two decimal places."""
    person_days = sum(days_employed(s, period) for s in spans)
    return (Decimal(person_days) / period.days).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def tenure_days(span: Span) -> int | None:
    return (span.left_on - span.start_date).days if span.left_on else None


def is_early_leaver(span: Span) -> bool:
    days = tenure_days(span)
    return days is not None and days < EARLY_LEAVER_DAYS


@dataclass(frozen=True)
class Attrition:
    """Retention figures for one group of people (everyone, a site or a team) over a period."""

    key: Hashable
    average_headcount: Decimal
    leavers: int
    attrition_rate: Decimal | None  # percent of the average headcount; None with no headcount
    starters: int
    early_leavers: int
    early_share_of_starters: Decimal | None
    early_share_of_leavers: Decimal | None
    average_tenure_days: Decimal | None


def attrition(spans: Iterable[Span], period: Period, key: Hashable = None) -> Attrition:
    spans = list(spans)
    leavers = [s for s in spans if s.left_on in period]
    early = sum(1 for s in leavers if is_early_leaver(s))
    starters = sum(1 for s in spans if s.start_date in period)
    headcount = average_headcount(spans, period)
    tenures = [tenure_days(s) for s in leavers]
    return Attrition(
        key=key,
        average_headcount=headcount,
        leavers=len(leavers),
        attrition_rate=percentage(len(leavers), headcount),
        starters=starters,
        early_leavers=early,
        early_share_of_starters=percentage(early, starters),
        early_share_of_leavers=percentage(early, len(leavers)),
        average_tenure_days=(
            (Decimal(sum(tenures)) / len(tenures)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if tenures else None
        ),
    )


def attrition_by(spans: Iterable[Span], period: Period, group: Callable[[Span], Hashable]) -> list[Attrition]:
    """Attrition per group (e.g. `lambda s: s.site`), for groups with anyone employed in the period
    or leaving in it, in the order the groups first appear."""
    groups: dict[Hashable, list[Span]] = {}
    for span in spans:
        if days_employed(span, period) or span.left_on in period:
            groups.setdefault(group(span), []).append(span)
    return [attrition(members, period, key) for key, members in groups.items()]


def leavers_by_reason(spans: Iterable[Span], period: Period) -> dict[str, int]:
    """Leavers in the period per reason, the most common first (ties by reason)."""
    counts: dict[str, int] = {}
    for span in spans:
        if span.left_on in period:
            counts[span.reason] = counts.get(span.reason, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
