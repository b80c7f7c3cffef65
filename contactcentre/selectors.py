"""Reads for the system status page and the health check."""

from dataclasses import dataclass
from datetime import datetime

import django
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Heartbeat


@dataclass(frozen=True)
class HeartbeatStatus:
    last_run_at: datetime | None
    worker: str
    run_count: int
    age_seconds: float | None
    healthy: bool


def heartbeat_status(*, name: str = "celery") -> HeartbeatStatus:
    """Healthy when the last run is no older than two intervals (one missed beat is tolerated)."""
    beat = Heartbeat.objects.filter(name=name).first()
    if beat is None:
        return HeartbeatStatus(None, "", 0, None, False)
    age = (timezone.now() - beat.last_run_at).total_seconds()
    return HeartbeatStatus(
        beat.last_run_at, beat.worker, beat.run_count, age, age <= 2 * settings.HEARTBEAT_INTERVAL_SECONDS
    )


@dataclass(frozen=True)
class Platform:
    database: str
    broker: str
    cache: str
    django_version: str


def platform() -> Platform:
    broker = "Redis" if settings.CELERY_BROKER_URL.startswith("redis") else _("embedded (filesystem)")
    cache = "Redis" if "redis" in settings.CACHES["default"]["BACKEND"].lower() else _("local memory")
    database = {"postgresql": "PostgreSQL", "sqlite": _("SQLite (embedded)")}.get(connection.vendor, connection.vendor)
    return Platform(database, broker, cache, django.get_version())


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - a health check reports any failure as unhealthy
        return False
