"""Celery tasks of the calls app (thin and idempotent: each calls a service). Celery's
autodiscovery imports this package; each area's module is imported here."""

from . import followups, telephony  # noqa: F401
from .complaints import complaint_deadline_sweep  # noqa: F401
