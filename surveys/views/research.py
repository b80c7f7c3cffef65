"""The research pages of the surveys app: themes with their evidence (complaints, coded comments,
focus-group findings and the scores that go with them), focus groups and panels with their
participants and findings, and the comment-coding widget the verbatims page loads per comment."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils import formats, timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from calls.forms import add_domain_errors
from contactcentre.exceptions import DomainError
from contactcentre.http import client_ip
from staff.templatetags.staff_tags import local_name

from ..forms import research as forms
from ..models import Answer, FocusGroup
from ..selectors import research as selectors
from ..services import research as services
from ..services.results import comments_viewed

PAGE_SIZE = 25


def _posted(request: HttpRequest):
    """The POSTed data, even when empty (an empty form is shown again with its errors), or None."""
    return request.POST if request.method == "POST" else None


def _period(request: HttpRequest) -> tuple[forms.PeriodForm, dict]:
    period = forms.PeriodForm(request.GET or None)
    start, end = period.period()
    return period, {"start": start, "end": end}


def _period_query(start, end) -> str:
    return urlencode({"start": start.isoformat(), "end": end.isoformat()})


# Themes -------------------------------------------------------------------------------------------------


def _evidence_chart(rows: list[selectors.ThemeEvidence]) -> dict:
    """Horizontal bars, one per theme with evidence, stacked by where the evidence comes from."""
    shown = [row for row in rows if row.evidence]
    return {
        "type": "bar",
        "data": {
            "labels": [local_name(row.theme) for row in shown],
            "datasets": [
                {"label": _("Complaints"), "data": [row.complaints for row in shown]},
                {"label": _("Coded comments"), "data": [row.comments for row in shown]},
                {"label": _("Focus-group findings"), "data": [row.findings for row in shown]},
            ],
        },
        "options": {
            "indexAxis": "y",
            "scales": {
                "x": {"stacked": True, "beginAtZero": True, "ticks": {"precision": 0}, "reverse": get_language_bidi()},
                "y": {"stacked": True, "position": "right" if get_language_bidi() else "left"},
            },
        },
    }


def _months_chart(months) -> dict:
    return {
        "type": "bar",
        "data": {
            "labels": [formats.date_format(month, "M Y") for month, _n in months],
            "datasets": [{"label": _("Complaints"), "data": [n for _month, n in months]}],
        },
        "options": {"scales": {"y": {"beginAtZero": True, "ticks": {"precision": 0}}}},
    }


@login_required
@permission_required("surveys.view_theme", raise_exception=True)
def theme_list(request: HttpRequest) -> HttpResponse:
    period, dates = _period(request)
    rows = selectors.themes_with_evidence(actor=request.user, **dates)
    context = {
        "period": period,
        **dates,
        "rows": rows,
        "query": _period_query(**dates),
        "chart_config": _evidence_chart(rows),
        "charted": any(row.evidence for row in rows),
    }
    return render(request, "surveys/research/themes.html", context)


@login_required
@permission_required("surveys.view_theme", raise_exception=True)
def theme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    theme = selectors.theme_get(pk)
    period, dates = _period(request)
    page = selectors.theme_page(actor=request.user, theme=theme, **dates)
    comments_viewed(
        actor=request.user,
        where=f"theme {theme.code}",
        answer_ids=[code.answer_id for code in page.comments],
        ip_address=client_ip(request),
    )
    context = {
        "theme": theme,
        "period": period,
        **dates,
        "page": page,
        "query": _period_query(**dates),
        "chart_config": _months_chart(page.months),
    }
    return render(request, "surveys/research/theme.html", context)


def _theme_form_page(request: HttpRequest, form: forms.ThemeForm, theme=None) -> HttpResponse:
    context = {
        "form": form,
        "theme": theme,
        "title": _("Edit theme") if theme else _("New theme"),
        "intro": _(
            "A theme is shared by complaints (through its category), focus-group findings and survey comment "
            "coding, so that what members say and how they score line up."
        ),
        "submit": _("Save"),
        "testid": "theme-form",
        "back": reverse("surveys:theme", args=[theme.pk]) if theme else reverse("surveys:themes"),
    }
    return render(request, "form_page.html", context, status=400 if form.is_bound else 200)


@login_required
@permission_required("surveys.add_theme", raise_exception=True)
@require_http_methods(["GET", "POST"])
def theme_new(request: HttpRequest) -> HttpResponse:
    form = forms.ThemeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            theme = services.theme_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Theme %(name)s added.") % {"name": local_name(theme)})
            return redirect("surveys:theme", pk=theme.pk)
    return _theme_form_page(request, form)


@login_required
@permission_required("surveys.change_theme", raise_exception=True)
@require_http_methods(["GET", "POST"])
def theme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    theme = selectors.theme_get(pk)
    form = forms.ThemeForm(_posted(request), initial=forms.ThemeForm.initial_of(theme))
    if request.method == "POST" and form.is_valid():
        try:
            theme = services.theme_update(actor=request.user, theme_id=theme.pk, **form.cleaned_data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Theme %(name)s saved.") % {"name": local_name(theme)})
            return redirect("surveys:theme", pk=theme.pk)
    return _theme_form_page(request, form, theme)


# Focus groups and panels --------------------------------------------------------------------------------


@login_required
@permission_required("surveys.view_focusgroup", raise_exception=True)
def focus_group_list(request: HttpRequest) -> HttpResponse:
    filters = forms.FocusGroupFilterForm(request.GET or None)
    kind = filters.kind_chosen()
    page = Paginator(selectors.focus_group_list(kind=kind), PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({"kind": kind}) if kind else ""
    return render(request, "surveys/research/focus_groups.html", {"filters": filters, "page": page, "query": query})


def _focus_group_form_page(request: HttpRequest, form: forms.FocusGroupForm, session=None) -> HttpResponse:
    context = {
        "form": form,
        "session": session,
        "title": _("Edit the session") if session else _("New focus group or panel"),
        "intro": _(
            "A focus group or a customer panel: when and where it is held, who runs it, the topic guide and the "
            "notes. Participants and findings are added on the session's page."
        ),
        "submit": _("Save"),
        "testid": "focus-group-form",
        "back": reverse("surveys:focus-group", args=[session.pk]) if session else reverse("surveys:focus-groups"),
    }
    return render(request, "form_page.html", context, status=400 if form.is_bound else 200)


@login_required
@permission_required("surveys.add_focusgroup", raise_exception=True)
@require_http_methods(["GET", "POST"])
def focus_group_new(request: HttpRequest) -> HttpResponse:
    initial = {"facilitator": request.user.pk, "site": request.user.site_id, "held_on": timezone.localdate()}
    form = forms.FocusGroupForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.focus_group_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Session saved: add its participants and, once held, its findings."))
            return redirect("surveys:focus-group", pk=session.pk)
    return _focus_group_form_page(request, form)


@login_required
@permission_required("surveys.change_focusgroup", raise_exception=True)
@require_http_methods(["GET", "POST"])
def focus_group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.focus_group_get(pk)
    form = forms.FocusGroupForm(_posted(request), initial=forms.FocusGroupForm.initial_of(session))
    if request.method == "POST" and form.is_valid():
        try:
            services.focus_group_update(actor=request.user, focus_group_id=session.pk, **form.cleaned_data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Session saved."))
            return redirect("surveys:focus-group", pk=session.pk)
    return _focus_group_form_page(request, form, session)


def _focus_group_page(
    request: HttpRequest,
    session: FocusGroup,
    *,
    participant_form: forms.ParticipantAddForm | None = None,
    finding_form: forms.FindingAddForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The session with its participants (an audited read of members' data) and findings; the forms to
    change them for those who may."""
    services.participants_viewed(actor=request.user, focus_group=session, ip_address=client_ip(request))
    may_change = request.user.has_perm("surveys.change_focusgroup")
    context = {"session": session, "may_change": may_change}
    if may_change:
        context |= {
            "participant_form": participant_form or forms.ParticipantAddForm(),
            "finding_form": finding_form or forms.FindingAddForm(themes=selectors.themes_active()),
        }
    return render(request, "surveys/research/focus_group.html", context, status=status)


@login_required
@permission_required("surveys.view_focusgroup", raise_exception=True)
def focus_group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _focus_group_page(request, selectors.focus_group_get(pk))


@login_required
@permission_required("surveys.change_focusgroup", raise_exception=True)
@require_POST
def focus_group_participants(request: HttpRequest, pk: int) -> HttpResponse:
    """action=add with a membership number; remove, attended or absent with a participant."""
    session = selectors.focus_group_get(pk)
    if request.POST.get("action", "add") == "add":
        form = forms.ParticipantAddForm(request.POST)
        if form.is_valid():
            try:
                participant = services.participant_add(
                    actor=request.user, focus_group=session, membership_number=form.cleaned_data["membership_number"]
                )
            except DomainError as error:
                add_domain_errors(form, error)
            else:
                name = local_name(participant.customer)
                messages.success(request, _("%(name)s added to the participants.") % {"name": name})
                return redirect("surveys:focus-group", pk=session.pk)
        return _focus_group_page(request, session, participant_form=form, status=400)
    change = forms.ParticipantChangeForm(request.POST)
    if not change.is_valid():
        messages.error(request, _("Choose a participant and what to do."))
        return _focus_group_page(request, session, status=400)
    action, participant_id = change.cleaned_data["action"], change.cleaned_data["participant"]
    try:
        if action == "remove":
            services.participant_remove(actor=request.user, focus_group=session, participant_id=participant_id)
        else:
            services.participant_mark_attended(
                actor=request.user, focus_group=session, participant_id=participant_id, attended=action == "attended"
            )
    except DomainError as error:
        messages.error(request, error.message)
        return _focus_group_page(request, selectors.focus_group_get(pk), status=400)
    messages.success(request, _("Participant removed.") if action == "remove" else _("Attendance recorded."))
    return redirect("surveys:focus-group", pk=session.pk)


@login_required
@permission_required("surveys.change_focusgroup", raise_exception=True)
@require_POST
def focus_group_findings(request: HttpRequest, pk: int) -> HttpResponse:
    """action=add with a theme and what was said; remove with a finding."""
    session = selectors.focus_group_get(pk)
    if request.POST.get("action", "add") == "add":
        form = forms.FindingAddForm(request.POST, themes=selectors.themes_active())
        if form.is_valid():
            try:
                services.finding_add(actor=request.user, focus_group=session, **form.cleaned_data)
            except DomainError as error:
                add_domain_errors(form, error)
            else:
                messages.success(request, _("Finding recorded."))
                return redirect("surveys:focus-group", pk=session.pk)
        return _focus_group_page(request, session, finding_form=form, status=400)
    remove = forms.FindingRemoveForm(request.POST)
    try:
        if not remove.is_valid():
            raise DomainError(_("Choose a finding to remove."))
        services.finding_remove(actor=request.user, focus_group=session, finding_id=remove.cleaned_data["finding"])
    except DomainError as error:
        messages.error(request, error.message)
        return _focus_group_page(request, session, status=400)
    messages.success(request, _("Finding removed."))
    return redirect("surveys:focus-group", pk=session.pk)


# Comment coding -----------------------------------------------------------------------------------------


def _back_from_coding(request: HttpRequest, answer: Answer) -> str:
    """Where a plain (no JavaScript) POST returns: the page it came from, else the response's page."""
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    try:
        return reverse("surveys:response", args=[answer.response_id])
    except NoReverseMatch:  # the results pages not mounted: the coding page itself
        return reverse("surveys:comment-codes", args=[answer.pk])


def _coding_widget(request: HttpRequest, answer: Answer, form=None, status: int = 200) -> HttpResponse:
    context = {"widget": selectors.coding_widget(answer), "answer": answer, "form": form}
    template = "surveys/research/comment_codes.html" if request.htmx else "surveys/research/comment_codes_page.html"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@permission_required("surveys.code_comments", raise_exception=True)
@require_http_methods(["GET", "POST"])
def comment_codes(request: HttpRequest, answer_pk: int) -> HttpResponse:
    """GET: the coding widget of a comment (a partial for HTMX, a page without it). POST: add or remove a
    theme, then the widget again (HTMX) or back to the page the POST came from."""
    answer = selectors.comment_get_for(request.user, answer_pk)
    if request.method == "GET":
        return _coding_widget(request, answer)
    form = forms.CommentCodeForm(request.POST)
    if form.is_valid():
        theme = form.cleaned_data["theme"]
        try:
            if form.cleaned_data["action"] == "add":
                _code, created = services.comment_code_add(actor=request.user, answer=answer, theme=theme)
                done = _("Coded to %(theme)s.") if created else _("Already coded to %(theme)s.")
            else:
                services.comment_code_remove(actor=request.user, answer=answer, theme=theme)
                done = _("%(theme)s taken off the comment.")
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            if request.htmx:
                return _coding_widget(request, answer)
            messages.success(request, done % {"theme": local_name(theme)})
            return redirect(_back_from_coding(request, answer))
    # HTMX swaps only successful responses: the widget shows its error in place (200); without HTMX, a 400.
    return _coding_widget(request, answer, form, status=200 if request.htmx else 400)


# Mounted under /surveys/ by surveys/urls.py; names in the "surveys" namespace.
urls: list[URLPattern] = [
    path("themes/", theme_list, name="themes"),
    path("themes/new/", theme_new, name="theme-new"),
    path("themes/<int:pk>/", theme_detail, name="theme"),
    path("themes/<int:pk>/edit/", theme_edit, name="theme-edit"),
    path("focus-groups/", focus_group_list, name="focus-groups"),
    path("focus-groups/new/", focus_group_new, name="focus-group-new"),
    path("focus-groups/<int:pk>/", focus_group_detail, name="focus-group"),
    path("focus-groups/<int:pk>/edit/", focus_group_edit, name="focus-group-edit"),
    path("focus-groups/<int:pk>/participants/", focus_group_participants, name="focus-group-participants"),
    path("focus-groups/<int:pk>/findings/", focus_group_findings, name="focus-group-findings"),
    path("comments/<int:answer_pk>/codes/", comment_codes, name="comment-codes"),
]
