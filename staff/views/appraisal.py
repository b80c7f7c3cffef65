"""Browser pages for appraisal: cycles (HR), the appraisals list (team leaders, managers, HR), opening
an appraisal, the appraisal's page with its parts as POST forms that come back to it, "my appraisals"
and a person's appraisals. Upward feedback's pages are in staff.views.feedback, mounted with these."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from calls.forms import add_domain_errors
from contactcentre.exceptions import DomainError, InvalidTransition
from contactcentre.http import client_ip

from ..forms.appraisal import (
    ActionDoneForm,
    ActionForm,
    AppraisalCreateForm,
    AppraisalFilterForm,
    CycleForm,
    ObjectiveForm,
    RatingForm,
    ReviewForm,
    SelfAssessmentForm,
    TrainingNeedForm,
)
from ..models import AppraisalCycle, User
from ..rules import appraisal as rules
from ..selectors import appraisal as selectors
from ..selectors.employees import employee_get_for
from ..services import appraisal as services
from .feedback import urls as feedback_urls

PAGE_SIZE = 25


def _paged(request: HttpRequest, queryset):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


# --- Cycles ---------------------------------------------------------------------------------------
@login_required
@permission_required("staff.view_appraisalcycle", raise_exception=True)
def cycle_list(request: HttpRequest) -> HttpResponse:
    form = CycleForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("staff.add_appraisalcycle"):
            raise PermissionDenied
        if form.is_valid():
            try:
                cycle = services.cycle_create(actor=request.user, **form.cleaned_data)
            except DomainError as error:
                add_domain_errors(form, error)
            else:
                messages.success(request, _("Cycle %(name)s opened.") % {"name": cycle.name})
                return redirect("staff:appraisal-cycles")
    status = 400 if form.is_bound else 200
    return render(
        request, "staff/appraisal/cycles.html", {"form": form, "cycles": selectors.cycle_list()}, status=status
    )


@login_required
@permission_required("staff.change_appraisalcycle", raise_exception=True)
@require_POST
def cycle_close(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        cycle = services.cycle_close(actor=request.user, cycle_id=pk)
    except AppraisalCycle.DoesNotExist:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(name)s is closed: its upward feedback summary can now be read.") % {"name": cycle.name}
        )
    return redirect("staff:appraisal-cycles")


# --- Lists ----------------------------------------------------------------------------------------
@login_required
@permission_required("staff.view_appraisal", raise_exception=True)
def appraisal_list(request: HttpRequest) -> HttpResponse:
    filters = AppraisalFilterForm(request.GET or None)
    appraisals = selectors.appraisal_list(actor=request.user, **filters.selector_arguments())
    page, query = _paged(request, appraisals)
    may_open = request.user.has_perm("staff.add_appraisal") or request.user.has_perm(services.HR_PERMISSION)
    context = {"page": page, "filters": filters, "query": query, "may_open": may_open}
    return render(request, "staff/appraisal/list.html", context)


@login_required
def my_appraisals(request: HttpRequest) -> HttpResponse:
    page, query = _paged(request, selectors.appraisal_list(actor=request.user, appraisee_id=request.user.pk))
    context = {"page": page, "query": query, "person": request.user, "mine": True}
    return render(request, "staff/appraisal/person.html", context)


@login_required
def employee_appraisals(request: HttpRequest, employee_id: int) -> HttpResponse:
    employee = employee_get_for(request.user, employee_id)
    if employee.user_id != request.user.pk and not request.user.has_perm(selectors.VIEW_PERMISSION):
        raise Http404
    page, query = _paged(request, selectors.appraisal_list(actor=request.user, appraisee_id=employee.user_id))
    context = {"page": page, "query": query, "person": employee.user, "employee": employee, "mine": False}
    return render(request, "staff/appraisal/person.html", context)


@login_required
def appraisal_new(request: HttpRequest) -> HttpResponse:
    hr = request.user.has_perm(services.HR_PERMISSION)
    if not (hr or request.user.has_perm("staff.add_appraisal")):
        raise PermissionDenied
    form = AppraisalCreateForm(
        request.POST or None,
        initial={"appraisee": request.GET.get("appraisee")},
        cycles=selectors.open_cycles(),
        appraisees=selectors.appraisees_for(request.user),
        appraisers=selectors.appraisers() if hr else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            appraisal = services.appraisal_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Appraisal opened."))
            return redirect("staff:appraisal", pk=appraisal.pk)
    return render(request, "staff/appraisal/new.html", {"form": form}, status=400 if form.is_bound else 200)


# --- The appraisal's page -------------------------------------------------------------------------
def _forms(appraisal, bound: dict) -> dict:
    owners = User.objects.filter(pk__in=[appraisal.appraisee_id, appraisal.appraiser_id])
    forms = {
        "objective": ObjectiveForm(prefix="objective"),
        "rating": RatingForm(prefix="rating", competencies=selectors.required_competencies(appraisal.appraisee_id)),
        "review": ReviewForm(
            prefix="review",
            initial={
                "strengths": appraisal.strengths,
                "weaknesses": appraisal.weaknesses,
                "overall_rating": appraisal.overall_rating,
            },
        ),
        "self_assessment": SelfAssessmentForm(prefix="self", initial={"self_assessment": appraisal.self_assessment}),
        "action": ActionForm(prefix="action", owners=owners, initial={"owner": appraisal.appraisee_id}),
        "training_need": TrainingNeedForm(prefix="need"),
    }
    return forms | {name.replace("-", "_"): form for name, form in bound.items()}


def _render_page(request: HttpRequest, appraisal, *, bound: dict | None = None, status: int = 200) -> HttpResponse:
    page = selectors.appraisal_page(appraisal)
    party = selectors.party_of(request.user, appraisal)
    allowed = rules.allowed_actions(page.facts, party=party)
    missing = rules.review_missing(page.facts)
    context = {
        "appraisal": appraisal,
        "page": page,
        "party": party,
        "allowed": allowed,
        "missing": missing,
        "forms": _forms(appraisal, bound or {}),
        "bound_action": next(iter(bound), "").replace("-", "_") if bound else "",
        "can_raise_need": rules.TRAINING_NEED in allowed and request.user.has_perm("staff.add_trainingneed"),
    }
    return render(request, "staff/appraisal/detail.html", context, status=status)


@login_required
def appraisal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = selectors.appraisal_get_for(request.user, pk)
    services.appraisal_record_viewed(appraisal=appraisal, actor=request.user, ip_address=client_ip(request))
    return _render_page(request, appraisal)


def _objective(request, appraisal, form):
    data = form.cleaned_data
    fields = {k: data[k] for k in ("title", "activities", "measure", "achievement")}
    if data["objective"]:
        if not appraisal.objectives.filter(pk=data["objective"]).exists():
            raise Http404
        services.objective_update(objective_id=data["objective"], actor=request.user, **fields)
        return _("Objective saved.")
    services.objective_add(appraisal_id=appraisal.pk, actor=request.user, **fields)
    return _("Objective added.")


def _rating(request, appraisal, form):
    services.rating_set(appraisal_id=appraisal.pk, actor=request.user, **form.cleaned_data)
    return _("Rating saved.")


def _review(request, appraisal, form):
    services.review_update(appraisal_id=appraisal.pk, actor=request.user, **form.cleaned_data)
    return _("Review saved.")


def _self_assessment(request, appraisal, form):
    services.self_assessment_submit(
        appraisal_id=appraisal.pk, actor=request.user, text=form.cleaned_data["self_assessment"]
    )
    return _("Self-assessment submitted.")


def _action(request, appraisal, form):
    services.action_add(appraisal_id=appraisal.pk, actor=request.user, **form.cleaned_data)
    return _("Action added to the plan.")


def _action_done(request, appraisal, form):
    item = form.cleaned_data["item"]
    if not appraisal.actions.filter(pk=item).exists():
        raise Http404
    done = form.cleaned_data["done"]
    services.action_done(action_id=item, actor=request.user, done=done)
    return _("Action marked done.") if done else _("Action reopened.")


def _training_need(request, appraisal, form):
    services.appraisal_training_need_raise(appraisal_id=appraisal.pk, actor=request.user, **form.cleaned_data)
    return _("Training need raised.")


def _sign(request, appraisal, form):
    services.appraisal_sign(appraisal_id=appraisal.pk, actor=request.user)
    return _("Signed.")


# action slug -> (the rules' action, form class, prefix, handler)
ACTIONS = {
    "objective": (rules.OBJECTIVES, ObjectiveForm, "objective", _objective),
    "rating": (rules.RATE, RatingForm, "rating", _rating),
    "review": (rules.REVIEW, ReviewForm, "review", _review),
    "self-assessment": (rules.SELF_ASSESS, SelfAssessmentForm, "self", _self_assessment),
    "sign": (rules.SIGN, None, "", _sign),
    "action": (rules.ACTION_ADD, ActionForm, "action", _action),
    "action-done": (rules.ACTION_DONE, ActionDoneForm, "", _action_done),
    "training-need": (rules.TRAINING_NEED, TrainingNeedForm, "need", _training_need),
}


@login_required
def appraisal_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    if action not in ACTIONS:
        raise Http404
    appraisal = selectors.appraisal_get_for(request.user, pk)
    rule, form_class, prefix, handler = ACTIONS[action]
    if selectors.party_of(request.user, appraisal) not in rules.ACTION_PARTIES[rule]:
        raise PermissionDenied
    form = None
    if form_class is not None:
        kwargs = {"prefix": prefix or None}
        if form_class is RatingForm:
            kwargs["competencies"] = selectors.required_competencies(appraisal.appraisee_id)
        if form_class is ActionForm:
            kwargs["owners"] = User.objects.filter(pk__in=[appraisal.appraisee_id, appraisal.appraiser_id])
        form = form_class(request.POST, **kwargs)
        if not form.is_valid():
            return _render_page(request, appraisal, bound={action: form}, status=400)
    try:
        done = handler(request, appraisal, form)
    except InvalidTransition as error:
        messages.error(request, error.message)
    except DomainError as error:
        if form is None or action == "action-done":
            messages.error(request, error.message)
        else:
            add_domain_errors(form, error)
            appraisal.refresh_from_db()
            return _render_page(request, appraisal, bound={action: form}, status=400)
    else:
        messages.success(request, done)
    return redirect("staff:appraisal", pk=pk)


# Mounted under /staff/ by staff/urls.py; names in the "staff" namespace.
urls: list[URLPattern] = [
    path("appraisals/", appraisal_list, name="appraisals"),
    path("appraisals/new/", appraisal_new, name="appraisal-new"),
    path("appraisals/cycles/", cycle_list, name="appraisal-cycles"),
    path("appraisals/cycles/<int:pk>/close/", cycle_close, name="appraisal-cycle-close"),
    path("appraisals/<int:pk>/", appraisal_detail, name="appraisal"),
    path("appraisals/<int:pk>/<slug:action>/", appraisal_action, name="appraisal-action"),
    path("me/appraisals/", my_appraisals, name="my-appraisals"),
    path("employees/<int:employee_id>/appraisals/", employee_appraisals, name="employee-appraisals"),
    *feedback_urls,
]
