"""A run: its figures on fixed data, its PDF and XLSX read back, sent once however often it runs,
a failure retried with its error recorded, and the Arabic report laid out right to left."""

from datetime import date
from io import BytesIO
from unittest import mock

import pytest
from django.core import mail
from openpyxl import load_workbook
from pypdf import PdfReader

from calls.tests.factories import QueueFactory
from performance.models import ReportKind, ReportRun, RunStatus
from performance.rules.reports import MAX_RETRIES
from performance.selectors.kpis import Period
from performance.selectors.reports import report_content
from performance.services.reports import ReportFailed, report_run
from performance.tasks.reports import report_generate
from staff.tests.factories import SiteFactory

from .factories import day_rollup, make_schedule

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 10)
PERIOD = Period(DAY, DAY)


@pytest.fixture
def figures():
    """One day at one queue and site, and the day before at half the volume.

    | measure | sums | KPI |
    | --- | --- | --- |
    | SL1 | 72 in threshold / (90 answered + 10 abandoned) | 72.0% |
    | abandonment | 10 / 100 offered | 10.0% |
    | ASA | 900 s / 90 answered | 10 s |
    | AHT | (18,000 + 900 + 2,700) s / 90 handled | 240 s |
    | FCR | 60 / 80 eligible | 75.0% |
    | transfer rate | 9 / 90 handled | 10.0% |
    """
    site = SiteFactory(code="staines", name="Staines", name_ar="ستينز")
    queue = QueueFactory(code="members", name="Members", name_ar="الأعضاء")
    today = {
        "contacts": 110,
        "offered": 100,
        "answered": 90,
        "answered_in_threshold": 72,
        "abandoned": 10,
        "abandoned_in_threshold": 4,
        "short_abandoned": 3,
        "wait_answered_seconds": 900,
        "handled": 90,
        "talk_seconds": 18000,
        "hold_seconds": 900,
        "wrap_up_seconds": 2700,
        "transferred": 9,
        "fcr_eligible": 80,
        "fcr_resolved": 60,
    }
    day_rollup(DAY, queue=queue, site=site, **today)
    day_rollup(date(2026, 3, 9), queue=queue, site=site, **{key: value // 2 for key, value in today.items()})
    return site, queue


def _row(table, label_start: str) -> list:
    return next(row for row in table.rows if str(row[0].value).startswith(label_start))


def test_the_daily_report_shows_the_kpis_of_the_day_against_the_day_before_by_queue_and_site(figures):
    content = report_content(ReportKind.DAILY_OPERATIONS, PERIOD)
    headline, hours, queues, sites = content.tables
    assert [t.key for t in content.tables] == ["headline", "hours", "queues", "sites"]
    assert [cell.value for cell in _row(headline, "Calls offered")[:4]] == ["Calls offered", 100, 50, 50]
    service_level = _row(headline, "Service level")
    assert service_level[0].value.startswith("Service level (%), SL1: answered within T")
    assert service_level[1].value == pytest.approx(72.0)
    assert _row(headline, "Abandonment rate")[1].value == pytest.approx(10.0)
    assert _row(headline, "Average speed of answer")[1].value == pytest.approx(10.0)
    assert _row(headline, "Average handle time")[1].value == pytest.approx(240.0)
    assert _row(headline, "First-contact resolution")[1].value == pytest.approx(75.0)
    assert _row(headline, "Transfer rate")[1].value == pytest.approx(10.0)
    assert _row(headline, "Occupancy")[1].value is None  # no agent-state data: no figure, not 0
    assert [cell.value for cell in queues.rows[0][:4]] == ["Members (SL1)", 100, 90, 10]
    assert sites.rows[0][0].value == "Staines"
    assert hours.rows == [] and hours.empty  # no interval rollups made here


def test_a_run_stores_a_readable_pdf_and_xlsx_and_emails_both_once(figures):
    schedule = make_schedule()
    run = report_run(schedule.pk, PERIOD)
    again = report_run(schedule.pk, PERIOD)

    assert again.pk == run.pk and again.attempts == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ops@example.org", "board@example.org"]
    assert "Daily operations report" in message.subject
    names = [name for name, _data, _type in message.attachments]
    assert names == ["daily-operations-report-2026-03-10.pdf", "daily-operations-report-2026-03-10.xlsx"]

    run.refresh_from_db()
    assert (run.status, run.attempts, run.error) == (RunStatus.SUCCEEDED, 1, "")
    assert run.sent_at is not None and run.duration_ms is not None
    assert run.sent_to == "ops@example.org\nboard@example.org"
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(bytes(run.pdf))).pages)
    assert "Daily operations report" in text and "72.0%" in text and "Members" in text
    workbook = load_workbook(BytesIO(bytes(run.xlsx)))
    assert workbook.sheetnames[:3] == ["Report", "Key figures", "By hour"]
    rows = list(workbook["Key figures"].iter_rows(values_only=True))
    assert rows[1][:2] == ("Measure", "Value")
    service_level = next(row for row in rows if str(row[0]).startswith("Service level"))
    assert service_level[1] == pytest.approx(72.0)  # a number, not text
    assert message.attachments[0][1] == bytes(run.pdf)


def test_the_task_twice_for_one_period_sends_one_email(figures):
    schedule = make_schedule()
    for _ in range(2):
        report_generate.apply(args=(schedule.pk, "2026-03-10", "2026-03-10"))
    assert len(mail.outbox) == 1
    assert ReportRun.objects.get(schedule=schedule).attempts == 1


def test_a_schedule_without_recipients_builds_the_files_and_emails_nobody(figures):
    schedule = make_schedule(recipients="", is_active=False)
    run = report_run(schedule.pk, PERIOD)
    assert run.status == RunStatus.SUCCEEDED and run.sent_at is None and run.pdf
    assert mail.outbox == []


def test_a_failed_send_is_retried_and_the_email_goes_once(figures):
    schedule = make_schedule()
    real_send = mail.EmailMessage.send
    calls = []

    def flaky(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionRefusedError("mail server down")
        return real_send(self, *args, **kwargs)

    with mock.patch.object(mail.EmailMessage, "send", flaky):
        report_generate.apply(args=(schedule.pk, "2026-03-10", "2026-03-10"))
    run = ReportRun.objects.get(schedule=schedule)
    assert (run.status, run.attempts, run.error) == (RunStatus.SUCCEEDED, 2, "")
    assert len(mail.outbox) == 1


def test_a_run_that_keeps_failing_is_recorded_as_failed_with_its_error_and_shown(figures, user_factory, client):
    schedule = make_schedule()
    with mock.patch.object(mail.EmailMessage, "send", side_effect=ConnectionRefusedError("mail server down")):
        result = report_generate.apply(args=(schedule.pk, "2026-03-10", "2026-03-10"))
    assert isinstance(result.result, ReportFailed)
    run = ReportRun.objects.get(schedule=schedule)
    assert (run.status, run.attempts) == (RunStatus.FAILED, MAX_RETRIES + 1)
    assert run.error == "ConnectionRefusedError: mail server down"
    assert run.sent_at is None and mail.outbox == []

    client.force_login(user_factory(role="manager"))
    page = client.get("/performance/reports/")
    assert "ConnectionRefusedError: mail server down" in page.content.decode()
    assert 'data-status="failed"' in page.content.decode()


def test_a_failure_with_tries_left_is_shown_as_retrying(figures):
    schedule = make_schedule()
    with (
        mock.patch("performance.services.reports.report_pdf", side_effect=RuntimeError("font missing")),
        pytest.raises(ReportFailed),
    ):
        report_run(schedule.pk, PERIOD, final_attempt=False)
    run = ReportRun.objects.get(schedule=schedule)
    assert (run.status, run.error, run.attempts) == (RunStatus.RETRYING, "RuntimeError: font missing", 1)


def test_the_arabic_report_is_shaped_right_to_left_in_the_pdf_and_the_xlsx(figures):
    site, _queue = figures
    schedule = make_schedule(language="ar", site=site)
    run = report_run(schedule.pk, PERIOD)
    reader = PdfReader(BytesIO(bytes(run.pdf)))
    fonts = {str(font) for page in reader.pages for font in _font_names(page)}
    assert any("DejaVuSans" in font for font in fonts)
    text = reader.pages[0].extract_text()
    assert any("\u0600" <= char <= "\u06ff" or "\ufe70" <= char <= "\ufeff" for char in text)
    workbook = load_workbook(BytesIO(bytes(run.xlsx)))
    assert all(sheet.sheet_view.rightToLeft for sheet in workbook.worksheets)
    assert len(mail.outbox) == 1


def _font_names(page) -> list[str]:
    resources = page.get("/Resources") or {}
    fonts = resources.get("/Font") or {}
    return [fonts[key].get_object().get("/BaseFont") for key in fonts]


def test_the_weekly_and_monthly_packs_cover_their_days_and_months(figures):
    week = report_content(ReportKind.WEEKLY_KPI, Period(date(2026, 3, 9), date(2026, 3, 15)))
    days = next(t for t in week.tables if t.key == "days")
    assert len(days.rows) == 7 and days.rows[1][1].value == 100  # Tuesday 10 March: 100 offered
    month = report_content(ReportKind.MONTHLY_BOARD, Period(date(2026, 3, 1), date(2026, 3, 31)))
    assert [t.key for t in month.tables] == ["headline", "months", "queues", "sites", "gaps"]
    months = next(t for t in month.tables if t.key == "months")
    assert len(months.rows) == 12 and months.rows[-1][1].value == 150  # March 2026: 100 + 50 offered
    gaps = month.tables[-1]
    assert [row[0].value[:2] for row in gaps.rows] == ["1.", "2.", "3.", "4.", "5."]
    headline = month.tables[0]
    assert headline.columns[2:6] == ["Month before", "Change", "A year before", "Change"]
