"""The performance app's Celery tasks, one module per area; autodiscovery imports this package."""

from . import reports, rollups  # noqa: F401
