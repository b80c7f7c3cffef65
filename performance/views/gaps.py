"""The five-gap page, each gap's prescriptions, and the wallboard with its live fragment."""

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from calls.models import Queue
from contactcentre.forms import LocalChoiceField
from staff.models import Site

from ..rules import gaps as rules
from ..selectors import gaps as selectors
from ..selectors.wallboard import wallboard as wallboard_figures

MANAGEMENT = "staff.view_management"
WALLBOARD = "performance.view_wallboard"
# Where each gap's evidence is: (url name, link text); a page not there yet leaves its link out.
EVIDENCE = {
    1: [("surveys:management-study", gettext_lazy("Management perception study"))],
    2: [("performance:standards", gettext_lazy("Service standards"))],
    3: [("performance:dashboard", gettext_lazy("Manager dashboard"))],
    4: [
        ("performance:promises", gettext_lazy("Promises and delivery")),
        ("performance:sites", gettext_lazy("Sites compared")),
    ],
    5: [("surveys:servqual", gettext_lazy("SERVQUAL"))],
}


def _trend_chart(standing: selectors.GapStanding) -> dict:
    values = [None if p.value is None else round(p.value, 2) for p in standing.trend]
    return {
        "type": "line",
        "data": {
            "labels": [p.month.strftime("%Y-%m") for p in standing.trend],
            "datasets": [{"label": standing.trend_label, "data": values, "spanGaps": True}],
        },
        "options": {"plugins": {"legend": {"display": False}}},
    }


@login_required
@permission_required(MANAGEMENT, raise_exception=True)
def gaps(request: HttpRequest) -> HttpResponse:
    period, standings = selectors.gaps_page(timezone.localdate(), actor=request.user)
    cards = [
        {"standing": s, "chart": _trend_chart(s), "chart_id": f"gap-{s.number}-trend", "evidence": EVIDENCE[s.number]}
        for s in standings
    ]
    return render(request, "performance/gaps/home.html", {"period": period, "cards": cards})


@login_required
@permission_required(MANAGEMENT, raise_exception=True)
def gap_prescriptions(request: HttpRequest, number: int) -> HttpResponse:
    if number not in rules.GAPS:
        raise Http404(_("The gap model has gaps 1 to 5."))
    context = {
        "gap": rules.GAPS[number],
        "prescriptions": rules.PRESCRIPTIONS[number],
        "evidence": EVIDENCE[number],
        "others": [g for n, g in rules.GAPS.items() if n != number],
    }
    return render(request, "performance/gaps/prescriptions.html", context)


class WallboardForm(forms.Form):
    site = LocalChoiceField(
        queryset=Site.objects.filter(is_active=True).order_by("name"),
        required=False,
        label=gettext_lazy("Site"),
        empty_label=gettext_lazy("Every site"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    queue = LocalChoiceField(
        queryset=Queue.objects.filter(is_active=True).order_by("name"),
        required=False,
        label=gettext_lazy("Queue"),
        empty_label=gettext_lazy("Every queue"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )


def _board(request: HttpRequest) -> tuple[WallboardForm, dict, int]:
    form = WallboardForm(request.GET)
    if not form.is_valid():
        return form, {"form": form}, 400
    board = wallboard_figures(site=form.cleaned_data["site"], queue=form.cleaned_data["queue"])
    return form, {"form": form, "board": board, "query": request.GET.urlencode()}, 200


@login_required
@permission_required(WALLBOARD, raise_exception=True)
def wallboard(request: HttpRequest) -> HttpResponse:
    _form, context, status = _board(request)
    return render(request, "performance/wallboard.html", context, status=status)


@login_required
@permission_required(WALLBOARD, raise_exception=True)
def wallboard_live(request: HttpRequest) -> HttpResponse:
    _form, context, status = _board(request)
    return render(request, "performance/wallboard_live.html", context, status=status)


urlpatterns = [
    path("gaps/", gaps, name="gaps"),
    path("gaps/<int:number>/", gap_prescriptions, name="gap-prescriptions"),
    path("wallboard/", wallboard, name="wallboard"),
    path("wallboard/live/", wallboard_live, name="wallboard-live"),
]
