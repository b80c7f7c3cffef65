"""Training pages: the course catalogue and each course with its sessions and who is enrolled;
scheduling sessions and enrolling people; a session's roster where HR and the trainer record
attendance and results; the training matrix of a team (with CSV); induction plans per job; training
needs (raise, plan, cancel); and a person's training (their own, or someone they may see)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from calls.forms import add_domain_errors
from contactcentre.csv_export import csv_response
from contactcentre.exceptions import DomainError
from contactcentre.http import client_ip

from ..forms.training import (
    CompletionForm,
    CourseFilterForm,
    EnrolForm,
    NeedFilterForm,
    NeedForm,
    NeedPlanForm,
    SessionForm,
)
from ..models import EmploymentStatus, NeedSource, NeedStatus, TrainingNeed, TrainingSession
from ..rules import training as rules
from ..selectors import training as selectors
from ..selectors.employees import employee_get_for, employees_visible_to
from ..services import training as services

PAGE_SIZE = 25


def leads_people(view):
    """Team leaders, managers and HR: those who lead or manage people."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not (request.user.has_perm("staff.lead_team") or request.user.has_perm("staff.manage_people")):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _active_visible(actor):
    return (
        employees_visible_to(actor)
        .exclude(status=EmploymentStatus.LEFT)
        .select_related("user")
        .order_by("user__full_name")
    )


def _posted(request):
    """The form's data on a POST (even an empty one: every field may be optional), None otherwise."""
    return request.POST if request.method == "POST" else None


def _page(request, items):
    query = request.GET.copy()
    query.pop("page", None)
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page")), query.urlencode()


# --- Catalogue, courses, sessions -------------------------------------------------------------


@leads_people
def course_list(request: HttpRequest) -> HttpResponse:
    filters = CourseFilterForm(request.GET or None)
    page, query = _page(request, selectors.course_list(**filters.arguments()))
    return render(request, "staff/training/courses.html", {"page": page, "filters": filters, "query": query})


@leads_people
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.course_get(pk)
    page, query = _page(request, selectors.course_enrolments(course, request.user))
    services.training_viewed(
        actor=request.user,
        employees=[enrolment.employee for enrolment in page],
        obj=course,
        summary=f"Enrolments on {course.code}",
        detail={"page": page.number},
        ip_address=client_ip(request),
    )
    context = {"course": course, "sessions": selectors.course_sessions(course), "page": page, "query": query}
    return render(request, "staff/training/course.html", context)


@login_required
@permission_required("staff.add_trainingsession", raise_exception=True)
def session_new(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.course_get(pk)
    form = SessionForm(_posted(request), trainers=selectors.trainers())
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(actor=request.user, course=course, **form.cleaned_data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Session scheduled."))
            return redirect("staff:training-session", pk=session.pk)
    context = {"form": form, "title": _("Schedule a session of %(course)s") % {"course": course.title}}
    context |= {"back": reverse("staff:training-course", args=[course.pk]), "submit": _("Schedule")}
    return render(request, "form_page.html", context)


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get(pk)
    leads = request.user.has_perm("staff.lead_team") or request.user.has_perm("staff.manage_people")
    if not (leads or session.trainer_id == request.user.pk):
        raise PermissionDenied
    roster = list(selectors.session_roster(session, actor=request.user))
    services.training_viewed(
        actor=request.user,
        employees=[enrolment.employee for enrolment in roster],
        obj=session,
        summary=f"Roster of {session.course.code} session {session.pk}",
        ip_address=client_ip(request),
    )
    context = {
        "session": session,
        "roster": roster,
        "may_record": services.may_record(request.user, session),
        "completion_form": CompletionForm(),
    }
    return render(request, "staff/training/session.html", context)


@login_required
@permission_required("staff.add_enrolment", raise_exception=True)
def enrol_new(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.course_get(pk)
    initial = {"session": request.GET.get("session")} if request.GET.get("session", "").isdigit() else {}
    form = EnrolForm(
        _posted(request),
        initial=initial,
        employees=_active_visible(request.user),
        sessions=selectors.open_sessions(course),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.enrol(actor=request.user, course=course, **form.cleaned_data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("%(name)s enrolled.") % {"name": form.cleaned_data["employee"].user.full_name})
            return redirect("staff:training-course", pk=course.pk)
    context = {"form": form, "title": _("Enrol someone on %(course)s") % {"course": course.title}}
    context |= {"back": reverse("staff:training-course", args=[course.pk]), "submit": _("Enrol")}
    return render(request, "form_page.html", context)


ENROLMENT_ACTIONS = ("attended", "complete", "no-show", "cancel")


@login_required
@require_POST
def enrolment_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ENROLMENT_ACTIONS:
        raise Http404
    enrolment = selectors.enrolment_get(pk)
    if not services.may_record(request.user, enrolment.session):
        raise PermissionDenied
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("staff:employee-training", args=[enrolment.employee_id])
    try:
        if action == "attended":
            services.attendance_record(actor=request.user, enrolment_id=pk)
        elif action == "no-show":
            services.no_show(actor=request.user, enrolment_id=pk)
        elif action == "cancel":
            services.enrolment_cancel(actor=request.user, enrolment_id=pk)
        else:
            form = CompletionForm(request.POST)
            if not form.is_valid():
                problems = "; ".join(f"{form.fields[n].label}: {' '.join(e)}" for n, e in form.errors.items())
                raise DomainError(_("Check the result: %(problems)s") % {"problems": problems})
            done = services.completion_record(actor=request.user, enrolment_id=pk, **form.cleaned_data)
            if done.status != rules.COMPLETED:
                messages.warning(request, _("Below the pass mark: recorded as not passed."))
                return redirect(back)
    except DomainError as error:
        problems = [str(m) for name, field in error.fields.items() if name != "allowed" for m in field]
        messages.error(request, " ".join([error.message, *[p for p in problems if p != error.message]]))
    else:
        messages.success(request, _("Recorded."))
    return redirect(back)


# --- Matrix and induction plans --------------------------------------------------------------


@leads_people
def matrix(request: HttpRequest) -> HttpResponse:
    teams = selectors.matrix_teams(request.user)
    team_id = request.GET.get("team")
    if not team_id:
        return render(request, "staff/training/matrix.html", {"teams": teams, "team": None})
    team = selectors.matrix_team_get(request.user, team_id)
    grid = selectors.team_matrix(actor=request.user, team=team)
    services.training_viewed(
        actor=request.user,
        employees=[person.employee for person in grid.people],
        obj=team,
        summary=f"Training matrix of {team.name}",
        detail={"team": team.pk},
        ip_address=client_ip(request),
    )
    context = {"teams": teams, "team": team, "matrix": grid}
    context["legend"] = [(rules.STANDING_LABELS[s], rules.STANDING_COLOURS[s]) for s in rules.Standing]
    return render(request, "staff/training/matrix.html", context)


@leads_people
def matrix_export(request: HttpRequest) -> HttpResponse:
    team = selectors.matrix_team_get(request.user, request.GET.get("team"))
    services.training_matrix_exported(actor=request.user, team=team, ip_address=client_ip(request))
    return csv_response(
        _matrix_csv_rows(selectors.team_matrix(actor=request.user, team=team)), f"training-matrix-{team.pk}"
    )


def _matrix_csv_rows(grid):
    yield [_("Employee number"), _("Name"), _("Job"), *[c.title for c in grid.courses]]
    for person, cells in grid.rows():
        employee = person.employee
        row = [employee.employee_number, employee.user.full_name, employee.job_role.title]
        yield row + [f"{cell.label}{f' {cell.on:%Y-%m-%d}' if cell.on else ''}" for cell in cells]


@leads_people
def induction_list(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/training/induction_list.html", {"roles": selectors.job_roles_with_plans()})


@leads_people
def induction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "staff/training/induction.html", {"role": selectors.job_role_get(pk)})


# --- Training needs --------------------------------------------------------------------------


@login_required
@permission_required("staff.view_trainingneed", raise_exception=True)
def need_list(request: HttpRequest) -> HttpResponse:
    filters = NeedFilterForm(request.GET or None)
    arguments = filters.arguments()
    page, query = _page(request, selectors.need_list(actor=request.user, **arguments))
    services.training_viewed(
        actor=request.user,
        employees=[need.employee for need in page],
        object_type=TrainingNeed._meta.label_lower,
        summary="Training needs",
        detail={"filters": arguments, "page": page.number},
        ip_address=client_ip(request),
    )
    return render(request, "staff/training/needs.html", {"page": page, "filters": filters, "query": query})


@login_required
@permission_required("staff.add_trainingneed", raise_exception=True)
def need_new(request: HttpRequest) -> HttpResponse:
    employees = _active_visible(request.user)
    initial = {"employee": request.GET["employee"]} if request.GET.get("employee", "").isdigit() else {}
    form = NeedForm(_posted(request), initial=initial, employees=employees)
    if request.method == "POST" and form.is_valid():
        try:
            services.training_need_raise(actor=request.user, source=NeedSource.MANAGER, **form.cleaned_data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Training need raised."))
            return redirect("staff:training-needs")
    context = {"form": form, "title": _("Raise a training need"), "submit": _("Raise")}
    context["back"] = reverse("staff:training-needs")
    return render(request, "form_page.html", context, status=400 if form.is_bound else 200)


@login_required
@permission_required("staff.add_enrolment", raise_exception=True)
def need_plan(request: HttpRequest, pk: int) -> HttpResponse:
    need = selectors.need_get_for(request.user, pk)
    sessions = (
        TrainingSession.objects.filter(starts_at__gte=timezone.now(), course__is_active=True)
        .select_related("course", "site")
        .order_by("starts_at")
    )
    if need.course_id:
        sessions = sessions.filter(course_id=need.course_id)
    form = NeedPlanForm(_posted(request), sessions=sessions, course_fixed=need.course_id is not None)
    if need.status != NeedStatus.OPEN:
        messages.error(request, _("This training need is %(status)s.") % {"status": need.get_status_display().lower()})
        return redirect("staff:training-needs")
    if request.method == "POST" and form.is_valid():
        try:
            services.need_plan(actor=request.user, need_id=need.pk, **form.cleaned_data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Planned: %(name)s is enrolled.") % {"name": need.employee.user.full_name})
            return redirect("staff:training-needs")
    title = _("Plan training for %(name)s") % {"name": need.employee.user.full_name}
    context = {"form": form, "title": title, "intro": need.description, "submit": _("Enrol")}
    context["back"] = reverse("staff:training-needs")
    return render(request, "form_page.html", context)


@login_required
@permission_required("staff.add_trainingneed", raise_exception=True)
@require_POST
def need_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    need = selectors.need_get_for(request.user, pk)
    try:
        services.need_cancel(actor=request.user, need_id=need.pk)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Training need cancelled."))
    return redirect("staff:training-needs")


# --- A person's training ---------------------------------------------------------------------


def _person_page(request: HttpRequest, employee, *, own: bool, sessions=()) -> HttpResponse:
    context = {
        "sessions": sessions,
        "employee": employee,
        "own": own,
        "records": selectors.person_training(employee),
        "needs": selectors.person_needs(employee),
        "may_record": request.user.has_perm(services.RECORD_PERMISSION),
        "completion_form": CompletionForm(),
    }
    return render(request, "staff/training/person.html", context)


@login_required
def my_training(request: HttpRequest) -> HttpResponse:
    employee = employees_visible_to(request.user).select_related("user", "job_role").filter(user=request.user).first()
    sessions = selectors.sessions_run_by(request.user)
    if employee is None:
        return render(request, "staff/training/person.html", {"employee": None, "own": True, "sessions": sessions})
    return _person_page(request, employee, own=True, sessions=sessions)


@login_required
def employee_training(request: HttpRequest, pk: int) -> HttpResponse:
    employee = employee_get_for(request.user, pk)
    services.training_record_viewed(actor=request.user, employee=employee, ip_address=client_ip(request))
    return _person_page(request, employee, own=employee.user_id == request.user.pk)


# Mounted under /staff/ by staff/urls.py; names in the "staff" namespace.
urls: list[URLPattern] = [
    path("training/courses/", course_list, name="training-courses"),
    path("training/courses/<int:pk>/", course_detail, name="training-course"),
    path("training/courses/<int:pk>/sessions/new/", session_new, name="training-session-new"),
    path("training/courses/<int:pk>/enrol/", enrol_new, name="training-enrol"),
    path("training/sessions/<int:pk>/", session_detail, name="training-session"),
    path("training/enrolments/<int:pk>/<slug:action>/", enrolment_action, name="training-enrolment-action"),
    path("training/matrix/", matrix, name="training-matrix"),
    path("training/matrix/export.csv", matrix_export, name="training-matrix-export"),
    path("training/induction/", induction_list, name="training-induction-plans"),
    path("training/induction/<int:pk>/", induction_detail, name="training-induction-plan"),
    path("training/needs/", need_list, name="training-needs"),
    path("training/needs/new/", need_new, name="training-need-new"),
    path("training/needs/<int:pk>/plan/", need_plan, name="training-need-plan"),
    path("training/needs/<int:pk>/cancel/", need_cancel, name="training-need-cancel"),
    path("me/training/", my_training, name="my-training"),
    path("employees/<int:pk>/training/", employee_training, name="employee-training"),
]
