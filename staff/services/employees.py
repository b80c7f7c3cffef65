"""Writes for employment records: a new employee (with their account and induction plan), changes to
their employment details, qualifications (a nurse's registration), a leaver, profit-share eligibility,
and the audit of every read of a record and every export."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext

from contactcentre.exceptions import Conflict, DomainError, invalid
from contactcentre.models import AuditAction
from contactcentre.services import audit_record

from ..models import (
    Employee,
    EmploymentStatus,
    JobRole,
    LeavingReason,
    Qualification,
    QualificationKind,
    Site,
    Team,
    User,
)
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
        if taken := _save_unless_taken(employee, lambda: _employee_number_taken(employee)):
            raise ValidationError(taken)
        induction_enrol(employee=employee, actor=actor)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=employee,
            summary=f"Employee {employee.employee_number}",
            detail={"user": user.pk, "job_role": job_role.code},
        )
    return employee


def _save_unless_taken(obj, taken: Callable[[], dict | None], **save_options) -> dict | None:
    """Save `obj` in a savepoint. Two saves at once of the same unique value both pass full_clean,
    and the database refuses the second: then the field errors the check would now give (`taken()`),
    for the caller to raise as it raises the check's; any other refusal is raised as it is."""
    try:
        with transaction.atomic():
            obj.save(**save_options)
    except IntegrityError:
        if errors := taken():
            return errors
        raise
    return None


def _employee_number_taken(employee: Employee) -> dict | None:
    """full_clean's field error for an employee number another record holds, or None."""
    others = Employee.objects.filter(employee_number=employee.employee_number).exclude(pk=employee.pk)
    if not others.exists():
        return None
    return {"employee_number": employee.unique_error_message(Employee, ("employee_number",)).messages}


def _registration_taken(qualification: Qualification) -> dict | None:
    """The field error for a registration number another qualification of its kind holds, or None."""
    if not qualification.registration_number:
        return None
    others = Qualification.objects.filter(
        kind=qualification.kind, registration_number=qualification.registration_number
    ).exclude(pk=qualification.pk)
    if not others.exists():
        return None
    return {
        "registration_number": [
            gettext("This registration number is already recorded: a registration number belongs to one person.")
        ]
    }


def _clean(obj, *, exclude: list[str], message: str) -> None:
    """full_clean, its errors as a DomainError naming the fields (views show them by the fields)."""
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as error:
        raise invalid(error, message) from None


def _locked(employee_id: int) -> Employee:
    return Employee.objects.select_for_update().select_related("user").get(pk=employee_id)


def employee_record_viewed(*, employee: Employee, actor, ip_address: str | None = None) -> None:
    """An employment record is personal data (and a nurse's registration): every opening is audited."""
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        obj=employee,
        ip_address=ip_address,
        summary=f"Employee {employee.employee_number}",
    )


def employees_read(
    *, actor, summary: str, filters: dict, employee_ids: list[int], ip_address: str | None = None
) -> None:
    """A page or API call listing people's employment details (the retention report's leavers with
    their reasons, the employees API): one audit row saying who read which records, with which
    filters. API clients are named like people."""
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type="staff.employee",
        ip_address=ip_address,
        summary=summary,
        detail={"filters": filters, "employees": employee_ids},
    )


def employee_list_exported(*, actor, filters: dict, ip_address: str | None = None) -> None:
    """The CSV export names people: who took one, and of what, is in the audit trail."""
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type="staff.employee",
        ip_address=ip_address,
        summary="employees CSV",
        detail={"filters": filters},
    )


def employee_update(
    *,
    actor,
    employee_id: int,
    job_role: JobRole,
    employee_number: str,
    start_date: date,
    contract_hours: Decimal,
    status: str,
    site: Site | None,
    team: Team | None,
) -> Employee:
    """Change a person's employment details (their site and team are on their account). A leaver's
    status is not changed here (employee_record_leaver records one); nor can anyone be made a leaver
    here. The access role stays as it is: a change of job does not change what they may do until an
    administrator changes their role. Audited with what changed."""
    if status == EmploymentStatus.LEFT:
        raise DomainError(
            gettext("Record a leaver with their leaving date and reason."),
            fields={"status": [gettext("Use “Record a leaver” to record that someone left.")]},
        )
    if team is not None and site is not None and team.site_id != site.pk:
        raise DomainError(
            gettext("The team is at another site."),
            fields={"team": [gettext("Choose a team at %(site)s.") % {"site": site.name}]},
        )
    with transaction.atomic():
        employee = _locked(employee_id)
        if employee.status == EmploymentStatus.LEFT and status != EmploymentStatus.LEFT:
            raise Conflict(gettext("This person has left: their status cannot change."))
        before = _employment_details(employee)
        employee.job_role = job_role
        employee.employee_number = employee_number.strip()
        employee.start_date = start_date
        employee.contract_hours = contract_hours
        employee.status = status
        message = gettext("The employment details could not be saved.")
        _clean(employee, exclude=["user"], message=message)
        if taken := _save_unless_taken(
            employee,
            lambda: _employee_number_taken(employee),
            update_fields=["job_role", "employee_number", "start_date", "contract_hours", "status"],
        ):
            raise DomainError(message, fields=taken)
        user = employee.user
        user.site = site or (team.site if team else None)
        user.team = team
        user.save(update_fields=["site", "team"])
        after = _employment_details(employee)
        changed = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=employee,
            summary=f"Employee {employee.employee_number}: employment details",
            detail={"changed": changed},
        )
    return employee


def _employment_details(employee: Employee) -> dict:
    return {
        "job_role": employee.job_role_id,
        "employee_number": employee.employee_number,
        "start_date": employee.start_date.isoformat(),
        "contract_hours": str(employee.contract_hours),
        "status": employee.status,
        "site": employee.user.site_id,
        "team": employee.user.team_id,
    }


def qualification_save(
    *,
    actor,
    employee: Employee,
    kind: str,
    name: str,
    registration_number: str = "",
    expires_on: date | None = None,
    qualification_id: int | None = None,
) -> Qualification:
    """Add a qualification to `employee`, or change one of theirs (`qualification_id`). A nursing
    registration needs its registration number and expiry date; a registration number belongs to one
    person. Audited."""
    registration_number = registration_number.strip()
    if kind == QualificationKind.NURSE_REGISTRATION:
        missing = {}
        if not registration_number:
            missing["registration_number"] = [gettext("A nursing registration needs its registration number.")]
        if expires_on is None:
            missing["expires_on"] = [gettext("A nursing registration needs its expiry date.")]
        if missing:
            raise DomainError(gettext("The nursing registration is incomplete."), fields=missing)
    with transaction.atomic():
        if qualification_id is None:
            qualification = Qualification(employee=employee)
        else:
            qualification = Qualification.objects.select_for_update().get(pk=qualification_id, employee=employee)
        qualification.kind = kind
        qualification.name = name.strip()
        qualification.registration_number = registration_number
        qualification.expires_on = expires_on
        message = gettext("The qualification could not be saved.")
        if taken := _registration_taken(qualification):
            raise DomainError(message, fields=taken)
        _clean(qualification, exclude=["employee"], message=message)
        if taken := _save_unless_taken(qualification, lambda: _registration_taken(qualification)):
            raise DomainError(message, fields=taken)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE if qualification_id is None else AuditAction.UPDATE,
            obj=qualification,
            summary=f"Employee {employee.employee_number}: {qualification.get_kind_display()}",
            detail={
                "employee": employee.pk,
                "kind": kind,
                "expires_on": expires_on.isoformat() if expires_on else None,
            },
        )
    return qualification


def employee_record_leaver(
    *, actor, employee_id: int, left_on: date, reason: str, note: str = "", today: date | None = None
) -> Employee:
    """Record that a person left: their last day (not before they started, not in the future), the
    reason and a note. Their status becomes left. Refused for someone already recorded as a leaver.
    Audited."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if reason not in LeavingReason.values:
        errors["reason"] = [gettext("Choose a leaving reason.")]
    if left_on > today:
        errors["left_on"] = [gettext("Record a leaver on or after their last day.")]
    with transaction.atomic():
        employee = _locked(employee_id)
        if employee.status == EmploymentStatus.LEFT:
            raise Conflict(
                gettext("%(name)s was already recorded as leaving on %(date)s.")
                % {"name": employee.user.full_name, "date": formats.date_format(employee.left_on, "d/m/Y")}
            )
        if left_on < employee.start_date:
            errors["left_on"] = [
                gettext("Not before their start date (%(date)s).")
                % {"date": formats.date_format(employee.start_date, "d/m/Y")}
            ]
        if errors:
            raise DomainError(gettext("The leaver could not be recorded."), fields=errors)
        employee.status = EmploymentStatus.LEFT
        employee.left_on = left_on
        employee.leaving_reason = reason
        employee.leaving_note = note.strip()
        _clean(employee, exclude=["user"], message=gettext("The leaver could not be recorded."))
        employee.save(update_fields=["status", "left_on", "leaving_reason", "leaving_note"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=employee,
            summary=f"Employee {employee.employee_number}: left",
            detail={"left_on": left_on.isoformat(), "reason": reason},
        )
    return employee


def employee_profit_share_set(*, actor, employee_id: int, eligible_from: date | None) -> Employee:
    """Record from when a person is in the employee participation (profit-share) scheme, or (None)
    that they are not. Not before they started. Audited."""
    with transaction.atomic():
        employee = _locked(employee_id)
        if eligible_from is not None and eligible_from < employee.start_date:
            raise DomainError(
                gettext("The profit-share eligibility could not be recorded."),
                fields={
                    "eligible_from": [
                        gettext("Not before their start date (%(date)s).")
                        % {"date": formats.date_format(employee.start_date, "d/m/Y")}
                    ]
                },
            )
        before = employee.profit_share_eligible_from
        employee.profit_share_eligible_from = eligible_from
        employee.save(update_fields=["profit_share_eligible_from"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=employee,
            summary=f"Employee {employee.employee_number}: profit-share eligibility",
            detail={
                "from": before.isoformat() if before else None,
                "to": eligible_from.isoformat() if eligible_from else None,
            },
        )
    return employee
