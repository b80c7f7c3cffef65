"""Two workers sending the same run at the same time (beat firing again while a retry runs, "run now"
beside the schedule): both start the run and build its files, then meet at the send. The run's row
lock makes the second wait for the first's commit and find `sent_at` set: one email."""

import threading
import time
from datetime import date

import pytest
from django.core import mail
from django.db import connection

from performance.models import ReportRun, RunStatus
from performance.selectors.kpis import Period
from performance.services import reports

from .factories import day_rollup, make_schedule

pytestmark = pytest.mark.django_db(transaction=True)

DAY = date(2026, 3, 10)
PERIOD = Period(DAY, DAY)


def test_two_workers_sending_one_run_at_once_send_one_email(monkeypatch):
    day_rollup(DAY, offered=10, answered=9, answered_in_threshold=8, handled=9)
    schedule = make_schedule()
    both_built = threading.Barrier(2)
    real_build, real_send = reports.report_build, mail.EmailMessage.send

    def build_then_wait(*args, **kwargs):
        # Both workers have marked the run running and hold its files: neither has sent yet.
        built = real_build(*args, **kwargs)
        both_built.wait(timeout=30)
        return built

    def slow_send(self, *args, **kwargs):
        time.sleep(0.5)  # the sender keeps the row locked a while: the other worker is waiting on it
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(reports, "report_build", build_then_wait)
    monkeypatch.setattr(mail.EmailMessage, "send", slow_send)
    returned: list[ReportRun] = []
    errors: list[BaseException] = []

    def worker():
        try:
            returned.append(reports.report_run(schedule.pk, PERIOD))
        except BaseException as error:  # noqa: BLE001 - re-raised in the test's thread below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]

    assert len(returned) == 2
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ops@example.org", "board@example.org"]
    run = ReportRun.objects.get(schedule=schedule)
    assert (run.status, run.attempts, run.error) == (RunStatus.SUCCEEDED, 2, "")  # both workers started it
    assert run.sent_to == "ops@example.org\nboard@example.org"
    assert run.sent_at is not None and run.pdf is not None
    # The worker that waited returned the sender's row as it found it, not a second send of its own.
    assert [r.sent_at for r in returned] == [run.sent_at, run.sent_at]
