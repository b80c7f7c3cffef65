"""Complaint services: logging one with its deadlines, the state machine (allowed and refused moves),
assignment, and the deadline sweep (reminders once, breaches once, emails after commit)."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from calls.models import Complaint, ComplaintStatus
from calls.services import complaints as services
from calls.tests.factories import ComplaintFactory, ContactFactory
from claims.tests.factories import CustomerFactory
from contactcentre.exceptions import DomainError, InvalidTransition
from contactcentre.models import AuditAction, AuditEvent
from staff.roles import Role
from staff.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
FRIDAY_BEFORE_BANK_HOLIDAY = datetime(2026, 8, 28, 15, 30, tzinfo=LONDON)


@pytest.fixture
def team(user_factory):
    leader = user_factory(role=Role.TEAM_LEADER, full_name="Tara Leader")
    return TeamFactory(leader=leader, site=leader.site)


@pytest.fixture
def agent(user_factory, team):
    return user_factory(role=Role.AGENT, team=team, full_name="Adam Agent")


@pytest.fixture
def leader(team):
    return team.leader


def log(agent, **overrides) -> Complaint:
    arguments = {
        "actor": agent,
        "customer": CustomerFactory(),
        "channel": "phone",
        "received_at": FRIDAY_BEFORE_BANK_HOLIDAY,
        "category": "claims_handling",
        "severity": "high",
        "summary": "My claim has been waiting three weeks.",
        **overrides,
    }
    return services.complaint_create(**arguments)


def audit_actions(complaint) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="calls.complaint", object_id=str(complaint.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


class TestCreate:
    def test_logging_fixes_the_fca_deadlines_and_a_yearly_reference(self, agent):
        complaint = log(agent)
        assert complaint.reference == f"C-2026-{complaint.pk:06d}"
        assert complaint.status == ComplaintStatus.OPEN
        assert complaint.profile == "fca_disp"
        assert timezone.localtime(complaint.summary_resolution_due).isoformat() == "2026-09-03T23:59:59.999999+01:00"
        assert timezone.localtime(complaint.final_response_due).isoformat() == "2026-10-23T23:59:59.999999+01:00"
        assert audit_actions(complaint) == [AuditAction.CREATE]

    def test_contact_given_is_linked_and_names_the_member(self, agent):
        contact = ContactFactory(agent=agent)
        complaint = log(agent, customer=None, contact=contact)
        contact.refresh_from_db()
        assert contact.complaint_id == complaint.pk
        assert complaint.customer_id == contact.customer_id

    def test_contact_that_already_has_a_complaint_is_refused_and_nothing_is_saved(self, agent):
        contact = ContactFactory(agent=agent)
        log(agent, customer=None, contact=contact)
        with pytest.raises(DomainError) as refused:
            log(agent, customer=None, contact=contact)
        assert "contact" in refused.value.fields
        assert Complaint.objects.count() == 1

    def test_receipt_in_the_future_is_refused(self, agent):
        with pytest.raises(DomainError) as refused:
            log(agent, received_at=timezone.now() + timedelta(hours=1))
        assert "received_at" in refused.value.fields

    def test_owner_must_handle_complaints(self, agent, user_factory):
        assessor = user_factory(role=Role.CLAIMS_ASSESSOR)
        with pytest.raises(DomainError) as refused:
            log(agent, owner=assessor)
        assert "owner" in refused.value.fields

    def test_unknown_installation_profile_is_a_configuration_error(self, agent, settings):
        settings.COMPLAINT_PROFILE = "nowhere"
        with pytest.raises(ImproperlyConfigured):
            log(agent)


class TestTransitions:
    def test_acknowledge_records_when_and_is_audited(self, agent):
        complaint = log(agent, received_at=timezone.now())
        done = services.complaint_acknowledge(complaint_id=complaint.pk, actor=agent)
        assert done.status == ComplaintStatus.ACKNOWLEDGED
        assert done.acknowledged_at is not None
        assert audit_actions(complaint) == [AuditAction.CREATE, AuditAction.UPDATE]

    def test_acknowledging_twice_is_refused(self, agent):
        complaint = log(agent, received_at=timezone.now())
        services.complaint_acknowledge(complaint_id=complaint.pk, actor=agent)
        with pytest.raises(InvalidTransition):
            services.complaint_acknowledge(complaint_id=complaint.pk, actor=agent)

    def test_transition_locks_the_row(self, agent):
        complaint = log(agent, received_at=timezone.now())
        with CaptureQueriesContext(connection) as queries:
            services.complaint_acknowledge(complaint_id=complaint.pk, actor=agent)
        assert any("FOR UPDATE" in q["sql"] for q in queries.captured_queries)

    def test_summary_resolution_within_three_business_days(self, agent):
        complaint = log(agent)
        on_thursday = datetime(2026, 9, 3, 17, 0, tzinfo=LONDON)
        done = services.complaint_resolve(
            complaint_id=complaint.pk, actor=agent, outcome="upheld", redress=Decimal("25.00"), now=on_thursday
        )
        assert (done.status, done.outcome, done.redress, done.resolved_at) == (
            "resolved",
            "upheld",
            Decimal("25.00"),
            on_thursday,
        )

    def test_summary_resolution_after_the_window_is_refused_with_the_way_forward(self, agent):
        complaint = log(agent)
        friday = datetime(2026, 9, 4, 0, 0, tzinfo=LONDON)
        with pytest.raises(InvalidTransition, match="final response"):
            services.complaint_resolve(complaint_id=complaint.pk, actor=agent, outcome="upheld", now=friday)
        assert Complaint.objects.get(pk=complaint.pk).status == ComplaintStatus.OPEN

    def test_resolution_needs_an_outcome(self, agent):
        complaint = log(agent, received_at=timezone.now())
        with pytest.raises(DomainError) as refused:
            services.complaint_resolve(complaint_id=complaint.pk, actor=agent, outcome="")
        assert "outcome" in refused.value.fields

    def test_agents_cannot_send_the_final_response(self, agent):
        complaint = log(agent, received_at=timezone.now())
        with pytest.raises(PermissionDenied):
            services.complaint_final_response(
                complaint_id=complaint.pk, actor=agent, outcome="not_upheld", root_cause="x", redress=Decimal(0)
            )

    @pytest.mark.parametrize(
        ("outcome", "root_cause", "redress", "field"),
        [
            ("", "Slow triage", Decimal(0), "outcome"),
            ("upheld", " ", Decimal(0), "root_cause"),
            ("upheld", "x", Decimal("-1"), "redress"),
        ],
    )
    def test_final_response_needs_outcome_root_cause_and_redress_not_negative(
        self, agent, leader, outcome, root_cause, redress, field
    ):
        complaint = log(agent, received_at=timezone.now())
        with pytest.raises(DomainError) as refused:
            services.complaint_final_response(
                complaint_id=complaint.pk, actor=leader, outcome=outcome, root_cause=root_cause, redress=redress
            )
        assert field in refused.value.fields

    def test_team_leader_sends_the_final_response_after_the_summary_window(self, agent, leader):
        complaint = log(agent)
        services.complaint_acknowledge(complaint_id=complaint.pk, actor=agent)
        done = services.complaint_final_response(
            complaint_id=complaint.pk,
            actor=leader,
            outcome="partly_upheld",
            root_cause="Claim left in the wrong queue.",
            redress=Decimal("50.00"),
            now=datetime(2026, 9, 20, 10, 0, tzinfo=LONDON),
        )
        assert done.status == ComplaintStatus.FINAL_RESPONSE
        assert done.final_response_at == datetime(2026, 9, 20, 10, 0, tzinfo=LONDON)
        with pytest.raises(InvalidTransition):
            services.complaint_acknowledge(complaint_id=complaint.pk, actor=agent)

    def test_assign_gives_an_open_complaint_to_a_handler_and_refuses_a_closed_one(self, agent, leader):
        complaint = log(agent, received_at=timezone.now())
        assert services.complaint_assign(complaint_id=complaint.pk, actor=leader, owner=agent).owner == agent
        services.complaint_resolve(complaint_id=complaint.pk, actor=agent, outcome="not_upheld")
        with pytest.raises(InvalidTransition):
            services.complaint_assign(complaint_id=complaint.pk, actor=leader, owner=leader)


class TestDeadlineSweep:
    WEDNESDAY = datetime(2026, 9, 2, 9, 0, tzinfo=LONDON)  # the day before the summary deadline

    def test_two_runs_send_one_reminder_to_the_owner(self, agent, mailoutbox, django_capture_on_commit_callbacks):
        complaint = log(agent, owner=agent)
        with django_capture_on_commit_callbacks(execute=True):
            first = services.complaint_deadline_sweep(now=self.WEDNESDAY)
        with django_capture_on_commit_callbacks(execute=True):
            second = services.complaint_deadline_sweep(now=self.WEDNESDAY + timedelta(minutes=15))
        assert (first.reminded, first.emails, second.reminded, second.emails) == (1, 1, 0, 0)
        assert [m.to for m in mailoutbox] == [[agent.email]]
        assert complaint.reference in mailoutbox[0].body
        assert complaint.customer.last_name not in mailoutbox[0].body  # no member details by email
        complaint.refresh_from_db()
        assert complaint.reminder_sent_at == self.WEDNESDAY

    def test_unowned_complaint_reminds_the_team_leader_of_whoever_logged_it(
        self, agent, leader, mailoutbox, django_capture_on_commit_callbacks
    ):
        log(agent)
        with django_capture_on_commit_callbacks(execute=True):
            services.complaint_deadline_sweep(now=self.WEDNESDAY)
        assert [m.to for m in mailoutbox] == [[leader.email]]

    def test_no_email_before_commit(self, agent, mailoutbox, django_capture_on_commit_callbacks):
        log(agent, owner=agent)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.complaint_deadline_sweep(now=self.WEDNESDAY)
        assert mailoutbox == []
        assert len(callbacks) == 1

    def test_reminder_with_nobody_to_send_to_waits_for_an_owner(self, user_factory, django_capture_on_commit_callbacks):
        loner = user_factory(role=Role.AGENT)  # in no team
        complaint = log(loner)
        with django_capture_on_commit_callbacks(execute=True):
            result = services.complaint_deadline_sweep(now=self.WEDNESDAY)
        assert (result.reminded, result.without_recipient) == (0, 1)
        complaint.refresh_from_db()
        assert complaint.reminder_sent_at is None

    def test_final_reminder_follows_the_summary_one(self, agent, mailoutbox, django_capture_on_commit_callbacks):
        complaint = log(agent, owner=agent)
        services.complaint_acknowledge(complaint_id=complaint.pk, actor=agent)
        with django_capture_on_commit_callbacks(execute=True):
            services.complaint_deadline_sweep(now=self.WEDNESDAY)
            services.complaint_deadline_sweep(now=datetime(2026, 10, 1, 9, 0, tzinfo=LONDON))  # nothing due
            services.complaint_deadline_sweep(now=datetime(2026, 10, 16, 0, 15, tzinfo=LONDON))
            services.complaint_deadline_sweep(now=datetime(2026, 10, 16, 0, 30, tzinfo=LONDON))
        assert len(mailoutbox) == 2
        assert "final response" in mailoutbox[1].body
        assert audit_actions(complaint).count(AuditAction.UPDATE) == 3  # acknowledged, two reminders

    def test_breach_is_flagged_once_for_an_open_complaint_past_its_final_deadline(self, agent, leader):
        late, closed = log(agent, owner=agent), log(agent, owner=agent)
        services.complaint_final_response(
            complaint_id=closed.pk,
            actor=leader,
            outcome="not_upheld",
            root_cause="None found.",
            redress=Decimal(0),
            now=datetime(2026, 10, 1, 9, 0, tzinfo=LONDON),
        )
        saturday = datetime(2026, 10, 24, 0, 5, tzinfo=LONDON)
        first = services.complaint_deadline_sweep(now=saturday)
        second = services.complaint_deadline_sweep(now=saturday + timedelta(hours=1))
        assert (first.breached, second.breached) == (1, 0)
        late.refresh_from_db()
        closed.refresh_from_db()
        assert late.breached_at == saturday
        assert closed.breached_at is None

    def test_nothing_due_returns_early_with_zero_counts(self, agent):
        ComplaintFactory(created_by=agent)
        result = services.complaint_deadline_sweep()
        assert result == services.SweepResult(reminded=0, breached=0, emails=0, without_recipient=0)


SWEEP_TASK = "calls.tasks.complaints.complaint_deadline_sweep"


def test_the_sweep_is_scheduled_every_15_minutes():
    from django_celery_beat.models import PeriodicTask

    from contactcentre.celery import app
    from contactcentre.services import schedules_sync

    schedules_sync()
    scheduled = PeriodicTask.objects.get(task=SWEEP_TASK)
    assert (scheduled.interval.every, scheduled.interval.period, scheduled.enabled) == (900, "seconds", True)
    app.loader.import_default_modules()
    assert SWEEP_TASK in app.tasks


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
@pytest.mark.slow
def test_beat_and_a_real_worker_on_redis_run_the_sweep(tmp_path, agent):
    """Beat reads the schedule from the database, sends the sweep through Redis, and a worker process
    runs it against this test's database: the reminder and the breach are recorded once."""
    from django.conf import settings

    from contactcentre.services import schedules_sync
    from contactcentre.tests.celery_worker import celery_worker, wait_until

    now = timezone.now()
    reminded = ComplaintFactory(created_by=agent, owner=agent, summary_resolution_due=now + timedelta(hours=1))
    late = ComplaintFactory(created_by=agent, owner=agent, received_at=now - timedelta(weeks=9))
    schedules_sync()

    def done() -> bool:
        return Complaint.objects.filter(pk=reminded.pk, reminder_sent_at__isnull=False).exists() and (
            Complaint.objects.filter(pk=late.pk, breached_at__isnull=False).exists()
        )

    log = tmp_path / "worker.log"
    with celery_worker(broker_env={"REDIS_URL": settings.REDIS_URL}, log_path=log):
        wait_until(done, timeout=90, log_path=log, what="the scheduled complaint sweep ran")
    assert SWEEP_TASK in log.read_text()
    assert AuditEvent.objects.filter(object_type="calls.complaint", summary__endswith="breached").count() == 1
    assert AuditEvent.objects.filter(object_type="calls.complaint", summary__endswith="reminder sent").count() == 1


def test_the_database_refuses_a_summary_resolution_after_its_deadline(roles):
    from django.db import IntegrityError, transaction

    from calls.tests.factories import ComplaintFactory

    complaint = ComplaintFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        type(complaint).objects.filter(pk=complaint.pk).update(
            status="resolved", outcome="upheld", resolved_at=complaint.summary_resolution_due + timedelta(seconds=1)
        )
