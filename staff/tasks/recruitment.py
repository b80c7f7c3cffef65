"""The retention sweep of candidates' personal data, run daily by beat (settings.PERIODIC_TASKS)."""

from dataclasses import asdict

from celery import shared_task

from ..services.recruitment import applications_anonymise as anonymise


@shared_task(name="staff.tasks.recruitment.applications_anonymise", ignore_result=True)
def applications_anonymise() -> dict[str, int]:
    """Idempotent: an application is anonymised once however often this runs. No retries: tomorrow's
    run picks up whatever this one could not do."""
    return asdict(anonymise())
