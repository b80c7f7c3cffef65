"""What one contact adds to the rollups, and where: the same rule serves the incremental rollups,
their rebuild and the naive computation over raw contacts, so the three cannot disagree.

domain.md: a contact counts in the interval in which it was OFFERED for contacts, offered, answered,
abandoned, service level and ASA, and its handle time (with handled, transfers and FCR) in the
interval in which it ENDED. A telephony call is one a platform reported (not one logged by hand at the
desk); its wrap-up is `calls.rules.telephony.wrap_up_seconds_counted`; an agent's state lasts at most
STATE_MAX (docs/kpis.md)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from calls.models import ContactChannel, Direction

from .kpis import Measures

INTERVAL = timedelta(minutes=15)
REPEAT_WINDOW = timedelta(days=7)  # FCR: no further contact from the member within 7 days
# A day's rollup reads contacts offered up to this long before the day began, for those that ended
# in it (a call offered before midnight and ended after). Longer spans are not expected of calls.
LOOKBACK = timedelta(days=2)
# An agent's state lasts until their next change, or at most this long after it began (an agent who
# never logged out is not "available" for months): docs/kpis.md, "Agent states".
STATE_MAX_HOURS = 16
STATE_MAX = timedelta(hours=STATE_MAX_HOURS)


@dataclass(frozen=True)
class ContactFacts:
    channel: str
    direction: str
    offered_at: datetime | None
    ended_at: datetime | None
    answered_at: datetime | None
    is_abandoned: bool
    is_short_abandon: bool
    wait_seconds: int
    talk_seconds: int
    hold_seconds: int
    wrap_up_seconds: int  # as counted: `wrap_up_seconds_counted`
    transfer_count: int
    identified: bool  # the member is known
    repeated: bool  # a further inbound contact from the member within REPEAT_WINDOW after this one
    resolved_first_contact: bool | None
    threshold_seconds: int  # the queue's answer threshold T (20 s when the contact has no queue)
    # Reported by a telephony platform (`Contact.provider` set); a call logged by hand at the desk
    # has no queue wait to measure: a contact (and a repeat contact), never a telephony call.
    from_telephony: bool


def interval_start(moment: datetime) -> datetime:
    """The start of the 15-minute interval holding `moment` (UTC; every zone this runs in is a
    whole number of quarter hours from UTC, so the intervals are the local ones too)."""
    moment = moment.astimezone(UTC)
    return moment.replace(minute=moment.minute - moment.minute % 15, second=0, microsecond=0)


def local_day(moment: datetime, zone: tzinfo | None = None) -> date:
    """The day `moment` falls on in `zone` (the current time zone when not given: pass it when
    calling for many moments, as looking it up costs more than the conversion)."""
    return timezone.localtime(moment, zone).date()


def state_until(started_at: datetime, following: datetime | None) -> datetime:
    """When an agent's state entry ends: at their next change, or STATE_MAX after it began,
    whichever is first."""
    reach = started_at + STATE_MAX
    return reach if following is None else min(following, reach)


def month_of(day: date) -> date:
    """The first day of the day's month (a monthly rollup's `month`)."""
    return day.replace(day=1)


def month_last(day: date) -> date:
    """The last day of the day's month."""
    return month_of(day) + relativedelta(months=1) - timedelta(days=1)


def is_telephony(facts: ContactFacts) -> bool:
    return facts.from_telephony and facts.channel == ContactChannel.PHONE and facts.direction == Direction.INBOUND


def offered_part(facts: ContactFacts) -> Measures | None:
    """What the contact adds where it was offered (None: not yet offered)."""
    if facts.offered_at is None:
        return None
    m = Measures(contacts=1)
    if not is_telephony(facts):
        return m
    within = facts.wait_seconds <= facts.threshold_seconds
    if facts.is_abandoned:
        if facts.is_short_abandon:
            m.short_abandoned = 1
        else:
            m.offered = m.abandoned = 1
            m.abandoned_in_threshold = int(within)
    elif facts.answered_at is not None:
        m.offered = m.answered = 1
        m.answered_in_threshold = int(within)
        m.wait_answered_seconds = facts.wait_seconds
    # Still waiting or ringing: counted when it is answered or abandoned.
    return m


def ended_part(facts: ContactFacts) -> Measures | None:
    """What the contact adds where it ended: handled calls (inbound, answered, ended) only."""
    if not is_telephony(facts) or facts.answered_at is None or facts.ended_at is None:
        return None
    return Measures(
        handled=1,
        talk_seconds=facts.talk_seconds,
        hold_seconds=facts.hold_seconds,
        wrap_up_seconds=facts.wrap_up_seconds,
        transferred=int(facts.transfer_count > 0),
        fcr_eligible=int(facts.identified),
        fcr_resolved=int(facts.identified and not facts.repeated),
        agent_fcr_answered=int(facts.resolved_first_contact is not None),
        agent_fcr_yes=int(facts.resolved_first_contact is True),
    )


def days_touched(offered_at: datetime | None, ended_at: datetime | None, *, identified: bool) -> set[date]:
    """The local days whose rollups a change to this contact can move: where it was offered and
    ended, and, for a known member, the REPEAT_WINDOW before (their earlier calls' FCR)."""
    zone = timezone.get_current_timezone()
    days = {local_day(moment, zone) for moment in (offered_at, ended_at) if moment is not None}
    if identified and offered_at is not None:
        first = local_day(offered_at - REPEAT_WINDOW, zone)
        days |= {first + timedelta(days=n) for n in range((local_day(offered_at, zone) - first).days)}
    return days
