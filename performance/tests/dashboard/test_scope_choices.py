"""The dashboard's scope choices that cannot go together: a team's figures come from the agents'
rollups, which record no plan tier or corporate account, so a tier or corporate choice beside a team
is refused with its reason and left out (as the form's other bad choices are), never silently
ignored under the tier's name. A site or a queue with a tier still narrows the figures."""

import csv
import io

import pytest
from django.test import Client
from django.utils.html import escape

from contactcentre.models import AuditEvent
from performance.forms.dashboard import DashboardForm, DrilldownForm

from .factories import DAY, build_centre

ONE_DAY = {"preset": "custom", "start": DAY.isoformat(), "end": DAY.isoformat()}
REFUSED = "A team's figures cannot be split by plan tier or by corporate and individual members"


@pytest.fixture
def centre(roles):
    return build_centre()


@pytest.fixture
def manager(centre) -> Client:
    client = Client()
    client.force_login(centre.manager)
    return client


def counts(response) -> dict:
    return {count.figure: count.value for count in response.context["board"].counts}


@pytest.mark.parametrize(
    "member_filter",
    [{"plan_tier": "standard"}, {"corporate": "yes"}, {"corporate": "no"}],
    ids=["tier", "corporate", "individual"],
)
@pytest.mark.parametrize("form_class", [DashboardForm, DrilldownForm])
def test_a_team_with_a_tier_or_corporate_choice_is_refused_and_the_choice_left_out(centre, form_class, member_filter):
    team = centre.teams["north"]
    form = form_class({**ONE_DAY, "team": team.pk, **member_filter})

    assert not form.is_valid()
    [error] = form.non_field_errors()
    assert error.startswith(REFUSED)
    scope = form.choice().scope
    assert (scope.team_id, scope.plan_tier, scope.is_corporate) == (team.pk, "", None)
    assert "plan_tier" not in form.as_text() and "corporate" not in form.as_text()


def test_the_page_shows_why_a_teams_figures_are_not_split_by_tier(centre, manager):
    response = manager.get("/performance/", {**ONE_DAY, "team": centre.teams["north"].pk, "plan_tier": "standard"})

    assert response.status_code == 200  # as for the form's other bad choices: shown, left out
    html = response.content.decode()
    assert 'data-testid="filter-errors"' in html
    assert escape(REFUSED) in html
    # The team's own figures (Ann's two calls, both premier members), not "North's standard members".
    assert response.context["choice"].scope.plan_tier == ""
    assert counts(response)["answered"] == 2
    assert '<option value="standard" selected>' in html  # the choice made stays shown, beside its error


def test_the_refusal_reads_in_arabic(centre, manager):
    manager.cookies["django_language"] = "ar"
    response = manager.get("/performance/", {**ONE_DAY, "team": centre.teams["north"].pk, "corporate": "no"})
    assert "لا يمكن تقسيم أرقام الفريق حسب فئة الخطة" in response.content.decode()


def test_the_drilldown_shows_the_refusal_and_lists_the_teams_calls(centre, manager):
    params = {**ONE_DAY, "figure": "answered", "team": centre.teams["north"].pk, "corporate": "yes"}
    response = manager.get("/performance/contacts/", params)

    assert response.status_code == 200
    assert escape(REFUSED) in response.content.decode()
    assert {contact.pk for contact in response.context["page"].object_list} == {
        centre.calls[1].pk,
        centre.calls[5].pk,
    }


def test_the_export_of_a_team_with_a_tier_leaves_the_tier_out_as_for_other_bad_choices(centre, manager):
    params = {**ONE_DAY, "team": centre.teams["north"].pk, "plan_tier": "standard"}
    response = manager.get("/performance/export.csv/", params)

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {row[0]: row for row in rows if row}["Answered"][1] == "2"  # the team's calls, every plan
    detail = AuditEvent.objects.get(object_type="performance.dashboard").detail
    assert detail["team"] == "North (Staines)" and "plan_tier" not in detail


@pytest.mark.parametrize(("tier", "answered"), [("premier", 2), ("standard", 1)])
def test_a_site_with_a_tier_still_narrows_the_figures(centre, manager, tier, answered):
    response = manager.get("/performance/", {**ONE_DAY, "site": centre.site.pk, "plan_tier": tier})

    assert response.status_code == 200
    assert not response.context["form"].errors
    assert 'data-testid="filter-errors"' not in response.content.decode()
    scope = response.context["choice"].scope
    assert (scope.site_id, scope.plan_tier) == (centre.site.pk, tier)
    assert counts(response)["answered"] == answered  # of the site's 3 answered calls
