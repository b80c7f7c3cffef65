"""The recruitment services: applications in, the locked stage move, the hire, scores and notes, and
the retention sweep."""

import logging
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from contactcentre.exceptions import Conflict, DomainError, InvalidTransition
from contactcentre.models import AuditEvent
from staff.models import Application, AssessmentScore, Employee, InterviewNote, Stage, StageChange, VacancyStatus
from staff.models.jobs import Assessment
from staff.roles import Role
from staff.services import recruitment as services
from staff.tests.factories import JobRoleFactory, SiteFactory, TeamFactory

from .factories import ApplicationFactory, VacancyFactory, person_specification

pytestmark = pytest.mark.django_db

S = Stage


@pytest.fixture
def hr(user_factory):
    return user_factory(role=Role.HR)


def move_along(application, hr, *stages):
    for stage in stages:
        services.application_move(application_id=application.pk, target=stage, actor=hr)
    application.refresh_from_db()
    return application


TO_ACCEPTED = (S.TELEPHONE_SCREENING, S.ASSESSMENT_CENTRE, S.CENTRE_VISIT, S.OFFER, S.ACCEPTED)


def test_a_vacancy_gets_a_reference_from_its_year_and_number(hr):
    vacancy = services.vacancy_create(
        actor=hr, job_role=JobRoleFactory(), site=SiteFactory(), posts=2, opened_on=date(2026, 3, 2)
    )
    assert vacancy.reference == f"V-2026-{vacancy.pk:04d}"
    assert AuditEvent.objects.filter(object_type="staff.vacancy", action="create").count() == 1


def test_a_vacancy_cannot_stop_taking_applications_before_it_opens(hr):
    with pytest.raises(DomainError) as refused:
        services.vacancy_create(
            actor=hr,
            job_role=JobRoleFactory(),
            site=SiteFactory(),
            opened_on=date(2026, 3, 2),
            closes_on=date(2026, 3, 1),
        )
    assert "closes_on" in refused.value.fields


def test_an_application_starts_in_applied_with_its_first_stage_change(roles):
    vacancy = VacancyFactory()
    application = services.application_create(vacancy=vacancy, full_name=" Amira Haddad ", email="amira@example.net")
    assert application.full_name == "Amira Haddad"
    assert application.stage == S.APPLIED
    change = StageChange.objects.get(application=application)
    assert (change.from_stage, change.to_stage, change.actor) == ("", S.APPLIED, None)


def test_a_second_application_from_the_same_email_is_refused_whatever_its_case(roles):
    vacancy = VacancyFactory()
    services.application_create(vacancy=vacancy, full_name="Amira Haddad", email="amira@example.net")
    with pytest.raises(Conflict) as refused:
        services.application_create(vacancy=vacancy, full_name="Amira H", email="AMIRA@example.net")
    assert "already applied" in refused.value.fields["email"][0]
    # ...but the same person may apply for another vacancy.
    services.application_create(vacancy=VacancyFactory(), full_name="Amira Haddad", email="amira@example.net")


def test_a_repeat_from_the_careers_site_gets_the_first_ones_receipt_and_is_logged_without_the_address(roles, caplog):
    vacancy = VacancyFactory()
    first = services.careers_application_receive(vacancy=vacancy, full_name="Amira Haddad", email="amira@example.net")
    with caplog.at_level(logging.INFO, logger="staff.services.recruitment"):
        repeat = services.careers_application_receive(
            vacancy=vacancy, full_name="Amira H", email="AMIRA@example.net", cover_note="Again"
        )
    assert (
        repeat
        == first
        == services.CareersReceipt(reference=first.reference, vacancy=vacancy.reference, stage=S.APPLIED)
    )
    assert Application.objects.count() == 1 and StageChange.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="staff.application").count() == 1
    [record] = caplog.records
    assert record.levelno == logging.INFO
    assert f"repeat application to {vacancy.reference} was answered with {first.reference}" in record.getMessage()
    assert "amira" not in caplog.text.lower()


def test_a_closed_vacancy_takes_no_applications(hr):
    vacancy = VacancyFactory()
    services.vacancy_close(vacancy_id=vacancy.pk, actor=hr)
    with pytest.raises(Conflict) as refused:
        services.application_create(vacancy=vacancy, full_name="Late Larry", email="larry@example.net")
    assert "vacancy" in refused.value.fields
    past_closing = VacancyFactory(opened_on=date(2026, 1, 1), closes_on=date(2026, 1, 31))
    with pytest.raises(Conflict):
        services.application_create(vacancy=past_closing, full_name="Late Larry", email="larry@example.net")


def test_an_application_needs_a_way_to_reach_the_candidate(roles):
    with pytest.raises(DomainError) as refused:
        services.application_create(vacancy=VacancyFactory(), full_name="No Contact")
    assert "email" in refused.value.fields


def test_moving_records_the_change_with_time_and_actor_and_audits_it(hr):
    application = ApplicationFactory()
    when = timezone.now() - timedelta(hours=1)
    services.application_move(application_id=application.pk, target=S.TELEPHONE_SCREENING, actor=hr, now=when)
    application.refresh_from_db()
    assert (application.stage, application.stage_entered_at, application.closed_at) == (
        S.TELEPHONE_SCREENING,
        when,
        None,
    )
    change = StageChange.objects.get(application=application, to_stage=S.TELEPHONE_SCREENING)
    assert (change.from_stage, change.actor, change.at) == (S.APPLIED, hr, when)
    assert AuditEvent.objects.filter(
        object_type="staff.application", summary__endswith="applied -> telephone_screening"
    )


def test_a_moves_audit_says_a_reason_was_given_but_not_what_it_said(hr):
    application = ApplicationFactory()
    services.application_move(
        application_id=application.pk, target=S.REJECTED, actor=hr, reason="Disclosed a health condition"
    )
    audit = AuditEvent.objects.get(object_type="staff.application", summary__endswith="applied -> rejected")
    assert audit.detail == {"from": S.APPLIED, "to": S.REJECTED, "reason_given": True}
    assert "health" not in str(audit.detail) + audit.summary


def test_an_unreachable_stage_is_refused_with_the_allowed_next_stages(hr):
    application = ApplicationFactory()
    with pytest.raises(InvalidTransition) as refused:
        services.application_move(application_id=application.pk, target=S.OFFER, actor=hr)
    message = refused.value.message
    assert "Allowed next stages: Telephone screening, Rejected, Withdrawn" in message
    application.refresh_from_db()
    assert application.stage == S.APPLIED
    assert StageChange.objects.filter(application=application).count() == 0  # the factory wrote none


def test_rejection_needs_a_reason_and_closes_the_application(hr):
    application = ApplicationFactory()
    with pytest.raises(DomainError) as refused:
        services.application_move(application_id=application.pk, target=S.REJECTED, actor=hr, reason="  ")
    assert "reason" in refused.value.fields
    services.application_move(
        application_id=application.pk, target=S.REJECTED, actor=hr, reason="No contact-centre experience"
    )
    application.refresh_from_db()
    assert application.stage == S.REJECTED and application.closed_at is not None
    assert application.close_reason == "No contact-centre experience"
    with pytest.raises(InvalidTransition, match="none: this application is closed"):
        services.application_move(application_id=application.pk, target=S.TELEPHONE_SCREENING, actor=hr)


def test_hired_is_reached_only_through_the_hire(hr):
    application = move_along(ApplicationFactory(), hr, *TO_ACCEPTED)
    with pytest.raises(InvalidTransition, match="hire form"):
        services.application_move(application_id=application.pk, target=S.HIRED, actor=hr)


def test_hiring_makes_the_employee_in_the_jobs_role_with_an_induction_and_fills_the_vacancy(hr):
    vacancy = VacancyFactory(posts=1)
    team = TeamFactory(site=vacancy.site)
    application = move_along(ApplicationFactory(vacancy=vacancy, email="new.starter@example.net"), hr, *TO_ACCEPTED)
    services.application_hire(
        application_id=application.pk,
        actor=hr,
        employee_number="E90001",
        start_date=date(2026, 12, 7),
        contract_hours=Decimal("37.5"),
        team=team,
    )
    application.refresh_from_db()
    vacancy.refresh_from_db()
    employee = Employee.objects.select_related("user").get(employee_number="E90001")
    assert application.employee == employee and application.stage == S.HIRED and application.closed_at
    assert employee.user.email == "new.starter@example.net" and employee.user.team == team
    assert employee.user.groups.filter(name=vacancy.job_role.access_role).exists()
    assert (vacancy.status, vacancy.filled_on) == (VacancyStatus.FILLED, timezone.localdate())


def test_a_vacancy_with_two_posts_stays_open_after_one_hire(hr):
    vacancy = VacancyFactory(posts=2)
    application = move_along(ApplicationFactory(vacancy=vacancy), hr, *TO_ACCEPTED)
    services.application_hire(
        application_id=application.pk, actor=hr, employee_number="E90002", start_date=date(2026, 12, 7),
        contract_hours=Decimal("20"),
    )  # fmt: skip
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.OPEN


def test_only_an_accepted_offer_can_be_hired(hr):
    application = move_along(ApplicationFactory(), hr, S.TELEPHONE_SCREENING)
    with pytest.raises(InvalidTransition, match="Allowed next stages: Assessment centre"):
        services.application_hire(
            application_id=application.pk, actor=hr, employee_number="E90003", start_date=date(2026, 12, 7),
            contract_hours=Decimal("37.5"),
        )  # fmt: skip
    assert not Employee.objects.filter(employee_number="E90003").exists()


def test_a_hire_with_a_taken_employee_number_is_refused_on_that_field(hr):
    from staff.tests.factories import EmployeeFactory

    EmployeeFactory(employee_number="E90004")
    application = move_along(ApplicationFactory(), hr, *TO_ACCEPTED)
    with pytest.raises(DomainError) as refused:
        services.application_hire(
            application_id=application.pk, actor=hr, employee_number="E90004", start_date=date(2026, 12, 7),
            contract_hours=Decimal("37.5"),
        )  # fmt: skip
    assert "employee_number" in refused.value.fields
    application.refresh_from_db()
    assert application.stage == S.ACCEPTED


def test_scores_are_for_the_person_specification_in_its_exercise_and_a_second_one_updates(hr):
    application = ApplicationFactory()
    spec = person_specification(application.vacancy.job_role)
    first = services.score_record(
        application_id=application.pk, competency=spec["empathy"], exercise=Assessment.TELEPHONE_SCREENING,
        score=3, assessor=hr, evidence="Calm with the role-play caller",
    )  # fmt: skip
    again = services.score_record(
        application_id=application.pk, competency=spec["empathy"], exercise=Assessment.TELEPHONE_SCREENING,
        score=4, assessor=hr,
    )  # fmt: skip
    assert again.pk == first.pk and AssessmentScore.objects.get(pk=first.pk).score == 4
    with pytest.raises(DomainError) as refused:
        services.score_record(
            application_id=application.pk, competency=spec["written-english"],
            exercise=Assessment.TELEPHONE_SCREENING, score=4, assessor=hr,
        )  # fmt: skip
    assert "competency" in refused.value.fields


@pytest.mark.parametrize("score", [0, 6, None])
def test_a_score_outside_one_to_five_is_a_field_error(hr, score):
    application = ApplicationFactory()
    spec = person_specification(application.vacancy.job_role)
    with pytest.raises(DomainError) as refused:
        services.score_record(
            application_id=application.pk, competency=spec["empathy"], exercise=Assessment.COMPETENCY_INTERVIEW,
            score=score, assessor=hr,
        )  # fmt: skip
    assert list(refused.value.fields) == ["score"]
    assert not AssessmentScore.objects.exists()


def test_a_note_is_kept_at_the_current_stage_and_an_empty_one_is_refused(hr):
    application = move_along(ApplicationFactory(), hr, S.TELEPHONE_SCREENING)
    note = services.note_add(application_id=application.pk, author=hr, text="Clear and warm on the phone.")
    assert note.stage == S.TELEPHONE_SCREENING
    with pytest.raises(DomainError):
        services.note_add(application_id=application.pk, author=hr, text="   ")


def _closed(hr, days_ago: int):
    application = ApplicationFactory(full_name="Keep Or Forget")
    spec = person_specification(application.vacancy.job_role)
    services.score_record(
        application_id=application.pk, competency=spec["empathy"], exercise=Assessment.TELEPHONE_SCREENING,
        score=2, assessor=hr, evidence="Mentioned her divorce",
    )  # fmt: skip
    services.note_add(application_id=application.pk, author=hr, text="Lives in Egham")
    services.application_move(
        application_id=application.pk, target=S.TELEPHONE_SCREENING, actor=hr, reason="Her carer's hours allow it",
        now=timezone.now() - timedelta(days=days_ago + 1),
    )  # fmt: skip
    services.application_move(
        application_id=application.pk, target=S.WITHDRAWN, actor=hr, reason="Took another job",
        now=timezone.now() - timedelta(days=days_ago),
    )  # fmt: skip
    return application


def test_the_retention_sweep_blanks_personal_data_after_the_period_once(hr, settings):
    settings.RECRUITMENT_RETENTION_DAYS = 180
    old = _closed(hr, days_ago=181)
    recent = _closed(hr, days_ago=179)
    open_one = ApplicationFactory(full_name="Still Applying")
    assert services.applications_anonymise().anonymised == 1
    old.refresh_from_db()
    assert (old.full_name, old.email, old.phone, old.cover_note) == ("Anonymised candidate", "", "", "")
    assert old.close_reason == "" and old.anonymised_at is not None
    changes = StageChange.objects.filter(application=old).order_by("at")
    assert [(c.to_stage, c.reason) for c in changes] == [(S.TELEPHONE_SCREENING, ""), (S.WITHDRAWN, "")]
    assert InterviewNote.objects.get(application=old).text == ""
    score = AssessmentScore.objects.get(application=old)
    assert (score.evidence, score.score) == ("", 2)  # the score stays for the metrics
    assert Application.objects.get(pk=recent.pk).full_name == "Keep Or Forget"
    assert Application.objects.get(pk=open_one.pk).full_name == "Still Applying"
    assert InterviewNote.objects.get(application=recent).text == "Lives in Egham"
    assert Application.objects.get(pk=recent.pk).close_reason == "Took another job"
    assert set(StageChange.objects.filter(application=recent).values_list("reason", flat=True)) == {
        "Her carer's hours allow it",
        "Took another job",
    }
    # Idempotent: a second run finds nothing, and audits nothing more.
    assert services.applications_anonymise().anonymised == 0
    assert AuditEvent.objects.filter(summary__endswith="applications anonymised").count() == 1
    with pytest.raises(Conflict):
        services.note_add(application_id=old.pk, author=hr, text="Too late")


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
@pytest.mark.slow
def test_a_real_worker_on_redis_runs_the_retention_sweep(tmp_path, user_factory, settings):
    """The task, sent through Redis by name as beat sends it, runs in a worker process against this
    test's database; sent twice, the application is anonymised and audited once."""
    from contactcentre.models import Heartbeat
    from contactcentre.tasks import heartbeat
    from contactcentre.tests.celery_worker import celery_worker, wait_until
    from staff.tasks.recruitment import applications_anonymise

    hr = user_factory(role=Role.HR)
    old = _closed(hr, days_ago=400)
    log = tmp_path / "worker.log"
    with celery_worker(broker_env={"REDIS_URL": settings.REDIS_URL}, log_path=log, beat=False) as queue:
        applications_anonymise.apply_async(queue=queue)
        applications_anonymise.apply_async(queue=queue)
        heartbeat.apply_async(queue=queue)

        def ran() -> bool:
            # The worker knows the task only if Celery's autodiscovery imports it (staff/tasks/__init__.py).
            assert "unregistered task" not in log.read_text(), "the worker does not know the task"
            return Heartbeat.objects.filter(name="celery").exists()

        wait_until(
            ran,
            timeout=60,
            log_path=log,
            what="both sweeps and the heartbeat after them ran",
        )
    old.refresh_from_db()
    assert old.full_name == "Anonymised candidate"
    assert AuditEvent.objects.filter(summary__endswith="applications anonymised").count() == 1
    assert "staff.tasks.recruitment.applications_anonymise" in log.read_text()


def test_the_retention_sweep_is_scheduled_daily():
    from django.conf import settings

    assert ("Anonymise closed applications", "staff.tasks.recruitment.applications_anonymise", 86400) in (
        settings.PERIODIC_TASKS
    )


@pytest.mark.django_db(transaction=True)
def test_two_moves_at_once_cannot_both_happen(user_factory):
    """The row is locked while it is checked: a second move of the same card waits for the first,
    then sees the stage it left and is refused, instead of writing the move twice."""
    import threading

    from django.db import connection, transaction

    hr = user_factory(role=Role.HR)
    application = ApplicationFactory()
    outcome = {}

    def second_move():
        try:
            services.application_move(application_id=application.pk, target=S.TELEPHONE_SCREENING, actor=hr)
            outcome["second"] = "moved"
        except InvalidTransition:
            outcome["second"] = "refused"
        finally:
            connection.close()

    with transaction.atomic():
        services.application_move(application_id=application.pk, target=S.TELEPHONE_SCREENING, actor=hr)
        other = threading.Thread(target=second_move)
        other.start()
        other.join(timeout=1)
        assert other.is_alive(), "the second move should wait for the first one's lock"
    other.join(timeout=10)
    assert outcome == {"second": "refused"}
    assert StageChange.objects.filter(application=application, to_stage=S.TELEPHONE_SCREENING).count() == 1
