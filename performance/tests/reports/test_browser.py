"""In headless Chromium: a manager watches a running report finish without reloading the page (its
row polls itself), then downloads its PDF; the schedules page opens its edit form by keyboard."""

from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from contactcentre.tests.browser import log_in
from performance.models import ReportRun, RunStatus

from .factories import make_schedule

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_manager_sees_a_running_report_finish_and_downloads_it(transactional_db, roles, live_server, page):
    from staff.tests.factories import UserFactory

    manager = UserFactory(role="manager")
    schedule = make_schedule(name="Ops daily")
    run = ReportRun.objects.create(
        schedule=schedule, period_start=date(2026, 3, 10), period_end=date(2026, 3, 10), status=RunStatus.RUNNING
    )
    log_in(page, live_server.url, manager.email)
    page.goto(f"{live_server.url}/performance/reports/")
    row = page.locator(f"#run-{run.pk}")
    expect(row.get_by_test_id("run-status")).to_have_text("Running")
    page.evaluate("window.notReloaded = true")

    ReportRun.objects.filter(pk=run.pk).update(
        status=RunStatus.SUCCEEDED, attempts=1, pdf=b"%PDF-1.4 t", xlsx=b"PK", sent_at=timezone.now(), sent_to="a@b.org"
    )
    expect(row.get_by_test_id("run-status")).to_have_text("Sent", timeout=10_000)
    assert page.evaluate("window.notReloaded") is True
    page.screenshot(path="/tmp/reports-runs.png", full_page=True)
    with page.expect_download() as download:
        row.get_by_test_id("download-pdf").click()
    assert download.value.suggested_filename == "daily-operations-report-2026-03-10.pdf"

    page.goto(f"{live_server.url}/performance/reports/schedules/")
    link = page.get_by_test_id("schedule-edit").first
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("schedule-form")).to_be_visible()
    page.screenshot(path="/tmp/reports-schedule-edit.png", full_page=True)
