"""Renewal training needs, raised daily by beat (settings.PERIODIC_TASKS)."""

from celery import shared_task

from ..services.training import renewal_needs_raise


@shared_task(name="staff.tasks.training.raise_renewal_needs", ignore_result=True)
def raise_renewal_needs() -> int:
    """Idempotent: a completion expiring within 30 days gets one renewal need, however often this runs
    (none while an open or planned need, or an open place, exists for it). No retries: tomorrow's run
    picks up whatever this one could not do."""
    return renewal_needs_raise()
