"""Periodic plumbing tasks."""

from celery import shared_task

from .services import heartbeat_record


@shared_task(name="contactcentre.tasks.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Proof that the broker, a worker and beat all run: records the time of this run."""
    from celery import current_task

    worker = getattr(current_task.request, "hostname", "") or ""
    heartbeat_record(name="celery", worker=worker)
