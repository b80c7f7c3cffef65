"""The follow-up escalation sweep, run by beat every few minutes (settings.PERIODIC_TASKS)."""

from dataclasses import asdict

from celery import shared_task

from ..services.followups import follow_up_escalate_overdue


@shared_task(name="calls.tasks.followups.escalate_overdue_follow_ups", ignore_result=True)
def escalate_overdue_follow_ups() -> dict[str, int]:
    """Idempotent: a follow-up escalates once however often this runs. No retries: the next run,
    minutes later, picks up whatever this one could not do."""
    return asdict(follow_up_escalate_overdue())
