"""A small contact centre for the quality tests: one site with two teams, their leaders, a manager,
HR, and a manager at another site."""

from types import SimpleNamespace

import pytest

from calls.tests.factories import ContactFactory
from staff.roles import Role
from staff.tests.factories import EmployeeFactory, SiteFactory, TeamFactory

from .factories import scorecard_with_items


@pytest.fixture
def centre(user_factory):
    staines, manchester = SiteFactory(code="staines"), SiteFactory(code="manchester")
    leader = user_factory(role=Role.TEAM_LEADER, site=staines, full_name="Tom Leader")
    other_leader = user_factory(role=Role.TEAM_LEADER, site=staines, full_name="Olivia Leader")
    team = TeamFactory(site=staines, leader=leader, name="Cover")
    other_team = TeamFactory(site=staines, leader=other_leader, name="Claims")
    agent = user_factory(role=Role.AGENT, site=staines, team=team, full_name="Amira Agent")
    colleague = user_factory(role=Role.AGENT, site=staines, team=team, full_name="Ben Agent")
    stranger = user_factory(role=Role.AGENT, site=staines, team=other_team, full_name="Cara Agent")
    leader.team = team
    leader.save(update_fields=["team"])
    return SimpleNamespace(
        staines=staines,
        team=team,
        other_team=other_team,
        leader=leader,
        other_leader=other_leader,
        agent=agent,
        colleague=colleague,
        stranger=stranger,
        manager=user_factory(role=Role.MANAGER, site=staines),
        far_manager=user_factory(role=Role.MANAGER, site=manchester),
        hr=user_factory(role=Role.HR, site=staines),
        employee=EmployeeFactory(user=agent),
        card=scorecard_with_items(name="Health insurance calls"),
        contact=ContactFactory(agent=agent),
    )
