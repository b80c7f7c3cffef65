"""A small organisation for the employees tests: two sites; at Staines two teams (A led by leader_a,
B by leader_b) and a manager; at Manchester a manager; HR; an agent and a nurse in team A, an agent
in team B, each with an employment record."""

from dataclasses import dataclass

import pytest
from django.test import Client

from staff.models import Employee, Team, User
from staff.roles import Role
from staff.tests.factories import EmployeeFactory, JobRoleFactory, SiteFactory


@dataclass
class Org:
    hr: User
    leader_a: User
    leader_b: User
    manager: User
    other_manager: User
    agent: User
    nurse: User
    other_agent: User
    team_a: Team
    team_b: Team
    agent_record: Employee
    nurse_record: Employee
    other_record: Employee


@pytest.fixture
def org(user_factory) -> Org:
    staines, manchester = SiteFactory(code="staines", name="Staines"), SiteFactory(code="manchester", name="Manchester")
    leader_a = user_factory(role=Role.TEAM_LEADER, site=staines, full_name="Tom Leader")
    leader_b = user_factory(role=Role.TEAM_LEADER, site=staines, full_name="Bea Leader")
    team_a = Team.objects.create(site=staines, name="Claims", leader=leader_a)
    team_b = Team.objects.create(site=staines, name="Renewals", leader=leader_b)
    agent = user_factory(role=Role.AGENT, site=staines, team=team_a, full_name="Amira Haddad")
    nurse = user_factory(role=Role.NURSE, site=staines, team=team_a, full_name="Grace Okafor")
    other_agent = user_factory(role=Role.AGENT, site=staines, team=team_b, full_name="Oliver Smith")
    nurse_job = JobRoleFactory(code="nurse-adviser", title="Nurse adviser", access_role=Role.NURSE,
                               needs_nurse_registration=True)  # fmt: skip
    return Org(
        hr=user_factory(role=Role.HR, site=staines),
        leader_a=leader_a,
        leader_b=leader_b,
        manager=user_factory(role=Role.MANAGER, site=staines),
        other_manager=user_factory(role=Role.MANAGER, site=manchester),
        agent=agent,
        nurse=nurse,
        other_agent=other_agent,
        team_a=team_a,
        team_b=team_b,
        agent_record=EmployeeFactory(user=agent),
        nurse_record=EmployeeFactory(user=nurse, job_role=nurse_job),
        other_record=EmployeeFactory(user=other_agent),
    )


@pytest.fixture
def login():
    def as_(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return as_
