"""Browser pages for SERVQUAL: the scores of a survey and period (dimensions, the 22 statements, the
segments, gap 1) with their CSV/XLSX export; inviting a panel of members; and the management
perception study a manager answers once, then sees set against what members say."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, re_path
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from calls.forms import add_domain_errors
from contactcentre.csv_export import csv_response
from contactcentre.exceptions import DomainError
from contactcentre.xlsx_export import xlsx_response

from ..exceptions import AlreadyAnswered
from ..forms.servqual import ManagementStudyForm, PanelInviteForm, ServqualFilterForm, question_text
from ..models import Dimension, QuestionKind, ResponseSource
from ..rules import servqual as rules
from ..selectors import servqual as selectors
from ..services import servqual as services
from ..services.responses import response_submit

VIEW = "surveys.view_response"
INVITE = "surveys.add_invitation"
MANAGEMENT = "staff.view_management"


def _figure(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _gaps_chart(report: selectors.ServqualReport) -> dict:
    dimensions = report.overall.dimensions
    return {
        "type": "bar",
        "data": {
            "labels": [d.label for d in dimensions],
            "datasets": [{"label": _("Gap (perception - expectation)"), "data": [_figure(d.gap) for d in dimensions]}],
        },
        "options": {
            "scales": {"y": {"suggestedMin": -2, "suggestedMax": 1, "title": {"display": True, "text": _("Gap")}}}
        },
    }


def _knowledge_chart(gap: selectors.KnowledgeGap) -> dict:
    return {
        "type": "bar",
        "data": {
            "labels": [row.label for row in gap.rows],
            "datasets": [
                {"label": _("What managers believe members expect"), "data": [_figure(r.management) for r in gap.rows]},
                {"label": _("What members say they expect"), "data": [_figure(r.customers) for r in gap.rows]},
            ],
        },
        "options": {"scales": {"y": {"min": 1, "max": 7, "title": {"display": True, "text": _("Mean, 1-7")}}}},
    }


@login_required
@permission_required(VIEW, raise_exception=True)
def servqual_home(request: HttpRequest) -> HttpResponse:
    """The chosen SERVQUAL survey over the period (the newest survey and the last twelve months by default)."""
    filters = ServqualFilterForm(request.GET or None)
    arguments = filters.arguments()
    context: dict = {"filters": filters, **arguments, "query": request.GET.urlencode()}
    if arguments["survey"] is not None:
        report = selectors.servqual_report(actor=request.user, study=selectors.management_study_latest(), **arguments)
        context |= {
            "report": report,
            "gaps_chart": _gaps_chart(report),
            "knowledge_chart": _knowledge_chart(report.knowledge_gap),
        }
    return render(request, "surveys/servqual/home.html", context)


def _export_rows(report: selectors.ServqualReport):
    yield [
        _("Breakdown"),
        _("Segment"),
        _("Responses"),
        _("Statement"),
        _("Dimension"),
        _("Wording"),
        _("Expectation"),
        _("Perception"),
        _("Gap"),
    ]
    groups = [(_("All responses"), "", report.overall)] + [
        (segmentation.label, segment.label, segment.result)
        for segmentation in report.segmentations
        for segment in segmentation.segments
    ]
    labels = {d.dimension: d.label for d in report.overall.dimensions}
    for breakdown, segment, result in groups:
        for item in result.items:
            yield [
                breakdown,
                segment,
                result.responses,
                item.item,
                labels[item.dimension],
                item.statement,
                _figure(item.expectation),
                _figure(item.perception),
                _figure(item.gap),
            ]


@login_required
@permission_required(VIEW, raise_exception=True)
def servqual_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The statement table (E, P, gap) for all responses and for each segment, as the page is filtered."""
    arguments = ServqualFilterForm(request.GET or None).arguments()
    if arguments["survey"] is None:
        raise Http404(_("There is no SERVQUAL survey yet."))
    report = selectors.servqual_report(actor=request.user, **arguments)
    filename = f"servqual-{report.survey.code}"
    if fmt == "xlsx":
        return xlsx_response(_export_rows(report), filename, sheet="SERVQUAL")
    return csv_response(_export_rows(report), filename)


def _shortfall(outcome: services.PanelInvited) -> str:
    pool = outcome.pool
    return _(
        "Of the %(group)s members in the group, %(no_consent)s have not consented to research, %(deceased)s are "
        "deceased, %(bereaved)s are flagged as bereaved, %(no_channel)s have no email address or mobile for texts, "
        "and %(recent)s were invited to a survey in the last %(days)s days."
    ) % {
        "group": pool.in_group,
        "no_consent": pool.no_consent,
        "deceased": pool.deceased,
        "bereaved": pool.bereaved,
        "no_channel": pool.no_channel,
        "recent": pool.recently_invited,
        "days": settings.SURVEY_INTERVAL_DAYS,
    }


@login_required
@permission_required(INVITE, raise_exception=True)
def servqual_invite(request: HttpRequest) -> HttpResponse:
    """Invite a panel of members, drawn at random, to answer a SERVQUAL survey through its link."""
    form = PanelInviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.servqual_invite_panel_explained(actor=request.user, **form.service_arguments())
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            invited = _("%(invited)s of the %(asked)s members asked for were invited.") % {
                "invited": outcome.invited,
                "asked": outcome.asked,
            }
            if outcome.invited < outcome.asked:
                messages.warning(request, f"{invited} {_shortfall(outcome)}")
            else:
                messages.success(request, invited)
            return redirect("surveys:servqual-invite")
    context = {"form": form, "pool": services.panel_pool(), "days": settings.SURVEY_INTERVAL_DAYS}
    return render(request, "surveys/servqual/invite.html", context, status=400 if form.is_bound else 200)


def _own_answers(response) -> dict:
    """The manager's answers: each statement, and per dimension their mean expectation and points."""
    answers = [answer for answer in response.answers.all() if answer.number is not None]
    statements = sorted(
        (a.question.servqual_item, question_text(a.question), a.number)
        for a in answers
        if a.question.kind == QuestionKind.EXPECTATION
    )
    expectations = {item: value for item, _text, value in statements}
    believed = rules.dimension_means(expectations) if set(rules.DIMENSION_OF) <= set(expectations) else {}
    points = {a.question.dimension: a.number for a in answers if a.question.kind == QuestionKind.IMPORTANCE}
    dimensions = [
        (dimension, Dimension(dimension).label, believed.get(dimension), points.get(dimension))
        for dimension in rules.DIMENSIONS
    ]
    return {"statements": statements, "dimensions": dimensions}


def _language(request: HttpRequest) -> str:
    language = (get_language() or "en")[:2]
    return language if language in ("en", "ar") else "en"


@login_required
@permission_required(MANAGEMENT, raise_exception=True)
def management_study(request: HttpRequest) -> HttpResponse:
    """A manager answers the current study once, as they believe members would; afterwards the page
    shows their answers and how managers' beliefs compare with what members say. The comparison is
    hidden until they have answered, so that it cannot colour their answers."""
    study = selectors.management_study_current()
    if study is None:
        return render(request, "surveys/servqual/management_study.html", {"study": None})
    own = selectors.management_answers(study=study, respondent=request.user)
    if own is not None:
        if request.method == "POST":
            messages.info(request, _("You have already answered this study; your answers are below."))
            return redirect("surveys:management-study")
        survey = selectors.servqual_surveys().first()
        start, end = selectors.default_period()
        gap = selectors.knowledge_gap_report(actor=request.user, study=study, survey=survey, start=start, end=end)
        context = {
            "study": study,
            "own": own,
            "answers": _own_answers(own),
            "survey": survey,
            "start": start,
            "end": end,
            "gap": gap,
            "knowledge_chart": _knowledge_chart(gap),
        }
        return render(request, "surveys/servqual/management_study.html", context)
    questions = list(study.current_version.questions.all())
    form = ManagementStudyForm(request.POST if request.method == "POST" else None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            response_submit(
                survey=study,
                values=form.values(),
                source=ResponseSource.IN_APP,
                respondent=request.user,
                language=_language(request),
            )
        except AlreadyAnswered:
            messages.info(request, _("You have already answered this study; your answers are below."))
            return redirect("surveys:management-study")
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Thank you: your answers are in. Here is how they compare with members'."))
            return redirect("surveys:management-study")
    context = {"study": study, "form": form}
    return render(request, "surveys/servqual/management_study.html", context, status=400 if form.is_bound else 200)


# Mounted under /surveys/ by surveys/urls.py; names in the "surveys" namespace.
urls: list[URLPattern] = [
    path("servqual/", servqual_home, name="servqual"),
    re_path(r"^servqual/export\.(?P<fmt>csv|xlsx)$", servqual_export, name="servqual-export"),
    path("servqual/invite/", servqual_invite, name="servqual-invite"),
    path("servqual/management-study/", management_study, name="management-study"),
]
