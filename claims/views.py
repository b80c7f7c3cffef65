"""Agent and assessor screens: cover checks, pre-authorisation, claim intake, claim detail and its
actions, and the assessors' work queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contactcentre.exceptions import DomainError
from contactcentre.http import client_ip
from customers.selectors import customer_get

from . import selectors, services
from .forms import ClaimActionForm, ClaimForm, ClaimLineFormSet, CoverCheckForm
from .models import Claim, ClaimStatus, CoverCheck
from .rules import CLAIM_TRANSITIONS
from .wording import findings_text


@login_required
@permission_required("claims.add_covercheck", raise_exception=True)
def cover_check(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = customer_get(customer_id)
    form = CoverCheckForm(request.POST or None, initial={"treatment_date": timezone.localdate()})
    check = None
    if request.method == "POST" and form.is_valid():
        check = services.cover_check_run(customer=customer, actor=request.user, **form.cleaned_data)
    context = {
        "customer": customer,
        "form": form,
        "check": check,
        "reasons": findings_text(check.findings) if check else [],
    }
    return render(request, "claims/cover_check.html", context)


@login_required
@permission_required("claims.add_preauthorisation", raise_exception=True)
@require_POST
def pre_authorise(request: HttpRequest, check_id: int) -> HttpResponse:
    check = get_object_or_404(CoverCheck.objects.select_related("provider"), pk=check_id)
    try:
        authorisation = services.pre_authorisation_create(cover_check=check, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Pre-authorisation %(number)s given, valid to %(date)s.")
            % {"number": authorisation.number, "date": authorisation.valid_to.strftime("%d/%m/%Y")},
        )
    return redirect("customers:detail", pk=check.customer_id)


@login_required
@permission_required("claims.add_claim", raise_exception=True)
def claim_new(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = customer_get(customer_id)
    form = ClaimForm(request.POST or None, initial={"received_on": timezone.localdate()})
    lines = ClaimLineFormSet(request.POST or None, prefix="lines")
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        items = [services.LineInput(**line) for line in lines.cleaned_data if line]
        try:
            claim = services.claim_create(
                customer=customer,
                provider=form.cleaned_data["provider"],
                lines=items,
                actor=request.user,
                received_on=form.cleaned_data["received_on"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Claim %(number)s entered.") % {"number": claim.number})
            return redirect("claims:detail", pk=claim.pk)
    return render(request, "claims/claim_new.html", {"customer": customer, "form": form, "lines": lines})


def allowed_actions(claim, user) -> list[str]:
    targets = CLAIM_TRANSITIONS[claim.status]
    names = []
    for name, (permission, target) in services.CLAIM_ACTIONS.items():
        if not user.has_perm(permission):
            continue
        if target == "assess":
            if claim.status == ClaimStatus.ASSESSING:
                names.append(name)
        elif (
            target in targets
            and not (name == "resume" and claim.status != ClaimStatus.INFORMATION_REQUESTED)
            and not (name == "start" and claim.status != ClaimStatus.RECEIVED)
        ):
            names.append(name)
    return names


@login_required
@permission_required("claims.view_claim", raise_exception=True)
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.claim_detail(pk)
    services.claim_record_viewed(claim=claim, actor=request.user, ip_address=client_ip(request))
    lines = [(line, findings_text(line.findings)) for line in claim.lines.all()]
    context = {
        "claim": claim,
        "lines": lines,
        "actions": allowed_actions(claim, request.user),
        "action_form": ClaimActionForm(initial={"version": claim.version}),
    }
    return render(request, "claims/claim_detail.html", context)


@login_required
@require_POST
def claim_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in services.CLAIM_ACTIONS or not request.user.has_perm(services.CLAIM_ACTIONS[action][0]):
        raise PermissionDenied
    get_object_or_404(Claim, pk=pk)
    form = ClaimActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete: reload the claim and try again."))
        return redirect("claims:detail", pk=pk)
    try:
        services.claim_act(
            claim_id=pk,
            action=action,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        claim = selectors.claim_detail(pk)
        messages.success(request, _("The claim is now %(status)s.") % {"status": claim.get_status_display().lower()})
    return redirect("claims:detail", pk=pk)


@login_required
@permission_required("claims.assess_claim", raise_exception=True)
def queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in ClaimStatus.values else ""
    search = request.GET.get("q", "").strip()[:30]
    page = Paginator(selectors.claim_queue(status=status, search=search), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "claims/queue.html",
        {"page": page, "status": status, "search": search, "statuses": ClaimStatus.choices},
    )
