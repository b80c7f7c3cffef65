"""Two saves at once of the same employee number or registration number: both pass the friendly
check (neither row is there yet), the database's unique constraint refuses the second, and that
person sees the same field error as the check gives, not a server error."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from contactcentre.exceptions import DomainError
from staff.models import Employee, Qualification, QualificationKind
from staff.roles import Role
from staff.services import employees as services
from staff.tests.factories import EmployeeFactory, JobRoleFactory

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(monkeypatch, model, save) -> list:
    """Run `save(n)` for n = 0 and 1 at once, each waiting after `model.full_clean` until both have
    passed it. Each outcome: "saved", or the refused fields {field: messages}."""
    barrier = threading.Barrier(2)
    full_clean = model.full_clean

    def full_clean_then_wait(self, *args, **kwargs):
        full_clean(self, *args, **kwargs)
        barrier.wait(timeout=10)

    monkeypatch.setattr(model, "full_clean", full_clean_then_wait)
    outcomes: list = []

    def run(n: int) -> None:
        try:
            save(n)
            outcomes.append("saved")
        except DomainError as error:
            outcomes.append(error.fields)
        except ValidationError as error:
            outcomes.append(error.message_dict)
        except Exception as error:  # noqa: BLE001 (the outcome under test: a server error)
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_new_employees_with_one_number_at_once(monkeypatch, org, user_factory):
    job = JobRoleFactory(code="adviser")
    people = [user_factory(role=Role.AGENT, site=org.team_a.site) for _ in range(2)]
    outcomes = at_once(
        monkeypatch,
        Employee,
        lambda n: services.employee_create(
            actor=org.hr,
            user=people[n],
            job_role=job,
            employee_number="E77777",
            start_date=date(2026, 5, 1),
            contract_hours=Decimal("37.5"),
        ),
    )
    assert sorted(outcomes, key=lambda outcome: outcome == "saved") == [
        {"employee_number": ["Employee with this Employee number already exists."]},
        "saved",
    ]
    assert Employee.objects.filter(employee_number="E77777").count() == 1


def test_two_changes_to_one_number_at_once(monkeypatch, org):
    records = [org.agent_record, org.other_record]

    def update(n: int) -> None:
        record = records[n]
        services.employee_update(
            actor=org.hr,
            employee_id=record.pk,
            job_role=record.job_role,
            employee_number="E88888",
            start_date=record.start_date,
            contract_hours=record.contract_hours,
            status=record.status,
            site=record.user.site,
            team=record.user.team,
        )

    outcomes = at_once(monkeypatch, Employee, update)
    assert sorted(outcomes, key=lambda outcome: outcome == "saved") == [
        {"employee_number": ["Employee with this Employee number already exists."]},
        "saved",
    ]


def test_two_registrations_with_one_number_at_once(monkeypatch, org):
    records = [org.nurse_record, EmployeeFactory()]
    outcomes = at_once(
        monkeypatch,
        Qualification,
        lambda n: services.qualification_save(
            actor=org.hr,
            employee=records[n],
            kind=QualificationKind.NURSE_REGISTRATION,
            name="Registered Nurse",
            registration_number="12A3456E",
            expires_on=date(2027, 1, 1),
        ),
    )
    message = "This registration number is already recorded: a registration number belongs to one person."
    assert sorted(outcomes, key=lambda outcome: outcome == "saved") == [{"registration_number": [message]}, "saved"]
    assert Qualification.objects.filter(registration_number="12A3456E").count() == 1
