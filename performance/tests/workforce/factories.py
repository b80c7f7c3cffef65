"""Records for the workforce tests: interval rollups of a queue's calls, agents' days, shifts."""

from datetime import date, datetime, time

from django.utils import timezone

from performance.models import AgentDailyRollup, AgentStateDaily, DailyRollup, IntervalRollup, RosterShift
from performance.services.rollups_monthly import months_rollup


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """Local time, aware."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def offered(queue, day: date, hour: int, minute: int, calls: int, *, site=None) -> IntervalRollup:
    """The interval starting at local `hour:minute` on `day` had `calls` offered."""
    return IntervalRollup.objects.create(
        start=at(day, hour, minute), queue=queue, site=site, offered=calls, answered=calls, contacts=calls
    )


def handled(queue, day: date, *, calls: int, talk: int, hold: int = 0, wrap_up: int = 0) -> DailyRollup:
    row = DailyRollup.objects.create(
        day=day, queue=queue, handled=calls, talk_seconds=talk, hold_seconds=hold, wrap_up_seconds=wrap_up
    )
    months_rollup([day])
    return row


def agent_day(agent, queue, day: date, *, working: int, away: int) -> None:
    """The agent handled the queue's calls on `day`, with `working` seconds available or on calls
    and `away` on breaks or training."""
    AgentDailyRollup.objects.create(day=day, agent=agent, queue=queue, handled=1)
    AgentStateDaily.objects.create(day=day, agent=agent, available_seconds=working, break_seconds=away)
    months_rollup([day])


def shift(agent, queue, starts_at: datetime, ends_at: datetime) -> RosterShift:
    return RosterShift.objects.create(agent=agent, queue=queue, starts_at=starts_at, ends_at=ends_at)
