"""The scheduled reports pages: the runs (status, duration, attempts, error, downloads) with "run
now", each run's status fragment (polled while it runs), the schedules and a schedule's settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, re_path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from calls.forms import add_domain_errors
from contactcentre.exceptions import DomainError
from contactcentre.http import client_ip

from ..forms.reports import WEEKDAYS, RunNowForm, ScheduleForm
from ..models import ReportRun, ReportSchedule, RunStatus
from ..rules.reports import Timing
from ..selectors import reports as selectors
from ..selectors.kpis import Period
from ..services import reports as services

VIEW_RUNS = "performance.view_reportrun"
RUN_NOW = "performance.run_report"
VIEW_SCHEDULES = "performance.view_reportschedule"
CHANGE_SCHEDULE = "performance.change_reportschedule"
PAGE_SIZE = 25
ACTIVE = (RunStatus.PENDING, RunStatus.RUNNING, RunStatus.RETRYING)
FILE_TYPES = {"pdf": services.PDF_TYPE, "xlsx": services.XLSX_TYPE}


def _reports_page(request: HttpRequest, form: RunNowForm, *, status: int = 200) -> HttpResponse:
    page = Paginator(selectors.runs_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "runs": page.object_list,
        "form": form,
        "active": ACTIVE,
        "can_run": request.user.has_perm(RUN_NOW),
        "schedules_exist": ReportSchedule.objects.exists(),
    }
    return render(request, "performance/reports/runs.html", context, status=status)


@login_required
@permission_required(VIEW_RUNS, raise_exception=True)
def reports(request: HttpRequest) -> HttpResponse:
    return _reports_page(request, RunNowForm())


@login_required
@permission_required(RUN_NOW, raise_exception=True)
@require_POST
def report_run_now(request: HttpRequest) -> HttpResponse:
    form = RunNowForm(request.POST)
    if form.is_valid():
        try:
            run = services.report_request(
                schedule=form.cleaned_data["schedule"],
                day=form.cleaned_data["day"],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(
                request,
                _("%(report)s for %(period)s queued: its status is shown below.")
                % {
                    "report": run.schedule.name,
                    "period": selectors.period_label(Period(run.period_start, run.period_end)),
                },
            )
            return redirect("performance:reports")
    return _reports_page(request, form, status=400)


@login_required
@permission_required(VIEW_RUNS, raise_exception=True)
def report_run(request: HttpRequest, pk: int) -> HttpResponse:
    """One run's row, polled by the runs page while it is waiting, running or retrying."""
    run = selectors.run_status(pk)
    if run is None:
        raise Http404
    return render(request, "performance/reports/_run_row.html", {"run": run, "active": ACTIVE})


@login_required
@permission_required(VIEW_RUNS, raise_exception=True)
def report_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    try:
        run, data = selectors.run_file(pk, fmt)
    except ReportRun.DoesNotExist:
        raise Http404 from None
    if data is None:
        raise Http404(_("This report has no file yet."))
    services.report_download_record(run=run, fmt=fmt, actor=request.user, ip_address=client_ip(request))
    response = HttpResponse(data, content_type=FILE_TYPES[fmt])
    name = services.file_name(run.schedule, Period(run.period_start, run.period_end), fmt)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _when(timing: Timing) -> str:
    at = f"{timing.hour:02d}:{timing.minute:02d}"
    if timing.day_of_week is not None:
        day = dict(WEEKDAYS).get(timing.day_of_week, timing.day_of_week)
        return _("Every %(day)s at %(time)s") % {"day": day, "time": at}
    if timing.day_of_month is not None:
        return _("On day %(day)s of each month at %(time)s") % {"day": timing.day_of_month, "time": at}
    return _("Every day at %(time)s") % {"time": at}


@login_required
@permission_required(VIEW_SCHEDULES, raise_exception=True)
def report_schedules(request: HttpRequest) -> HttpResponse:
    schedules = [(schedule, _when(services.schedule_timing(schedule))) for schedule in selectors.schedules_list()]
    return render(
        request,
        "performance/reports/schedules.html",
        {"schedules": schedules, "can_change": request.user.has_perm(CHANGE_SCHEDULE)},
    )


@login_required
@permission_required(CHANGE_SCHEDULE, raise_exception=True)
def report_schedule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = get_object_or_404(selectors.schedules_list(), pk=pk)
    form = ScheduleForm(
        request.POST if request.method == "POST" else None,
        schedule=schedule,
        timing=services.schedule_timing(schedule),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.schedule_change(
                schedule=schedule,
                actor=request.user,
                recipients=data["recipients"],
                language=data["language"],
                site=data["site"],
                is_active=data["is_active"],
                timing=form.timing(),
                ip_address=client_ip(request),
            )
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Schedule “%(name)s” saved.") % {"name": schedule.name})
            return redirect("performance:report-schedules")
    context = {
        "form": form,
        "title": _("Schedule: %(name)s") % {"name": schedule.name},
        "intro": _(
            "The report goes to these recipients, in this language, on this timing (UK time). "
            "Switched off, it is not sent; “run now” on the reports page still builds it."
        ),
        "submit": _("Save"),
        "back": reverse("performance:report-schedules"),
        "testid": "schedule-form",
    }
    return render(request, "form_page.html", context, status=400 if form.is_bound else 200)


urlpatterns: list[URLPattern] = [
    path("reports/", reports, name="reports"),
    path("reports/run/", report_run_now, name="report-run-now"),
    path("reports/runs/<int:pk>/", report_run, name="report-run"),
    re_path(r"^reports/runs/(?P<pk>[0-9]+)/(?P<fmt>pdf|xlsx)/$", report_download, name="report-download"),
    path("reports/schedules/", report_schedules, name="report-schedules"),
    path("reports/schedules/<int:pk>/", report_schedule_edit, name="report-schedule-edit"),
]
