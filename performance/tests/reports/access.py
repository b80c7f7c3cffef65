"""The role matrix's rows for the performance app's reports area (gathered by performance/tests/access.py).

Only managers read the runs, run a report now, and see and change the schedules (staff/roles.py).
The POSTs are empty: a manager gets the form back with its errors (400) and nothing is queued or
changed. The records are one schedule and one built run of it (with both files, so downloads are 200)."""

from contactcentre.tests.matrix import ADM, API, CA, HR, TL, A, M, N, api, every, only, posted  # noqa: F401

BAD_FORM = {M: 400}
SCHEDULE = "/performance/reports/schedules/{report_schedule}/"

# (url name, path with {placeholders} from records(), method, expected status per caller)
ROWS: list[tuple] = [
    ("performance:reports", "/performance/reports/", "get", only(M)),
    ("performance:report-run-now", "/performance/reports/run/", "post", only(M) | BAD_FORM),
    ("performance:report-run", "/performance/reports/runs/{report_run}/", "get", only(M)),
    ("performance:report-download", "/performance/reports/runs/{report_run}/pdf/", "get", only(M)),
    ("performance:report-download", "/performance/reports/runs/{report_run}/xlsx/", "get", only(M)),
    ("performance:report-schedules", "/performance/reports/schedules/", "get", only(M)),
    ("performance:report-schedule-edit", "/performance/reports/schedules/{report_schedule}/", "get", only(M)),
    (
        "performance:report-schedule-edit",
        "/performance/reports/schedules/{report_schedule}/",
        "post",
        only(M) | BAD_FORM,
    ),
]


def records(people: dict, base: dict) -> dict:
    """The records this area's rows name, as {placeholder: id}."""
    from datetime import date

    from django.utils import timezone

    from performance.models import ReportRun, RunStatus

    from .factories import make_schedule

    schedule = make_schedule(name="Matrix daily report")
    run = ReportRun.objects.create(
        schedule=schedule,
        period_start=date(2026, 1, 5),
        period_end=date(2026, 1, 5),
        status=RunStatus.SUCCEEDED,
        attempts=1,
        pdf=b"%PDF-1.4 matrix",
        xlsx=b"PK matrix",
        sent_at=timezone.now(),
        sent_to="ops@example.org",
    )
    return {"report_schedule": schedule.pk, "report_run": run.pk}
