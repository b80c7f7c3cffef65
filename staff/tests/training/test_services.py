"""Training's writes: sessions, enrolment (capacity under concurrency, one open place per course),
attendance, completion (pass mark, expiry, skill granting, needs met), no-shows, cancellations,
needs planned and cancelled, and the renewal sweep (also through its Celery task)."""

import threading
import time
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from calls.models import AgentStatus, Skill
from contactcentre.exceptions import Conflict, DomainError, InvalidTransition
from contactcentre.models import AuditAction, AuditEvent
from staff.models import Enrolment, EnrolmentStatus, NeedSource, NeedStatus, TrainingNeed
from staff.roles import Role
from staff.services import training as services
from staff.tasks.training import raise_renewal_needs
from staff.tests.factories import EmployeeFactory, SiteFactory

from .factories import (
    CourseFactory,
    EnrolmentFactory,
    InductionItemFactory,
    TrainingNeedFactory,
    TrainingSessionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr(user_factory):
    return user_factory(role=Role.HR)


@pytest.fixture
def employee(roles):
    return EmployeeFactory()


def test_session_create_schedules_and_audits(hr):
    course = CourseFactory()
    session = services.session_create(
        actor=hr, course=course, site=SiteFactory(), starts_at=timezone.now() + timedelta(days=3), capacity=8
    )
    assert session.capacity == 8
    assert AuditEvent.objects.filter(object_type="staff.trainingsession", object_id=str(session.pk)).exists()


def test_session_create_refuses_a_retired_course_and_no_places(hr):
    with pytest.raises(DomainError) as error:
        services.session_create(
            actor=hr, course=CourseFactory(is_active=False), site=SiteFactory(), starts_at=timezone.now(), capacity=0
        )
    assert {"course", "capacity"} <= error.value.fields.keys()


def test_enrol_books_a_place_in_a_session(hr, employee):
    session = TrainingSessionFactory()
    enrolment = services.enrol(actor=hr, employee=employee, course=session.course, session=session)
    assert enrolment.status == EnrolmentStatus.ENROLLED and enrolment.session == session


def test_enrol_refuses_a_full_session(hr, roles):
    session = TrainingSessionFactory(capacity=1)
    services.enrol(actor=hr, employee=EmployeeFactory(), course=session.course, session=session)
    with pytest.raises(Conflict) as error:
        services.enrol(actor=hr, employee=EmployeeFactory(), course=session.course, session=session)
    assert "full" in error.value.message and "session" in error.value.fields


def test_a_cancelled_place_frees_the_session(hr, roles):
    session = TrainingSessionFactory(capacity=1)
    first = services.enrol(actor=hr, employee=EmployeeFactory(), course=session.course, session=session)
    services.enrolment_cancel(actor=hr, enrolment_id=first.pk)
    services.enrol(actor=hr, employee=EmployeeFactory(), course=session.course, session=session)


def test_enrol_refuses_a_second_open_place_on_the_course_with_a_clear_error(hr, employee):
    session = TrainingSessionFactory()
    services.enrol(actor=hr, employee=employee, course=session.course, session=session)
    other = TrainingSessionFactory(course=session.course)
    with pytest.raises(Conflict) as error:
        services.enrol(actor=hr, employee=employee, course=session.course, session=other)
    assert "already has an open place" in error.value.message
    assert employee.user.full_name in error.value.message


def test_enrol_books_an_induction_place_into_the_session(hr, employee):
    course = CourseFactory()
    place = EnrolmentFactory(employee=employee, course=course, due_by=date(2026, 2, 1))
    session = TrainingSessionFactory(course=course)
    booked = services.enrol(actor=hr, employee=employee, course=course, session=session)
    assert booked.pk == place.pk and booked.session == session and booked.due_by == date(2026, 2, 1)


def test_enrol_refuses_a_session_of_another_course(hr, employee):
    with pytest.raises(DomainError) as error:
        services.enrol(actor=hr, employee=employee, course=CourseFactory(), session=TrainingSessionFactory())
    assert "session" in error.value.fields


def test_enrol_locks_the_session_row(hr, employee):
    session = TrainingSessionFactory()
    with CaptureQueriesContext(connection) as queries:
        services.enrol(actor=hr, employee=employee, course=session.course, session=session)
    assert any('FROM "staff_trainingsession"' in q["sql"] and "FOR UPDATE" in q["sql"] for q in queries)


@pytest.mark.django_db(transaction=True)
def test_two_enrolments_at_once_cannot_both_take_the_last_place(user_factory, monkeypatch):
    hr = user_factory(role=Role.HR)
    session = TrainingSessionFactory(capacity=1)
    people = [EmployeeFactory(), EmployeeFactory()]
    counted = services._places_taken

    def slow_count(s):
        taken = counted(s)
        time.sleep(0.3)  # both would read 0 here without the lock
        return taken

    monkeypatch.setattr(services, "_places_taken", slow_count)
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def book(employee):
        start.wait()
        try:
            services.enrol(actor=hr, employee=employee, course=session.course, session=session)
            outcomes.append("booked")
        except Conflict:
            outcomes.append("full")
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["booked", "full"]
    assert Enrolment.objects.filter(session=session).count() == 1


def test_attendance_is_recorded_by_hr_or_the_sessions_trainer_only(hr, user_factory, employee):
    trainer, someone = user_factory(role=Role.TEAM_LEADER), user_factory(role=Role.TEAM_LEADER)
    session = TrainingSessionFactory(trainer=trainer)
    place = EnrolmentFactory(employee=employee, course=session.course, session=session)
    assert services.attendance_record(actor=trainer, enrolment_id=place.pk).attended
    with pytest.raises(PermissionDenied):
        services.attendance_record(actor=someone, enrolment_id=place.pk)


def test_completion_sets_expiry_from_the_renewal_in_calendar_months(hr, employee):
    course = CourseFactory(renewal_months=12, pass_mark=80)
    place = EnrolmentFactory(employee=employee, course=course)
    done = services.completion_record(actor=hr, enrolment_id=place.pk, score=85, completed_on=date(2024, 2, 29))
    assert (done.status, done.attended, done.score) == (EnrolmentStatus.COMPLETED, True, 85)
    assert (done.completed_on, done.expires_on) == (date(2024, 2, 29), date(2025, 2, 28))


def test_a_score_below_the_pass_mark_fails_and_grants_nothing(hr, employee):
    skill = Skill.objects.create(code="nurse-line", name="Nurse line")
    course = CourseFactory(pass_mark=80, grants_skill=skill)
    need = TrainingNeedFactory(employee=employee, course=course)
    place = EnrolmentFactory(employee=employee, course=course)
    failed = services.completion_record(actor=hr, enrolment_id=place.pk, score=79)
    assert (failed.status, failed.completed_on, failed.expires_on) == (EnrolmentStatus.FAILED, None, None)
    assert not AgentStatus.objects.filter(user=employee.user).exists()
    need.refresh_from_db()
    assert need.status == NeedStatus.OPEN


def test_an_assessed_course_needs_a_score_and_scores_are_percentages(hr, employee):
    place = EnrolmentFactory(employee=employee, course=CourseFactory(pass_mark=70))
    with pytest.raises(DomainError) as missing:
        services.completion_record(actor=hr, enrolment_id=place.pk)
    with pytest.raises(DomainError) as too_high:
        services.completion_record(actor=hr, enrolment_id=place.pk, score=101)
    assert "score" in missing.value.fields and "score" in too_high.value.fields
    place.refresh_from_db()
    assert place.status == EnrolmentStatus.ENROLLED


def test_completion_grants_the_routing_skill_creating_the_agent_status(hr, employee):
    skill = Skill.objects.create(code="corporate", name="Corporate accounts")
    course = CourseFactory(grants_skill=skill)
    place = EnrolmentFactory(employee=employee, course=course)
    services.completion_record(actor=hr, enrolment_id=place.pk)
    assert list(AgentStatus.objects.get(user=employee.user).skills.all()) == [skill]


def test_completion_adds_the_skill_to_an_existing_agent_status_keeping_the_others(hr, employee):
    kept, granted = Skill.objects.create(code="a", name="A"), Skill.objects.create(code="b", name="B")
    status = AgentStatus.objects.create(user=employee.user, extension="2001")
    status.skills.add(kept)
    place = EnrolmentFactory(employee=employee, course=CourseFactory(grants_skill=granted))
    services.completion_record(actor=hr, enrolment_id=place.pk)
    assert set(status.skills.all()) == {kept, granted}
    assert AgentStatus.objects.get(user=employee.user).extension == "2001"


def test_completion_meets_the_open_needs_for_the_course_only(hr, employee):
    course = CourseFactory()
    met = TrainingNeedFactory(employee=employee, course=course)
    other = TrainingNeedFactory(employee=employee, course=CourseFactory())
    place = EnrolmentFactory(employee=employee, course=course)
    services.completion_record(actor=hr, enrolment_id=place.pk)
    met.refresh_from_db()
    other.refresh_from_db()
    assert (met.status, other.status) == (NeedStatus.MET, NeedStatus.OPEN)


def test_a_closed_enrolment_cannot_be_completed_again(hr, employee):
    place = EnrolmentFactory(employee=employee, course=CourseFactory())
    services.no_show(actor=hr, enrolment_id=place.pk)
    with pytest.raises(InvalidTransition) as error:
        services.completion_record(actor=hr, enrolment_id=place.pk)
    assert "did not attend" in error.value.message


def test_completion_cannot_be_in_the_future(hr, employee):
    place = EnrolmentFactory(employee=employee, course=CourseFactory())
    with pytest.raises(DomainError) as error:
        services.completion_record(
            actor=hr, enrolment_id=place.pk, completed_on=timezone.localdate() + timedelta(days=1)
        )
    assert "completed_on" in error.value.fields


def test_need_plan_enrols_and_marks_the_need_planned(hr, employee):
    course = CourseFactory()
    need = TrainingNeedFactory(employee=employee, course=None)
    session = TrainingSessionFactory(course=course)
    enrolment = services.need_plan(actor=hr, need_id=need.pk, course=course, session=session)
    need.refresh_from_db()
    assert (need.status, need.course, enrolment.need) == (NeedStatus.PLANNED, course, need)


def test_need_plan_without_a_course_is_refused(hr, employee):
    need = TrainingNeedFactory(employee=employee, course=None)
    with pytest.raises(DomainError) as error:
        services.need_plan(actor=hr, need_id=need.pk)
    assert "course" in error.value.fields
    need.refresh_from_db()
    assert need.status == NeedStatus.OPEN


def test_a_cancelled_place_reopens_its_planned_need(hr, employee):
    need = TrainingNeedFactory(employee=employee, course=CourseFactory())
    enrolment = services.need_plan(actor=hr, need_id=need.pk)
    services.enrolment_cancel(actor=hr, enrolment_id=enrolment.pk)
    need.refresh_from_db()
    assert need.status == NeedStatus.OPEN


def test_need_cancel_and_a_cancelled_need_cannot_be_planned(hr, employee):
    need = TrainingNeedFactory(employee=employee, course=CourseFactory())
    services.need_cancel(actor=hr, need_id=need.pk)
    with pytest.raises(InvalidTransition):
        services.need_plan(actor=hr, need_id=need.pk)


def _completed(employee, course, on, expires):
    return EnrolmentFactory(
        employee=employee,
        course=course,
        status=EnrolmentStatus.COMPLETED,
        attended=True,
        completed_on=on,
        expires_on=expires,
    )


def test_renewal_sweep_raises_one_need_per_expiring_completion_and_is_idempotent(employee):
    today = timezone.localdate()
    course = CourseFactory(renewal_months=12)
    _completed(employee, course, today - timedelta(days=350), today + timedelta(days=15))
    _completed(EmployeeFactory(), course, today - timedelta(days=300), today + timedelta(days=65))  # not yet
    assert services.renewal_needs_raise() == 1
    assert services.renewal_needs_raise() == 0
    need = TrainingNeed.objects.get()
    assert (need.employee, need.course, need.source, need.status) == (
        employee,
        course,
        NeedSource.RENEWAL,
        NeedStatus.OPEN,
    )


def test_renewal_sweep_skips_replaced_completions_and_booked_renewals(employee):
    today = timezone.localdate()
    renewed, booked = CourseFactory(renewal_months=12), CourseFactory(renewal_months=12)
    _completed(employee, renewed, today - timedelta(days=700), today - timedelta(days=335))
    _completed(employee, renewed, today - timedelta(days=20), today + timedelta(days=345))
    _completed(employee, booked, today - timedelta(days=350), today + timedelta(days=15))
    EnrolmentFactory(employee=employee, course=booked)
    assert services.renewal_needs_raise() == 0


def test_renewal_task_runs_the_sweep_eagerly(employee):
    today = timezone.localdate()
    _completed(employee, CourseFactory(renewal_months=6), today - timedelta(days=170), today + timedelta(days=10))
    assert raise_renewal_needs.apply().get() == 1
    assert raise_renewal_needs.apply().get() == 0


def test_raising_a_need_the_model_refuses_is_a_domain_error_naming_the_field(hr, employee):
    with pytest.raises(DomainError) as error:
        services.training_need_raise(employee=employee, description="   ", source=NeedSource.MANAGER, actor=hr)
    assert "description" in error.value.fields
    assert not TrainingNeed.objects.exists()


def test_raising_a_need_is_saved_with_its_audit_or_not_at_all(hr, employee, monkeypatch):
    def audit_fails(**kwargs):
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr(services, "audit_record", audit_fails)
    with pytest.raises(RuntimeError):
        services.training_need_raise(employee=employee, description="Products", source=NeedSource.MANAGER, actor=hr)
    assert not TrainingNeed.objects.exists()


def test_induction_enrol_audits_one_row_listing_the_places_it_made(hr, roles):
    employee = EmployeeFactory()
    for title in ("Systems", "Products"):
        InductionItemFactory(job_role=employee.job_role, course=CourseFactory(title=title))
    places = services.induction_enrol(employee=employee, actor=hr)
    audit = AuditEvent.objects.get(object_type="staff.enrolment", action=AuditAction.CREATE)
    assert audit.actor == hr and audit.detail["employee"] == employee.pk
    assert sorted(audit.detail["enrolments"]) == sorted(p.pk for p in places) and len(places) == 2
    assert services.induction_enrol(employee=employee, actor=hr) == []
    assert AuditEvent.objects.filter(object_type="staff.enrolment").count() == 1


def test_a_need_open_again_after_its_place_is_cancelled_is_audited(hr, employee):
    need = TrainingNeedFactory(employee=employee, course=CourseFactory())
    enrolment = services.need_plan(actor=hr, need_id=need.pk)
    services.no_show(actor=hr, enrolment_id=enrolment.pk)
    audit = AuditEvent.objects.filter(object_type="staff.trainingneed", object_id=str(need.pk)).latest("pk")
    assert audit.actor == hr and audit.detail == {"from": "planned", "to": "open", "enrolment": enrolment.pk}
