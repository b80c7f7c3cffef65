"""Agent screens for members: search, the customer 360, identification and verification."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from calls.selectors import complaints as complaint_selectors
from calls.selectors import desk as contact_selectors
from calls.selectors import followups as follow_up_selectors
from claims import selectors as claims_selectors
from claims.forms import CoverCheckForm
from contactcentre.http import client_ip

from . import selectors, services
from .forms import IdentityCheckForm, SearchForm
from .rules import CallerAnswers


@login_required
@permission_required("customers.view_customer", raise_exception=True)
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results = selectors.customer_search(form.cleaned_data["q"]) if form.is_valid() and form.cleaned_data["q"] else []
    context = {"form": form, "results": results, "query": form.data.get("q", "")}
    template = "customers/partials/results.html" if request.htmx else "customers/search.html"
    return render(request, template, context)


@login_required
@permission_required("customers.view_customer", raise_exception=True)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The customer 360: profile, vulnerability, cover with what remains, claims, checks, contacts,
    complaints and follow-ups."""
    customer = selectors.customer_get(pk)
    services.customer_record_viewed(customer=customer, actor=request.user, ip_address=client_ip(request))
    today = timezone.localdate()
    context = {
        "customer": customer,
        "household": selectors.household_of(customer),
        "cover": claims_selectors.cover_summary(customer.pk, today),
        "claims": claims_selectors.claims_for_customer(customer.pk),
        "cover_checks": claims_selectors.cover_checks_for_customer(customer.pk),
        "pre_authorisations": claims_selectors.active_pre_authorisations(customer.pk, today),
        "identity_checks": selectors.identity_checks_for(customer.pk),
        "contacts": contact_selectors.recent_contacts_for_customer(customer.pk),
        "complaints": complaint_selectors.complaints_for_customer(customer.pk),
        "follow_ups": follow_up_selectors.follow_ups_for_customer(customer.pk),
        "id_form": IdentityCheckForm(),
        "cover_form": CoverCheckForm(initial={"treatment_date": today}),
    }
    return render(request, "customers/detail.html", context)


@login_required
@permission_required("customers.add_identitycheck", raise_exception=True)
@require_POST
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    customer = selectors.customer_get(pk)
    form = IdentityCheckForm(request.POST)
    # Verified from the desk, on a contact: the outcome goes on the contact, and the agent stays at the desk.
    contact_id = int(request.POST["contact"]) if request.POST.get("contact", "").isdigit() else None
    back = redirect("calls:desk") if contact_id else redirect("customers:detail", pk=pk)
    if not form.is_valid():
        for error in form.non_field_errors() or [_("Check the answers given.")]:
            messages.error(request, error)
        return back
    data = form.cleaned_data
    check = services.identity_check_record(
        customer=customer,
        actor=request.user,
        answers=CallerAnswers(
            membership_number=data["membership_number"],
            date_of_birth=data["date_of_birth"],
            postcode=data["postcode"],
            first_line_of_address=data["first_line_of_address"],
        ),
        contact_id=contact_id,
    )
    if check.passed:
        messages.success(request, _("Caller verified."))
    else:
        messages.error(request, _("Not verified: do not disclose anything about the member."))
    return back
