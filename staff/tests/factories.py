import datetime
from decimal import Decimal

import factory

from staff.models import Competency, CompetencyKind, Employee, JobRole, Site, Team, User
from staff.roles import Role
from staff.services import user_create

PASSWORD = "correct-horse-battery"


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"site{n}")
    name = factory.LazyAttribute(lambda o: o.code.title())


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    site = factory.SubFactory(SiteFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    """A person in one role (`role=`, default agent), made by the same service as real accounts
    (staff.services.user_create); the role groups must exist (the `roles` fixture)."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    site = factory.SubFactory(SiteFactory)
    password = PASSWORD
    role = Role.AGENT

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return user_create(**kwargs)


class CompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competency
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"competency-{n}")
    name = factory.Sequence(lambda n: f"Competency {n}")
    kind = CompetencyKind.BEHAVIOURAL


class JobRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobRole
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"job-{n}")
    title = factory.Sequence(lambda n: f"Customer service adviser {n}")
    access_role = Role.AGENT
    purpose = "Answers members' calls about their cover and claims."
    responsibilities = "Confirms cover, logs claims, reassures callers, resolves queries first time."


class EmployeeFactory(factory.django.DjangoModelFactory):
    """An employment record for a person (`user=`, by default a new agent; the `roles` fixture must
    have run)."""

    class Meta:
        model = Employee

    user = factory.SubFactory(UserFactory)
    employee_number = factory.Sequence(lambda n: f"E{n:05d}")
    job_role = factory.SubFactory(JobRoleFactory)
    start_date = datetime.date(2025, 1, 6)
    contract_hours = Decimal("37.5")
