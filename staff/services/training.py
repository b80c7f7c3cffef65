"""Writes for training: sessions, enrolments and how they end (attended, completed with a score,
failed, did not attend, cancelled), the routing skill a completion grants, and training needs
(raised, planned, met, cancelled; renewals raised by a daily sweep). Each change is atomic and
audited; refusals are domain errors."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext

from contactcentre.exceptions import Conflict, DomainError, InvalidTransition, invalid, validation_fields
from contactcentre.models import AuditAction
from contactcentre.services import audit_record

from ..models import (
    Course,
    Employee,
    EmploymentStatus,
    Enrolment,
    EnrolmentStatus,
    InductionItem,
    NeedSource,
    NeedStatus,
    Site,
    TrainingNeed,
    TrainingSession,
    User,
)
from ..rules import training as rules

RECORD_PERMISSION = "staff.manage_people"
OPEN_NEEDS = (NeedStatus.OPEN, NeedStatus.PLANNED)


def induction_enrol(*, employee: Employee, actor=None) -> list[Enrolment]:
    """Enrol a new starter on every course of their job's induction plan, each due so many days after
    their start date. A course they already have an open place on is left alone, so running this
    twice enrols nobody twice (the database's one-open-place constraint says so too)."""
    items = InductionItem.objects.filter(job_role_id=employee.job_role_id).select_related("course")
    with transaction.atomic():
        open_courses = set(
            Enrolment.objects.filter(employee=employee, status=EnrolmentStatus.ENROLLED).values_list(
                "course_id", flat=True
            )
        )
        enrolments = [
            Enrolment(
                employee=employee,
                course=item.course,
                due_by=_due(employee.start_date, item.due_within_days),
            )
            for item in items
            if item.course_id not in open_courses and item.course.is_active
        ]
        created = Enrolment.objects.bulk_create(enrolments)
        if created:
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                object_type=Enrolment._meta.label_lower,
                summary=f"{employee.employee_number} enrolled on induction ({len(created)} courses)",
                detail={
                    "employee": employee.pk,
                    "enrolments": [e.pk for e in created],
                    "courses": [e.course.code for e in created],
                },
            )
    return created


def training_need_raise(
    *,
    employee: Employee,
    description: str,
    source: str,
    actor,
    course: Course | None = None,
    appraisal=None,
    evaluation=None,
) -> TrainingNeed:
    """Record that `employee` needs training (from an appraisal, a quality review, or their leader's
    judgement), optionally naming the course that would meet it. Audited. What the model refuses (an
    empty description...) is a DomainError naming the fields."""
    need = TrainingNeed(
        employee=employee,
        description=description.strip(),
        source=source,
        course=course,
        appraisal=appraisal,
        evaluation=evaluation,
        raised_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if source not in NeedSource.values:
        raise ValueError(f"Unknown training need source {source!r}")
    try:
        # A need the system raises (a renewal) has nobody who raised it: the field is nullable, not blank.
        need.full_clean(exclude=["raised_by"] if need.raised_by is None else None)
    except ValidationError as error:
        raise invalid(error, gettext("The training need could not be saved.")) from None
    with transaction.atomic():
        need.save()
        audit_record(
            actor=actor, action=AuditAction.CREATE, obj=need, summary=f"Training need for {employee.employee_number}"
        )
    return need


def _due(start: date, days: int) -> date:
    return start + timedelta(days=days)


# --- Sessions ----------------------------------------------------------------------------------


def session_create(
    *, actor, course: Course, site: Site, starts_at: datetime, trainer: User | None = None, capacity: int = 12
) -> TrainingSession:
    """Schedule a session of an active course at a site."""
    errors: dict[str, list[str]] = {}
    if not course.is_active:
        errors["course"] = [gettext("This course is no longer run.")]
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    if trainer is not None and not trainer.is_active:
        errors["trainer"] = [gettext("This person's account is closed.")]
    if capacity < 1:
        errors["capacity"] = [gettext("A session has at least one place.")]
    session = TrainingSession(course=course, site=site, starts_at=starts_at, trainer=trainer, capacity=capacity)
    try:
        session.full_clean(validate_constraints=False)
    except ValidationError as error:
        errors = {**validation_fields(error), **errors}
    if errors:
        raise DomainError(gettext("The session could not be saved."), fields=errors)
    with transaction.atomic():
        session.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=session,
            summary=f"Session of {course.code} on {starts_at:%Y-%m-%d}",
            detail={"capacity": capacity, "site": site.code, "trainer": trainer.pk if trainer else None},
        )
    return session


# --- Enrolments --------------------------------------------------------------------------------


def _places_taken(session: TrainingSession) -> int:
    return session.enrolments.filter(status__in=rules.PLACE_TAKING).count()


def _open_place_refusal(employee: Employee, place: Enrolment) -> Conflict:
    if place.session_id:
        where = gettext("in the session of %(day)s") % {
            "day": formats.date_format(timezone.localtime(place.session.starts_at), "d/m/Y")
        }
    else:
        where = gettext("not yet booked into a session")
    message = gettext(
        "%(name)s already has an open place on %(course)s (%(where)s): cancel it or record how it ended first."
    ) % {"name": employee.user.full_name, "course": place.course.title, "where": where}
    return Conflict(message, fields={"employee": [message]})


def enrol(
    *,
    actor,
    employee: Employee,
    course: Course,
    session: TrainingSession | None = None,
    due_by: date | None = None,
    need: TrainingNeed | None = None,
) -> Enrolment:
    """Give `employee` a place on `course`, in `session` when one is given. A person holds at most one
    open place per course: a place not yet booked into a session (an induction place) is booked into
    the session given; any other open place is refused. A full session is refused: the session row is
    locked while its places are counted, so two enrolments at once cannot both take its last place."""
    if not course.is_active:
        raise DomainError(gettext("This course is no longer run."), fields={"course": [gettext("No longer run.")]})
    if employee.status == EmploymentStatus.LEFT:
        message = gettext("%(name)s has left.") % {"name": employee.user.full_name}
        raise DomainError(message, fields={"employee": [message]})
    if session is not None and session.course_id != course.pk:
        message = gettext("This session is of another course.")
        raise DomainError(message, fields={"session": [message]})
    with transaction.atomic():
        if session is not None:
            session = TrainingSession.objects.select_for_update().get(pk=session.pk)
            if _places_taken(session) >= session.capacity:
                message = gettext("This session is full (%(capacity)s places).") % {"capacity": session.capacity}
                raise Conflict(message, fields={"session": [message]})
        place = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("course", "session")
            .filter(employee=employee, course=course, status=EnrolmentStatus.ENROLLED)
            .first()
        )
        if place is not None:
            if place.session_id or session is None:
                raise _open_place_refusal(employee, place)
            place.session = session
            place.due_by = due_by or place.due_by
            place.need = need or place.need
            place.save(update_fields=["session", "due_by", "need"])
            enrolment, action = place, "booked"
        else:
            enrolment = Enrolment(employee=employee, course=course, session=session, due_by=due_by, need=need)
            try:
                enrolment.full_clean(validate_constraints=False)
                with transaction.atomic():
                    enrolment.save()
            except ValidationError as error:
                raise invalid(error, gettext("The enrolment could not be saved.")) from None
            except IntegrityError:
                # Another enrolment of the same person on the course committed meanwhile.
                message = gettext("%(name)s already has an open place on this course.") % {
                    "name": employee.user.full_name
                }
                raise Conflict(message, fields={"employee": [message]}) from None
            action = "enrolled"
        audit_record(
            actor=actor,
            action=AuditAction.CREATE if action == "enrolled" else AuditAction.UPDATE,
            obj=enrolment,
            summary=f"{employee.employee_number} {action} on {course.code}",
            detail={"session": session.pk if session else None, "need": need.pk if need else None},
        )
    return enrolment


def may_record(actor, session: TrainingSession | None) -> bool:
    """HR records how anyone's training went; a trainer, how their own session's went."""
    return actor.has_perm(RECORD_PERMISSION) or (session is not None and session.trainer_id == actor.pk)


def _locked_enrolment(enrolment_id: int, actor, target: str) -> Enrolment:
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("course", "session", "employee__user")
        .get(pk=enrolment_id)
    )
    if not may_record(actor, enrolment.session):
        raise PermissionDenied
    if not rules.transition_allowed(enrolment.status, target):
        message = gettext(
            "This place is closed (%(status)s): only an open place can be completed, marked as not attended "
            "or cancelled."
        ) % {"status": enrolment.get_status_display().lower()}
        allowed = sorted(rules.ENROLMENT_TRANSITIONS[enrolment.status])
        raise InvalidTransition(message, fields={"status": [enrolment.status], "allowed": allowed})
    return enrolment


def _audit_change(actor, enrolment: Enrolment, before: str, **detail) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=enrolment,
        summary=f"{enrolment.employee.employee_number} on {enrolment.course.code}: {before} -> {enrolment.status}",
        detail={"from": before, "to": enrolment.status, **detail},
    )


def attendance_record(*, actor, enrolment_id: int, attended: bool = True) -> Enrolment:
    """Mark an open place as attended (or not) before its outcome is known."""
    with transaction.atomic():
        enrolment = _locked_enrolment(enrolment_id, actor, EnrolmentStatus.COMPLETED)
        enrolment.attended = attended
        enrolment.save(update_fields=["attended"])
        _audit_change(actor, enrolment, enrolment.status, attended=attended)
    return enrolment


def completion_record(
    *, actor, enrolment_id: int, score: int | None = None, completed_on: date | None = None
) -> Enrolment:
    """Record the end of a course attended: completed when the score reaches the course's pass mark
    (or the course has no assessment), failed otherwise. A completion expires so many calendar
    months later (the course's renewal); it adds the routing skill the course grants to the agent,
    and meets their open training needs for the course."""
    today = timezone.localdate()
    completed_on = completed_on or today
    with transaction.atomic():
        # Locked as for a completion: checked again below for a failure (same allowed source state).
        enrolment = _locked_enrolment(enrolment_id, actor, EnrolmentStatus.COMPLETED)
        course = enrolment.course
        errors: dict[str, list[str]] = {}
        if score is not None and not 0 <= score <= 100:
            errors["score"] = [gettext("A score is a percentage, from 0 to 100.")]
        elif score is None and course.pass_mark is not None:
            errors["score"] = [
                gettext("This course is assessed (pass mark %(mark)s%%): enter the score.") % {"mark": course.pass_mark}
            ]
        if completed_on > today:
            errors["completed_on"] = [gettext("A course cannot be completed in the future.")]
        if errors:
            raise DomainError(gettext("The result could not be recorded."), fields=errors)
        before = enrolment.status
        enrolment.attended = True
        enrolment.score = score
        fields = ["status", "attended", "score", "completed_on", "expires_on"]
        if rules.passed(score, course.pass_mark):
            enrolment.status = EnrolmentStatus.COMPLETED
            enrolment.completed_on = completed_on
            enrolment.expires_on = rules.expiry_date(completed_on, course.renewal_months)
        else:
            enrolment.status = EnrolmentStatus.FAILED
            enrolment.completed_on = enrolment.expires_on = None
        enrolment.save(update_fields=fields)
        _audit_change(actor, enrolment, before, score=score, pass_mark=course.pass_mark)
        if enrolment.status == EnrolmentStatus.COMPLETED:
            _skill_grant(actor, enrolment)
            _needs_meet(actor, enrolment)
    return enrolment


def _skill_grant(actor, enrolment: Enrolment) -> None:
    from calls.models import AgentStatus

    skill_id = enrolment.course.grants_skill_id
    if skill_id is None:
        return
    status, _created = AgentStatus.objects.get_or_create(user_id=enrolment.employee.user_id)
    if status.skills.filter(pk=skill_id).exists():
        return
    status.skills.add(skill_id)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=status,
        summary=f"Skill {skill_id} granted by completing {enrolment.course.code}",
        detail={"skill": skill_id, "enrolment": enrolment.pk},
    )


def _needs_meet(actor, enrolment: Enrolment) -> None:
    needs = TrainingNeed.objects.select_for_update().filter(
        Q(employee_id=enrolment.employee_id, course_id=enrolment.course_id) | Q(pk=enrolment.need_id),
        status__in=OPEN_NEEDS,
    )
    for need in needs:
        need.status = NeedStatus.MET
        need.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=need,
            summary=f"Training need met by completing {enrolment.course.code}",
            detail={"enrolment": enrolment.pk},
        )


def _end(*, actor, enrolment_id: int, target: str) -> Enrolment:
    with transaction.atomic():
        enrolment = _locked_enrolment(enrolment_id, actor, target)
        before = enrolment.status
        enrolment.status = target
        enrolment.attended = False
        enrolment.save(update_fields=["status", "attended"])
        _audit_change(actor, enrolment, before)
        if enrolment.need_id:
            _need_reopen(actor, enrolment)
    return enrolment


def _need_reopen(actor, enrolment: Enrolment) -> None:
    """The plan fell through: a need planned is open again, to be planned anew."""
    need = TrainingNeed.objects.select_for_update().filter(pk=enrolment.need_id, status=NeedStatus.PLANNED).first()
    if need is None:
        return
    need.status = NeedStatus.OPEN
    need.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=need,
        summary=f"Training need open again: {enrolment.course.code} place {enrolment.status}",
        detail={"from": NeedStatus.PLANNED, "to": NeedStatus.OPEN, "enrolment": enrolment.pk},
    )


def no_show(*, actor, enrolment_id: int) -> Enrolment:
    """The person did not attend the session they were booked on."""
    return _end(actor=actor, enrolment_id=enrolment_id, target=EnrolmentStatus.NO_SHOW)


def enrolment_cancel(*, actor, enrolment_id: int) -> Enrolment:
    """Give up an open place (it frees a place in its session)."""
    return _end(actor=actor, enrolment_id=enrolment_id, target=EnrolmentStatus.CANCELLED)


# --- Training needs ----------------------------------------------------------------------------


def _locked_need(need_id: int, *, allowed: tuple[str, ...]) -> TrainingNeed:
    need = (
        TrainingNeed.objects.select_for_update(of=("self",)).select_related("employee__user", "course").get(pk=need_id)
    )
    if need.status not in allowed:
        message = gettext("This training need is %(status)s.") % {"status": need.get_status_display().lower()}
        raise InvalidTransition(message, fields={"status": [need.status], "allowed": list(allowed)})
    return need


def need_plan(
    *, actor, need_id: int, course: Course | None = None, session: TrainingSession | None = None, due_by=None
) -> Enrolment:
    """Meet an open need by enrolling the person (on the need's course, or the one chosen when the
    need names none): the need becomes planned."""
    with transaction.atomic():
        need = _locked_need(need_id, allowed=(NeedStatus.OPEN,))
        course = need.course or course
        if course is None:
            message = gettext("Choose the course that meets this need.")
            raise DomainError(message, fields={"course": [message]})
        if need.course_id and session is not None and session.course_id != need.course_id:
            message = gettext("This session is of another course.")
            raise DomainError(message, fields={"session": [message]})
        enrolment = enrol(actor=actor, employee=need.employee, course=course, session=session, due_by=due_by, need=need)
        need.status = NeedStatus.PLANNED
        need.course = course
        need.save(update_fields=["status", "course"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=need,
            summary=f"Training need planned: {course.code}",
            detail={"enrolment": enrolment.pk},
        )
    return enrolment


def need_cancel(*, actor, need_id: int) -> TrainingNeed:
    """The need no longer stands (an open place made for it is left for whoever runs the session)."""
    with transaction.atomic():
        need = _locked_need(need_id, allowed=OPEN_NEEDS)
        before = need.status
        need.status = NeedStatus.CANCELLED
        need.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=need,
            summary="Training need cancelled",
            detail={"from": before},
        )
    return need


def renewal_needs_raise(*, today: date | None = None) -> int:
    """Raise a renewal need for every completion that expires within 30 days (or has expired) and is
    the person's latest on that course, unless they already have an open or planned need for it or an
    open place on it. Running it twice raises nothing twice. Returns how many were raised."""
    today = today or timezone.localdate()
    # Each person's latest completion per course (an expired one replaced by a later one is done with).
    latest = (
        Enrolment.objects.filter(
            status=EnrolmentStatus.COMPLETED,
            course__renewal_months__isnull=False,
            employee__status__in=[EmploymentStatus.ACTIVE, EmploymentStatus.ON_LEAVE],
        )
        .select_related("employee__user", "course")
        .order_by("employee_id", "course_id", "-completed_on")
        .distinct("employee_id", "course_id")
    )
    candidates = [e for e in latest if rules.renewal_due(e.expires_on, today)]
    raised = 0
    for enrolment in candidates:
        with transaction.atomic():
            # Serialises two sweeps on one person, so the check below holds until the need is saved.
            Employee.objects.select_for_update().filter(pk=enrolment.employee_id).first()
            planned = (
                TrainingNeed.objects.filter(
                    employee_id=enrolment.employee_id, course_id=enrolment.course_id, status__in=OPEN_NEEDS
                ).exists()
                or Enrolment.objects.filter(
                    employee_id=enrolment.employee_id, course_id=enrolment.course_id, status=EnrolmentStatus.ENROLLED
                ).exists()
            )
            if planned:
                continue
            training_need_raise(
                employee=enrolment.employee,
                course=enrolment.course,
                source=NeedSource.RENEWAL,
                actor=None,
                description=gettext("Renew %(course)s: the certificate expires on %(day)s.")
                % {"course": enrolment.course.title, "day": enrolment.expires_on.strftime("%d/%m/%Y")},
            )
            raised += 1
    return raised


# --- Reads of personal data --------------------------------------------------------------------


def training_viewed(
    *,
    actor,
    employees: Iterable[Employee],
    summary: str,
    obj=None,
    object_type: str = "",
    detail: dict | None = None,
    ip_address: str | None = None,
) -> None:
    """A page showed people's training (standing, scores, expiry, needs): one audit row for the page,
    naming whom it showed and how it was filtered; none when it showed nobody but the reader."""
    shown = sorted({e.pk for e in employees if e.user_id != actor.pk})
    if shown:
        audit_record(
            actor=actor,
            action=AuditAction.VIEW,
            obj=obj,
            object_type=object_type,
            summary=summary,
            ip_address=ip_address,
            detail={**(detail or {}), "employees": shown},
        )


def training_record_viewed(*, actor, employee: Employee, ip_address: str | None = None) -> None:
    """Someone read another person's training record."""
    training_viewed(
        actor=actor,
        employees=[employee],
        obj=employee,
        summary=f"Training record of {employee.employee_number}",
        ip_address=ip_address,
    )


def training_matrix_exported(*, actor, team, ip_address: str | None = None) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=team,
        summary=f"Training matrix of {team.name}",
        ip_address=ip_address,
    )
