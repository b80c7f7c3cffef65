"""Factories for training: courses, induction plan items, sessions, enrolments, needs."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from staff.models import Course, CourseKind, Enrolment, InductionItem, NeedSource, TrainingNeed, TrainingSession
from staff.tests.factories import EmployeeFactory, JobRoleFactory, SiteFactory


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"course-{n}")
    title = factory.Sequence(lambda n: f"Course {n}")
    kind = CourseKind.TECHNICAL
    duration_hours = Decimal("3.5")
    renewal_months = None
    pass_mark = None


class InductionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InductionItem

    job_role = factory.SubFactory(JobRoleFactory)
    course = factory.SubFactory(CourseFactory)
    due_within_days = 28


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    course = factory.SubFactory(CourseFactory)
    site = factory.SubFactory(SiteFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    capacity = 12


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    employee = factory.SubFactory(EmployeeFactory)
    course = factory.SubFactory(CourseFactory)


class TrainingNeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingNeed

    employee = factory.SubFactory(EmployeeFactory)
    description = "Handling distressed callers"
    source = NeedSource.MANAGER
