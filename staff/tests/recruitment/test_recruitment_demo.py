"""The demo data: vacancies at both sites with candidates in every stage, made through the services."""

import random

import pytest

from staff.demo import seed_people
from staff.demo.recruitment import seed_recruitment
from staff.models import Application, Stage, StageChange, Vacancy, VacancyStatus

pytestmark = pytest.mark.django_db


def test_the_demo_has_candidates_in_every_stage_at_staines_and_manchester(roles):
    people = seed_people(rng=random.Random(7), scale="small")
    seed_recruitment(rng=random.Random(7), people=people)
    for site in ("staines", "manchester"):
        assert Vacancy.objects.filter(site__code=site, status=VacancyStatus.OPEN).exists()
    staines_agents = Application.objects.filter(vacancy__site__code="staines", vacancy__job_role__access_role="agent")
    assert set(Application.objects.values_list("stage", flat=True)) == set(Stage.values)
    assert set(staines_agents.values_list("stage", flat=True)) >= set(Stage.values) - {Stage.HIRED}
    assert Vacancy.objects.filter(status=VacancyStatus.FILLED).exists()
    assert Application.objects.filter(anonymised_at__isnull=False).exists()
    # Every move went through the service: one stage change per step.
    assert StageChange.objects.filter(from_stage="").count() == Application.objects.count()
