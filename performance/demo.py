"""The performance part of the demo (`seed_demo`): months of call history with the patterns a real
contact centre shows, the agents' state timelines, the roster for the past weeks and the coming
week, a site-specific service standard, demo recipients on the report schedules, and the KPI
rollups rebuilt from it all."""

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from calls.demo import agent_queue, seed_history, shift_start_hour, works_on
from calls.models import Contact, Queue
from staff.models import Site, User

from .models import Metric, ReportKind, ReportSchedule, RosterShift, ServiceStandard
from .services.rollups import rollups_rebuild

# months of history, office calls on an average weekday (the nurse line adds 12%, every day), and
# weeks of agents' state timelines (occupancy, utilisation) at the end of it: many rows per agent
# and shift, so fewer weeks where there are many agents.
HISTORY = {"small": (4, 40, 18), "medium": (6, 150, 6), "large": (12, 300, 2)}
ROSTER_PAST_WEEKS = 4
DEMO_RECIPIENTS = {
    ReportKind.DAILY_OPERATIONS: ["manager@tawasul.demo", "teamleader@tawasul.demo"],
    ReportKind.WEEKLY_KPI: ["manager@tawasul.demo"],
    ReportKind.MONTHLY_BOARD: ["manager@tawasul.demo", "board@tawasul.demo"],
}


@dataclass
class PerformanceSeeded:
    contacts: int
    state_changes: int
    shifts: int
    standards: int
    schedules: int
    rollup_days: int


def seed_performance(
    *, rng: random.Random, scale: str, today: date, agents: list[tuple[User, str]]
) -> PerformanceSeeded:
    """Everything the performance pages need beyond the live-path calls of `calls.demo.seed_contacts`
    (already seeded: their calls per day are taken off the history's, so the days stay on pattern)."""
    months, per_day, timeline_weeks = HISTORY[scale]
    first, last = today - timedelta(days=months * 30), today - timedelta(days=1)
    timelines_from = max(first, today - timedelta(weeks=timeline_weeks))
    already = Counter(
        timezone.localtime(at).date()
        for at in Contact.objects.filter(offered_at__isnull=False).values_list("offered_at", flat=True)
    )
    with transaction.atomic():
        contacts, state_changes = seed_history(
            rng=rng,
            agents=agents,
            first=first,
            last=last,
            per_day=per_day,
            already=already,
            timelines_from=timelines_from,
        )
        roster_first = today - timedelta(weeks=ROSTER_PAST_WEEKS)
        shifts = seed_roster(agents=agents, first=roster_first, days=ROSTER_PAST_WEEKS * 7 + 7)
        standards = seed_site_standard(first)
        schedules = seed_report_recipients()
    return PerformanceSeeded(contacts, state_changes, shifts, standards, schedules, rollups_rebuild())


def seed_roster(*, agents: list[tuple[User, str]], first: date, days: int) -> int:
    """Each agent's planned shifts from `first` for `days` days, on the pattern the history's
    timelines follow (whose shifts start up to 15 minutes late: adherence has something to show)."""
    queues = dict(Queue.objects.values_list("code", "pk"))
    zone = timezone.get_current_timezone()
    shifts = []
    for index, (user, _extension) in enumerate(agents):
        nurse = user.has_perm("staff.use_nurse_line")
        queue = queues.get(agent_queue(index, nurse=nurse))
        if queue is None:
            continue
        for n in range(days):
            day = first + timedelta(days=n)
            if not works_on(index, day.weekday()):
                continue
            starts = timezone.make_aware(datetime.combine(day, time(shift_start_hour(index, nurse=nurse))), zone)
            ends = starts + timedelta(hours=8)
            shifts.append(RosterShift(agent=user, queue_id=queue, starts_at=starts, ends_at=ends))
    RosterShift.objects.bulk_create(shifts)
    return len(shifts)


def seed_site_standard(first: date) -> int:
    """Manchester, the newer site, holds itself to a stricter abandonment rate than the default
    standards (seeded by migration performance 0002) ask of every site."""
    site = Site.objects.filter(code="manchester").first()
    if site is None:
        return 0
    ServiceStandard.objects.create(
        metric=Metric.ABANDONMENT_RATE,
        target=Decimal("4.00"),
        warning=Decimal("6.00"),
        site=site,
        effective_from=first,
        note="Manchester's own commitment after the 2025 site review.",
    )
    return 1


def seed_report_recipients() -> int:
    """The scheduled reports (created by migration performance 0003) go to the demo's managers."""
    updated = 0
    for kind, recipients in DEMO_RECIPIENTS.items():
        updated += ReportSchedule.objects.filter(kind=kind).update(recipients="\n".join(recipients))
    return updated
