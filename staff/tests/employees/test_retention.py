"""The retention report: figures on a small fixed data set, scoped to who asks; chart; CSV."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from contactcentre.models import AuditAction, AuditEvent
from staff.models import Employee, Site
from staff.roles import Role
from staff.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

PERIOD = {"start": "2026-01-01", "end": "2026-01-10"}  # 10 days


@pytest.fixture
def leavers(org, user_factory):
    """At Staines the agent leaves on 5 January (5 person-days); the nurse and the other agent stay
    (10 each): 25 person-days, 2.50 on average, 1 leaver -> 40.0%. At Manchester one starter joins on
    6 January and leaves on the 8th (3 person-days, 0.30; an early leaver) -> 333.3%. Everyone: 28
    person-days, 2.80, 2 leavers -> 71.4%."""
    Employee.objects.filter(pk=org.agent_record.pk).update(
        status="left", left_on=date(2026, 1, 5), leaving_reason="pay"
    )
    manchester = Site.objects.get(code="manchester")
    return EmployeeFactory(
        user=user_factory(role=Role.AGENT, site=manchester, full_name="Early Leaver"),
        start_date=date(2026, 1, 6),
        status="left",
        left_on=date(2026, 1, 8),
        leaving_reason="probation",
    )


@pytest.mark.parametrize(
    ("who", "rate", "headcount"),
    [("hr", "71.4", "2.80"), ("manager", "40.0", "2.50"), ("other_manager", "333.3", "0.30")],
)
def test_attrition_scoped_to_who_asks(org, login, leavers, who, rate, headcount):
    report = login(getattr(org, who)).get("/staff/retention/", PERIOD).context["report"]
    assert report.overall.attrition_rate == Decimal(rate)
    assert report.overall.average_headcount == Decimal(headcount)


def test_report_by_site_team_reason_and_early_leavers(org, login, leavers):
    response = login(org.hr).get("/staff/retention/", PERIOD)
    report = response.context["report"]
    assert {a.key: a.attrition_rate for a in report.by_site} == {
        "Manchester": Decimal("333.3"),
        "Staines": Decimal("40.0"),
    }
    # Team Claims at Staines: agent (5) + nurse (10) = 1.50, 1 leaver -> 66.7%.
    assert {a.key: a.attrition_rate for a in report.by_team}[("Staines", "Claims")] == Decimal("66.7")
    assert report.overall.starters == 1 and report.overall.early_leavers == 1
    assert report.overall.early_share_of_starters == Decimal("100.0")
    assert report.overall.early_share_of_leavers == Decimal("50.0")
    assert [(reason, count) for reason, _label, count in report.by_reason] == [("pay", 1), ("probation", 1)]
    assert response.context["site_chart"]["data"]["datasets"][0]["data"] == [333.3, 40.0]
    html = response.content.decode()
    assert 'data-chart="team-chart"' in html and "Early Leaver" in html


def test_retention_is_for_hr_and_managers(org, login):
    assert login(org.leader_a).get("/staff/retention/").status_code == 403
    assert login(org.agent).get("/staff/retention/").status_code == 403
    assert login(org.manager).get("/staff/retention/").status_code == 200


def test_retention_empty_state_for_a_period_with_nobody(org, login):
    html = login(org.hr).get("/staff/retention/", {"start": "2000-01-01", "end": "2000-12-31"}).content.decode()
    assert 'data-testid="empty-state"' in html


def test_retention_period_the_wrong_way_round_is_a_field_error(org, login):
    response = login(org.hr).get("/staff/retention/", {"start": "2026-02-01", "end": "2026-01-01"})
    assert "end" in response.context["form"].errors


def test_retention_csv(org, login, leavers):
    response = login(org.hr).get("/staff/retention/export.csv", PERIOD)
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[1][:6] == ["Everyone", "", "", "2.80", "2", "71.4"]
    assert rows[3][:6] == ["Site", "Staines", "", "2.50", "1", "40.0"]


def test_retention_queries_do_not_grow_with_people(org, login, leavers, user_factory, django_assert_max_num_queries):
    client = login(org.hr)
    client.get("/staff/retention/", PERIOD)
    with django_assert_max_num_queries(12):
        client.get("/staff/retention/", PERIOD)
    for n in range(5):
        EmployeeFactory(user=user_factory(team=org.team_b, site=org.team_b.site), start_date=date(2025, 1, 1),
                        status="left", left_on=date(2026, 1, 2 + n), leaving_reason="career")  # fmt: skip
    with django_assert_max_num_queries(12):
        assert client.get("/staff/retention/", PERIOD).context["report"].overall.leavers == 7


def test_reading_the_leavers_with_their_reasons_is_audited(org, login, leavers):
    login(org.manager).get("/staff/retention/", PERIOD)
    (event,) = AuditEvent.objects.filter(action=AuditAction.VIEW, actor=org.manager)
    assert event.detail == {
        "filters": {"start": "2026-01-01", "end": "2026-01-10", "page": 1},
        "employees": [org.agent_record.pk],  # the manager's site only
    }
