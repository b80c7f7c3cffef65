"""Browser workspaces for team leaders (their team) and HR (the people directory)."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .. import selectors
from ..models import Site
from ..roles import Role


@login_required
@permission_required("staff.lead_team", raise_exception=True)
def team_workspace(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/team.html", {"teams": selectors.teams_led_by(request.user)})


@login_required
@permission_required("staff.manage_people", raise_exception=True)
def hr_workspace(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    site_id = request.GET.get("site", "")
    role = request.GET.get("role", "")
    people = selectors.people_list(
        search=search,
        site_id=int(site_id) if site_id.isdigit() else None,
        role=role if role in Role.values else "",
    )
    page = Paginator(people, 25).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "search": search,
        "site_id": site_id,
        "role": role,
        "sites": Site.objects.order_by("name"),
        "roles": [(value, label) for value, label in Role.choices if value != Role.API_CLIENT],
    }
    template = "staff/partials/people_table.html" if request.htmx else "staff/hr.html"
    return render(request, template, context)
