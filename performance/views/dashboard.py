"""The manager dashboard (`/performance/`): every KPI of a period and scope against its comparison
and the standard in force, the trend, team and agent league tables, the contacts behind a figure
(`/performance/contacts/`), and the page's figures as CSV or XLSX."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import path
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contactcentre.csv_export import csv_response
from contactcentre.http import client_ip
from contactcentre.models import AuditAction
from contactcentre.services import audit_record
from contactcentre.xlsx_export import xlsx_response
from staff.templatetags.staff_tags import local_name

from ..forms.dashboard import DashboardChoice, DashboardForm, DrilldownForm
from ..rules import kpis as rules
from ..selectors import dashboard as selectors
from ..selectors import league
from ..selectors.drilldown import FIGURE_DESCRIPTIONS, drilldown_contacts

VIEW_MANAGEMENT = "staff.view_management"
PAGE_SIZE = 50
AGENTS_PER_PAGE = 50  # the agent league, a page at a time (sorted over all agents first)
EXPORTS = {"csv": csv_response, "xlsx": xlsx_response}
# The league tables' columns: (sort key, header, unit).
LEAGUE_COLUMNS = [
    ("answered", gettext_lazy("Answered"), ""),
    ("handled", gettext_lazy("Handled"), ""),
    ("aht", gettext_lazy("AHT"), "s"),
    ("asa", gettext_lazy("ASA"), "s"),
    ("fcr", gettext_lazy("FCR"), "%"),
    ("agent_fcr", gettext_lazy("Agent-reported FCR"), "%"),
    ("transfer_rate", gettext_lazy("Transfers"), "%"),
    ("occupancy", gettext_lazy("Occupancy"), "%"),
    ("utilisation", gettext_lazy("Utilisation"), "%"),
    ("quality", gettext_lazy("Quality score"), "%"),
    ("pass_rate", gettext_lazy("Evaluations passed"), "%"),
]


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _choice_query(request: HttpRequest, choice: DashboardChoice, *drop: str) -> QueryDict:
    """The page's choices as a query string, with the resolved preset (a drill-down or an export reads
    the same period as the page showed)."""
    query = request.GET.copy()
    for name in ("page", "figure", "which", *drop):
        query.pop(name, None)
    query["preset"] = choice.preset
    if choice.preset != selectors.CUSTOM:
        query.pop("start", None)
        query.pop("end", None)
    return query


def _chart_labels(trend: list[selectors.TrendPoint], grain: str) -> list[str]:
    shape = "YEAR_MONTH_FORMAT" if grain == "month" else "d/m"
    return [formats.date_format(point.start, shape) for point in trend]


def _charts(trend: list[selectors.TrendPoint], grain: str, variant: str) -> dict:
    """Chart.js configurations: volumes, rates (%) and times (s), a point per day, week or month."""
    labels = _chart_labels(trend, grain)

    def counts(name: str) -> list[int | None]:
        return [getattr(point.measures, name) if point.measures else None for point in trend]

    def line(label: str, values: list) -> dict:
        return {"label": label, "data": values, "tension": 0.2, "spanGaps": True}

    sl = [_round(rules.service_level(point.measures, variant)) if point.measures else None for point in trend]
    return {
        "dashboard-volume": {
            "type": "bar",
            "data": {
                "labels": labels,
                "datasets": [
                    {"label": _("Offered"), "data": counts("offered")},
                    {"label": _("Answered"), "data": counts("answered")},
                    {"label": _("Abandoned"), "data": counts("abandoned")},
                ],
            },
            "options": {"scales": {"y": {"beginAtZero": True, "ticks": {"precision": 0}}}},
        },
        "dashboard-rates": {
            "type": "line",
            "data": {
                "labels": labels,
                "datasets": [
                    line(_("Service level (%)"), sl),
                    line(_("Abandonment rate (%)"), [_round(p.kpi("abandonment_rate")) for p in trend]),
                    line(_("First-contact resolution (%)"), [_round(p.kpi("fcr")) for p in trend]),
                ],
            },
            "options": {"scales": {"y": {"min": 0, "max": 100}}},
        },
        "dashboard-times": {
            "type": "line",
            "data": {
                "labels": labels,
                "datasets": [
                    line(_("Average speed of answer (s)"), [_round(p.kpi("asa_seconds")) for p in trend]),
                    line(_("Average handle time (s)"), [_round(p.kpi("aht_seconds")) for p in trend]),
                ],
            },
            "options": {"scales": {"y": {"beginAtZero": True}}},
        },
    }


def _league_headers(query: QueryDict, sort: str) -> list[dict]:
    """Each sortable column's header: its link (descending first, then ascending) and aria-sort."""
    headers = []
    for key, label, unit in [("name", gettext_lazy("Name"), ""), *LEAGUE_COLUMNS]:
        current = sort.lstrip("-") == key
        descending = sort.startswith("-")
        target = query.copy()
        target["sort"] = key if current and descending else f"-{key}"
        headers.append(
            {
                "key": key,
                "label": label,
                "unit": unit,
                "url": f"?{target.urlencode()}",
                "aria_sort": ("descending" if descending else "ascending") if current else "none",
            }
        )
    return headers


def _page_data(form: DashboardForm) -> dict:
    choice = form.choice()
    board = selectors.dashboard_figures(choice.period, choice.scope, choice.comparison)
    teams, agents = league.leagues(choice.period, choice.scope, sort=choice.sort)
    return {
        "form": form,
        "choice": choice,
        "board": board,
        "teams": teams,
        "agents": agents,
    }


@login_required
@permission_required(VIEW_MANAGEMENT, raise_exception=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    form = DashboardForm(request.GET or None)
    data = _page_data(form)
    choice = data["choice"]
    data["grain"] = selectors.trend_grain(choice.period)  # the page's charts only, not the exports
    data["trend"] = selectors.dashboard_trend(choice.period, choice.scope, data["grain"])
    query = _choice_query(request, choice)
    agents = Paginator(data["agents"], AGENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        **data,
        "agents": agents,
        "page": agents,
        "charts": _charts(data["trend"], data["grain"], data["board"].kpis.variant),
        "has_trend": any(point.measures for point in data["trend"]),
        "query": query.urlencode(),
        "league_headers": _league_headers(_choice_query(request, choice, "sort"), choice.sort),
        "league_columns": LEAGUE_COLUMNS,
    }
    return render(request, "performance/dashboard.html", context)


def _value(value: float | None, digits: int = 1) -> float | str:
    return "" if value is None else round(value, digits)


def _export_rows(data: dict):
    board, choice = data["board"], data["choice"]
    comparison = choice.comparison
    yield [
        _("Period"),
        choice.period.first,
        choice.period.last,
        _("Compared with"),
        comparison.first if comparison else "",
        comparison.last if comparison else "",
    ]
    yield []
    yield [
        _("Figure"),
        _("Value"),
        _("Comparison"),
        _("Change"),
        _("Target"),
        _("Warning"),
        _("Status"),
        _("Definition"),
    ]
    for figure in board.figures:
        yield [
            figure.label,
            _value(figure.value),
            _value(figure.compared),
            _value(figure.change),
            figure.standard.target if figure.standard else "",
            figure.standard.warning if figure.standard else "",
            figure.rag or "",
            figure.definition if figure.metric != "service_level" else f"{figure.definition} {board.variant_label}",
        ]
    yield []
    yield [_("Contacts"), _("Count"), _("Comparison"), _("Change")]
    for count in board.counts:
        yield [count.label, count.value, "" if count.compared is None else count.compared, count.change]
    for title, rows in ((_("Team"), data["teams"]), (_("Agent"), data["agents"])):
        yield []
        yield [title, *[str(label) for _key, label, _unit in LEAGUE_COLUMNS], _("Evaluations")]
        for row in rows:
            yield [
                local_name(row.subject) if row.subject else _("No team"),
                row.measures.answered,
                row.measures.handled,
                _value(row.aht_seconds),
                _value(row.asa_seconds),
                _value(row.fcr),
                _value(row.agent_fcr),
                _value(row.transfer_rate),
                _value(row.occupancy),
                _value(row.utilisation),
                _value(row.quality),
                _value(row.pass_rate),
                row.evaluations,
            ]


@login_required
@permission_required(VIEW_MANAGEMENT, raise_exception=True)
def dashboard_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """What the page shows for the same choices: the figures, the counts and both league tables
    (people's results: audited)."""
    if fmt not in EXPORTS:
        raise Http404
    form = DashboardForm(request.GET or None)
    data = _page_data(form)
    period = data["choice"].period
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        object_type="performance.dashboard",
        summary="Performance dashboard exported",
        detail={**form.as_text(), "first": str(period.first), "last": str(period.last), "format": fmt},
        ip_address=client_ip(request),
    )
    return EXPORTS[fmt](_export_rows(data), "performance-dashboard")


@login_required
@permission_required(VIEW_MANAGEMENT, raise_exception=True)
def drilldown(request: HttpRequest) -> HttpResponse:
    """The contacts behind one figure of the dashboard, for its period (or comparison) and scope."""
    form = DrilldownForm(request.GET or None)
    choice = form.choice()
    figure = form.figure_name()
    period = form.drilled_period(choice)
    page = Paginator(drilldown_contacts(figure, period, choice.scope), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "choice": choice,
        "period": period,
        "figure": figure,
        "figure_label": selectors.COUNT_LABELS[figure],
        "figure_description": FIGURE_DESCRIPTIONS[figure],
        "page": page,
        "query": query.urlencode(),
        "back_query": _choice_query(request, choice).urlencode(),
    }
    return render(request, "performance/dashboard_contacts.html", context)


urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("export.<str:fmt>/", dashboard_export, name="dashboard-export"),
    path("contacts/", drilldown, name="drilldown"),
]
