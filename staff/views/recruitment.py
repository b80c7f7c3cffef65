"""Browser pages for recruitment (HR: staff.manage_people): the vacancies list, a new vacancy, an
application entered by HR, a vacancy's pipeline board (buttons and drag-and-drop, HTMX partial swaps),
the candidate page with its actions; and the HR metrics (HR and managers: staff.view_people_reports)
with a CSV export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from calls.forms import add_domain_errors
from contactcentre.csv_export import csv_response
from contactcentre.exceptions import DomainError
from contactcentre.http import client_ip

from ..forms.recruitment import (
    ApplicationForm,
    CloseForm,
    HireForm,
    MetricsFilterForm,
    MoveForm,
    NoteForm,
    ScoreForm,
    VacancyFilterForm,
    VacancyForm,
)
from ..models import Stage
from ..models.recruitment import Source
from ..rules import recruitment as rules
from ..selectors import recruitment as selectors
from ..services import recruitment as services

PAGE_SIZE = 25
HR = "staff.manage_people"
REPORTS = "staff.view_people_reports"


def hr_only(view):
    return login_required(permission_required(HR, raise_exception=True)(view))


@hr_only
def vacancy_list(request: HttpRequest) -> HttpResponse:
    filters = VacancyFilterForm(request.GET or None)
    vacancies = selectors.vacancy_list(**filters.selector_arguments())
    page = Paginator(vacancies, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "staff/recruitment/vacancies.html", {"page": page, "filters": filters, "query": query.urlencode()}
    )


@hr_only
def vacancy_new(request: HttpRequest) -> HttpResponse:
    form = VacancyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            vacancy = services.vacancy_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Vacancy %(reference)s is open.") % {"reference": vacancy.reference})
            return redirect("staff:vacancy-board", pk=vacancy.pk)
    return render(request, "staff/recruitment/vacancy_form.html", {"form": form})


@hr_only
@require_POST
def vacancy_close(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = selectors.vacancy_get(pk)
    try:
        services.vacancy_close(vacancy_id=vacancy.pk, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Vacancy %(reference)s no longer takes applications.") % {"reference": vacancy.reference}
        )
    return redirect("staff:vacancy-board", pk=vacancy.pk)


def _board_context(vacancy) -> dict:
    return {"vacancy": vacancy, "columns": selectors.vacancy_board(vacancy), "reason_stages": rules.REASON_REQUIRED}


@hr_only
def vacancy_board(request: HttpRequest, pk: int) -> HttpResponse:
    """The board names the vacancy's candidates: each read is audited, as the API's list is."""
    vacancy = selectors.vacancy_get(pk)
    services.applications_listed(vacancy=vacancy, actor=request.user, ip_address=client_ip(request))
    return render(request, "staff/recruitment/board.html", _board_context(vacancy))


@hr_only
def application_new(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = selectors.vacancy_get(pk)
    form = ApplicationForm(request.POST or None, initial={"source": Source.JOB_BOARD})
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(vacancy=vacancy, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Application from %(name)s added.") % {"name": application.full_name})
            return redirect("staff:vacancy-board", pk=vacancy.pk)
    return render(request, "staff/recruitment/application_form.html", {"form": form, "vacancy": vacancy})


@hr_only
@require_POST
def application_move(request: HttpRequest, pk: int) -> HttpResponse:
    """A button or a drop on the board, or a move button on the candidate page. HTMX (and the board's
    drag-and-drop) get the board back, with the refusal above it; others are sent back."""
    application = selectors.application_get(pk)
    form = MoveForm(request.POST)
    refusal = done = ""
    if not form.is_valid():
        refusal = _("Choose a stage to move to.")
    else:
        target = form.cleaned_data["target"]
        try:
            services.application_move(
                application_id=pk, target=target, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            refusal = error.message
            if rules.reason_required(target) and "reason" in error.fields:
                refusal = _("Give the reason on the candidate's page: %(message)s") % {"message": error.message}
        else:
            done = _("%(name)s moved to %(stage)s.") % {
                "name": selectors.candidate_name(application),
                "stage": Stage(target).label,
            }
    if request.headers.get("HX-Request"):
        context = _board_context(application.vacancy) | {"refusal": refusal, "done": done}
        return render(request, "staff/recruitment/_board.html", context)
    if refusal:
        messages.error(request, refusal)
    else:
        messages.success(request, done)
    if request.POST.get("next") == "candidate":
        return redirect("staff:application-detail", pk=pk)
    return redirect("staff:vacancy-board", pk=application.vacancy_id)


def _candidate_page(request: HttpRequest, pk: int, status: int = 200, **forms) -> HttpResponse:
    application = selectors.application_detail(pk)
    services.application_record_viewed(application=application, actor=request.user, ip_address=client_ip(request))
    vacancy = application.vacancy
    context = {
        "application": application,
        "name": selectors.candidate_name(application),
        "reference": rules.application_reference(application.pk),
        "scorecard": selectors.application_scorecard(application),
        "next_stages": [(s, Stage(s).label) for s in rules.next_stages(application.stage) if s in rules.BUTTON_STAGES],
        "can_close": application.stage in rules.OPEN_STAGES,
        "score_form": forms.get("score_form") or ScoreForm(job_role_id=vacancy.job_role_id),
        "note_form": forms.get("note_form") or NoteForm(),
        "close_form": forms.get("close_form") or CloseForm(),
        "hire_form": (forms.get("hire_form") or HireForm(site_id=vacancy.site_id))
        if application.stage == Stage.ACCEPTED
        else None,
    }
    return render(request, "staff/recruitment/candidate.html", context, status=status)


@hr_only
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _candidate_page(request, pk)


def _candidate_action(form_name: str, make_form, act, success):
    """A candidate page's POST form as a view: `make_form(request, application)` binds it,
    `act(request, application, data)` calls its service; back to the page on success (with
    `success(application)` as the message), else the page with the form as typed and its errors."""

    @hr_only
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        application = selectors.application_get(pk)
        form = make_form(request, application)
        if form.is_valid():
            try:
                act(request, application, form.cleaned_data)
            except DomainError as error:
                add_domain_errors(form, error)
            else:
                messages.success(request, success(application))
                return redirect("staff:application-detail", pk=pk)
        return _candidate_page(request, pk, **{form_name: form})

    return view


# Reject or withdraw, with the reason.
application_close = _candidate_action(
    "close_form",
    lambda request, application: CloseForm(request.POST),
    lambda request, application, data: services.application_move(
        application_id=application.pk, target=data["target"], actor=request.user, reason=data["reason"]
    ),
    lambda application: _("The application is closed."),
)
application_score = _candidate_action(
    "score_form",
    lambda request, application: ScoreForm(request.POST, job_role_id=application.vacancy.job_role_id),
    lambda request, application, data: services.score_record(
        application_id=application.pk, assessor=request.user, **data
    ),
    lambda application: _("Score recorded."),
)
application_note = _candidate_action(
    "note_form",
    lambda request, application: NoteForm(request.POST),
    lambda request, application, data: services.note_add(
        application_id=application.pk, author=request.user, text=data["text"]
    ),
    lambda application: _("Note added."),
)
application_hire = _candidate_action(
    "hire_form",
    lambda request, application: HireForm(request.POST, site_id=application.vacancy.site_id),
    lambda request, application, data: services.application_hire(
        application_id=application.pk, actor=request.user, **data
    ),
    lambda application: (
        _("%(name)s is hired: their account and induction plan are ready.") % {"name": application.full_name}
    ),
)


# --- Metrics ------------------------------------------------------------------------------------
def _metrics(request: HttpRequest) -> tuple[MetricsFilterForm, rules.Metrics, dict]:
    """The metrics for the filters; a manager's are for their own site."""
    form = MetricsFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    site = data.get("site") if request.user.has_perm(HR) else request.user.site
    vacancy = selectors.vacancy_by_reference(data["vacancy"]) if data.get("vacancy") else None
    histories = []
    if data.get("vacancy") and vacancy is None:
        form.add_error("vacancy", _("No vacancy has this reference."))
    elif site is not None or request.user.has_perm(HR):
        histories = selectors.metric_histories(
            vacancy_id=vacancy.pk if vacancy else None,
            site_id=site.pk if site else None,
            start=data.get("start"),
            end=data.get("end"),
        )
    return form, rules.metrics(histories), {"site": site, "vacancy": vacancy}


def _stage_rows(metrics: rules.Metrics) -> list[dict]:
    conversion = {c.from_stage: c for c in metrics.conversion}
    return [
        {
            "stage": stage,
            "label": Stage(stage).label,
            "now": metrics.applicants_per_stage[stage],
            "reached": metrics.reached_per_stage.get(stage),
            "conversion": conversion.get(stage),
            "days": metrics.time_in_stage.get(stage),
        }
        for stage in rules.STAGE_ORDER
    ]


@login_required
@permission_required(REPORTS, raise_exception=True)
def recruitment_metrics(request: HttpRequest) -> HttpResponse:
    form, metrics, scope = _metrics(request)
    funnel = [(str(Stage(s).label), metrics.reached_per_stage[s]) for s in rules.PIPELINE]
    chart = {
        "type": "bar",
        "data": {
            "labels": [label for label, _count in funnel],
            "datasets": [{"label": _("Applicants who reached the stage"), "data": [n for _label, n in funnel]}],
        },
        "options": {"indexAxis": "y", "plugins": {"legend": {"display": False}}},
    }
    query = request.GET.urlencode()
    context = {
        "form": form,
        "metrics": metrics,
        "rows": _stage_rows(metrics),
        "sources": [(Source(s).label if s in Source.values else s, n) for s, n in metrics.source_of_hire.items()],
        "chart_config": chart,
        "scope": scope,
        "query": query,
    }
    return render(request, "staff/recruitment/metrics.html", context)


@login_required
@permission_required(REPORTS, raise_exception=True)
def recruitment_metrics_export(request: HttpRequest) -> HttpResponse:
    """The metrics as CSV: a row per stage, then the headline figures (counts only: no personal data)."""
    _form, metrics, _scope = _metrics(request)
    return csv_response(_metrics_csv_rows(metrics), "recruitment")


def _metrics_csv_rows(metrics):
    yield [
        _("Stage"),
        _("Applicants now"),
        _("Reached"),
        _("Conversion to the next stage (%)"),
        _("Average days in stage"),
    ]
    for row in _stage_rows(metrics):
        conversion = row["conversion"]
        yield [
            row["label"],
            row["now"],
            row["reached"],
            None if conversion is None else conversion.rate,
            row["days"],
        ]
    yield []
    for label, value in (
        (_("Applications"), metrics.applications),
        (_("Time to hire (days)"), metrics.time_to_hire),
        (_("Time to fill (days)"), metrics.time_to_fill),
        (_("Offer acceptance rate (%)"), metrics.offer_acceptance_rate),
    ):
        yield [label, value]
    for source, hires in metrics.source_of_hire.items():
        label = Source(source).label if source in Source.values else source
        yield [_("Hires from %(source)s") % {"source": label}, hires]


# Mounted under /staff/ by staff/urls.py; names in the "staff" namespace.
urls: list[URLPattern] = [
    path("recruitment/vacancies/", vacancy_list, name="vacancies"),
    path("recruitment/vacancies/new/", vacancy_new, name="vacancy-new"),
    path("recruitment/vacancies/<int:pk>/", vacancy_board, name="vacancy-board"),
    path("recruitment/vacancies/<int:pk>/close/", vacancy_close, name="vacancy-close"),
    path("recruitment/vacancies/<int:pk>/applications/new/", application_new, name="application-new"),
    path("recruitment/applications/<int:pk>/", application_detail, name="application-detail"),
    path("recruitment/applications/<int:pk>/move/", application_move, name="application-move"),
    path("recruitment/applications/<int:pk>/close/", application_close, name="application-close"),
    path("recruitment/applications/<int:pk>/scores/", application_score, name="application-score"),
    path("recruitment/applications/<int:pk>/notes/", application_note, name="application-note"),
    path("recruitment/applications/<int:pk>/hire/", application_hire, name="application-hire"),
    path("recruitment/metrics/", recruitment_metrics, name="recruitment-metrics"),
    path("recruitment/metrics/export.csv", recruitment_metrics_export, name="recruitment-metrics-export"),
]
