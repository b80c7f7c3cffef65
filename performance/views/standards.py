"""The standards pages (gap 2): the standards in force with how the last 30 days went against them
and the benchmarks, setting, changing and ending one, a standard's history; and gap 4's pages:
promises against delivery per plan, and the same standards site by site."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from calls.forms import add_domain_errors
from contactcentre.exceptions import DomainError

from ..forms import standards as forms
from ..models import Metric
from ..rules.standards import BENCHMARKS, PERCENT_METRICS
from ..selectors import promises as promise_selectors
from ..selectors import sites as site_selectors
from ..selectors import standards as selectors
from ..selectors.dashboard import DEFINITIONS
from ..selectors.kpis import Period
from ..services import standards as services

OVERVIEW_DAYS = 30


def figure(metric: str, value) -> str:
    """A figure with its unit, in the reader's number format ("–" for none)."""
    if value is None:
        return "–"
    if metric in PERCENT_METRICS:
        return _("%(value)s%%") % {"value": formats.number_format(value, 1)}
    if metric in (Metric.ASA, Metric.AHT):
        return _("%(value)s s") % {"value": formats.number_format(value, 0)}
    if metric == Metric.CLAIM_TURNAROUND:
        return _("%(value)s days") % {"value": formats.number_format(value, 1)}
    return formats.number_format(value, 1)


def _definition(metric: str) -> str:
    return str(DEFINITIONS.get(metric, ""))


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


@login_required
@permission_required("performance.view_servicestandard", raise_exception=True)
def standard_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    period, rows = selectors.standards_overview(today, days=OVERVIEW_DAYS)
    items = [
        {
            "row": row,
            "definition": _definition(row.standard.metric),
            "value": figure(row.standard.metric, row.value),
            "target": figure(row.standard.metric, row.standard.target),
            "warning": figure(row.standard.metric, row.standard.warning),
            "common": figure(row.standard.metric, row.benchmark.common) if row.benchmark else "",
            "best": figure(row.standard.metric, row.benchmark.best) if row.benchmark else "",
        }
        for row in rows
    ]
    benchmarks = [
        {
            "benchmark": b,
            "label": Metric(b.metric).label,
            "common": figure(b.metric, b.common),
            "best": figure(b.metric, b.best),
        }
        for b in BENCHMARKS.values()
    ]
    context = {"items": items, "period": period, "benchmarks": benchmarks}
    return render(request, "performance/standards/list.html", context)


def _form_page(request: HttpRequest, form, *, title: str, intro: str, back: str) -> HttpResponse:
    context = {
        "form": form,
        "title": title,
        "intro": intro,
        "submit": _("Save"),
        "testid": "standard-form",
        "back": back,
    }
    return render(request, "form_page.html", context, status=400 if form.is_bound else 200)


@login_required
@permission_required("performance.set_standards", raise_exception=True)
@require_http_methods(["GET", "POST"])
def standard_new(request: HttpRequest) -> HttpResponse:
    form = forms.StandardForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            standard = services.standard_set(by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Standard saved."))
            return redirect("performance:standard", pk=standard.pk)
    return _form_page(
        request,
        form,
        title=_("New service standard"),
        intro=_(
            "Leave queue, site, tier and account empty for a standard that applies everywhere; the most specific "
            "standard in force applies. A standard already in force for the same measure and scope ends the day "
            "before the new one starts."
        ),
        back=reverse("performance:standards"),
    )


@login_required
@permission_required("performance.set_standards", raise_exception=True)
@require_http_methods(["GET", "POST"])
def standard_change(request: HttpRequest, pk: int) -> HttpResponse:
    standard = selectors.standard_get(pk)
    initial = {"target": standard.target, "warning": standard.warning}
    form = forms.StandardChangeForm(_posted(request), initial=initial)
    if standard.effective_to is not None:
        messages.error(request, _("This standard has ended: set a new one instead."))
        return redirect("performance:standard", pk=standard.pk)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.standard_change(standard, by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Standard changed; the previous one is kept in the history."))
            return redirect("performance:standard", pk=new.pk)
    return _form_page(
        request,
        form,
        title=_("Change the standard: %(name)s") % {"name": standard.get_metric_display()},
        intro=_(
            "The standard in force (target %(target)s, warning %(warning)s) ends the day before the new one starts."
        )
        % {"target": standard.target, "warning": standard.warning},
        back=reverse("performance:standard", args=[standard.pk]),
    )


@login_required
@permission_required("performance.set_standards", raise_exception=True)
@require_POST
def standard_retire(request: HttpRequest, pk: int) -> HttpResponse:
    standard = selectors.standard_get(pk)
    form = forms.StandardRetireForm(request.POST)
    if form.is_valid():
        try:
            services.standard_retire(standard, last_day=form.cleaned_data["last_day"], by=request.user)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Standard ended."))
            return redirect("performance:standard", pk=standard.pk)
    return _history(request, standard, retire_form=form, status=400)


def _history(request: HttpRequest, standard, *, retire_form=None, status: int = 200) -> HttpResponse:
    history = list(selectors.standard_history(standard))
    metric = standard.metric
    benchmark = BENCHMARKS.get(metric)
    context = {
        "standard": standard,
        "definition": _definition(metric),
        "history": [
            {"standard": s, "target": figure(metric, s.target), "warning": figure(metric, s.warning)} for s in history
        ],
        "benchmark": benchmark,
        "common": figure(metric, benchmark.common) if benchmark else "",
        "best": figure(metric, benchmark.best) if benchmark else "",
        "retire_form": retire_form or forms.StandardRetireForm(initial={"last_day": timezone.localdate()}),
    }
    return render(request, "performance/standards/history.html", context, status=status)


@login_required
@permission_required("performance.view_servicestandard", raise_exception=True)
def standard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _history(request, selectors.standard_get(pk))


def _period(request: HttpRequest, *, max_days: int | None = None) -> tuple[forms.PeriodForm, Period]:
    form = forms.PeriodForm(request.GET or None, max_days=max_days)
    start, end = form.period()
    if max_days and (end - start).days + 1 > max_days:  # an invalid request falls back to the default
        start = end - timedelta(days=forms.PERIOD_DAYS - 1)
    return form, Period(start, end)


@login_required
@permission_required("staff.view_management", raise_exception=True)
def promises(request: HttpRequest) -> HttpResponse:
    form, period = _period(request, max_days=promise_selectors.MAX_DAYS)
    plans = promise_selectors.promises_delivery(period)
    context = {
        "filters": form,
        "period": period,
        "plans": plans,
        "kept_share": promise_selectors.KEPT_SHARE,
        "max_days": promise_selectors.MAX_DAYS,
    }
    return render(request, "performance/standards/promises.html", context, status=400 if form.errors else 200)


def _on(period: Period) -> date:
    return min(period.last, timezone.localdate())


@login_required
@permission_required("staff.view_management", raise_exception=True)
def sites(request: HttpRequest) -> HttpResponse:
    form, period = _period(request)
    comparisons = site_selectors.site_consistency(period, on=_on(period))
    site_names = [f.site_name for f in comparisons[0].figures] if comparisons else []
    rows = [
        {
            "comparison": c,
            "definition": _definition(c.metric),
            "cells": [
                {
                    "figure": f,
                    "value": figure(c.metric, f.value),
                    "target": figure(c.metric, f.standard.target) if f.standard else "",
                }
                for f in c.figures
            ],
            "spread": figure(c.metric, c.spread),
        }
        for c in comparisons
    ]
    context = {
        "filters": form,
        "period": period,
        "rows": rows,
        "site_names": site_names,
        "abandoned_without_site": site_selectors.abandoned_on_shared_queues(period),
    }
    return render(request, "performance/standards/sites.html", context, status=400 if form.errors else 200)


urlpatterns = [
    path("standards/", standard_list, name="standards"),
    path("standards/new/", standard_new, name="standard-new"),
    path("standards/<int:pk>/", standard_detail, name="standard"),
    path("standards/<int:pk>/change/", standard_change, name="standard-change"),
    path("standards/<int:pk>/retire/", standard_retire, name="standard-retire"),
    path("promises/", promises, name="promises"),
    path("sites/", sites, name="sites"),
]
