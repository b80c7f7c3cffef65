"""Follow-up screens: my follow-ups, a new one, and the team leader's escalations; complete, cancel
and reassign are POST forms that come back to the page they were sent from."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contactcentre.exceptions import DomainError
from customers.models import Customer

from ..forms import add_domain_errors
from ..forms.followups import FollowUpForm, ReassignForm
from ..selectors import followups as selectors
from ..services import followups as services
from . import ids_from_query


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = reverse("calls:follow-ups")
    return redirect(target)


@login_required
@permission_required("calls.view_followup", raise_exception=True)
def follow_up_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "calls/followups/list.html",
        {"follow_ups": selectors.follow_ups_for_user(request.user), "team": request.user.team},
    )


@login_required
@permission_required("calls.add_followup", raise_exception=True)
def follow_up_new(request: HttpRequest) -> HttpResponse:
    form = FollowUpForm(request.POST or None, initial=ids_from_query(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_create(actor=request.user, **form.service_arguments())
        except DomainError as error:
            add_domain_errors(form, error, {"owner": "assign_to"})
        else:
            messages.success(request, _("Follow-up saved."))
            return redirect("calls:follow-ups")
    customer_id = form["customer"].value()
    customer = Customer.objects.filter(pk=customer_id).first() if str(customer_id or "").isdigit() else None
    return render(request, "calls/followups/new.html", {"form": form, "customer": customer})


@login_required
@permission_required("calls.change_followup", raise_exception=True)
@require_POST
def follow_up_complete(request: HttpRequest, pk: int) -> HttpResponse:
    selectors.follow_up_get(pk)
    try:
        services.follow_up_complete(follow_up_id=pk, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Marked as done."))
    return _back(request)


@login_required
@permission_required("calls.change_followup", raise_exception=True)
@require_POST
def follow_up_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    selectors.follow_up_get(pk)
    try:
        services.follow_up_cancel(follow_up_id=pk, actor=request.user, reason=request.POST.get("reason", ""))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Follow-up cancelled."))
    return _back(request)


@login_required
@permission_required(["staff.lead_team", "calls.view_followup"], raise_exception=True)
def follow_up_escalations(request: HttpRequest) -> HttpResponse:
    follow_ups = selectors.follow_ups_escalated_to(request.user)
    can_reassign = request.user.has_perm("calls.change_followup")
    people = selectors.team_members_for_reassignment(request.user) if can_reassign else None
    return render(
        request,
        "calls/followups/escalations.html",
        {
            "follow_ups": follow_ups,
            "can_reassign": can_reassign,
            # Evaluated once here, not once per row's form.
            "people": list(people) if people is not None else [],
        },
    )


@login_required
@permission_required(["staff.lead_team", "calls.change_followup"], raise_exception=True)
@require_POST
def follow_up_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    selectors.follow_up_get(pk)
    form = ReassignForm(request.POST, people=selectors.team_members_for_reassignment(request.user))
    if not form.is_valid():
        messages.error(request, _("Choose a person in your team."))
        return _back(request)
    try:
        owner = form.cleaned_data["owner"]
        follow_up = services.follow_up_reassign(follow_up_id=pk, actor=request.user, owner=owner, team=owner.team)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Given to %(name)s.") % {"name": follow_up.owner.full_name})
    return _back(request)
