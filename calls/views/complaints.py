"""Complaint screens: the list (filters, CSV export), the report for a period, logging a complaint, and
its page with the deadlines and the actions (acknowledge, resolve, final response, assign) as POST
forms that come back to it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contactcentre.csv_export import csv_response
from contactcentre.exceptions import DomainError, InvalidTransition
from contactcentre.http import client_ip
from customers.models import Customer

from ..forms import add_domain_errors
from ..forms.complaints import (
    AssignForm,
    ComplaintFilterForm,
    ComplaintForm,
    FinalResponseForm,
    ReportPeriodForm,
    ResolveForm,
)
from ..rules import complaints as rules
from ..selectors import complaints as selectors
from ..services import complaints as services
from . import ids_from_query

PAGE_SIZE = 25


@login_required
@permission_required("calls.view_complaint", raise_exception=True)
def complaint_list(request: HttpRequest) -> HttpResponse:
    filters = ComplaintFilterForm(request.GET or None)
    complaints = selectors.complaint_list(**filters.selector_arguments(request.user))
    page = Paginator(complaints, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"page": page, "filters": filters, "query": query.urlencode(), "now": timezone.now()}
    return render(request, "calls/complaints/list.html", context)


def _when(value) -> str:
    return formats.date_format(timezone.localtime(value), "Y-m-d H:i") if value else ""


def _csv_rows(complaints):
    yield [
        _("Reference"),
        _("Received at"),
        _("Membership number"),
        _("Member"),
        _("Received by"),
        _("Cause category"),
        _("Severity"),
        _("Product"),
        _("Status"),
        _("Owner"),
        _("Summary resolution by"),
        _("Final response by"),
        _("Acknowledged at"),
        _("Resolved at"),
        _("Final response at"),
        _("Outcome"),
        _("Redress paid"),
        _("Deadline breached at"),
    ]
    for c in complaints.iterator(chunk_size=500):
        yield [
            c.reference,
            _when(c.received_at),
            c.customer.membership_number if c.customer else "",
            c.customer.full_name if c.customer else "",
            c.channel,
            c.get_category_display(),
            c.get_severity_display(),
            c.product,
            c.get_status_display(),
            c.owner.full_name if c.owner else "",
            _when(c.summary_resolution_due),
            _when(c.final_response_due),
            _when(c.acknowledged_at),
            _when(c.resolved_at),
            _when(c.final_response_at),
            c.get_outcome_display(),
            c.redress,
            _when(c.breached_at),
        ]


@login_required
@permission_required(["calls.view_complaint", "staff.lead_team"], raise_exception=True)
def complaint_export(request: HttpRequest) -> StreamingHttpResponse:
    """The list as it is filtered, as CSV, for team leaders and managers (it names members: audited)."""
    filters = ComplaintFilterForm(request.GET or None)
    arguments = filters.selector_arguments(request.user)
    services.complaint_list_exported(
        actor=request.user,
        filters={name: value for name, value in arguments.items() if value not in (None, "", False)},
        ip_address=client_ip(request),
    )
    return csv_response(_csv_rows(selectors.complaint_list(**arguments)), "complaints")


@login_required
@permission_required(["calls.view_complaint", "staff.lead_team"], raise_exception=True)
def complaint_report(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = ReportPeriodForm(request.GET or None, initial={"start": today.replace(day=1), "end": today})
    start, end = today.replace(day=1), today
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    report = selectors.complaint_report(start=start, end=end)
    return render(request, "calls/complaints/report.html", {"form": form, "report": report})


@login_required
@permission_required("calls.add_complaint", raise_exception=True)
def complaint_new(request: HttpRequest) -> HttpResponse:
    form = ComplaintForm(
        request.POST or None,
        initial={"owner": request.user.pk} | ids_from_query(request),
        handlers=selectors.complaint_handlers(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            complaint = services.complaint_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            due = formats.date_format(timezone.localtime(complaint.summary_resolution_due), "l d/m/Y")
            messages.success(
                request,
                _("Complaint %(reference)s logged. Resolve it by the end of %(due)s, or it needs a final response.")
                % {"reference": complaint.reference, "due": due},
            )
            return redirect("calls:complaint-detail", pk=complaint.pk)
    customer_id = str(form["customer"].value() or "")
    customer = Customer.objects.filter(pk=customer_id).first() if customer_id.isdigit() else None
    return render(request, "calls/complaints/new.html", {"form": form, "customer": customer})


@login_required
@permission_required("calls.view_complaint", raise_exception=True)
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = selectors.complaint_detail(pk)
    services.complaint_record_viewed(complaint=complaint, actor=request.user, ip_address=client_ip(request))
    now = timezone.now()
    closed_at = complaint.final_response_at or complaint.resolved_at
    actions = [
        name
        for name in rules.available_actions(complaint.status, now=now, summary_due=complaint.summary_resolution_due)
        if request.user.has_perm(rules.COMPLAINT_ACTIONS[name][0])
    ]
    context = {
        "complaint": complaint,
        "now": now,
        "summary_state": rules.summary_state(
            complaint.status,
            summary_due=complaint.summary_resolution_due,
            closed_at=closed_at,
            acknowledged=complaint.acknowledged_at is not None,
            now=now,
        ),
        "final_state": rules.final_state(final_due=complaint.final_response_due, closed_at=closed_at, now=now),
        "profile": rules.PROFILES.get(complaint.profile),
        "actions": actions,
        "resolve_form": ResolveForm(prefix="resolve"),
        "final_form": FinalResponseForm(prefix="final"),
        # Evaluated once here, for the assign form's list.
        "handlers": list(selectors.complaint_handlers()) if "assign" in actions else [],
        "history": selectors.complaint_history(complaint.pk),
    }
    return render(request, "calls/complaints/detail.html", context)


def _form_problem(form) -> str:
    problems = [
        f"{form.fields[name].label}: {' '.join(errors)}" for name, errors in form.errors.items() if name in form.fields
    ]
    return _("Check the form: %(problems)s") % {"problems": "; ".join(problems) or _("it was incomplete.")}


def _act(request: HttpRequest, pk: int, action: str) -> str:
    """Carry out the action; return what to tell the user. Raises DomainError when refused."""
    if action == "acknowledge":
        services.complaint_acknowledge(complaint_id=pk, actor=request.user)
        return _("Acknowledged.")
    if action == "assign":
        form = AssignForm(request.POST, handlers=selectors.complaint_handlers())
        if not form.is_valid():
            raise DomainError(_form_problem(form))
        complaint = services.complaint_assign(complaint_id=pk, actor=request.user, owner=form.cleaned_data["owner"])
        return _("Given to %(name)s.") % {"name": complaint.owner.full_name}
    form_class, prefix = (ResolveForm, "resolve") if action == "resolve" else (FinalResponseForm, "final")
    form = form_class(request.POST, prefix=prefix)
    if not form.is_valid():
        raise DomainError(_form_problem(form))
    if action == "resolve":
        services.complaint_resolve(complaint_id=pk, actor=request.user, **form.cleaned_data)
        return _("Resolved with a summary resolution communication.")
    services.complaint_final_response(complaint_id=pk, actor=request.user, **form.cleaned_data)
    return _("Final response recorded.")


@login_required
@permission_required("calls.change_complaint", raise_exception=True)
@require_POST
def complaint_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in rules.COMPLAINT_ACTIONS:
        raise Http404
    if not request.user.has_perm(rules.COMPLAINT_ACTIONS[action][0]):
        raise PermissionDenied
    selectors.complaint_get(pk)
    try:
        done = _act(request, pk, action)
    except InvalidTransition as error:
        messages.error(request, error.message)
    except DomainError as error:
        problems = [str(m) for field in error.fields.values() for m in field if str(m) != error.message]
        messages.error(request, " ".join([error.message, *problems]))
    else:
        messages.success(request, done)
    return redirect("calls:complaint-detail", pk=pk)
