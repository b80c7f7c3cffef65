"""Browser pages for employment records: HR's list (filters, CSV), a person's page (for HR, their team
leader, their site's managers and themselves), "my record", HR's writes (new employee, employment
details, qualifications, leaver, profit share), job descriptions, and the retention report."""

from datetime import timedelta
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from calls.forms import add_domain_errors
from contactcentre.csv_export import csv_response
from contactcentre.exceptions import DomainError, invalid
from contactcentre.http import client_ip

from ..forms.employees import (
    EmployeeCreateForm,
    EmployeeFilterForm,
    EmploymentForm,
    LeaverForm,
    ProfitShareForm,
    QualificationForm,
    RetentionPeriodForm,
)
from ..models import Employee, EmploymentStatus
from ..rules import employees as rules
from ..selectors import employees as selectors
from ..services import employees as services

PAGE_SIZE = 25


def _person_links(employee: Employee, *, own: bool) -> list[tuple[str, str]]:
    """Links to the person's training, appraisals and evaluations pages."""
    pages = [
        (_("Training"), "training"),
        (_("Appraisals"), "appraisals"),
        (_("Quality evaluations"), "evaluations"),
    ]
    return [
        (label, reverse(f"staff:my-{page}") if own else reverse(f"staff:employee-{page}", args=[employee.pk]))
        for label, page in pages
    ]


def _record_context(request: HttpRequest, employee: Employee) -> dict:
    today = timezone.localdate()
    return {
        "employee": employee,
        "today": today,
        "qualifications": selectors.employee_qualifications(employee, today=today),
        "lacks_registration": selectors.lacks_nurse_registration(employee),
        "skills": selectors.employee_skills(employee),
        "links": _person_links(employee, own=employee.user_id == request.user.pk),
    }


@login_required
@permission_required("staff.manage_people", raise_exception=True)
def employee_list(request: HttpRequest) -> HttpResponse:
    filters = EmployeeFilterForm(request.GET or None)
    employees = selectors.employee_list(actor=request.user, **filters.selector_arguments())
    page = Paginator(employees, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "staff/employees/list.html", {"page": page, "filters": filters, "query": query.urlencode()})


def _employee_rows(employees):
    yield [
        _("Employee number"),
        _("Name"),
        _("Email"),
        _("Site"),
        _("Team"),
        _("Job role"),
        _("Start date"),
        _("Contract hours"),
        _("Status"),
        _("Left on"),
        _("Leaving reason"),
        _("In the profit-share scheme from"),
    ]
    for e in employees.iterator(chunk_size=500):
        yield [
            e.employee_number,
            e.user.full_name,
            e.user.email,
            e.user.site.name if e.user.site else "",
            e.user.team.name if e.user.team else "",
            e.job_role.title,
            e.start_date.isoformat(),
            e.contract_hours,
            e.get_status_display(),
            e.left_on.isoformat() if e.left_on else "",
            e.get_leaving_reason_display(),
            e.profit_share_eligible_from.isoformat() if e.profit_share_eligible_from else "",
        ]


@login_required
@permission_required("staff.manage_people", raise_exception=True)
def employee_export(request: HttpRequest) -> StreamingHttpResponse:
    """The list as it is filtered, as CSV (it names people: audited)."""
    filters = EmployeeFilterForm(request.GET or None)
    arguments = filters.selector_arguments()
    services.employee_list_exported(
        actor=request.user,
        filters={name: value for name, value in arguments.items() if value not in (None, "")},
        ip_address=client_ip(request),
    )
    return csv_response(_employee_rows(selectors.employee_list(actor=request.user, **arguments)), "employees")


@login_required
def employee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    employee = selectors.employee_detail_for(request.user, pk)
    services.employee_record_viewed(employee=employee, actor=request.user, ip_address=client_ip(request))
    return render(request, "staff/employees/detail.html", _record_context(request, employee))


@login_required
def my_record(request: HttpRequest) -> HttpResponse:
    employee = selectors.employee_of(request.user)
    context = _record_context(request, employee) if employee else {"employee": None}
    return render(request, "staff/employees/detail.html", context | {"own": True})


def _validation_to_form(form, error: ValidationError) -> None:
    add_domain_errors(form, invalid(error, _("Check the form.")))


@login_required
@permission_required("staff.add_employee", raise_exception=True)
def employee_new(request: HttpRequest) -> HttpResponse:
    form = EmployeeCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            employee = services.employee_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:  # a taken email or employee number
            _validation_to_form(form, error)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("%(name)s is on the books.") % {"name": employee.user.full_name})
            if employee.job_role.needs_nurse_registration:
                messages.warning(request, _("This job needs a nursing registration: record it now."))
            return redirect("staff:employee", pk=employee.pk)
    return render(request, "staff/employees/form.html", {"form": form, "title": _("New employee")})


def _form_page(request: HttpRequest, *, employee: Employee, form, write, done: str, title: str) -> HttpResponse:
    """An HR form about one employee: on a valid POST, `write(**cleaned_data)` (a service call), then back
    to their record; a refusal is shown on the form, with what was typed."""
    if request.method == "POST" and form.is_valid():
        try:
            write(**form.cleaned_data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("staff:employee", pk=employee.pk)
    return render(request, "staff/employees/form.html", {"form": form, "employee": employee, "title": title})


@login_required
@permission_required("staff.change_employee", raise_exception=True)
def employee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    employee = selectors.employee_get_for(request.user, pk)
    if employee.status == EmploymentStatus.LEFT:
        messages.error(request, _("This person has left: their employment details are closed."))
        return redirect("staff:employee", pk=pk)
    initial = {
        "employee_number": employee.employee_number,
        "job_role": employee.job_role_id,
        "site": employee.user.site_id,
        "team": employee.user.team_id,
        "start_date": employee.start_date,
        "contract_hours": employee.contract_hours,
        "status": employee.status,
    }
    return _form_page(
        request,
        employee=employee,
        form=EmploymentForm(request.POST or None, initial=initial),
        write=partial(services.employee_update, actor=request.user, employee_id=pk),
        done=_("Employment details saved."),
        title=_("Employment details"),
    )


def _qualification_page(request: HttpRequest, pk: int, qualification_id: int | None) -> HttpResponse:
    employee = selectors.employee_get_for(request.user, pk)
    initial = {}
    if qualification_id is not None:
        existing = get_object_or_404(employee.qualifications, pk=qualification_id)
        initial = {
            "kind": existing.kind,
            "name": existing.name,
            "registration_number": existing.registration_number,
            "expires_on": existing.expires_on,
        }
    return _form_page(
        request,
        employee=employee,
        form=QualificationForm(request.POST or None, initial=initial),
        write=partial(
            services.qualification_save, actor=request.user, employee=employee, qualification_id=qualification_id
        ),
        done=_("Qualification saved."),
        title=_("New qualification") if qualification_id is None else _("Qualification"),
    )


@login_required
@permission_required("staff.add_qualification", raise_exception=True)
def qualification_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _qualification_page(request, pk, None)


@login_required
@permission_required("staff.change_qualification", raise_exception=True)
def qualification_edit(request: HttpRequest, pk: int, qualification_id: int) -> HttpResponse:
    return _qualification_page(request, pk, qualification_id)


@login_required
@permission_required("staff.change_employee", raise_exception=True)
def employee_leaver(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_page(
        request,
        employee=selectors.employee_get_for(request.user, pk),
        form=LeaverForm(request.POST or None),
        write=partial(services.employee_record_leaver, actor=request.user, employee_id=pk),
        done=_("Leaver recorded."),
        title=_("Record a leaver"),
    )


@login_required
@permission_required("staff.change_employee", raise_exception=True)
def employee_profit_share(request: HttpRequest, pk: int) -> HttpResponse:
    employee = selectors.employee_get_for(request.user, pk)
    return _form_page(
        request,
        employee=employee,
        form=ProfitShareForm(request.POST or None, initial={"eligible_from": employee.profit_share_eligible_from}),
        write=partial(services.employee_profit_share_set, actor=request.user, employee_id=pk),
        done=_("Profit-share eligibility saved."),
        title=_("Profit-share scheme"),
    )


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/employees/jobs.html", {"jobs": selectors.job_role_list()})


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "staff/employees/job.html", {"job": selectors.job_role_detail(pk)})


def _period(request: HttpRequest) -> tuple[RetentionPeriodForm, rules.Period]:
    """The chosen period; by default the last twelve months to today."""
    today = timezone.localdate()
    default = rules.Period(today - timedelta(days=364), today)
    form = RetentionPeriodForm(request.GET or None, initial={"start": default.start, "end": default.end})
    if form.is_bound and form.is_valid():
        return form, rules.Period(form.cleaned_data["start"], form.cleaned_data["end"])
    return form, default


def _chart(title: str, labels: list[str], rows: list[rules.Attrition]) -> dict:
    return {
        "type": "bar",
        "data": {
            "labels": labels,
            "datasets": [{"label": title, "data": [float(a.attrition_rate or 0) for a in rows]}],
        },
        "options": {"scales": {"y": {"beginAtZero": True, "title": {"display": True, "text": "%"}}}},
    }


@login_required
@permission_required("staff.view_people_reports", raise_exception=True)
def retention(request: HttpRequest) -> HttpResponse:
    form, period = _period(request)
    report = selectors.retention_report(request.user, period)
    leavers = Paginator(selectors.leavers_in(request.user, period), PAGE_SIZE).get_page(request.GET.get("page"))
    services.employees_read(  # the leavers are named with their reasons: personal data
        actor=request.user,
        summary="Retention report: leavers",
        filters={"start": period.start.isoformat(), "end": period.end.isoformat(), "page": leavers.number},
        employee_ids=[employee.pk for employee in leavers],
        ip_address=client_ip(request),
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "report": report,
        "leavers": leavers,
        "query": query.urlencode(),
        "site_chart": _chart(_("Attrition rate (%)"), [a.key for a in report.by_site], report.by_site),
        "team_chart": _chart(
            _("Attrition rate (%)"),
            [f"{team} ({site})" for site, team in (a.key for a in report.by_team)],
            report.by_team,
        ),
    }
    return render(request, "staff/employees/retention.html", context)


def _retention_rows(report):
    yield [
        _("Group"),
        _("Site"),
        _("Team"),
        _("Average headcount"),
        _("Leavers"),
        _("Attrition rate (%)"),
        _("Starters"),
        _("Early leavers (under 90 days)"),
        _("Early leavers per starter (%)"),
        _("Early leavers per leaver (%)"),
        _("Average tenure of leavers (days)"),
    ]

    def figures(a: rules.Attrition) -> list:
        return [
            a.average_headcount,
            a.leavers,
            a.attrition_rate,
            a.starters,
            a.early_leavers,
            a.early_share_of_starters,
            a.early_share_of_leavers,
            a.average_tenure_days,
        ]

    yield [_("Everyone"), "", "", *figures(report.overall)]
    for a in report.by_site:
        yield [_("Site"), a.key, "", *figures(a)]
    for a in report.by_team:
        yield [_("Team"), a.key[0], a.key[1], *figures(a)]


@login_required
@permission_required("staff.view_people_reports", raise_exception=True)
def retention_export(request: HttpRequest) -> StreamingHttpResponse:
    """The report's figures as CSV (counts and rates: no one is named)."""
    _form, period = _period(request)
    return csv_response(_retention_rows(selectors.retention_report(request.user, period)), "retention")


# Mounted under /staff/ by staff/urls.py; names in the "staff" namespace.
urls: list[URLPattern] = [
    path("me/", my_record, name="me"),
    path("employees/", employee_list, name="employees"),
    path("employees/export.csv", employee_export, name="employee-export"),
    path("employees/new/", employee_new, name="employee-new"),
    path("employees/<int:pk>/", employee_detail, name="employee"),
    path("employees/<int:pk>/edit/", employee_edit, name="employee-edit"),
    path("employees/<int:pk>/qualifications/new/", qualification_new, name="qualification-new"),
    path("employees/<int:pk>/qualifications/<int:qualification_id>/", qualification_edit, name="qualification-edit"),
    path("employees/<int:pk>/leaver/", employee_leaver, name="employee-leaver"),
    path("employees/<int:pk>/profit-share/", employee_profit_share, name="employee-profit-share"),
    path("jobs/", job_list, name="jobs"),
    path("jobs/<int:pk>/", job_detail, name="job"),
    path("retention/", retention, name="retention"),
    path("retention/export.csv", retention_export, name="retention-export"),
]
