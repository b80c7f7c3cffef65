"""The reports pages: runs with their status and files, "run now", the schedules and their edit form
(which moves the periodic task), and query counts that do not grow with rows."""

import json
from datetime import date, timedelta
from types import SimpleNamespace
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from contactcentre.models import AuditEvent
from performance.models import ReportKind, ReportRun, ReportSchedule, RunStatus

from .factories import make_schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client, user_factory):
    person = user_factory(role="manager")
    client.force_login(person)
    return person


def _run(schedule, day: date, **fields) -> ReportRun:
    defaults = {"period_end": day, "status": RunStatus.SUCCEEDED, "attempts": 1, "pdf": b"%PDF-1.4 x", "xlsx": b"PK x"}
    return ReportRun.objects.create(schedule=schedule, period_start=day, **(defaults | fields))


def _default_schedules() -> None:
    """What migration 0003 made (again, when a transactional test's flush removed it: it keeps what exists)."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("performance.migrations.0003_default_report_schedules")
    migration.create_schedules(apps, SimpleNamespace(connection=connection))


def test_the_three_default_schedules_come_switched_off_with_their_periodic_tasks():
    _default_schedules()
    _default_schedules()  # twice: nothing more
    assert ReportSchedule.objects.count() == 3
    defaults = ReportSchedule.objects.filter(
        name__in=["Daily operations report", "Weekly KPI pack", "Monthly board pack"]
    ).select_related("periodic_task__crontab")
    assert sorted(s.kind for s in defaults) == sorted(ReportKind.values)
    for schedule in defaults:
        task = schedule.periodic_task
        assert (schedule.is_active, schedule.recipients, task.enabled) == (False, "", False)
        assert task.task == "performance.tasks.reports.report_due"
        assert json.loads(task.args) == [schedule.pk]
        assert str(task.crontab.timezone) == "Europe/London"
    weekly = defaults.get(kind=ReportKind.WEEKLY_KPI).periodic_task.crontab
    assert (weekly.minute, weekly.hour, weekly.day_of_week) == ("30", "7", "1")


def test_run_now_queues_the_run_of_the_period_holding_the_day_after_commit(
    client, manager, django_capture_on_commit_callbacks
):
    schedule = make_schedule(ReportKind.WEEKLY_KPI)
    with (
        mock.patch("performance.tasks.reports.report_generate.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post("/performance/reports/run/", {"schedule": schedule.pk, "day": "2026-03-04"})
    assert response.status_code == 302 and response["Location"] == "/performance/reports/"
    delay.assert_called_once_with(schedule.pk, "2026-03-02", "2026-03-08")
    run = ReportRun.objects.get(schedule=schedule)
    assert (run.period_start, run.period_end, run.status) == (date(2026, 3, 2), date(2026, 3, 8), RunStatus.PENDING)
    assert AuditEvent.objects.filter(object_type="performance.reportrun", object_id=str(run.pk)).exists()


def test_run_now_refuses_a_period_not_over_and_one_already_sent(client, manager):
    schedule = make_schedule(ReportKind.MONTHLY_BOARD)
    with mock.patch("performance.tasks.reports.report_generate.delay") as delay:
        response = client.post("/performance/reports/run/", {"schedule": schedule.pk, "day": timezone.localdate()})
        assert response.status_code == 400
        assert "Choose a day in a period that has ended" in response.content.decode()
        _run(schedule, date(2026, 1, 1), period_end=date(2026, 1, 31), sent_at=timezone.now())
        response = client.post("/performance/reports/run/", {"schedule": schedule.pk, "day": "2026-01-15"})
        assert response.status_code == 400 and "Already sent for this period." in response.content.decode()
    delay.assert_not_called()
    assert ReportRun.objects.filter(schedule=schedule).count() == 1


def test_a_running_run_polls_its_own_row_until_it_is_done(client, manager):
    run = _run(make_schedule(), date(2026, 3, 10), status=RunStatus.RUNNING, pdf=None, xlsx=None)
    row = client.get(f"/performance/reports/runs/{run.pk}/").content.decode()
    assert f'hx-get="/performance/reports/runs/{run.pk}/"' in row and 'data-status="running"' in row
    assert "download-pdf" not in row
    ReportRun.objects.filter(pk=run.pk).update(status=RunStatus.SUCCEEDED, pdf=b"%PDF", xlsx=b"PK")
    row = client.get(f"/performance/reports/runs/{run.pk}/").content.decode()
    assert "hx-get" not in row and "download-pdf" in row and "download-xlsx" in row


def test_a_download_is_the_stored_file_and_a_missing_one_is_404(client, manager):
    run = _run(make_schedule(), date(2026, 3, 10), xlsx=None)
    response = client.get(f"/performance/reports/runs/{run.pk}/pdf/")
    assert response.status_code == 200 and response.content == b"%PDF-1.4 x"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="daily-operations-report-2026-03-10.pdf"'
    assert client.get(f"/performance/reports/runs/{run.pk}/xlsx/").status_code == 404
    assert client.get("/performance/reports/runs/999999/pdf/").status_code == 404
    assert client.get(f"/performance/reports/runs/{run.pk}/doc/").status_code == 404


def _queries(client, url: str) -> int:
    client.get(url)  # the session and the user are loaded once
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_runs_page_queries_do_not_grow_with_runs(client, manager):
    schedule = make_schedule()
    _run(schedule, date(2026, 1, 1))
    few = _queries(client, "/performance/reports/")
    other = make_schedule(ReportKind.WEEKLY_KPI)
    for offset in range(1, 20):
        _run(schedule if offset % 2 else other, date(2026, 1, 1) + timedelta(days=offset))
    assert _queries(client, "/performance/reports/") == few


def test_the_schedules_page_queries_do_not_grow_with_schedules(client, manager):
    make_schedule()
    few = _queries(client, "/performance/reports/schedules/")
    for kind in ReportKind.values * 3:
        make_schedule(kind)
    page = client.get("/performance/reports/schedules/").content.decode()
    assert "Every Monday at 07:30" in page and "On day 1 of each month at 08:00" in page
    assert _queries(client, "/performance/reports/schedules/") == few


def test_the_runs_page_says_what_to_do_when_nothing_has_run(client, manager):
    make_schedule()
    page = client.get("/performance/reports/").content.decode()
    assert "No reports have run yet" in page and 'data-testid="run-now"' in page


def test_changing_a_schedule_moves_its_periodic_task_and_switches_it_on(client, manager):
    schedule = make_schedule(ReportKind.WEEKLY_KPI, recipients="", is_active=False)
    response = client.post(
        f"/performance/reports/schedules/{schedule.pk}/",
        {
            "recipients": " board@example.org \n\nops@example.org",
            "language": "ar",
            "site": "",
            "is_active": "on",
            "time": "06:45",
            "weekday": "5",
        },
    )
    assert response.status_code == 302
    schedule.refresh_from_db()
    task = PeriodicTask.objects.select_related("crontab").get(pk=schedule.periodic_task_id)
    assert (schedule.recipients, schedule.language, schedule.is_active) == (
        "board@example.org\nops@example.org",
        "ar",
        True,
    )
    assert task.enabled and (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("45", "6", "5")
    assert task.crontab.day_of_month == "*" and str(task.crontab.timezone) == "Europe/London"
    assert AuditEvent.objects.filter(object_type="performance.reportschedule", object_id=str(schedule.pk)).exists()
    form = client.get(f"/performance/reports/schedules/{schedule.pk}/").content.decode()
    assert 'value="06:45"' in form


def test_a_bad_recipient_or_an_active_schedule_with_nobody_is_refused_and_nothing_changes(client, manager):
    schedule = make_schedule(ReportKind.MONTHLY_BOARD, recipients="", is_active=False)
    url = f"/performance/reports/schedules/{schedule.pk}/"
    form = {"recipients": "board@example.org\nnot-an-address", "language": "en", "time": "08:00", "is_active": "on"}
    response = client.post(url, form | {"day_of_month": "3"})
    assert response.status_code == 400 and "“not-an-address” is not an email address." in response.content.decode()
    response = client.post(url, form | {"recipients": "", "day_of_month": "3"})
    assert "An active schedule needs at least one recipient." in response.content.decode()
    response = client.post(url, form | {"recipients": "a@example.org", "day_of_month": "31"})
    assert response.status_code == 400  # 1 to 28 only
    schedule.refresh_from_db()
    assert (schedule.recipients, schedule.is_active) == ("", False)
    assert schedule.periodic_task.crontab.day_of_month == "1" and not schedule.periodic_task.enabled
