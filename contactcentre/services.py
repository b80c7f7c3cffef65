"""Writes for the cross-cutting records: the audit trail, the heartbeat and the periodic schedules."""

import json
import socket
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from .models import AuditAction, AuditEvent, Heartbeat

HEARTBEAT_TASK = "contactcentre.tasks.heartbeat"
HEARTBEAT_SCHEDULE_NAME = "Heartbeat (worker and beat proof of life)"


def _periodic_tasks() -> list[tuple[str, str, int]]:
    """Every periodic task the code relies on: (schedule name, task, every so many seconds)."""
    return [
        (HEARTBEAT_SCHEDULE_NAME, HEARTBEAT_TASK, settings.HEARTBEAT_INTERVAL_SECONDS),
        *settings.PERIODIC_TASKS,
    ]


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    summary: str = "",
    ip_address: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one row to the audit trail. Call it from the service that does the read or the change."""
    if action not in AuditAction.values:
        raise ValueError(f"Unknown audit action {action!r}")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_label=(actor.get_username() if authenticated else ""),
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=summary[:255],
        ip_address=ip_address or None,
        detail=detail or {},
    )


def heartbeat_record(*, name: str = "celery", worker: str = "") -> Heartbeat:
    """Record one run of the heartbeat: the time, the worker, and one more to the count."""
    now = timezone.now()
    worker = worker or socket.gethostname()
    with transaction.atomic():
        beat, created = Heartbeat.objects.select_for_update().get_or_create(
            name=name, defaults={"last_run_at": now, "worker": worker, "run_count": 1}
        )
        if not created:
            Heartbeat.objects.filter(pk=beat.pk).update(last_run_at=now, worker=worker, run_count=F("run_count") + 1)
            beat.refresh_from_db()
    return beat


def schedules_sync(*, using: str = "default") -> None:
    """Create or update the periodic tasks the code relies on (django-celery-beat keeps them in the
    database, where administrators may pause them; a pause is respected)."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    with transaction.atomic(using=using):
        for name, task_name, seconds in _periodic_tasks():
            every, _ = IntervalSchedule.objects.using(using).get_or_create(
                every=seconds, period=IntervalSchedule.SECONDS
            )
            task, created = PeriodicTask.objects.using(using).get_or_create(
                name=name,
                # A start time makes beat run it at its first tick, instead of one interval after creation.
                defaults={
                    "task": task_name,
                    "interval": every,
                    "kwargs": json.dumps({}),
                    "start_time": timezone.now(),
                },
            )
            if not created and (task.task != task_name or task.interval_id != every.pk):
                task.task = task_name
                task.interval = every
                task.save(update_fields=["task", "interval"])
