"""Writes for employment records: a new employee (with their account and induction plan)."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from contactcentre.models import AuditAction
from contactcentre.services import audit_record

from ..models import Employee, JobRole, Site, Team, User
from .people import user_create
from .training import induction_enrol


def employee_create(
    *,
    actor,
    job_role: JobRole,
    employee_number: str,
    start_date: date,
    contract_hours: Decimal,
    user: User | None = None,
    email: str = "",
    full_name: str = "",
    full_name_ar: str = "",
    site: Site | None = None,
    team: Team | None = None,
) -> Employee:
    """An employment record for `user`, or for a new account (`email`, `full_name`) in the job's access
    role with no password (they set one through the password reset); enrolled on their job's
    induction plan. Audited."""
    with transaction.atomic():
        if user is None:
            user = user_create(
                email=email,
                full_name=full_name,
                full_name_ar=full_name_ar,
                role=job_role.access_role,
                site=site,
                team=team,
            )
        employee = Employee(
            user=user,
            employee_number=employee_number.strip(),
            job_role=job_role,
            start_date=start_date,
            contract_hours=contract_hours,
        )
        employee.full_clean(exclude=["user"])
        employee.save()
        induction_enrol(employee=employee, actor=actor)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=employee,
            summary=f"Employee {employee.employee_number}",
            detail={"user": user.pk, "job_role": job_role.code},
        )
    return employee
