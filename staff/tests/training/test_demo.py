"""The training demo: the catalogue the case study names, induction plans for the jobs, sessions,
and a mix of standings a matrix can show."""

import random
from collections import Counter
from datetime import date

import pytest
from django.utils import timezone

from staff.demo.training import seed_training
from staff.models import Course, CourseKind, InductionItem, JobRole, Site, TrainingNeed, TrainingSession
from staff.selectors.training import standings_for
from staff.tests.factories import EmployeeFactory, JobRoleFactory, SiteFactory

pytestmark = pytest.mark.django_db


def test_demo_seeds_the_catalogue_plans_sessions_and_a_mix_of_standings(roles):
    job = JobRoleFactory(code="customer-service-adviser", title="Customer service adviser")
    SiteFactory(code="staines")
    today = timezone.localdate()
    rng = random.Random(7)
    employees = [
        EmployeeFactory(job_role=job, start_date=date(today.year - 1 - i % 4, 1 + i % 12, 3)) for i in range(30)
    ] + [EmployeeFactory(job_role=job, start_date=today) for _ in range(3)]
    seed_training(rng=rng, people=None)

    assert Counter(Course.objects.values_list("kind", flat=True)) == {
        CourseKind.TECHNICAL: 4,
        CourseKind.BEHAVIOURAL: 3,
    }
    assert set(JobRole.objects.values_list("code", flat=True)) >= {
        "customer-service-adviser",
        "team-leader",
        "nurse-adviser",
    }
    assert JobRole.objects.get(code="customer-service-adviser").title == "Customer service adviser"  # not overwritten
    assert InductionItem.objects.filter(job_role=job).count() == 6
    assert TrainingSession.objects.count() == 4 * 7 * Site.objects.count()  # two past, two coming
    assert TrainingNeed.objects.exists()
    _courses, people = standings_for(employees, today=today)
    seen = Counter(s.standing for person in people for s in person.standings.values())
    assert {"complete", "due", "overdue"} <= set(seen)
