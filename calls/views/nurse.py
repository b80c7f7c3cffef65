"""The nurse advice line's screens: the nurse desk (recent calls, each with its triage or a form to
record it), the triage form for one call, and a triage note (nurses only; every attempt audited)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from contactcentre.exceptions import DomainError
from contactcentre.http import client_ip

from ..forms import add_domain_errors
from ..forms.nurse import TriageForm
from ..selectors import nurse as selectors
from ..services import nurse as services


def _triage_form(call, data=None) -> TriageForm:
    # One form per call on the desk: ids of their own, the same field names.
    return TriageForm(data, auto_id=f"call{call.pk}-%s")


@login_required
@permission_required("staff.use_nurse_line", raise_exception=True)
def nurse_desk(request: HttpRequest) -> HttpResponse:
    calls = selectors.nurse_recent_calls(request.user)
    can_record = request.user.has_perm("calls.add_nursetriage")
    rows = [(call, _triage_form(call) if can_record and call.triage_pk is None else None) for call in calls]
    return render(
        request, "calls/nurse_desk.html", {"team": request.user.team, "site": request.user.site, "rows": rows}
    )


@login_required
@permission_required("calls.add_nursetriage", raise_exception=True)
def triage_new(request: HttpRequest, contact_id: int) -> HttpResponse:
    call = selectors.call_for_triage(contact_id)
    if call.triage_pk is not None:
        messages.info(request, _("This call's triage is already recorded."))
        return redirect("calls:triage-detail", pk=call.triage_pk)
    form = _triage_form(call, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            triage = services.triage_record(nurse=request.user, contact=call, **form.cleaned_data)
        except DomainError as error:
            add_domain_errors(form, error, {"due_at": "follow_up_due_at"})
        else:
            messages.success(request, _("Triage recorded."))
            return redirect("calls:triage-detail", pk=triage.pk)
    return render(request, "calls/nurse/triage_form.html", {"call": call, "form": form})


@login_required
def triage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # No permission_required: triage_read refuses non-nurses itself (403) and audits the attempt.
    triage = services.triage_read(actor=request.user, triage_id=pk, ip_address=client_ip(request))
    return render(request, "calls/nurse/triage_detail.html", {"triage": triage})
