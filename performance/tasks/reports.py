"""Scheduled reports' tasks: thin, and safe to run twice (services.reports sends a run once).

Beat starts `report_due` with a schedule's id (its django-celery-beat periodic task); it works out
the period from today's local date and queues `report_generate` with the dates, so a retry later
(even after midnight) still builds the same period."""

from datetime import date

from celery import shared_task

from ..rules.reports import MAX_RETRIES
from ..selectors.kpis import Period
from ..services.reports import ReportFailed, report_due_period, report_run


@shared_task(ignore_result=True, name="performance.tasks.reports.report_due")
def report_due(schedule_id: int) -> str | None:
    period = report_due_period(schedule_id)
    if period is None:
        return None
    report_generate.delay(schedule_id, period.first.isoformat(), period.last.isoformat())
    return f"{period.first}/{period.last}"


@shared_task(
    bind=True,
    ignore_result=True,
    autoretry_for=(ReportFailed,),
    max_retries=MAX_RETRIES,
    retry_backoff=60,
    retry_backoff_max=15 * 60,
    retry_jitter=False,
    name="performance.tasks.reports.report_generate",
)
def report_generate(self, schedule_id: int, first: str, last: str) -> None:
    """Build, store and send one run; a failure is recorded as `retrying` and retried with backoff
    (1, 2, 4, 8 minutes), then recorded as `failed` on the last try."""
    period = Period(date.fromisoformat(first), date.fromisoformat(last))
    report_run(schedule_id, period, final_attempt=self.request.retries >= self.max_retries)
