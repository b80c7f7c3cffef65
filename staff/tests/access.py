"""The staff app's rows of the role matrix (contactcentre/tests/test_access.py), gathered from each
area's tests, and the records they name.

Every person in the matrix has an employment record; the agent and the nurse are in a team led by
the team leader, at the manager's site. So a team leader's 200 on an agent's page is "their own
team", and areas test other teams' refusals in their own tests."""

from datetime import date

from staff.models import Team
from staff.roles import Role
from staff.tests.factories import EmployeeFactory

from .appraisal import access as appraisal
from .employees import access as employees
from .quality import access as quality
from .recruitment import access as recruitment
from .training import access as training

AREAS = [employees, recruitment, training, appraisal, quality]
STAFF_MATRIX = [row for area in AREAS for row in area.ROWS]


def staff_records(people: dict) -> dict:
    leader = people[Role.TEAM_LEADER]
    team = Team.objects.create(site=leader.site, name="Matrix team", leader=leader)
    for role in (Role.AGENT, Role.NURSE):
        people[role].team = team
        people[role].save(update_fields=["team"])
    employees_by_role = {
        role: EmployeeFactory(user=user, start_date=date(2025, 1, 6))
        for role, user in people.items()
        if role != Role.API_CLIENT
    }
    base = {"staff_team": team.pk, **{f"employee_{role}": e.pk for role, e in employees_by_role.items()}}
    for area in AREAS:
        base |= area.records(people, base)
    return base
