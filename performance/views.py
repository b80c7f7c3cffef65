"""The manager's workspace."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from staff import selectors as staff_selectors
from staff.templatetags.staff_tags import local_name


@login_required
@permission_required("staff.view_management", raise_exception=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    sites = list(staff_selectors.sites_overview())
    chart_config = {
        "type": "bar",
        "data": {
            "labels": [local_name(site) for site in sites],
            "datasets": [
                {"label": gettext("Agents"), "data": [site.agents for site in sites]},
                {"label": gettext("Nurses"), "data": [site.nurses for site in sites]},
                {"label": gettext("Team leaders"), "data": [site.leaders for site in sites]},
            ],
        },
        "options": {"scales": {"y": {"beginAtZero": True, "ticks": {"precision": 0}}}},
    }
    return render(
        request,
        "performance/dashboard.html",
        {"sites": sites, "teams": staff_selectors.teams_overview(), "chart_config": chart_config},
    )
