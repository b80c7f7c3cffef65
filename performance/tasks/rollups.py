"""The KPI rollups' refresh (services.rollups): thin, and safe to run twice."""

from celery import shared_task

from ..services.rollups import rollups_refresh


@shared_task(ignore_result=True, name="performance.tasks.rollups.refresh_rollups")
def refresh_rollups() -> int:
    return rollups_refresh()
