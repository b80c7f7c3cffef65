"""Browser pages for upward feedback: giving it (everyone; anonymous by default), and the board's
summary per closed cycle with the anonymity threshold applied, a chart of averages and its CSV
(figures only, never the answers). Mounted under /staff/ with the appraisal pages (staff.views.appraisal.urls)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _

from calls.forms import add_domain_errors
from contactcentre.csv_export import csv_response
from contactcentre.exceptions import Conflict, DomainError
from contactcentre.http import client_ip

from ..forms.appraisal import FeedbackForm, SummaryCycleForm
from ..models import AppraisalCycle, FeedbackSubject
from ..rules import feedback as feedback_rules
from ..selectors import appraisal as selectors
from ..selectors.appraisal import SUMMARY_WAITS
from ..services import feedback as services
from ..templatetags.staff_tags import local_name


@login_required
def feedback_give(request: HttpRequest) -> HttpResponse:
    cycles = selectors.open_cycles()
    cycle = cycles.first()
    team = request.user.team
    leader = team.leader if team is not None and team.leader_id != request.user.pk else None
    subject = FeedbackSubject.MANAGER if leader is not None else FeedbackSubject.ORGANISATION
    form = FeedbackForm(
        request.POST or None, cycles=cycles, initial={"cycle": cycle, "anonymous": True, "subject": subject}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.upward_feedback_give(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Thank you: your feedback has been recorded."))
            return redirect("staff:feedback")
    answered = []
    if cycle is not None:
        given = selectors.feedback_given(
            cycle=cycle,
            respondent_key_for=lambda s: services.respondent_key(
                cycle_id=cycle.pk, subject=s, person_id=request.user.pk
            ),
        )
        answered = [label for value, label in FeedbackSubject.choices if value in given]
    context = {"form": form, "leader": leader, "cycle": cycle, "answered": answered}
    return render(request, "staff/appraisal/feedback.html", context, status=400 if form.is_bound else 200)


def _summary_cycle(request: HttpRequest) -> tuple[SummaryCycleForm, AppraisalCycle | None]:
    form = SummaryCycleForm(request.GET or None)
    cycle = form.cleaned_data["cycle"] if form.is_bound and form.is_valid() else None
    cycle = selectors.summary_cycle(cycle)
    if not form.is_bound and cycle is not None:
        form = SummaryCycleForm(initial={"cycle": cycle})
    return form, cycle


def _group_name(summary, group) -> str:
    if group.level == feedback_rules.ORGANISATION:
        return _("The whole organisation")
    named = summary.names.get((group.level, group.key))
    if named is not None:
        return local_name(named)
    return _("No site") if group.level == feedback_rules.SITE else _("No team")


def _rows(summaries):
    """The summary as flat rows (subject, level, site, group, shown group) for the page and the CSV."""
    for summary in summaries:
        root = summary.root
        yield summary, root, "", _group_name(summary, root)
        for site in root.children:
            site_name = _group_name(summary, site)
            yield summary, site, site_name, site_name
            for leaf in site.children:
                yield summary, leaf, site_name, _group_name(summary, leaf)


def _level_label(summary, group) -> str:
    if group.level == feedback_rules.ORGANISATION:
        return _("Organisation")
    if group.level == feedback_rules.SITE:
        return _("Site")
    return _("Team leader or manager") if summary.subject == FeedbackSubject.MANAGER else _("Team")


def _hidden_label(group) -> str:
    if group.hidden_because == feedback_rules.TOO_FEW:
        return _("fewer than %(n)s responses") % {"n": feedback_rules.MIN_GROUP}
    if group.hidden_because == feedback_rules.PROTECTS_ANOTHER:
        return _("hidden so that a smaller group cannot be worked out")
    return _("hidden with the group above it")


@login_required
@permission_required("staff.view_upwardfeedback", raise_exception=True)
def feedback_summary(request: HttpRequest) -> HttpResponse:
    form, cycle = _summary_cycle(request)
    waits = cycle is not None and cycle.is_open
    summaries = selectors.feedback_summary(cycle) if cycle and not waits else []
    rows = [
        {"summary": s, "group": g, "site": site, "name": name, "hidden": "" if g.shown else _hidden_label(g)}
        for s, g, site, name in _rows(summaries)
    ]
    charts = []
    for summary in summaries:
        shown = [row for row in rows if row["summary"] is summary and row["group"].shown]
        charts.append(
            {
                "id": f"feedback-chart-{summary.subject}",
                "label": summary.label,
                "config": {
                    "type": "bar",
                    "data": {
                        "labels": [row["name"] for row in shown],
                        "datasets": [
                            {"label": _("Average rating (1-5)"), "data": [float(row["group"].average) for row in shown]}
                        ],
                    },
                    "options": {"indexAxis": "y", "animation": False, "scales": {"x": {"min": 0, "max": 5}}},
                },
            }
        )
    context = {
        "form": form,
        "cycle": cycle,
        "waits": SUMMARY_WAITS if waits else "",
        "summaries": summaries,
        "rows": rows,
        "charts": charts,
        "min_group": feedback_rules.MIN_GROUP,
    }
    return render(request, "staff/appraisal/summary.html", context)


@login_required
@permission_required("staff.view_upwardfeedback", raise_exception=True)
def feedback_summary_export(request: HttpRequest) -> HttpResponse:
    """The summary's figures as CSV, the threshold applied: never the answers or their comments. For
    a cycle still open, back to the summary page, which says why there is nothing yet."""
    _form, cycle = _summary_cycle(request)
    if cycle is None:
        raise Http404
    try:
        services.feedback_summary_exported(actor=request.user, cycle=cycle, ip_address=client_ip(request))
    except Conflict:
        return redirect(f"{reverse('staff:feedback-summary')}?cycle={cycle.pk}")
    return csv_response(_summary_csv_rows(cycle), f"upward-feedback-{cycle.pk}")


def _summary_csv_rows(cycle):
    yield [_("Cycle"), _("About"), _("Level"), _("Site"), _("Group"), _("Responses"), _("Average rating")]
    for summary, group, site, name in _rows(selectors.feedback_summary(cycle)):
        shown = group.shown
        yield [
            str(cycle),
            summary.label,
            _level_label(summary, group),
            site,
            name,
            group.responses if shown else "",
            group.average if shown and group.average is not None else _hidden_label(group),
        ]


urls: list[URLPattern] = [
    path("feedback/", feedback_give, name="feedback"),
    path("feedback/summary/", feedback_summary, name="feedback-summary"),
    path("feedback/summary/export.csv", feedback_summary_export, name="feedback-summary-export"),
]
