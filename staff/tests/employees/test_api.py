"""The read API for telephony and workforce tools: employees, skills, agents' states."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from calls.models import AgentStatus, Skill
from contactcentre.models import AuditAction, AuditEvent
from staff.models import User
from staff.roles import Role
from staff.services import api_token_create
from staff.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def machine(user_factory):
    client = APIClient()
    token = api_token_create(client=user_factory(role=Role.API_CLIENT, email="pbx@example.org")).clear_token
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def api_as():
    def as_(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return as_


@pytest.fixture
def routed(org):
    claims, renewals = (
        Skill.objects.create(code="claims", name="Claims"),
        Skill.objects.create(code="renewals", name="Renewals"),
    )
    agent = AgentStatus.objects.create(user=org.agent, extension="4101", state="available", since=timezone.now())
    agent.skills.add(claims, renewals)
    other = AgentStatus.objects.create(user=org.other_agent, extension="4102", state="offline")
    other.skills.add(renewals)
    return {"claims": claims, "renewals": renewals}


def _names(response):
    return sorted(row["name"] for row in response.json()["results"])


def test_api_clients_see_every_employee_with_skills_and_extension(org, machine, routed):
    response = machine.get("/api/v1/employees/")
    assert response.status_code == 200
    assert _names(response) == ["Amira Haddad", "Grace Okafor", "Oliver Smith"]
    amira = next(row for row in response.json()["results"] if row["name"] == "Amira Haddad")
    assert amira == {
        "id": org.agent_record.pk,
        "employee_number": org.agent_record.employee_number,
        "name": "Amira Haddad",
        "email": org.agent.email,
        "site": "staines",
        "team": "Claims",
        "job_role": org.agent_record.job_role.code,
        "contract_hours": "37.5",
        "status": "active",
        "start_date": "2025-01-06",
        "skills": ["claims", "renewals"],
        "extension": "4101",
    }


def test_team_leaders_see_their_team_only(org, api_as, routed):
    assert _names(api_as(org.leader_a).get("/api/v1/employees/")) == ["Amira Haddad", "Grace Okafor"]
    assert api_as(org.leader_b).get(f"/api/v1/employees/{org.agent_record.pk}/").status_code == 404
    assert api_as(org.leader_a).get(f"/api/v1/employees/{org.agent_record.pk}/").json()["extension"] == "4101"


def test_agents_cannot_read_employees(org, api_as):
    assert api_as(org.agent).get("/api/v1/employees/").status_code == 403


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ({"skill": "claims"}, ["Amira Haddad"]),
        ({"skill": "renewals"}, ["Amira Haddad", "Oliver Smith"]),
        ({"team": "TEAM_B"}, ["Oliver Smith"]),
        ({"site": "manchester"}, []),
        ({"status": "left"}, []),
        ({"search": "grace"}, ["Grace Okafor"]),
    ],
)
def test_employee_filters(org, machine, routed, query, names):
    query = {k: (org.team_b.pk if v == "TEAM_B" else v) for k, v in query.items()}
    assert _names(machine.get("/api/v1/employees/", query)) == names


def test_employee_list_queries_do_not_grow_with_rows(org, machine, routed, django_assert_max_num_queries):
    machine.get("/api/v1/employees/")
    with django_assert_max_num_queries(6):
        machine.get("/api/v1/employees/")
    for employee in EmployeeFactory.create_batch(10):
        AgentStatus.objects.create(user=employee.user, extension=f"5{employee.pk:03d}").skills.add(routed["claims"])
    with django_assert_max_num_queries(6):
        assert machine.get("/api/v1/employees/").json()["count"] == 13


def test_skills_for_anyone_with_the_api(org, api_as, routed):
    response = api_as(org.agent).get("/api/v1/skills/")
    assert [row["code"] for row in response.json()["results"]] == ["claims", "renewals"]


def test_agent_states_all_for_api_clients_and_scoped_for_team_leaders(org, machine, api_as, routed):
    rows = machine.get("/api/v1/agent-states/").json()["results"]
    assert {(r["user"], r["extension"], r["state"]) for r in rows} == {
        (org.agent.pk, "4101", "available"),
        (org.other_agent.pk, "4102", "offline"),
    }
    assert [r["user"] for r in api_as(org.leader_a).get("/api/v1/agent-states/").json()["results"]] == [org.agent.pk]
    assert api_as(org.agent).get("/api/v1/agent-states/").status_code == 403
    assert api_as(org.hr).get("/api/v1/agent-states/").status_code == 403


def test_agent_state_filters(org, machine, routed):
    assert [r["user"] for r in machine.get("/api/v1/agent-states/", {"state": "available"}).json()["results"]] == [
        org.agent.pk
    ]
    assert [r["skills"] for r in machine.get("/api/v1/agent-states/", {"team": org.team_b.pk}).json()["results"]] == [
        ["renewals"]
    ]
    assert machine.get("/api/v1/agent-states/", {"state": "dancing"}).status_code == 400


def test_agent_states_queries_do_not_grow_with_rows(org, machine, routed, django_assert_max_num_queries):
    machine.get("/api/v1/agent-states/")
    with django_assert_max_num_queries(6):
        machine.get("/api/v1/agent-states/")
    for employee in EmployeeFactory.create_batch(10):
        AgentStatus.objects.create(user=employee.user).skills.add(routed["claims"])
    with django_assert_max_num_queries(6):
        assert machine.get("/api/v1/agent-states/").json()["count"] == 12


def _reads(actor):
    return AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="staff.employee", actor=actor)


def test_every_employee_list_call_is_audited_with_its_filters_for_api_clients_too(org, machine, api_as, routed):
    client_user = User.objects.get(email="pbx@example.org")
    machine.get("/api/v1/employees/", {"skill": "renewals"})
    (event,) = _reads(client_user)
    assert event.actor_label == "pbx@example.org"
    assert event.detail["filters"] == {"skill": "renewals"}
    assert set(event.detail["employees"]) == {org.agent_record.pk, org.other_record.pk}
    api_as(org.leader_a).get("/api/v1/employees/")
    assert _reads(org.leader_a).count() == 1


def test_every_employee_detail_call_is_audited(org, machine, api_as):
    client_user = User.objects.get(email="pbx@example.org")
    machine.get(f"/api/v1/employees/{org.nurse_record.pk}/")
    (event,) = _reads(client_user)
    assert event.object_id == str(org.nurse_record.pk)
    assert api_as(org.leader_b).get(f"/api/v1/employees/{org.nurse_record.pk}/").status_code == 404
    assert not _reads(org.leader_b).exists()  # nothing was read
