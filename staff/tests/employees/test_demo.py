"""The employees demo data: the case study's jobs, a record for every demo person, leavers, nurses."""

import random

import pytest

from staff.demo import seed_people
from staff.demo.employees import seed_employees
from staff.models import Employee, JobRole, Qualification, User
from staff.roles import Role
from staff.rules import employees as rules

pytestmark = pytest.mark.django_db


def test_demo_employees(roles):
    people = seed_people(rng=random.Random(7), scale="small")
    seed_employees(rng=random.Random(7), people=people)
    persons = User.objects.exclude(groups__name=Role.API_CLIENT)
    assert Employee.objects.count() == persons.count()
    for code in ("customer-service-adviser", "team-leader", "nurse-adviser"):
        job = JobRole.objects.get(code=code)
        kinds = {item.competency.kind for item in job.spec.select_related("competency")}
        assert job.responsibilities and kinds == {"technical", "behavioural"}
    assert Employee.objects.get(user__email="nurse@tawasul.demo").job_role.needs_nurse_registration
    leavers = list(Employee.objects.filter(status="left"))
    spans = [rules.Span(e.start_date, e.left_on) for e in leavers]
    assert len(leavers) >= 3 and any(rules.is_early_leaver(s) for s in spans)
    assert not Employee.objects.filter(status="left", user__email__in=["agent@tawasul.demo"]).exists()
    nurses = Employee.objects.filter(job_role__code="nurse-adviser", status="active")
    assert Qualification.objects.filter(employee__in=nurses, kind="nurse_registration").count() == nurses.count()

    seed_employees(rng=random.Random(7), people=people)  # again: nothing new
    assert Employee.objects.count() == persons.count()
