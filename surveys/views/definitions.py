"""The definitions pages of the surveys app (managers): the surveys with their versions and
questions, a new survey, editing its questions (a new version once anyone has answered), opening and
closing it; and the sampling rules that say which share of each queue's contacts is surveyed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count, F
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from calls.forms import add_domain_errors
from contactcentre.exceptions import DomainError
from staff.templatetags.staff_tags import local_name

from ..forms.definitions import SamplingRuleForm, SurveyForm, question_formset, spec_of
from ..models import Question, SamplingRule, Survey, SurveyVersion
from ..services import definitions as services


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _survey_get(pk: int) -> Survey:
    return get_object_or_404(Survey.objects.select_related("current_version"), pk=pk)


def _questions(version_id: int) -> list[Question]:
    return list(Question.objects.filter(version_id=version_id).order_by("position"))


# --- Surveys ----------------------------------------------------------------------------------------


@login_required
@permission_required("surveys.view_survey", raise_exception=True)
def definition_list(request: HttpRequest) -> HttpResponse:
    surveys = (
        Survey.objects.select_related("current_version").annotate(responses_count=Count("responses")).order_by("name")
    )
    return render(request, "surveys/definitions/list.html", {"surveys": surveys})


@login_required
@permission_required("surveys.add_survey", raise_exception=True)
def definition_new(request: HttpRequest) -> HttpResponse:
    form = SurveyForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(
                request, _("Survey created with the standard questions of its kind. Check them before it is sent.")
            )
            return redirect("surveys:definition", pk=survey.pk)
    context = {
        "form": form,
        "title": _("New survey"),
        "submit": _("Create"),
        "back": reverse("surveys:definitions"),
    }
    return render(request, "form_page.html", context, status=400 if form.is_bound else 200)


@login_required
@permission_required("surveys.view_survey", raise_exception=True)
def definition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The current version's questions (or, with ?version=N, an older one's, read only) and the
    version history with each version's responses."""
    survey = _survey_get(pk)
    versions = list(
        SurveyVersion.objects.filter(survey=survey)
        .select_related("created_by")
        .annotate(responses_count=Count("responses"))
        .order_by("-number")
    )
    shown = survey.current_version
    asked = request.GET.get("version", "")
    if asked:
        shown = next((v for v in versions if asked.isdigit() and v.number == int(asked)), None)
        if shown is None:
            raise Http404
    context = {
        "survey": survey,
        "versions": versions,
        "shown": shown,
        "is_current": shown.pk == survey.current_version_id,
        "questions": _questions(shown.pk),
        "responses_count": sum(version.responses_count for version in versions),
    }
    return render(request, "surveys/definitions/detail.html", context)


@login_required
@permission_required("surveys.change_survey", raise_exception=True)
def definition_edit(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey_get(pk)
    current = survey.current_version
    questions = _questions(current.pk)
    formset = question_formset(survey, questions, _posted(request))
    problems: list[str] = []
    if request.method == "POST" and formset.is_valid():
        specs = formset.specs(questions)
        if specs == [spec_of(question) for question in questions]:
            messages.info(request, _("Nothing changed."))
            return redirect("surveys:definition", pk=survey.pk)
        try:
            version = services.survey_edit_questions(actor=request.user, survey_id=survey.pk, questions=specs)
        except DomainError as error:
            problems = _place_errors(formset, error)
        else:
            messages.success(request, _saved_message(version, current))
            return redirect("surveys:definition", pk=survey.pk)
    context = {
        "survey": survey,
        "formset": formset,
        "problems": problems,
        "answered": current.responses.exists(),
    }
    return render(request, "surveys/definitions/edit.html", context, status=400 if formset.is_bound else 200)


def _saved_message(version: SurveyVersion, before: SurveyVersion) -> str:
    if version.pk == before.pk:
        return _("Questions saved in version %(number)s, which nobody has answered yet.") % {"number": version.number}
    return _(
        "Saved as a new version, %(number)s: new respondents answer it. Earlier responses keep the questions "
        "they answered (version %(old)s)."
    ) % {"number": version.number, "old": before.number}


def _place_errors(formset, error: DomainError) -> list[str]:
    """The service's refusal by the question it names; what names no question, above the form."""
    by_code = {form.cleaned_data.get("code"): form for form in formset.kept_forms()}
    problems = []
    for name, messages_ in error.fields.items():
        form = by_code.get(name)
        for message in messages_:
            if form is not None:
                form.add_error(None, message)
            else:
                problems.append(str(message))
    return problems or [error.message]


@login_required
@permission_required("surveys.change_survey", raise_exception=True)
@require_POST
def definition_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Open (active=1) or close (active=0) a survey to new responses and invitations."""
    active = request.POST.get("active", "")
    if active not in ("0", "1"):
        return HttpResponseBadRequest(_("Say whether the survey is to be active."))
    survey = services.survey_set_active(actor=request.user, survey_id=_survey_get(pk).pk, active=active == "1")
    if survey.is_active:
        messages.success(request, _("The survey is active: it takes responses and invitations."))
    else:
        messages.success(request, _("The survey is no longer active: nobody new is asked. Its results stay."))
    return redirect("surveys:definition", pk=survey.pk)


# --- Sampling rules -----------------------------------------------------------------------------------


@login_required
@permission_required("surveys.view_samplingrule", raise_exception=True)
def sampling_list(request: HttpRequest) -> HttpResponse:
    rules = SamplingRule.objects.select_related("queue", "survey").order_by(F("queue__name").asc(nulls_last=True))
    return render(request, "surveys/definitions/sampling.html", {"rules": rules})


def _rule_form_page(request: HttpRequest, form, *, title: str, submit: str) -> HttpResponse:
    context = {"form": form, "title": title, "submit": submit, "back": reverse("surveys:sampling")}
    context["intro"] = _(
        "After each contact, this share of the queue's members is invited to the survey (never the same member "
        "twice within the set number of days, never after a complaint or a bereavement, never one who opted out)."
    )
    return render(request, "form_page.html", context, status=400 if form.is_bound else 200)


@login_required
@permission_required("surveys.add_samplingrule", raise_exception=True)
def sampling_new(request: HttpRequest) -> HttpResponse:
    form = SamplingRuleForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.sampling_rule_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Sampling rule added."))
            return redirect("surveys:sampling")
    return _rule_form_page(request, form, title=_("New sampling rule"), submit=_("Add"))


@login_required
@permission_required("surveys.change_samplingrule", raise_exception=True)
def sampling_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(SamplingRule.objects.select_related("queue"), pk=pk)
    initial = {"queue": rule.queue_id, "survey": rule.survey_id, "percentage": rule.percentage}
    form = SamplingRuleForm(_posted(request), initial=initial | {"is_active": rule.is_active})
    if request.method == "POST" and form.is_valid():
        try:
            services.sampling_rule_update(actor=request.user, rule_id=rule.pk, **form.cleaned_data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Sampling rule saved."))
            return redirect("surveys:sampling")
    title = _("Sampling rule: %(queue)s") % {"queue": local_name(rule.queue) or _("Every other queue")}
    return _rule_form_page(request, form, title=title, submit=_("Save"))


# Mounted under /surveys/ by surveys/urls.py; names in the "surveys" namespace.
urls: list[URLPattern] = [
    path("definitions/", definition_list, name="definitions"),
    path("definitions/new/", definition_new, name="definition-new"),
    path("definitions/<int:pk>/", definition_detail, name="definition"),
    path("definitions/<int:pk>/edit/", definition_edit, name="definition-edit"),
    path("definitions/<int:pk>/active/", definition_active, name="definition-active"),
    path("sampling/", sampling_list, name="sampling"),
    path("sampling/new/", sampling_new, name="sampling-new"),
    path("sampling/<int:pk>/", sampling_edit, name="sampling-edit"),
]
