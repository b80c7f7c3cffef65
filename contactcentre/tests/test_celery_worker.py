"""The worker + beat path, end to end, with real processes: beat (in the worker, as `make run` runs
it) reads the heartbeat schedule from the database and sends the task through the broker; the worker
runs it and records the run. Once with Redis, once with the embedded (filesystem) broker."""

import pytest
from django.conf import settings

from contactcentre.models import Heartbeat
from contactcentre.services import schedules_sync
from contactcentre.tasks import heartbeat

from .celery_worker import celery_worker, wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker, pytest.mark.slow]


def heartbeat_runs() -> int:
    beat = Heartbeat.objects.filter(name="celery").first()
    return beat.run_count if beat else 0


def test_beat_and_a_real_worker_on_redis_record_the_heartbeat(tmp_path):
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    schedules_sync()
    log = tmp_path / "worker.log"
    with celery_worker(broker_env={"REDIS_URL": settings.REDIS_URL}, log_path=log) as queue:
        wait_until(lambda: heartbeat_runs() >= 1, timeout=60, log_path=log, what="beat's first heartbeat ran")
        beat = Heartbeat.objects.get(name="celery")
        assert beat.worker.startswith(queue)

        # And a task sent from this (web-side) process through Redis reaches the worker too.
        before = heartbeat_runs()
        heartbeat.apply_async(queue=queue)
        wait_until(lambda: heartbeat_runs() > before, timeout=30, log_path=log, what="the sent heartbeat ran")


def test_beat_and_a_real_worker_on_the_embedded_broker_record_the_heartbeat(tmp_path):
    schedules_sync()
    log = tmp_path / "worker.log"
    broker_dir = tmp_path / "broker"
    env = {"REDIS_URL": "", "CELERY_BROKER_DIR": str(broker_dir)}
    with celery_worker(broker_env=env, log_path=log) as queue:
        wait_until(lambda: heartbeat_runs() >= 1, timeout=60, log_path=log, what="beat's first heartbeat ran")
        assert Heartbeat.objects.get(name="celery").worker.startswith(queue)
    # The worker connected to the filesystem transport (so beat's message reached it that way).
    assert "transport:   filesystem://" in log.read_text()
