"""The agent desk: the one screen an agent keeps open all shift. The live part (the call, who the
caller may be, their summary) is polled every second and re-rendered only when it changed; the
wrap-up form is replaced only when the contact changes, so polling never eats what is typed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from claims import selectors as claims_selectors
from contactcentre.exceptions import DomainError
from contactcentre.http import client_ip
from customers import services as customer_services
from customers.forms import IdentityCheckForm
from customers.models import Customer

from ..forms import add_domain_errors
from ..forms.desk import AgentStateForm, ManualContactForm, WrapUpForm
from ..models import AgentState
from ..selectors import desk as selectors
from ..services import contacts as services

DESK = "staff.use_agent_desk"


def _live_context(request: HttpRequest, contact=None, status=None, *, read: bool = True) -> dict:
    """What the live part shows; `read=False` when the caller has already read the contact and state."""
    if read:
        contact = selectors.desk_contact_for(request.user)
        status = selectors.agent_status_of(request.user)
    context = {
        "contact": contact,
        "agent_status": status,
        "version": selectors.desk_version(contact, status),
        "state_form": AgentStateForm(),
        "agent_states": AgentState,
    }
    if contact is not None:
        context["matches"] = selectors.caller_matches(contact)
        if contact.customer_id:
            customer = contact.customer
            customer_services.customer_record_viewed(
                customer=customer, actor=request.user, ip_address=client_ip(request), via="desk"
            )
            context["cover"] = claims_selectors.cover_summary(customer.pk, timezone.localdate())
            context["id_form"] = IdentityCheckForm()
    return context


@login_required
@permission_required(DESK, raise_exception=True)
def desk(request: HttpRequest, wrap_up_form: WrapUpForm | None = None) -> HttpResponse:
    context = _live_context(request)
    context["wrap_up_form"] = wrap_up_form or WrapUpForm()
    context["recent"] = selectors.contacts_of_agent(request.user, limit=5)
    return render(request, "calls/desk.html", context, status=400 if wrap_up_form else 200)


@login_required
@permission_required(DESK, raise_exception=True)
@require_GET
def desk_live(request: HttpRequest) -> HttpResponse:
    """The poll: 204 (nothing to swap) while nothing changed; else the live part, and the wrap-up
    form too (out of band) when the contact itself changed."""
    contact = selectors.desk_contact_for(request.user)
    status = selectors.agent_status_of(request.user)
    seen = request.GET.get("v", "")
    if seen == selectors.desk_version(contact, status):
        return HttpResponse(status=204)
    context = _live_context(request, contact, status, read=False)
    seen_contact = seen.split(":", 1)[0]
    context["swap_wrap_up"] = seen_contact != (str(contact.pk) if contact else "none")
    context["wrap_up_form"] = WrapUpForm()
    return render(request, "calls/partials/desk_live.html", context)


@login_required
@permission_required("calls.change_contact", raise_exception=True)
@require_POST
def identify(request: HttpRequest, pk: int) -> HttpResponse:
    customer_id = request.POST.get("customer")
    customer = get_object_or_404(Customer, pk=customer_id) if customer_id else None
    try:
        services.contact_identify(contact_id=pk, actor=request.user, customer=customer)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("calls:desk")


@login_required
@permission_required("calls.change_contact", raise_exception=True)
@require_POST
def wrap_up(request: HttpRequest, pk: int) -> HttpResponse:
    form = WrapUpForm(request.POST)
    if form.is_valid():
        try:
            services.contact_wrap_up(contact_id=pk, actor=request.user, wrap_up=form.wrap_up())
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Wrapped up. You are available for the next call."))
            return redirect("calls:desk")
    for problem in form.non_field_errors() or [_("The wrap-up was not saved: correct the marked fields.")]:
        messages.error(request, problem)
    return desk(request, wrap_up_form=form)


@login_required
@permission_required(DESK, raise_exception=True)
@require_POST
def agent_state(request: HttpRequest) -> HttpResponse:
    form = AgentStateForm(request.POST)
    if form.is_valid():
        services.agent_state_set(user=request.user, state=form.cleaned_data["state"])
    else:
        messages.error(request, _("Choose a state."))
    return redirect("calls:desk")


@login_required
@permission_required("calls.add_contact", raise_exception=True)
def log_contact(request: HttpRequest) -> HttpResponse:
    """Calls without telephony, letters and emails, logged by hand."""
    form = ManualContactForm(request.POST or None, initial={"membership_number": request.GET.get("member", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contact = services.contact_log(
                actor=request.user,
                channel=data["channel"],
                direction=data["direction"],
                occurred_at=data["occurred_at"],
                wrap_up=form.wrap_up(),
                customer=data["membership_number"],
                queue=data["queue"],
                caller_number=data["caller_number"],
                subject=data["subject"],
                minutes=data["minutes"] or 0,
            )
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Contact logged."))
            return redirect("calls:contact", pk=contact.pk)
    return render(request, "calls/log_contact.html", {"form": form}, status=400 if form.is_bound else 200)


@login_required
@permission_required("calls.view_contact", raise_exception=True)
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_get(pk)
    return render(request, "calls/contact_detail.html", {"contact": contact})
