"""Factories for appraisals and upward feedback. `appraisal_setup()` builds the usual scene: an agent in
a team led by a team leader, employed in a job whose person specification has two competencies."""

import datetime
from dataclasses import dataclass

import factory

from staff.models import (
    Appraisal,
    AppraisalCycle,
    Assessment,
    Competency,
    PersonSpecItem,
    Team,
    User,
)
from staff.roles import Role
from staff.tests.factories import (
    CompetencyFactory,
    EmployeeFactory,
    JobRoleFactory,
    SiteFactory,
    TeamFactory,
    UserFactory,
)


class AppraisalCycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AppraisalCycle
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Cycle {2026 + n}")
    starts_on = datetime.date(2026, 1, 1)
    ends_on = datetime.date(2026, 12, 31)


class AppraisalFactory(factory.django.DjangoModelFactory):
    """An appraisal in draft; pass appraisee and appraiser (the appraiser must lead the appraisee)."""

    class Meta:
        model = Appraisal

    cycle = factory.SubFactory(AppraisalCycleFactory)


@dataclass
class Scene:
    site: object
    team: Team
    leader: User
    agent: User
    employee: object
    competencies: list[Competency]
    cycle: AppraisalCycle
    appraisal: Appraisal


def appraisal_setup(*, site=None, competencies: int = 2) -> Scene:
    site = site or SiteFactory()
    leader = UserFactory(role=Role.TEAM_LEADER, site=site)
    team = TeamFactory(site=site, leader=leader)
    agent = UserFactory(role=Role.AGENT, site=site, team=team)
    job = JobRoleFactory()
    spec = [CompetencyFactory() for _ in range(competencies)]
    for competency in spec:
        PersonSpecItem.objects.create(job_role=job, competency=competency, assessed_by=Assessment.COMPETENCY_INTERVIEW)
    employee = EmployeeFactory(user=agent, job_role=job)
    cycle = AppraisalCycleFactory()
    appraisal = AppraisalFactory(cycle=cycle, appraisee=agent, appraiser=leader)
    return Scene(site, team, leader, agent, employee, spec, cycle, appraisal)
