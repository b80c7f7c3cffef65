"""Writes to employment records: each checks its rule, writes, and leaves an audit row."""

from datetime import date
from decimal import Decimal

import pytest

from contactcentre.exceptions import Conflict, DomainError
from contactcentre.models import AuditAction, AuditEvent
from staff.models import Employee, EmploymentStatus, QualificationKind
from staff.services import employees as services
from staff.tests.factories import JobRoleFactory

from .factories import NurseRegistrationFactory

pytestmark = pytest.mark.django_db


def _audits(obj, action):
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action)


def test_employment_details_change_moves_the_person_and_audits_what_changed(org):
    job = JobRoleFactory(code="team-leader", title="Team leader")
    services.employee_update(
        actor=org.hr,
        employee_id=org.agent_record.pk,
        job_role=job,
        employee_number="E99999",
        start_date=date(2024, 2, 1),
        contract_hours=Decimal("30"),
        status=EmploymentStatus.ON_LEAVE,
        site=org.team_b.site,
        team=org.team_b,
    )
    employee = Employee.objects.select_related("user").get(pk=org.agent_record.pk)
    assert (employee.job_role, employee.status, employee.contract_hours) == (job, "on_leave", Decimal("30.0"))
    assert employee.user.team == org.team_b
    audit = _audits(employee, AuditAction.UPDATE).get()
    assert audit.actor == org.hr
    assert audit.detail["changed"]["team"] == [org.team_a.pk, org.team_b.pk]


def _update(org, **changes):
    e = org.agent_record
    arguments = {
        "actor": org.hr, "employee_id": e.pk, "job_role": e.job_role, "employee_number": e.employee_number,
        "start_date": e.start_date, "contract_hours": e.contract_hours, "status": e.status, "site": org.team_a.site,
        "team": org.team_a,
    }  # fmt: skip
    return services.employee_update(**(arguments | changes))


def test_employment_details_cannot_make_a_leaver(org):
    with pytest.raises(DomainError) as refused:
        _update(org, status=EmploymentStatus.LEFT)
    assert "status" in refused.value.fields


def test_employment_details_refuse_a_team_at_another_site(org, user_factory):
    from staff.tests.factories import SiteFactory

    with pytest.raises(DomainError) as refused:
        _update(org, site=SiteFactory(code="manchester"))
    assert "team" in refused.value.fields


def test_employee_number_taken_is_a_field_error(org):
    with pytest.raises(DomainError) as refused:
        _update(org, employee_number=org.other_record.employee_number)
    assert "employee_number" in refused.value.fields


@pytest.mark.parametrize(
    ("number", "expires_on", "missing"),
    [
        ("", date(2027, 1, 1), {"registration_number"}),
        ("12A3456E", None, {"expires_on"}),
        ("", None, {"registration_number", "expires_on"}),
    ],
)
def test_nurse_registration_needs_number_and_expiry(org, number, expires_on, missing):
    with pytest.raises(DomainError) as refused:
        services.qualification_save(
            actor=org.hr, employee=org.nurse_record, kind=QualificationKind.NURSE_REGISTRATION,
            name="Registered Nurse", registration_number=number, expires_on=expires_on,
        )  # fmt: skip
    assert set(refused.value.fields) == missing
    assert not org.nurse_record.qualifications.exists()


def test_nurse_registration_recorded_and_audited(org):
    qualification = services.qualification_save(
        actor=org.hr, employee=org.nurse_record, kind=QualificationKind.NURSE_REGISTRATION,
        name="Registered Nurse", registration_number=" 12A3456E ", expires_on=date(2027, 1, 1),
    )  # fmt: skip
    assert qualification.registration_number == "12A3456E"
    assert _audits(qualification, AuditAction.CREATE).get().detail["employee"] == org.nurse_record.pk


def test_a_registration_number_belongs_to_one_person(org):
    NurseRegistrationFactory(employee=org.other_record, registration_number="12A3456E")
    with pytest.raises(DomainError) as refused:
        services.qualification_save(
            actor=org.hr, employee=org.nurse_record, kind=QualificationKind.NURSE_REGISTRATION,
            name="Registered Nurse", registration_number="12A3456E", expires_on=date(2027, 1, 1),
        )  # fmt: skip
    assert refused.value.fields == {
        "registration_number": [
            "This registration number is already recorded: a registration number belongs to one person."
        ]
    }


def test_qualification_edit_changes_that_one(org):
    registration = NurseRegistrationFactory(employee=org.nurse_record)
    services.qualification_save(
        actor=org.hr, employee=org.nurse_record, qualification_id=registration.pk,
        kind=QualificationKind.NURSE_REGISTRATION, name="Registered Nurse", registration_number="99X9999X",
        expires_on=date(2029, 1, 1),
    )  # fmt: skip
    registration.refresh_from_db()
    assert (registration.registration_number, registration.expires_on) == ("99X9999X", date(2029, 1, 1))
    assert _audits(registration, AuditAction.UPDATE).exists()


def test_leaver_recorded_with_date_reason_and_note(org):
    services.employee_record_leaver(
        actor=org.hr, employee_id=org.agent_record.pk, left_on=date(2026, 3, 31), reason="career",
        note="Moving to the claims team at another insurer", today=date(2026, 4, 1),
    )  # fmt: skip
    employee = Employee.objects.get(pk=org.agent_record.pk)
    assert (employee.status, employee.left_on, employee.leaving_reason) == ("left", date(2026, 3, 31), "career")
    assert _audits(employee, AuditAction.UPDATE).get().detail == {"left_on": "2026-03-31", "reason": "career"}


def test_leaver_refused_twice(org):
    leave = {"actor": org.hr, "employee_id": org.agent_record.pk, "reason": "pay", "today": date(2026, 4, 1)}
    services.employee_record_leaver(left_on=date(2026, 3, 31), **leave)
    with pytest.raises(Conflict, match="already recorded as leaving on 31/03/2026"):
        services.employee_record_leaver(left_on=date(2026, 4, 1), **leave)
    assert Employee.objects.get(pk=org.agent_record.pk).left_on == date(2026, 3, 31)
    assert _audits(org.agent_record, AuditAction.UPDATE).count() == 1


@pytest.mark.parametrize(
    ("left_on", "reason", "fields"),
    [
        (date(2024, 12, 31), "pay", {"left_on"}),  # before the start date, 6 January 2025
        (date(2026, 4, 2), "pay", {"left_on"}),  # tomorrow
        (date(2026, 3, 31), "bored", {"reason"}),
    ],
)
def test_leaver_refused_with_field_errors(org, left_on, reason, fields):
    with pytest.raises(DomainError) as refused:
        services.employee_record_leaver(
            actor=org.hr, employee_id=org.agent_record.pk, left_on=left_on, reason=reason, today=date(2026, 4, 1)
        )
    assert set(refused.value.fields) == fields
    assert Employee.objects.get(pk=org.agent_record.pk).status == EmploymentStatus.ACTIVE


def test_a_leavers_status_cannot_change_back(org):
    services.employee_record_leaver(
        actor=org.hr, employee_id=org.agent_record.pk, left_on=date(2026, 3, 31), reason="pay", today=date(2026, 4, 1)
    )
    with pytest.raises(Conflict):
        _update(org, status=EmploymentStatus.ACTIVE)


def test_profit_share_eligibility_set_cleared_and_audited(org):
    services.employee_profit_share_set(actor=org.hr, employee_id=org.agent_record.pk, eligible_from=date(2026, 1, 6))
    assert Employee.objects.get(pk=org.agent_record.pk).profit_share_eligible_from == date(2026, 1, 6)
    services.employee_profit_share_set(actor=org.hr, employee_id=org.agent_record.pk, eligible_from=None)
    assert Employee.objects.get(pk=org.agent_record.pk).profit_share_eligible_from is None
    details = [a.detail for a in _audits(org.agent_record, AuditAction.UPDATE).order_by("id")]
    assert details == [{"from": None, "to": "2026-01-06"}, {"from": "2026-01-06", "to": None}]


def test_profit_share_not_before_starting(org):
    with pytest.raises(DomainError) as refused:
        services.employee_profit_share_set(
            actor=org.hr, employee_id=org.agent_record.pk, eligible_from=date(2024, 1, 1)
        )
    assert "eligible_from" in refused.value.fields


def test_new_employee_gets_an_account_in_the_jobs_access_role(org):
    job = JobRoleFactory(code="nurse-adviser")
    employee = services.employee_create(
        actor=org.hr, job_role=job, employee_number="E50000", start_date=date(2026, 5, 1),
        contract_hours=Decimal("37.5"), email="new.nurse@example.org", full_name="New Nurse", team=org.team_a,
    )  # fmt: skip
    assert list(employee.user.groups.values_list("name", flat=True)) == ["nurse"]
    assert not employee.user.has_usable_password()
