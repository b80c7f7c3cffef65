"""The rollups' scheduled path with real processes: the telephony fold marks the day of a call, and
beat (in a real worker, through the real Redis) runs `refresh_rollups`, which rebuilds that day."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from calls.rules.telephony import Event
from calls.services.telephony import events_ingest
from calls.services.telephony_fold import contacts_fold_pending
from calls.tests.factories import QueueFactory
from contactcentre.services import schedules_sync
from contactcentre.tests.celery_worker import celery_worker, wait_until
from performance.models import DailyRollup, RollupMark
from performance.selectors.kpis import Period, kpi_set

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker, pytest.mark.slow]


def _call(call_id: str, offered_at, wait: int) -> None:
    answered = offered_at + timedelta(seconds=wait)
    events_ingest(
        list(
            enumerate(
                [
                    Event("offered", "beat", f"{call_id}-0", call_id, offered_at, None, queue="beat"),
                    Event("answered", "beat", f"{call_id}-1", call_id, answered, None),
                    Event("ended", "beat", f"{call_id}-2", call_id, answered + timedelta(minutes=3), None),
                ]
            )
        )
    )
    contacts_fold_pending()


def test_a_fold_marks_the_day_and_the_beat_task_on_a_real_worker_refreshes_it(tmp_path):
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    QueueFactory(code="beat", answer_threshold_seconds=20)
    offered = timezone.now().replace(microsecond=0) - timedelta(days=1)
    day = timezone.localtime(offered).date()
    _call("one", offered, wait=5)
    assert RollupMark.objects.filter(day=day).exists()
    assert not DailyRollup.objects.filter(day=day).exists()

    schedules_sync()
    # Every 2 s instead of ROLLUP_REFRESH_SECONDS, so the second call below need not wait a minute.
    every, _ = IntervalSchedule.objects.get_or_create(every=2, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.filter(task="performance.tasks.rollups.refresh_rollups").update(interval=every)
    log = tmp_path / "worker.log"
    period = Period(day, day)
    with celery_worker(broker_env={"REDIS_URL": settings.REDIS_URL}, log_path=log):
        wait_until(
            lambda: kpi_set(period, with_extra=False).measures.answered == 1,
            timeout=60,
            log_path=log,
            what="beat's refresh rebuilt the marked day",
        )
        _call("two", offered + timedelta(minutes=10), wait=40)
        wait_until(
            lambda: kpi_set(period, with_extra=False).measures.answered == 2,
            timeout=60,
            log_path=log,
            what="the next refresh took in the second call",
        )
    kpi = kpi_set(period, with_extra=False)
    assert (kpi.measures.answered_in_threshold, kpi.service_level) == (1, 50.0)
    assert "performance.tasks.rollups.refresh_rollups" in log.read_text()
