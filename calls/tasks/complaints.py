"""The complaint deadline sweep, run by beat every 15 minutes (settings.PERIODIC_TASKS)."""

from dataclasses import asdict

from celery import shared_task

from ..services.complaint_sweep import complaint_deadline_sweep as sweep


@shared_task(name="calls.tasks.complaints.complaint_deadline_sweep", ignore_result=True)
def complaint_deadline_sweep() -> dict[str, int]:
    """Idempotent: each reminder is sent, and each breach flagged, once however often this runs. No
    retries: the next run, minutes later, picks up whatever this one could not do."""
    return asdict(sweep())
