"""Factories for employment records beyond staff/tests/factories.py."""

import datetime

import factory

from staff.models import Qualification, QualificationKind
from staff.tests.factories import EmployeeFactory


class QualificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Qualification

    employee = factory.SubFactory(EmployeeFactory)
    kind = QualificationKind.OTHER
    name = "Customer service NVQ level 3"


class NurseRegistrationFactory(QualificationFactory):
    kind = QualificationKind.NURSE_REGISTRATION
    name = "Registered Nurse (Adult)"
    registration_number = factory.Sequence(lambda n: f"{n:02d}A{n:04d}E")
    expires_on = datetime.date(2027, 6, 30)
