"""Browser pages for quality monitoring and recognition: the team's evaluations (filters, CSV export,
the sample to evaluate, the quality trend), evaluating a contact, an evaluation's page, a person's own
evaluations (acknowledged there), calibration sessions, and the recognition wall with nominations."""

import zlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from calls.forms import add_domain_errors
from contactcentre.csv_export import csv_response
from contactcentre.exceptions import DomainError
from contactcentre.http import client_ip

from ..forms import quality as forms
from ..models import Evaluation
from ..rules import quality as quality_rules
from ..rules import recognition as recognition_rules
from ..selectors import quality as selectors
from ..selectors.employees import employee_get_for, people_visible_to
from ..services import quality as services
from ..templatetags.staff_tags import local_name

PAGE_SIZE = 25
SAMPLE_SIZE = 10
EVALUATE = "staff.evaluate_quality"


def _digits(text: str) -> bool:
    """Plain ASCII digits only: "²".isdigit() is true, but int("²") raises."""
    return text.isascii() and text.isdigit()


def _page(request: HttpRequest, queryset):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def _trend_chart(trend) -> dict:
    return {
        "type": "line",
        "data": {
            "labels": [formats.date_format(week, "d/m") for week, _avg, _n in trend],
            "datasets": [
                {"label": _("Average score (%)"), "data": [float(avg) for _week, avg, _n in trend], "tension": 0.2},
                {"label": _("Evaluations"), "data": [n for _week, _avg, n in trend], "yAxisID": "count", "type": "bar"},
            ],
        },
        "options": {
            "scales": {
                "y": {"min": 0, "max": 100, "title": {"display": True, "text": _("Average score (%)")}},
                "count": {
                    "position": "right",
                    "beginAtZero": True,
                    "ticks": {"precision": 0},
                    "grid": {"display": False},
                },
            }
        },
    }


@login_required
@permission_required(EVALUATE, raise_exception=True)
def quality_home(request: HttpRequest) -> HttpResponse:
    """The team's evaluations (filtered, paginated), the overview per agent, the weekly trend and a
    sample of contacts to evaluate (the same sample until the seed changes)."""
    agents = people_visible_to(request.user).exclude(pk=request.user.pk).order_by("full_name")
    filters = forms.EvaluationFilterForm(request.GET or None, agents=agents)
    arguments = filters.selector_arguments()
    start, end = arguments["start"], arguments["end"]
    page, query = _page(request, selectors.evaluation_list(actor=request.user, **arguments))
    seed_text = request.GET.get("seed", "")
    seed = int(seed_text) if _digits(seed_text) else zlib.crc32(f"{request.user.pk}:{start}:{end}".encode())
    overview = selectors.team_overview(actor=request.user, start=start, end=end)
    services.quality_overview_viewed(
        actor=request.user,
        agent_ids={e.agent_id for e in page} | {row.agent.pk for row in overview},
        filters={k: str(v) for k, v in arguments.items() if v is not None},
        ip_address=client_ip(request),
    )
    context = {
        "filters": filters,
        "page": page,
        "query": query,
        "start": start,
        "end": end,
        "overview": overview,
        "sample": selectors.evaluation_sample(actor=request.user, start=start, end=end, size=SAMPLE_SIZE, seed=seed),
        "seed": seed,
        "next_seed": (seed + 1) % 2**32,
        "chart_config": _trend_chart(selectors.quality_trend(actor=request.user, start=start, end=end)),
    }
    return render(request, "staff/quality/home.html", context)


def _csv_rows(evaluations):
    yield [
        _("Evaluated at"),
        _("Agent"),
        _("Evaluator"),
        _("Contact"),
        _("Scorecard"),
        _("Score (%)"),
        _("Passed"),
        _("Failed a critical item"),
        _("Acknowledged at"),
    ]
    for e in evaluations.iterator(chunk_size=500):
        yield [
            formats.date_format(timezone.localtime(e.evaluated_at), "Y-m-d H:i"),
            e.agent.full_name,
            e.evaluator.full_name,
            e.contact_id,
            e.scorecard.name,
            e.score,
            _("Yes") if e.passed else _("No"),
            _("Yes") if e.critical_failed else _("No"),
            formats.date_format(timezone.localtime(e.acknowledged_at), "Y-m-d H:i") if e.acknowledged_at else "",
        ]


@login_required
@permission_required(EVALUATE, raise_exception=True)
def quality_export(request: HttpRequest) -> StreamingHttpResponse:
    """The evaluations list as it is filtered, as CSV (people's results: the export is audited)."""
    agents = people_visible_to(request.user).exclude(pk=request.user.pk)
    filters = forms.EvaluationFilterForm(request.GET or None, agents=agents)
    arguments = filters.selector_arguments()
    services.evaluations_exported(
        actor=request.user,
        filters={k: str(v) for k, v in arguments.items() if v is not None},
        ip_address=client_ip(request),
    )
    return csv_response(_csv_rows(selectors.evaluation_list(actor=request.user, **arguments)), "evaluations")


@login_required
@permission_required(EVALUATE, raise_exception=True)
def evaluate(request: HttpRequest, contact_id: int) -> HttpResponse:
    """Score a contact on a scorecard (?scorecard=id, else the first active one)."""
    contact = selectors.contact_to_evaluate(request.user, contact_id)
    scorecards = list(selectors.scorecards_active())
    chosen = request.GET.get("scorecard", "")
    scorecard = next((s for s in scorecards if str(s.pk) == chosen), scorecards[0] if scorecards else None)
    if scorecard is None:
        return render(request, "staff/quality/evaluate.html", {"contact": contact, "form": None})
    form = forms.EvaluationForm(request.POST or None, scorecard=scorecard)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.evaluation_record(
                actor=request.user,
                contact=contact,
                scorecard=scorecard,
                answers=form.answers(),
                comments=form.cleaned_data["comments"],
                training_need=form.cleaned_data["training_need"],
            )
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(
                request,
                _("Evaluation saved: %(score)s%%, %(result)s.")
                % {"score": evaluation.score, "result": _("passed") if evaluation.passed else _("not passed")},
            )
            return redirect("staff:evaluation", pk=evaluation.pk)
    context = {
        "contact": contact,
        "form": form,
        "scorecard": scorecard,
        "scorecards": scorecards,
        "done": Evaluation.objects.filter(contact=contact, evaluator=request.user, calibration__isnull=True).first(),
    }
    return render(request, "staff/quality/evaluate.html", context)


def _answer_rows(evaluation: Evaluation):
    return [(answer.item, answer.points) for answer in evaluation.answers.all()]


@login_required
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selectors.evaluation_get_for(request.user, pk)
    services.evaluation_viewed(actor=request.user, evaluation=evaluation, ip_address=client_ip(request))
    is_agent = evaluation.agent_id == request.user.pk
    context = {
        "evaluation": evaluation,
        "answers": _answer_rows(evaluation),
        "acknowledge_form": forms.AcknowledgeForm() if is_agent and evaluation.acknowledged_at is None else None,
    }
    return render(request, "staff/quality/evaluation.html", context)


@login_required
@require_POST
def evaluation_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selectors.evaluation_get_for(request.user, pk)
    if evaluation.agent_id != request.user.pk:
        raise PermissionDenied(_("Only the agent evaluated may acknowledge an evaluation."))
    form = forms.AcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            services.evaluation_acknowledge(
                actor=request.user, evaluation=evaluation, comment=form.cleaned_data["comment"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Thank you: your evaluation is acknowledged."))
    return redirect("staff:evaluation", pk=pk)


@login_required
def my_evaluations(request: HttpRequest) -> HttpResponse:
    page, query = _page(request, selectors.evaluations_of(request.user))
    context = {"page": page, "query": query, "person": request.user, "own": True}
    return render(request, "staff/quality/person.html", context)


@login_required
def employee_evaluations(request: HttpRequest, employee_id: int) -> HttpResponse:
    employee = employee_get_for(request.user, employee_id)
    services.evaluations_viewed(actor=request.user, person=employee.user, ip_address=client_ip(request))
    page, query = _page(request, selectors.evaluations_of(employee.user))
    own = employee.user_id == request.user.pk
    context = {"page": page, "query": query, "person": employee.user, "employee": employee, "own": own}
    return render(request, "staff/quality/person.html", context)


# Calibration ------------------------------------------------------------------------------------------


@login_required
@permission_required(EVALUATE, raise_exception=True)
def calibration_list(request: HttpRequest) -> HttpResponse:
    page, query = _page(request, selectors.calibration_list(actor=request.user))
    return render(request, "staff/quality/calibrations.html", {"page": page, "query": query})


@login_required
@permission_required(EVALUATE, raise_exception=True)
def calibration_new(request: HttpRequest) -> HttpResponse:
    initial = {"contact": request.GET.get("contact")} if _digits(request.GET.get("contact", "")) else {}
    form = forms.CalibrationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.calibration_create(actor=request.user, **form.cleaned_data)
        except (DomainError, PermissionDenied) as error:
            if isinstance(error, DomainError):
                add_domain_errors(form, error)
            else:
                form.add_error("contact", str(error))
        else:
            messages.success(request, _("Calibration session set up: each evaluator now scores the contact."))
            return redirect("staff:calibration", pk=session.pk)
    return render(request, "staff/quality/calibration_new.html", {"form": form})


def _calibration_context(request: HttpRequest, session, form=None) -> dict:
    items = list(session.scorecard.items.all())
    scorings = sorted(session.evaluations.all(), key=lambda e: (e.evaluator.full_name, e.pk))
    sheets = [{answer.item_id: answer.points for answer in e.answers.all()} for e in scorings]
    specs = [quality_rules.Item(i.pk, i.weight, i.max_points, i.critical) for i in items]
    per_item, overall = quality_rules.calibration_spread(specs, sheets, [e.score for e in scorings])
    rows = [(item, [sheet.get(item.pk) for sheet in sheets], per_item[item.pk]) for item in items]
    scored = any(e.evaluator_id == request.user.pk for e in scorings)
    may_score = not scored and session.contact.agent_id != request.user.pk
    if form is None and may_score:
        form = forms.ScorecardForm(scorecard=session.scorecard)
    return {
        "session": session,
        "scorings": scorings,
        "rows": rows,
        "overall": overall,
        "form": form if may_score else None,
        "scored": scored,
    }


@login_required
@permission_required(EVALUATE, raise_exception=True)
def calibration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.calibration_get(actor=request.user, pk=pk)
    services.calibration_viewed(actor=request.user, session=session, ip_address=client_ip(request))
    return render(request, "staff/quality/calibration.html", _calibration_context(request, session))


@login_required
@permission_required(EVALUATE, raise_exception=True)
@require_POST
def calibration_score(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.calibration_get(actor=request.user, pk=pk)
    form = forms.ScorecardForm(request.POST, scorecard=session.scorecard)
    if form.is_valid():
        try:
            services.calibration_score(
                actor=request.user, session=session, answers=form.answers(), comments=form.cleaned_data["comments"]
            )
        except DomainError as error:
            add_domain_errors(form, error)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect("staff:calibration", pk=pk)
        else:
            messages.success(request, _("Your scores are in."))
            return redirect("staff:calibration", pk=pk)
    return render(request, "staff/quality/calibration.html", _calibration_context(request, session, form))


# Recognition ------------------------------------------------------------------------------------------


def _recognition_page(request: HttpRequest, award_form: forms.AwardForm | None = None) -> HttpResponse:
    """Everyone: the rules in plain words and the wall. Team leaders and managers: the nominations for
    a period, each with an award button, and a spot award form (bound, with its errors, after a refusal)."""
    context = {"rules": recognition_rules.RULES, "wall": selectors.recognition_wall()}
    if request.user.has_perm(services.AWARD_PERMISSION):
        initial = dict(zip(("start", "end"), forms.default_period(), strict=True))
        period = forms.PeriodForm(request.GET or None, initial=initial)
        start, end = period.period()
        context |= {
            "period": period,
            "start": start,
            "end": end,
            "nominations": selectors.nominations(actor=request.user, start=start, end=end),
            "award_form": award_form or _award_form(request, initial={"kind": "spot", "start": start, "end": end}),
        }
    return render(request, "staff/quality/recognition.html", context)


@login_required
def recognition(request: HttpRequest) -> HttpResponse:
    return _recognition_page(request)


def _award_form(request: HttpRequest, data=None, initial=None) -> forms.AwardForm:
    return forms.AwardForm(
        data,
        initial=initial,
        people=people_visible_to(request.user).exclude(pk=request.user.pk).order_by("full_name"),
        teams=selectors.teams_visible_to(request.user).order_by("name"),
    )


@login_required
@permission_required(services.AWARD_PERMISSION, raise_exception=True)
@require_POST
def recognition_award(request: HttpRequest) -> HttpResponse:
    """Award a nomination or a spot award; a refusal shows the page again with the form as it was typed."""
    form = _award_form(request, data=request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            award = services.recognition_award(
                actor=request.user,
                kind=data["kind"],
                recipient=data["recipient"],
                team=data["team"],
                period_start=data["start"],
                period_end=data["end"],
                reason=data["reason"],
            )
        except DomainError as error:
            add_domain_errors(form, error, {"period_start": "start", "period_end": "end"})
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            who = local_name(award.recipient or award.team)
            kind = award.get_kind_display()
            messages.success(request, _("%(kind)s awarded to %(who)s.") % {"kind": kind, "who": who})
            return redirect(f"{reverse('staff:recognition')}?start={data['start']:%Y-%m-%d}&end={data['end']:%Y-%m-%d}")
    messages.error(request, _("The recognition was not awarded: see the form below."))
    return _recognition_page(request, award_form=form)


# Mounted under /staff/ by staff/urls.py; names in the "staff" namespace.
urls: list[URLPattern] = [
    path("quality/", quality_home, name="quality"),
    path("quality/export.csv", quality_export, name="quality-export"),
    path("quality/contacts/<int:contact_id>/evaluate/", evaluate, name="evaluate"),
    path("quality/evaluations/<int:pk>/", evaluation_detail, name="evaluation"),
    path("quality/evaluations/<int:pk>/acknowledge/", evaluation_acknowledge, name="evaluation-acknowledge"),
    path("quality/calibration/", calibration_list, name="calibrations"),
    path("quality/calibration/new/", calibration_new, name="calibration-new"),
    path("quality/calibration/<int:pk>/", calibration_detail, name="calibration"),
    path("quality/calibration/<int:pk>/score/", calibration_score, name="calibration-score"),
    path("me/evaluations/", my_evaluations, name="my-evaluations"),
    path("employees/<int:employee_id>/evaluations/", employee_evaluations, name="employee-evaluations"),
    path("recognition/", recognition, name="recognition"),
    path("recognition/award/", recognition_award, name="recognition-award"),
]
