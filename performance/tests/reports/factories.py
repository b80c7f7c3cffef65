"""Schedules and rollup rows for the scheduled reports' tests."""

from datetime import date

from performance.models import DailyRollup, ReportKind, ReportSchedule
from performance.rules.reports import DEFAULT_TIMING
from performance.services.reports import timing_sync
from performance.services.rollups_monthly import months_rollup


def make_schedule(
    kind: str = ReportKind.DAILY_OPERATIONS,
    *,
    name: str = "",
    recipients: str = "ops@example.org\nboard@example.org",
    language: str = "en",
    site=None,
    is_active: bool = True,
) -> ReportSchedule:
    """A schedule with its periodic task at the kind's default timing."""
    schedule = ReportSchedule.objects.create(
        name=name or f"Test {kind} {ReportSchedule.objects.count() + 1}",
        kind=kind,
        recipients=recipients,
        language=language,
        site=site,
        is_active=is_active,
    )
    timing_sync(schedule, DEFAULT_TIMING[ReportKind(kind)])
    return schedule


def day_rollup(day: date, *, queue=None, site=None, **measures) -> DailyRollup:
    """One day's sums for a queue and site (every other measure 0)."""
    row = DailyRollup.objects.create(day=day, queue=queue, site=site, plan_tier="", is_corporate=None, **measures)
    months_rollup([day])
    return row
