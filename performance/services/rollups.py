"""Keeping the KPI rollups: writers mark the days they touch (`days_mark`, `contacts_mark`), a
Celery task rebuilds the marked days (`rollups_refresh`), and `rollups_rebuild` (the
`rebuild_rollups` command) rebuilds any range from the raw data with the same code.

A day is rebuilt whole, never patched by deltas: its contacts (and its agents' state timeline) are
read again and summed by `rules.rollups`, so the order events arrived in, a late wrap-up or a
rebuild can never leave the rollups differing from the raw data."""

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from functools import reduce
from operator import or_

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from calls.models import AgentStateChange, Contact, Direction, Queue
from calls.rules.telephony import wrap_up_seconds_counted
from claims.selectors import member_plans_on
from staff.models import User

from ..models import (
    AgentDailyRollup,
    AgentIntervalRollup,
    AgentStateDaily,
    DailyRollup,
    IntervalRollup,
    RollupMark,
)
from ..models.rollups import STATE_SECONDS
from ..rules.kpis import Measures
from ..rules.rollups import (
    LOOKBACK,
    REPEAT_WINDOW,
    STATE_MAX,
    ContactFacts,
    days_touched,
    ended_part,
    interval_start,
    local_day,
    offered_part,
    state_until,
)
from .rollups_monthly import months_rollup

logger = logging.getLogger(__name__)
DEFAULT_THRESHOLD = 20
_LOCK_NAMESPACE = 7007  # pg_advisory_xact_lock(namespace, day): one rebuild of a day at a time


def days_mark(days: Iterable[date]) -> None:
    """Mark days as out of date (one row a day, however often): each mark of a day counts its
    `version` up in the database, so a refresh that read version n removes the mark only if nobody
    marked the day again meanwhile (clocks are never compared). Days still to come are left alone."""
    today = timezone.localdate()
    marks = sorted(day for day in set(days) if day <= today)
    if not marks:
        return
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    table = connection.ops.quote_name(RollupMark._meta.db_table)
    # Table and column names come from the model; the values are parameters.
    sql = (
        f"INSERT INTO {table} (day, marked_at, version) VALUES {', '.join(['(%s, %s, 1)'] * len(marks))} "  # noqa: S608
        f"ON CONFLICT (day) DO UPDATE SET version = {table}.version + 1, marked_at = excluded.marked_at"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for day in marks for value in (day.isoformat(), now)])


def contacts_mark(contacts: Iterable[Contact]) -> None:
    """Mark the days these contacts' figures fall in (see rules.rollups.days_touched)."""
    days: set[date] = set()
    for contact in contacts:
        days |= days_touched(contact.offered_at, contact.ended_at, identified=contact.customer_id is not None)
    days_mark(days)


def state_changes_mark(moments: Iterable[datetime]) -> None:
    """An agent's state at a moment lasts until their next change, at most STATE_MAX (less than a
    day): mark its day and the next."""
    days: set[date] = set()
    zone = timezone.get_current_timezone()
    for moment in moments:
        day = local_day(moment, zone)
        days |= {day, day + timedelta(days=1)}
    days_mark(days)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(day, time.min), zone)
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), zone)


_FACT_FIELDS = [
    "channel",
    "direction",
    "offered_at",
    "ended_at",
    "answered_at",
    "is_abandoned",
    "is_short_abandon",
    "wait_seconds",
    "talk_seconds",
    "hold_seconds",
    "transfer_count",
    "resolved_first_contact",
]
_WRAP_UP_FIELDS = ["wrap_up_seconds", "wrap_up_ended_at", "wrapped_up_at", "ended_at"]  # rules' arguments
_ROW_FIELDS = ["pk", "queue_id", "site_id", "agent_id", "customer_id", "provider", "repeated"]
_READ = [*_ROW_FIELDS, *_FACT_FIELDS, *(name for name in _WRAP_UP_FIELDS if name not in _FACT_FIELDS)]


def repeat_contact_exists() -> Exists:
    return Exists(
        Contact.objects.filter(
            customer_id=OuterRef("customer_id"),
            direction=Direction.INBOUND,
            is_short_abandon=False,  # left out of every KPI, so no repeat either
            offered_at__gt=OuterRef("offered_at"),
            offered_at__lte=OuterRef("offered_at") + REPEAT_WINDOW,
        )
    )


def day_contacts(day: date) -> Iterable[tuple[dict, ContactFacts]]:
    """The contacts offered or ended on a local day, each with its facts for the rules (and its
    queue, site, agent and member ids). Read queue by queue: the (queue, offered_at) index serves each.

    A row's `site_id` is the site the contact counts for: its own (the answering agent's), else its
    queue's (`Queue.site`: a call nobody answered counts for the site serving its queue)."""
    start, end = day_bounds(day)
    queues = {
        pk: (threshold, site_id)
        for pk, threshold, site_id in Queue.objects.values_list("pk", "answer_threshold_seconds", "site_id")
    }
    for queue_id in [*sorted(queues), None]:
        rows = (
            Contact.objects.filter(queue_id=queue_id, offered_at__gte=start - LOOKBACK, offered_at__lt=end)
            .filter(Q(offered_at__gte=start) | Q(ended_at__gte=start, ended_at__lt=end))
            .annotate(repeated=repeat_contact_exists())
            .order_by()
            .values(*_READ)
        )
        threshold, served_from = queues.get(queue_id, (DEFAULT_THRESHOLD, None))
        for row in rows.iterator(chunk_size=5000):
            row["site_id"] = row["site_id"] or served_from
            yield (
                row,
                ContactFacts(
                    **{name: row[name] for name in _FACT_FIELDS},
                    wrap_up_seconds=wrap_up_seconds_counted(**{name: row[name] for name in _WRAP_UP_FIELDS}),
                    identified=row["customer_id"] is not None,
                    repeated=bool(row["repeated"]) and row["customer_id"] is not None,
                    threshold_seconds=threshold,
                    from_telephony=row["provider"] != "",
                ),
            )


def _day_measures(day: date):
    """The day's sums: per (interval, queue, site), per (queue, site, tier, corporate), per
    (interval, agent, queue) and per (agent, queue) (the last summed from the one before)."""
    start, end = day_bounds(day)
    intervals: dict[tuple, Measures] = defaultdict(Measures)
    daily: dict[tuple, Measures] = defaultdict(Measures)
    agent_intervals: dict[tuple, Measures] = defaultdict(Measures)
    rows = list(day_contacts(day))
    plans = member_plans_on({row["customer_id"] for row, _facts in rows if row["customer_id"]}, day)
    for row, facts in rows:
        tier, corporate = plans.get(row["customer_id"], ("", None))
        for part, moment in ((offered_part(facts), facts.offered_at), (ended_part(facts), facts.ended_at)):
            if part is None or not start <= moment < end:
                continue
            intervals[(interval_start(moment), row["queue_id"], row["site_id"])] += part
            daily[(row["queue_id"], row["site_id"], tier, corporate)] += part
            if row["agent_id"] is not None:
                agent_intervals[(interval_start(moment), row["agent_id"], row["queue_id"])] += part
    agents: dict[tuple, Measures] = defaultdict(Measures)
    for (_at, agent, queue), part in agent_intervals.items():
        agents[(agent, queue)] += part
    return intervals, daily, agent_intervals, agents


def _state_seconds(day: date) -> tuple[dict[int, dict[str, int]], bool]:
    """Seconds per agent per state on a local day, from the timeline: each entry lasts until the
    agent's next one or STATE_MAX after it began, whichever is first (and never past now). And
    whether the next day must be rebuilt for it: some agent's last entry is a counted state (not
    offline) whose STATE_MAX reaches past the day's end."""
    start, day_end = day_bounds(day)
    end = min(day_end, max(start, timezone.now()))
    # Each agent's entry as the day begins: their latest before it, if it began late enough to reach
    # into the day (one index probe per person on (user, started_at): a DISTINCT ON over all earlier
    # entries read the whole history). Its own start says how long it still lasts.
    latest = AgentStateChange.objects.filter(
        user_id=OuterRef("pk"), started_at__lt=start, started_at__gt=start - STATE_MAX
    ).order_by("-started_at", "-id")
    carried_in = User.objects.annotate(entry=Subquery(latest.values("pk")[:1])).exclude(entry=None).values("entry")
    timeline: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    for user_id, state, at in AgentStateChange.objects.filter(pk__in=carried_in).values_list(
        "user_id", "state", "started_at"
    ):
        timeline[user_id].append((at, state))
    for user_id, state, at in (
        AgentStateChange.objects.filter(started_at__gte=start, started_at__lt=end)
        .order_by("user_id", "started_at", "id")
        .values_list("user_id", "state", "started_at")
    ):
        timeline[user_id].append((at, state))
    seconds: dict[int, dict[str, int]] = {}
    carries = any(
        entries[-1][1] in STATE_SECONDS and state_until(entries[-1][0], None) > day_end for entries in timeline.values()
    )
    for user_id, entries in timeline.items():
        totals: dict[str, int] = defaultdict(int)
        for (at, state), following in zip(entries, [*(entry[0] for entry in entries[1:]), None], strict=True):
            column = STATE_SECONDS.get(state)
            until, since = min(state_until(at, following), end), max(at, start)
            if column is not None and until > since:
                totals[column] += int((until - since).total_seconds())
        if any(totals.values()):
            seconds[user_id] = totals
    return seconds, carries


def day_rollup(day: date, *, month: bool = True) -> bool:
    """Rebuild one local day's rollups from the raw data, and (`month`) its month's monthly rollups
    from the days (`rollups_monthly`), in one transaction. Returns whether the
    next day must be rebuilt too (the callers see to it): a state lasts until the agent's next change
    (at most STATE_MAX), so when an agent's last state of the day reaches past its end, or the day's
    state time changed (a late change may have ended a state that had been carried on), a day nobody
    touched would otherwise keep seconds a rebuild would not give it."""
    start, end = day_bounds(day)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, day.toordinal()])
        intervals, daily, agent_intervals, agents = _day_measures(day)
        states, carries = _state_seconds(day)
        people = {
            pk: (team, site)
            for pk, team, site in User.objects.filter(pk__in={a for a, _q in agents} | set(states)).values_list(
                "pk", "team_id", "site_id"
            )
        }
        columns = list(STATE_SECONDS.values())
        before = {row[0]: row[1:] for row in AgentStateDaily.objects.filter(day=day).values_list("agent_id", *columns)}
        after = {agent: tuple(totals.get(column, 0) for column in columns) for agent, totals in states.items()}
        IntervalRollup.objects.filter(start__gte=start, start__lt=end).delete()
        AgentIntervalRollup.objects.filter(start__gte=start, start__lt=end).delete()
        DailyRollup.objects.filter(day=day).delete()
        AgentDailyRollup.objects.filter(day=day).delete()
        AgentStateDaily.objects.filter(day=day).delete()
        fields = Measures.names()
        IntervalRollup.objects.bulk_create(
            IntervalRollup(start=at, queue_id=q, site_id=s, **{f: getattr(m, f) for f in fields})
            for (at, q, s), m in intervals.items()
        )
        AgentIntervalRollup.objects.bulk_create(
            (
                AgentIntervalRollup(
                    start=at,
                    agent_id=a,
                    queue_id=q,
                    team_id=people.get(a, (None, None))[0],
                    site_id=people.get(a, (None, None))[1],
                    **{f: getattr(m, f) for f in fields},
                )
                for (at, a, q), m in agent_intervals.items()
            ),
            batch_size=5000,
        )
        DailyRollup.objects.bulk_create(
            DailyRollup(
                day=day, queue_id=q, site_id=s, plan_tier=t, is_corporate=c, **{f: getattr(m, f) for f in fields}
            )
            for (q, s, t, c), m in daily.items()
        )
        AgentDailyRollup.objects.bulk_create(
            AgentDailyRollup(
                day=day,
                agent_id=a,
                queue_id=q,
                team_id=people.get(a, (None, None))[0],
                site_id=people.get(a, (None, None))[1],
                **{f: getattr(m, f) for f in fields},
            )
            for (a, q), m in agents.items()
        )
        AgentStateDaily.objects.bulk_create(
            AgentStateDaily(
                day=day,
                agent_id=a,
                team_id=people.get(a, (None, None))[0],
                site_id=people.get(a, (None, None))[1],
                **totals,
            )
            for a, totals in states.items()
        )
        if month:
            months_rollup([day])
    return carries or before != after


def _marks_clear(marks: list[tuple[date, int]]) -> None:
    """Remove these marks, each only if still at the version read (one statement)."""
    if marks:
        RollupMark.objects.filter(reduce(or_, (Q(day=day, version=version) for day, version in marks))).delete()


def rollups_refresh(*, limit: int = 62) -> int:
    """Rebuild the marked days (oldest first, up to `limit` days); a mark set again while its day was
    being rebuilt stays for the next refresh. A day that carries an agent's state into the next has
    the next rebuilt too (up to today; beyond `limit`, marked for the next refresh). Returns how many
    days were rebuilt. The marks of the days rebuilt are removed only once their months are rebuilt
    too: a refresh that fails part way leaves them for the next one, months and all."""
    marks = dict(RollupMark.objects.order_by("day").values_list("day", "version")[:limit])
    today = timezone.localdate()
    pending = sorted(marks)  # ascending: a carried day is always the smallest still to do
    rebuilt = 0
    done: list[date] = []
    while pending and rebuilt < limit:
        day = pending.pop(0)
        carries = day_rollup(day, month=False)
        done.append(day)
        rebuilt += 1
        following = day + timedelta(days=1)
        if carries and following <= today and (not pending or pending[0] != following):
            pending.insert(0, following)
    months_rollup(done)  # each month once, after its days
    _marks_clear([(day, marks[day]) for day in done if day in marks])
    days_mark(day for day in pending if day not in marks)
    return rebuilt


def rollups_rebuild(
    *, first: date | None = None, last: date | None = None, progress: Callable[[date, int, int], None] | None = None
) -> int:
    """Rebuild every day from `first` (default: the earliest contact or state change) to `last`
    (default: today); returns how many days. The `rebuild_rollups` command."""
    if first is None:
        candidates = (
            Contact.objects.exclude(offered_at=None)
            .order_by("offered_at")
            .values_list("offered_at", flat=True)
            .first(),
            AgentStateChange.objects.order_by("started_at").values_list("started_at", flat=True).first(),
        )
        earliest = [moment for moment in candidates if moment is not None]
        if not earliest:
            return 0
        first = local_day(min(earliest))
    last = last or timezone.localdate()
    # The marks as the rebuild starts: one set again while it runs (a higher version) stays.
    seen = list(RollupMark.objects.filter(day__gte=first, day__lte=last).values_list("day", "version"))
    days = (last - first).days + 1
    carries = False
    month_behind: date | None = None  # a day rebuilt whose month is not yet
    try:
        for n in range(days):
            day = first + timedelta(days=n)
            carries = day_rollup(day, month=False)
            month_behind = day
            if n == days - 1 or (day + timedelta(days=1)).day == 1:
                months_rollup([day])  # each month once, as its last day in the range is done
                month_behind = None
            if progress is not None:
                progress(day, n + 1, days)
    finally:
        if month_behind is not None:  # interrupted part way through a month: keep it equal to its days
            months_rollup([month_behind])
    if days > 0 and carries:
        days_mark([last + timedelta(days=1)])  # the state carries on past the range rebuilt
    _marks_clear(seen)
    return max(days, 0)


__all__ = [
    "contacts_mark",
    "day_bounds",
    "day_contacts",
    "day_rollup",
    "days_mark",
    "rollups_rebuild",
    "rollups_refresh",
    "state_changes_mark",
]
