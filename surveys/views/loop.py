"""The closing-the-loop pages: the follow-ups a leader owns or whose team they lead (a manager's: all),
and one follow-up with the member's comment and scores, closed with what was done."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from calls.forms import add_domain_errors
from contactcentre.exceptions import DomainError, InvalidTransition
from contactcentre.http import client_ip

from ..forms.loop import LoopCloseForm, LoopFilterForm
from ..models import LoopStatus
from ..selectors import loop as selectors
from ..selectors.results import teams_for_filter
from ..services import loop as services
from ..services.results import comments_viewed

VIEW_LOOPS = "surveys.view_loopfollowup"
PAGE_SIZE = 25


@login_required
@permission_required(VIEW_LOOPS, raise_exception=True)
def loop_list(request: HttpRequest) -> HttpResponse:
    form = LoopFilterForm(request.GET or None, teams=teams_for_filter(request.user))
    page = Paginator(selectors.loop_list(actor=request.user, **form.selector_arguments()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "surveys/loop/list.html", {"form": form, "page": page, "query": query.urlencode()})


def _detail(request: HttpRequest, loop, form: LoopCloseForm | None = None, status: int = 200) -> HttpResponse:
    is_open = loop.status == LoopStatus.OPEN
    may_close = is_open and services.may_close(request.user, loop)
    comments = selectors.comments_of(loop.response_id)
    comments_viewed(
        actor=request.user,
        where=f"follow-up {loop.pk}",
        answer_ids=[comment.pk for comment in comments],
        ip_address=client_ip(request),
    )
    context = {
        "loop": loop,
        "response": loop.response,
        "comments": comments,
        "is_overdue": selectors.is_overdue(loop),
        "form": (form or LoopCloseForm()) if may_close else None,
        "may_see_member": request.user.has_perm("customers.view_customer"),
        "may_see_contact": request.user.has_perm("calls.view_contact"),
    }
    return render(request, "surveys/loop/detail.html", context, status=status)


@login_required
@permission_required(VIEW_LOOPS, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def loop_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the follow-up. POST: close it with an outcome and a note; a form with errors comes back
    as a 400, a refusal (already closed) as a message on the page."""
    loop = selectors.loop_get_for(request.user, pk)
    if request.method != "POST":
        return _detail(request, loop)
    form = LoopCloseForm(request.POST)
    if not form.is_valid():
        return _detail(request, loop, form, status=400)
    try:
        services.loop_close(
            actor=request.user, loop_id=loop.pk, outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"]
        )
    except InvalidTransition as error:
        messages.error(request, error.message)
        return redirect("surveys:loop", pk=loop.pk)
    except DomainError as error:
        add_domain_errors(form, error)
        return _detail(request, loop, form, status=400)
    messages.success(request, _("Follow-up closed: the outcome is recorded."))
    return redirect("surveys:loop", pk=loop.pk)


# Mounted under /surveys/ by surveys/urls.py; names in the "surveys" namespace.
urls: list[URLPattern] = [
    path("follow-ups/", loop_list, name="loops"),
    path("follow-ups/<int:pk>/", loop_detail, name="loop"),
]
