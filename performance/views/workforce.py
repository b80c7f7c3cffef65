"""The performance app's workforce pages: the staffing of a queue on a day (forecast, Erlang C, the
roster, the gap) and the shift roster managers keep."""

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from calls.forms import add_domain_errors
from contactcentre.exceptions import DomainError

from ..forms.workforce import CopyWeekForm, DayForm, ShiftForm
from ..selectors import workforce as selectors
from ..services import workforce as services


def _roster_url(day, queue=None) -> str:
    query = {"day": day.isoformat()} | ({"queue": queue.pk} if queue else {})
    return f"{reverse('performance:roster')}?{urlencode(query)}"


def _charts(staffing: selectors.StaffingDay) -> dict:
    labels = [formats.time_format(timezone.localtime(row.start), "H:i") for row in staffing.rows]
    step = {"stepped": True, "pointRadius": 0, "borderWidth": 2}
    rows = staffing.rows
    agents = {
        "type": "line",
        "data": {
            "labels": labels,
            "datasets": [
                {"label": gettext("Agents required (rostered)"), "data": [r.rostered_required for r in rows], **step},
                {"label": gettext("Agents required on the phones"), "data": [r.required for r in rows], **step},
                {"label": gettext("Agents rostered"), "data": [round(r.scheduled, 2) for r in rows], **step},
            ],
        },
        "options": {"scales": {"y": {"beginAtZero": True, "ticks": {"precision": 0}}}},
    }
    contacts = {
        "type": "bar",
        "data": {
            "labels": labels,
            "datasets": [
                {"label": gettext("Forecast"), "data": [round(r.forecast, 2) for r in staffing.rows]},
                {"label": gettext("Actual"), "data": [r.actual for r in staffing.rows]},
            ],
        },
        "options": {"scales": {"y": {"beginAtZero": True}}},
    }
    return {"agents_chart": agents, "contacts_chart": contacts}


@login_required
@permission_required("performance.view_staffing", raise_exception=True)
def staffing(request: HttpRequest) -> HttpResponse:
    form = DayForm(request.GET or None)
    day = form.day_or_today() if form.is_bound else timezone.localdate()
    queue = (form.queue_or_none() if form.is_bound else None) or selectors.roster_queues().first()
    context = {"form": form, "day": day, "queue": queue, "staffing": None}
    if queue is not None:
        form.initial = {"day": day, "queue": queue}
        staffing_day = selectors.staffing_day(queue, day)
        context |= {"staffing": staffing_day, **_charts(staffing_day)}
        context["previous_day"], context["next_day"] = day - timedelta(days=1), day + timedelta(days=1)
    return render(request, "performance/workforce/staffing.html", context)


@login_required
@permission_required("performance.view_rostershift", raise_exception=True)
def roster(request: HttpRequest) -> HttpResponse:
    form = DayForm(request.GET or None)
    day = form.day_or_today() if form.is_bound else timezone.localdate()
    queue = form.queue_or_none() if form.is_bound else None
    if not form.is_bound:
        form.initial = {"day": day}
    shifts = selectors.roster_day(day, queue_id=queue.pk if queue else None)
    return render(
        request,
        "performance/workforce/roster.html",
        {
            "form": form,
            "day": day,
            "queue": queue,
            "shifts": shifts,
            "copy_form": CopyWeekForm(initial={"week": day, "queue": queue}),
            "previous_day": day - timedelta(days=1),
            "next_day": day + timedelta(days=1),
        },
    )


@login_required
@permission_required("performance.add_rostershift", raise_exception=True)
@require_http_methods(["GET", "POST"])
def roster_add(request: HttpRequest) -> HttpResponse:
    day_form = DayForm(request.GET or None)
    day = day_form.day_or_today() if day_form.is_bound else None
    queue = day_form.queue_or_none() if day_form.is_bound else None
    form = ShiftForm(request.POST or None, day=day, queue=queue)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                shift = services.shift_add(actor=request.user, **form.cleaned_data)
            except DomainError as error:
                add_domain_errors(form, error)
            else:
                messages.success(request, gettext("Shift added."))
                return redirect(_roster_url(timezone.localtime(shift.starts_at).date(), shift.queue))
        status = 400
    back = _roster_url(day or timezone.localdate(), queue)
    return render(
        request,
        "form_page.html",
        {
            "title": gettext("Add a shift"),
            "intro": gettext("An agent on a queue for a span of time; an agent cannot be on two shifts at once."),
            "form": form,
            "submit": gettext("Add the shift"),
            "back": back,
            "testid": "shift-form",
        },
        status=status,
    )


@login_required
@permission_required("performance.delete_rostershift", raise_exception=True)
@require_POST
def roster_delete(request: HttpRequest, pk: int) -> HttpResponse:
    shift = services.shift_remove(actor=request.user, shift_id=pk)
    if shift is None:
        messages.info(request, gettext("That shift had already been removed."))
        return redirect(reverse("performance:roster"))
    messages.success(request, gettext("Shift removed."))
    return redirect(_roster_url(timezone.localtime(shift.starts_at).date(), shift.queue))


@login_required
@permission_required("performance.add_rostershift", raise_exception=True)
@require_POST
def roster_copy_week(request: HttpRequest) -> HttpResponse:
    form = CopyWeekForm(request.POST)
    if not form.is_valid():  # a bad week or queue copies nothing (never every queue by default)
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
        return redirect(reverse("performance:roster"))
    week = form.cleaned_data.get("week") or timezone.localdate()
    queue = form.cleaned_data.get("queue")
    copied = services.roster_copy_week(actor=request.user, week_start=week, queue_id=queue.pk if queue else None)
    monday = formats.date_format(copied.week_start, "d/m/Y")
    if copied.created or copied.skipped:
        message = ngettext(
            "%(count)d shift copied into the week of %(monday)s.",
            "%(count)d shifts copied into the week of %(monday)s.",
            copied.created,
        ) % {"count": copied.created, "monday": monday}
        if copied.skipped:
            message += " " + ngettext(
                "%(count)d left out: the agent already had a shift then.",
                "%(count)d left out: the agents already had shifts then.",
                copied.skipped,
            ) % {"count": copied.skipped}
        messages.success(request, message)
    else:
        messages.info(request, gettext("The week before %(monday)s had no shifts to copy.") % {"monday": monday})
    return redirect(_roster_url(copied.week_start, queue))


urlpatterns = [
    path("staffing/", staffing, name="staffing"),
    path("roster/", roster, name="roster"),
    path("roster/new/", roster_add, name="roster-add"),
    path("roster/<int:pk>/delete/", roster_delete, name="roster-delete"),
    path("roster/copy-week/", roster_copy_week, name="roster-copy-week"),
]
