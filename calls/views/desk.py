"""The agent's and the nurse's workspaces."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
@permission_required("staff.use_agent_desk", raise_exception=True)
def desk(request: HttpRequest) -> HttpResponse:
    return render(request, "calls/desk.html", {"team": request.user.team, "site": request.user.site})


@login_required
@permission_required("staff.use_nurse_line", raise_exception=True)
def nurse_desk(request: HttpRequest) -> HttpResponse:
    return render(request, "calls/nurse_desk.html", {"team": request.user.team, "site": request.user.site})
