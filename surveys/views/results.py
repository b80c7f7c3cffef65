"""The results pages: CSAT, NPS and CES with their breakdown and trend (and exports), the members'
comments (verbatims, and exports), and one response with its answers. Everything is scoped to the
responses the reader may see (surveys/selectors/visibility.py) by the selectors."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, re_path
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from contactcentre.csv_export import csv_response
from contactcentre.http import client_ip
from contactcentre.xlsx_export import xlsx_response
from staff.templatetags.staff_tags import local_name

from ..forms.results import GROUP_LABELS, ResultFilterForm, VerbatimFilterForm
from ..models import QuestionKind, Response
from ..selectors import results as selectors
from ..services import results as services

VIEW_RESULTS = "surveys.view_results"
PAGE_SIZE = 25
EXPORTS = {"csv": csv_response, "xlsx": xlsx_response}
_TOPS = {QuestionKind.CSAT: 5, QuestionKind.NPS: 10, QuestionKind.CES: 7}


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _trend_chart(trend, by: str) -> dict:
    """CSAT (%) and NPS on one -100..100 scale, a point per week or month (a gap where nobody answered)."""
    label = "d/m" if by == "week" else "YEAR_MONTH_FORMAT"
    return {
        "type": "line",
        "data": {
            "labels": [formats.date_format(first, label) for first, _row in trend],
            "datasets": [
                {
                    "label": _("CSAT (%)"),
                    "data": [_round(row.csat.score) if row else None for _first, row in trend],
                    "tension": 0.2,
                    "spanGaps": True,
                },
                {
                    "label": _("NPS"),
                    "data": [_round(row.nps.score) if row else None for _first, row in trend],
                    "tension": 0.2,
                    "spanGaps": True,
                },
            ],
        },
        "options": {"scales": {"y": {"min": -100, "max": 100, "title": {"display": True, "text": _("Score")}}}},
    }


@login_required
@permission_required(VIEW_RESULTS, raise_exception=True)
def results(request: HttpRequest) -> HttpResponse:
    """Headline figures, the breakdown by the chosen group, and the trend, for the filters."""
    form = ResultFilterForm(request.GET or None, actor=request.user)
    filters, group_by = form.filters(), form.grouping()
    by = selectors.trend_by(filters.start, filters.end)
    trend = selectors.results_trend(actor=request.user, filters=filters, by=by)
    context = {
        "form": form,
        "filters": filters,
        "group_by": group_by,
        "group_label": GROUP_LABELS[group_by],
        "total": selectors.results_table(actor=request.user, filters=filters, group_by=None)[0],
        "rows": selectors.results_table(actor=request.user, filters=filters, group_by=group_by),
        "summary": selectors.results_summary(actor=request.user, filters=filters),
        "trend_by": by,
        "chart_config": _trend_chart(trend, by),
        "has_trend": any(row for _first, row in trend),
        "query": _query(request),
        "small_sample": selectors.SMALL_SAMPLE,
    }
    return render(request, "surveys/results/home.html", context)


def _result_rows(header: str, rows: list, total):
    yield [
        header,
        _("Responses"),
        _("Small sample"),
        _("CSAT answers"),
        _("CSAT (%)"),
        _("NPS answers"),
        _("Promoters"),
        _("Passives"),
        _("Detractors"),
        _("NPS"),
        _("NPS margin of error (±)"),
        _("CES answers"),
        _("CES (mean, 1-7)"),
        _("Easy (%, 5-7)"),
    ]
    for row in [*rows, total]:
        yield [
            row.label,
            row.responses,
            _("Yes") if row.small_sample else "",
            row.csat.responses,
            _round(row.csat.score),
            row.nps.responses,
            row.nps.promoters,
            row.nps.passives,
            row.nps.detractors,
            _round(row.nps.score),
            _round(row.nps.margin),
            row.ces.responses,
            _round(row.ces.score, 2),
            _round(row.ces.easy_share),
        ]


def _export(fmt: str):
    if fmt not in EXPORTS:
        raise Http404
    return EXPORTS[fmt]


@login_required
@permission_required(VIEW_RESULTS, raise_exception=True)
def results_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The breakdown as it is filtered, then the total, as CSV or XLSX (people's results: audited)."""
    respond = _export(fmt)
    form = ResultFilterForm(request.GET or None, actor=request.user)
    filters, group_by = form.filters(), form.grouping()
    rows = selectors.results_table(actor=request.user, filters=filters, group_by=group_by)
    total = selectors.results_table(actor=request.user, filters=filters, group_by=None)[0]
    services.results_exported(
        actor=request.user,
        what="results",
        filters={**form.as_text(), "group_by": group_by, "start": str(filters.start), "end": str(filters.end)},
        ip_address=client_ip(request),
    )
    return respond(_result_rows(str(GROUP_LABELS[group_by]), rows, total), "survey-results")


# Verbatims --------------------------------------------------------------------------------------------


@login_required
@permission_required(VIEW_RESULTS, raise_exception=True)
def verbatims(request: HttpRequest) -> HttpResponse:
    form = VerbatimFilterForm(request.GET or None, actor=request.user)
    arguments = form.selector_arguments()
    page = Paginator(selectors.verbatim_list(actor=request.user, **arguments), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    services.comments_viewed(
        actor=request.user,
        where="verbatims",
        answer_ids=[answer.pk for answer in page.object_list],
        ip_address=client_ip(request),
    )
    context = {"form": form, "filters": arguments["filters"], "page": page, "query": _query(request)}
    return render(request, "surveys/results/verbatims.html", context)


def _verbatim_rows(answers, moment):
    yield [
        _("Submitted"),
        _("Response"),
        _("Survey"),
        _("Comment"),
        _("CSAT"),
        _("NPS"),
        _("CES"),
        _("Agent"),
        _("Team"),
        _("Queue"),
        _("Site"),
        _("Plan tier"),
        _("Themes"),
    ]
    for answer in answers.prefetch_related("codes__theme").iterator(chunk_size=500):
        response = answer.response
        yield [
            moment(timezone.localtime(response.submitted_at)),
            response.pk,
            local_name(response.survey),
            answer.text,
            response.csat,
            response.nps,
            response.ces,
            local_name(response.agent),
            local_name(response.team),
            local_name(response.queue),
            local_name(response.site),
            response.get_plan_tier_display(),
            "; ".join(local_name(code.theme) for code in answer.codes.all()),
        ]


@login_required
@permission_required(VIEW_RESULTS, raise_exception=True)
def verbatims_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The comments as they are filtered, with their scores and segment; never a member's name (audited)."""
    respond = _export(fmt)
    form = VerbatimFilterForm(request.GET or None, actor=request.user)
    arguments = form.selector_arguments()
    filters = arguments["filters"]
    services.results_exported(
        actor=request.user,
        what="verbatims",
        filters={**form.as_text(), "start": str(filters.start), "end": str(filters.end)},
        ip_address=client_ip(request),
    )
    answers = selectors.verbatim_list(actor=request.user, **arguments)
    # A spreadsheet keeps a date; a CSV gets it in one plain format.
    moment = (lambda at: formats.date_format(at, "Y-m-d H:i")) if fmt == "csv" else (lambda at: at)
    return respond(_verbatim_rows(answers, moment), "survey-verbatims")


# One response -----------------------------------------------------------------------------------------


def _local(english: str, arabic: str) -> str:
    return arabic if get_language() == "ar" and arabic else english


def _shown(question, answer) -> str:
    """An answer as the reader reads it: a score out of its scale's top, the chosen options' labels, the text."""
    if answer is None:
        return ""
    if answer.number is not None:
        top = _TOPS.get(question.kind)
        return f"{answer.number} / {top}" if top else str(answer.number)
    if answer.choices:
        labels = {c["value"]: _local(c.get("label", c["value"]), c.get("label_ar", "")) for c in question.choices}
        return ", ".join(labels.get(value, value) for value in answer.choices)
    return answer.text


def _answer_rows(response: Response) -> list[dict]:
    """The version's questions in order, as asked, each with its answer ("" when it was not answered)."""
    answers = {answer.question_id: answer for answer in response.answers.all()}
    return [
        {
            "question": question,
            "text": _local(question.text, question.text_ar),
            "answer": _shown(question, answers.get(question.pk)),
            "is_comment": question.kind == QuestionKind.FREE_TEXT,
            "answered": question.pk in answers,
        }
        for question in response.version.questions.all()
    ]


@login_required
@permission_required(VIEW_RESULTS, raise_exception=True)
def response_detail(request: HttpRequest, pk: int) -> HttpResponse:
    response = selectors.response_get_for(request.user, pk)
    services.response_viewed(actor=request.user, response=response, ip_address=client_ip(request))
    context = {
        "response": response,
        "rows": _answer_rows(response),
        "loop": getattr(response, "loop", None),
        "may_see_member": request.user.has_perm("customers.view_customer"),
        "may_see_contact": request.user.has_perm("calls.view_contact"),
    }
    return render(request, "surveys/results/response.html", context)


# Mounted under /surveys/ by surveys/urls.py; names in the "surveys" namespace.
urls: list[URLPattern] = [
    path("", results, name="results"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", results_export, name="results-export"),
    path("verbatims/", verbatims, name="verbatims"),
    re_path(r"^verbatims/export\.(?P<fmt>csv|xlsx)$", verbatims_export, name="verbatims-export"),
    path("responses/<int:pk>/", response_detail, name="response"),
]
