"""Reads for workforce planning: the roster, a queue's offered-call history from the interval
rollups, its recent AHT and shrinkage, and the staffing of one queue on one day (forecast, Erlang C,
rostered agents, the gap). The method is in docs/performance/workforce.md."""

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Min, Q, QuerySet, Sum
from django.utils import timezone

from calls.models import Queue

from ..models import AgentDailyRollup, AgentIntervalRollup, AgentStateDaily, IntervalRollup, RosterShift
from ..rules import erlang, forecast, kpis
from ..rules.rollups import INTERVAL
from .kpis import Period, Scope, measures

User = get_user_model()

RECENT_DAYS = 28  # the window AHT and shrinkage are read from
BACKTEST_DAYS = 7  # forecast accuracy: the days before the staffing day, each forecast as it would have been
DEFAULT_AHT_SECONDS = 300  # no handled call in the window
DEFAULT_SHRINKAGE = 0.30  # no agent-state history in the window
MAX_TARGET, MIN_TARGET = 0.99, 0.01  # Erlang C staffs for a share strictly between 0 and 1


def default_aht_seconds() -> float:
    return float(getattr(settings, "PERFORMANCE_DEFAULT_AHT_SECONDS", DEFAULT_AHT_SECONDS))


def default_shrinkage() -> float:
    return float(getattr(settings, "PERFORMANCE_DEFAULT_SHRINKAGE", DEFAULT_SHRINKAGE))


# --- the roster ----------------------------------------------------------------------------------


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """Local midnight to the next local midnight, aware (23 or 25 hours on the clock-change days)."""
    return (
        timezone.make_aware(datetime.combine(day, time.min)),
        timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min)),
    )


def intervals_of(day: date) -> list[datetime]:
    """The starts of the day's 15-minute intervals (92, 96 or 100 of them)."""
    start, end = day_bounds(day)
    count = int((end - start) / INTERVAL)
    return [start + k * INTERVAL for k in range(count)]


def roster_agents() -> QuerySet:
    """Whom a shift can be for: active people who work the agent desk (agents, nurses, team leaders)."""
    return (
        User.objects.filter(
            is_active=True,
            groups__permissions__codename="use_agent_desk",
            groups__permissions__content_type__app_label="staff",
        )
        .distinct()
        .order_by("full_name")
    )


def roster_queues() -> QuerySet[Queue]:
    return Queue.objects.filter(is_active=True).order_by("name")


def shifts_on(day: date, *, queue_id: int | None = None) -> QuerySet[RosterShift]:
    """The shifts that overlap `day` (a night shift shows on both days), one query."""
    start, end = day_bounds(day)
    shifts = RosterShift.objects.filter(starts_at__lt=end, ends_at__gt=start)
    if queue_id is not None:
        shifts = shifts.filter(queue_id=queue_id)
    return shifts.select_related("agent", "queue").order_by("starts_at", "agent__full_name", "pk")


def roster_day(day: date, *, queue_id: int | None = None) -> list[RosterShift]:
    """The roster page's shifts, each with its `hours`."""
    shifts = list(shifts_on(day, queue_id=queue_id))
    for shift in shifts:
        shift.hours = (shift.ends_at - shift.starts_at) / timedelta(hours=1)
    return shifts


def scheduled_per_interval(day: date, queue_id: int) -> dict[datetime, float]:
    """Agents rostered on the queue per interval: each shift counts the share of the interval it
    covers (a shift ending at 09:10 is 2/3 of an agent from 09:00 to 09:15)."""
    starts = intervals_of(day)
    cover = dict.fromkeys(starts, 0.0)
    for shift_start, shift_end in shifts_on(day, queue_id=queue_id).values_list("starts_at", "ends_at"):
        for start in starts:
            overlap = min(shift_end, start + INTERVAL) - max(shift_start, start)
            if overlap > timedelta(0):
                cover[start] += overlap / INTERVAL
    return cover


def agents_per_interval(day: date, queue_id: int) -> dict[datetime, int]:
    """How many agents took the queue's calls in each interval (answered one offered in it, or
    handled one that ended in it), from the agents' interval rollups: one grouped query."""
    start, end = day_bounds(day)
    rows = (
        AgentIntervalRollup.objects.filter(queue_id=queue_id, start__gte=start, start__lt=end)
        .filter(Q(answered__gt=0) | Q(handled__gt=0))
        .values("start")
        .annotate(agents=Count("agent", distinct=True))
        .order_by()
    )
    return {row["start"]: row["agents"] for row in rows}


# --- history -------------------------------------------------------------------------------------


def offered_history(queue_id: int, first: date, last: date) -> dict[date, dict[time, float]]:
    """Calls offered to the queue per local day and local time of day, all sites together."""
    start, _ = day_bounds(first)
    _, end = day_bounds(last)
    rows = (
        IntervalRollup.objects.filter(queue_id=queue_id, start__gte=start, start__lt=end)
        .values("start")
        .annotate(calls=Sum("offered"))
        .values_list("start", "calls")
    )
    history: dict[date, dict[time, float]] = {}
    for moment, calls in rows:
        local = timezone.localtime(moment)
        slots = history.setdefault(local.date(), {})
        slots[local.time()] = slots.get(local.time(), 0.0) + calls  # the hour repeated in October adds up
    return history


def history_first_day(queue_id: int) -> date | None:
    """The local day of the queue's first rollup interval (None: no history)."""
    first = IntervalRollup.objects.filter(queue_id=queue_id).aggregate(first=Min("start"))["first"]
    return timezone.localtime(first).date() if first else None


def recent_aht(queue_id: int, as_of: date) -> float | None:
    """The queue's AHT over the RECENT_DAYS before `as_of`, from the daily rollups."""
    period = Period(as_of - timedelta(days=RECENT_DAYS), as_of - timedelta(days=1))
    return kpis.aht_seconds(measures(period, Scope(queue_id=queue_id)))


def recent_shrinkage(queue_id: int, as_of: date) -> float | None:
    """1 - time available for contacts / logged-in time, over the RECENT_DAYS before `as_of`, of the
    agents who handled the queue's calls then (breaks and training are the shrinkage; time logged
    off, absence included, is not seen by the state timeline)."""
    first, last = as_of - timedelta(days=RECENT_DAYS), as_of - timedelta(days=1)
    agents = AgentDailyRollup.objects.filter(queue_id=queue_id, day__gte=first, day__lte=last).values("agent_id")
    sums = AgentStateDaily.objects.filter(day__gte=first, day__lte=last, agent_id__in=agents).aggregate(
        available=Sum("available_seconds"),
        on_call=Sum("on_call_seconds"),
        wrap_up=Sum("wrap_up_seconds"),
        away=Sum("break_seconds"),
        training=Sum("training_seconds"),
    )
    working = (sums["available"] or 0) + (sums["on_call"] or 0) + (sums["wrap_up"] or 0)
    away = (sums["away"] or 0) + (sums["training"] or 0)
    if working + away == 0:
        return None
    return away / (working + away)


# --- the staffing page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffingRow:
    start: datetime
    forecast: float
    actual: int | None  # None: the interval has not ended
    took_calls: int | None  # agents who took the queue's calls in it (None: not ended)
    required: int  # on the phones, by Erlang C
    rostered_required: int  # after shrinkage
    scheduled: float
    gap: float  # scheduled - rostered_required: below 0, short
    predicted_service_level: float | None  # with the scheduled agents, less shrinkage
    traffic: float

    @property
    def is_empty(self) -> bool:
        return not (self.forecast or self.actual or self.scheduled)


@dataclass(frozen=True)
class StaffingDay:
    queue: Queue
    day: date
    rows: list[StaffingRow]
    forecast: forecast.DayForecast
    aht_seconds: float
    aht_from_history: bool
    shrinkage: float
    shrinkage_from_history: bool
    threshold_seconds: int
    target: float
    accuracy_day: float | None  # WAPE over the day's ended intervals
    accuracy_week: float | None  # WAPE over the BACKTEST_DAYS before, each forecast as it was then

    @property
    def shown(self) -> list[StaffingRow]:
        return [row for row in self.rows if not row.is_empty]

    @property
    def forecast_total(self) -> float:
        return sum(row.forecast for row in self.rows)

    @property
    def actual_total(self) -> int | None:
        ended = [row.actual for row in self.rows if row.actual is not None]
        return sum(ended) if ended else None

    @property
    def required_hours(self) -> float:
        return sum(row.rostered_required for row in self.rows) * INTERVAL / timedelta(hours=1)

    @property
    def scheduled_hours(self) -> float:
        return sum(row.scheduled for row in self.rows) * INTERVAL / timedelta(hours=1)

    @property
    def short_intervals(self) -> int:
        return sum(1 for row in self.rows if row.gap < 0)

    @property
    def peak_required(self) -> int:
        return max((row.rostered_required for row in self.rows), default=0)


def queue_target(queue: Queue) -> float:
    return min(max(queue.service_level_target / 100, MIN_TARGET), MAX_TARGET)


def _row(start, calls, actual, took_calls, scheduled, *, aht, threshold, target, shrinkage) -> StaffingRow:
    need = erlang.staffing(
        contacts=calls,
        interval_seconds=INTERVAL.total_seconds(),
        aht_seconds=aht,
        threshold_seconds=threshold,
        target=target,
        shrinkage=round(shrinkage, 4),
    )
    predicted = None
    if need.traffic_erlangs > 0:
        on_phones = math.floor(scheduled * (1 - shrinkage) + 1e-9)
        predicted = erlang.at_staffing(on_phones, need.traffic_erlangs, aht, threshold)[1]
    return StaffingRow(
        start=start,
        forecast=calls,
        actual=actual,
        took_calls=took_calls,
        required=need.agents,
        rostered_required=need.rostered,
        scheduled=scheduled,
        gap=scheduled - need.rostered,
        predicted_service_level=predicted,
        traffic=need.traffic_erlangs,
    )


def staffing_day(queue: Queue, day: date, *, now: datetime | None = None) -> StaffingDay:
    """One queue's day, interval by interval: a handful of queries, whatever the history or roster."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    as_of = min(day, today)
    first_day = history_first_day(queue.pk)
    backtest = [as_of - timedelta(days=k) for k in range(BACKTEST_DAYS, 0, -1)]
    read_from = forecast.history_needed(backtest[0], as_of=backtest[0])[0]
    history = offered_history(queue.pk, read_from, max(day, as_of)) if first_day else {}

    plan = forecast.forecast_day(day, history, as_of=as_of, first_day=first_day)
    aht = recent_aht(queue.pk, as_of)
    shrinkage = recent_shrinkage(queue.pk, as_of)
    target = queue_target(queue)
    scheduled = scheduled_per_interval(day, queue.pk)
    took_calls = agents_per_interval(day, queue.pk)
    day_actuals = history.get(day, {})
    rows = []
    for start in intervals_of(day):
        local = timezone.localtime(start).time()
        ended = start + INTERVAL <= now
        rows.append(
            _row(
                start,
                plan.at(local),
                int(day_actuals.get(local, 0)) if ended else None,
                took_calls.get(start, 0) if ended else None,
                scheduled[start],
                aht=aht or default_aht_seconds(),
                threshold=queue.answer_threshold_seconds,
                target=target,
                shrinkage=default_shrinkage() if shrinkage is None else shrinkage,
            )
        )
    past = [(row.forecast, row.actual) for row in rows if row.actual is not None]
    week = []
    for past_day in backtest:
        if first_day is None or past_day < first_day:
            continue
        then = forecast.forecast_day(past_day, history, as_of=past_day, first_day=first_day)
        if then.has_history:
            week += [(then.at(moment), calls) for moment, calls in _all_slots(history, then, past_day)]
    return StaffingDay(
        queue=queue,
        day=day,
        rows=rows,
        forecast=plan,
        aht_seconds=aht or default_aht_seconds(),
        aht_from_history=aht is not None,
        shrinkage=default_shrinkage() if shrinkage is None else shrinkage,
        shrinkage_from_history=shrinkage is not None,
        threshold_seconds=queue.answer_threshold_seconds,
        target=target,
        accuracy_day=forecast.wape(past) if plan.has_history else None,
        accuracy_week=forecast.wape(week),
    )


def _all_slots(history, plan: forecast.DayForecast, day: date) -> list[tuple[time, float]]:
    """Every time of day with a forecast or an actual on `day`, with its actual calls."""
    actual = history.get(day, {})
    return [(moment, actual.get(moment, 0.0)) for moment in sorted(set(actual) | set(plan.profile))]
