"""The scheduled path as it runs in production: beat reads a report schedule's periodic task from
the database and sends `report_due` through Redis; a real worker process works out the period,
queues `report_generate`, builds the PDF and the XLSX and emails them. Beat fires again and again
here (every 2 seconds), and the report still goes once. The email is written to files by the
worker (worker_settings.py) and read back: both attachments parse."""

import email
from datetime import timedelta
from io import BytesIO

import pytest
from django.conf import settings
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from calls.tests.factories import QueueFactory
from performance.models import ReportRun, RunStatus

from .factories import day_rollup, make_schedule

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker, pytest.mark.slow]


def _messages(folder) -> list[email.message.Message]:
    """The messages the file backend wrote (each file holds messages separated by a line of dashes)."""
    found = []
    for path in sorted(folder.glob("*.log")):
        for part in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if part.strip():
                found.append(email.message_from_bytes(part))
    return found


def test_beat_and_a_real_worker_build_and_email_the_report_once(roles, tmp_path):
    from django_celery_beat.models import IntervalSchedule

    from contactcentre.tests.celery_worker import celery_worker, wait_until

    assert settings.CELERY_BROKER_URL.startswith("redis://")
    yesterday = timezone.localdate() - timedelta(days=1)
    day_rollup(yesterday, queue=QueueFactory(name="Members"), offered=40, answered=36, answered_in_threshold=30)
    schedule = make_schedule(recipients="ops@example.org")
    # Beat on a 2-second interval instead of the 07:00 crontab, from now.
    task = schedule.periodic_task
    task.crontab = None
    task.interval, _created = IntervalSchedule.objects.get_or_create(every=2, period=IntervalSchedule.SECONDS)
    task.start_time = timezone.now()
    task.save()

    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    log = tmp_path / "worker.log"
    env = {
        "REDIS_URL": settings.REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "performance.tests.reports.worker_settings",
        "REPORTS_TEST_MAIL_DIR": str(mail_dir),
    }

    def sent() -> bool:
        return ReportRun.objects.filter(schedule=schedule, sent_at__isnull=False).exists()

    with celery_worker(broker_env=env, log_path=log):
        wait_until(sent, timeout=120, log_path=log, what="beat started the report and the worker sent it")
        # Let beat fire a few more times: each finds the run sent and sends nothing.
        wait_until(lambda: log.read_text().count("report_due") >= 6, timeout=60, log_path=log, what="beat again")

    run = ReportRun.objects.get(schedule=schedule)
    assert (run.period_start, run.period_end) == (yesterday, yesterday)
    assert (run.status, run.attempts, run.sent_to) == (RunStatus.SUCCEEDED, 1, "ops@example.org")
    messages = _messages(mail_dir)
    assert len(messages) == 1
    message = messages[0]
    assert message["To"] == "ops@example.org" and "Daily operations report" in message["Subject"]
    files = {part.get_filename(): part.get_payload(decode=True) for part in message.walk() if part.get_filename()}
    pdf_name, xlsx_name = (f"daily-operations-report-{yesterday:%Y-%m-%d}.{ext}" for ext in ("pdf", "xlsx"))
    assert set(files) == {pdf_name, xlsx_name}
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(files[pdf_name])).pages)
    assert "Daily operations report" in text and "Members" in text
    workbook = load_workbook(BytesIO(files[xlsx_name]))
    offered = next(row for row in workbook["Key figures"].iter_rows(values_only=True) if row[0] == "Calls offered")
    assert offered[1] == 40
    assert files[pdf_name] == bytes(run.pdf)
