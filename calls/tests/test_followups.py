"""Follow-ups: the rules of creating and closing them, "my follow-ups", and the escalation sweep
(eagerly here, and once through a real worker on Redis)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from calls.models import FollowUp, FollowUpKind, FollowUpStatus
from calls.rules import followups as rules
from calls.selectors.followups import follow_ups_escalated_to, follow_ups_for_customer, follow_ups_for_user
from calls.services.followups import (
    follow_up_cancel,
    follow_up_complete,
    follow_up_create,
    follow_up_escalate_overdue,
    follow_up_reassign,
)
from claims.tests.factories import CustomerFactory
from contactcentre.exceptions import DomainError, InvalidTransition
from contactcentre.models import AuditAction, AuditEvent
from staff.roles import Role
from staff.tests.factories import TeamFactory

from .factories import ContactFactory, FollowUpFactory

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


def audit_of(follow_up: FollowUp):
    return AuditEvent.objects.filter(object_type="calls.followup", object_id=str(follow_up.pk))


@pytest.fixture
def team(user_factory):
    """A team with its leader, and an agent in it."""
    leader = user_factory(role=Role.TEAM_LEADER, email="leader@example.org")
    team = TeamFactory(leader=leader)
    agent = user_factory(role=Role.AGENT, team=team)
    return team, leader, agent


# --- Pure rules --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        ("open", "done", True),
        ("open", "cancelled", True),
        ("done", "cancelled", False),
        ("cancelled", "done", False),
        ("done", "open", False),
    ],
)
def test_only_open_follow_ups_can_be_closed(current, target, allowed):
    assert rules.follow_up_transition_allowed(current, target) is allowed


def test_escalation_goes_to_the_owners_team_leader_before_the_follow_ups_team_leader():
    assert rules.escalation_target(rules.TeamLead(1, 10), rules.TeamLead(2, 20)) == 10
    assert rules.escalation_target(rules.TeamLead(1, None), rules.TeamLead(2, 20)) == 20
    assert rules.escalation_target(None, rules.TeamLead(2, 20)) == 20
    assert rules.escalation_target(None, rules.TeamLead(2, None)) is None


# --- Creating ----------------------------------------------------------------------------------


def test_a_callback_is_saved_with_the_number_in_international_form_and_audited(team):
    _, _, agent = team
    contact = ContactFactory(agent=agent)
    follow_up = follow_up_create(
        actor=agent,
        due_at=timezone.now() + HOUR,
        kind=FollowUpKind.CALLBACK,
        owner=agent,
        contact=contact,
        phone_number="07700 900 456",
        note="Ring back with the pre-authorisation number",
    )
    assert follow_up.phone_number == "+447700900456"
    assert follow_up.customer == contact.customer  # taken from the call
    assert follow_up.status == FollowUpStatus.OPEN
    assert audit_of(follow_up).get().action == AuditAction.CREATE


def test_a_follow_up_due_in_the_past_is_refused_but_a_minute_ago_is_accepted(team):
    _, _, agent = team
    with pytest.raises(DomainError) as refused:
        follow_up_create(actor=agent, due_at=timezone.now() - HOUR, kind=FollowUpKind.TASK, owner=agent)
    assert "due_at" in refused.value.fields
    follow_up_create(actor=agent, due_at=timezone.now() - timedelta(minutes=1), kind=FollowUpKind.TASK, owner=agent)


def test_a_follow_up_for_nobody_or_with_a_bad_number_is_refused_naming_the_field(team):
    _, _, agent = team
    with pytest.raises(DomainError) as nobody:
        follow_up_create(actor=agent, due_at=timezone.now() + HOUR, kind=FollowUpKind.TASK)
    assert "owner" in nobody.value.fields
    with pytest.raises(DomainError) as bad_number:
        follow_up_create(
            actor=agent, due_at=timezone.now() + HOUR, kind=FollowUpKind.CALLBACK, owner=agent, phone_number="12"
        )
    assert "phone_number" in bad_number.value.fields
    assert not FollowUp.objects.exists()


def test_a_contact_with_another_member_is_refused(team):
    _, _, agent = team
    with pytest.raises(DomainError) as refused:
        follow_up_create(
            actor=agent,
            due_at=timezone.now() + HOUR,
            kind=FollowUpKind.CALLBACK,
            owner=agent,
            customer=CustomerFactory(),
            contact=ContactFactory(),
        )
    assert "contact" in refused.value.fields


# --- Closing and reassigning -------------------------------------------------------------------


def test_completing_records_who_and_when_and_a_second_close_is_refused(team):
    _, _, agent = team
    follow_up = FollowUpFactory(owner=agent)
    done = follow_up_complete(follow_up_id=follow_up.pk, actor=agent)
    assert done.status == FollowUpStatus.DONE
    assert done.completed_by == agent and done.completed_at is not None
    with pytest.raises(InvalidTransition):
        follow_up_cancel(follow_up_id=follow_up.pk, actor=agent)
    with pytest.raises(InvalidTransition):
        follow_up_complete(follow_up_id=follow_up.pk, actor=agent)
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.DONE
    assert list(audit_of(follow_up).values_list("detail__to", flat=True)) == ["done"]


def test_a_cancelled_follow_up_cannot_be_reassigned(team):
    _, leader, agent = team
    follow_up = FollowUpFactory(owner=agent)
    cancelled = follow_up_cancel(follow_up_id=follow_up.pk, actor=agent, reason="Member called in")
    assert cancelled.status == FollowUpStatus.CANCELLED
    with pytest.raises(InvalidTransition):
        follow_up_reassign(follow_up_id=follow_up.pk, actor=leader, owner=leader)


def test_reassigning_gives_it_to_the_new_owner_and_keeps_the_escalation(team, user_factory):
    team_, leader, agent = team
    colleague = user_factory(role=Role.AGENT, team=team_)
    follow_up = FollowUpFactory(owner=agent, escalated_at=timezone.now(), escalated_to=leader)
    follow_up_reassign(follow_up_id=follow_up.pk, actor=leader, owner=colleague, team=team_)
    follow_up.refresh_from_db()
    assert follow_up.owner == colleague and follow_up.escalated_to == leader
    assert follow_up in follow_ups_for_user(colleague)
    assert follow_up not in follow_ups_for_user(agent)


# --- Reading -----------------------------------------------------------------------------------


def test_my_follow_ups_are_mine_and_my_teams_unowned_open_first_by_due_time(team, user_factory):
    team_, _, agent = team
    colleague = user_factory(role=Role.AGENT, team=team_)
    now = timezone.now()
    later = FollowUpFactory(owner=agent, due_at=now + 3 * HOUR)
    overdue = FollowUpFactory(owner=agent, due_at=now - HOUR)
    for_the_team = FollowUpFactory(owner=None, team=team_, created_by=colleague, due_at=now + HOUR)
    done = FollowUpFactory(owner=agent, due_at=now - 2 * HOUR)
    follow_up_complete(follow_up_id=done.pk, actor=agent)
    FollowUpFactory(owner=colleague)  # a colleague's own
    FollowUpFactory(owner=None, team=TeamFactory())  # another team's

    listed = follow_ups_for_user(agent)

    assert [f.pk for f in listed] == [overdue.pk, for_the_team.pk, later.pk, done.pk]
    assert [f.is_overdue for f in listed] == [True, False, False, False]


def test_a_members_follow_ups_list_open_ones_first(team):
    _, _, agent = team
    customer = CustomerFactory()
    closed = FollowUpFactory(owner=agent, customer=customer)
    follow_up_cancel(follow_up_id=closed.pk, actor=agent)
    open_one = FollowUpFactory(owner=agent, customer=customer)
    FollowUpFactory(owner=agent)  # someone else's
    assert [f.pk for f in follow_ups_for_customer(customer.pk, 5)] == [open_one.pk, closed.pk]
    assert [f.pk for f in follow_ups_for_customer(customer.pk, 1)] == [open_one.pk]


# --- The escalation sweep ----------------------------------------------------------------------


def test_the_sweep_escalates_overdue_follow_ups_once_to_the_team_leader_with_one_email(
    team, django_capture_on_commit_callbacks
):
    _, leader, agent = team
    now = timezone.now()
    grace = timedelta(minutes=settings.FOLLOW_UP_ESCALATION_GRACE_MINUTES)
    overdue = FollowUpFactory(owner=agent, due_at=now - grace - timedelta(minutes=1))
    also_overdue = FollowUpFactory(owner=agent, due_at=now - 3 * HOUR)
    within_grace = FollowUpFactory(owner=agent, due_at=now - grace + timedelta(minutes=1))
    not_due = FollowUpFactory(owner=agent, due_at=now + HOUR)
    done = FollowUpFactory(owner=agent, due_at=now - 3 * HOUR)
    follow_up_complete(follow_up_id=done.pk, actor=agent)

    with django_capture_on_commit_callbacks(execute=True):
        first = follow_up_escalate_overdue(now=now)
    with django_capture_on_commit_callbacks(execute=True):
        second = follow_up_escalate_overdue(now=now)

    assert (first.escalated, first.leaders_emailed) == (2, 1)
    assert (second.escalated, second.leaders_emailed) == (0, 0)
    for follow_up in (overdue, also_overdue):
        follow_up.refresh_from_db()
        assert follow_up.escalated_to == leader and follow_up.escalated_at == now
        assert audit_of(follow_up).filter(summary__contains="escalated").count() == 1
    for follow_up in (within_grace, not_due, done):
        follow_up.refresh_from_db()
        assert follow_up.escalated_at is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["leader@example.org"]
    assert f"#{overdue.pk}" in mail.outbox[0].body and f"#{also_overdue.pk}" in mail.outbox[0].body
    assert [f.pk for f in follow_ups_escalated_to(leader)] == [also_overdue.pk, overdue.pk]

    # Minutes later the one that was within the grace period is overdue too: it alone escalates.
    with django_capture_on_commit_callbacks(execute=True):
        third = follow_up_escalate_overdue(now=now + timedelta(minutes=5))
    assert third.escalated == 1 and len(mail.outbox) == 2
    assert f"#{within_grace.pk}" in mail.outbox[1].body and f"#{overdue.pk}" not in mail.outbox[1].body


def test_a_team_follow_up_escalates_to_that_teams_leader_and_leaderless_ones_wait(
    user_factory, django_capture_on_commit_callbacks
):
    leader = user_factory(role=Role.TEAM_LEADER)
    led, leaderless = TeamFactory(leader=leader), TeamFactory()
    creator = user_factory(role=Role.AGENT)
    for_led = FollowUpFactory(owner=None, team=led, created_by=creator, due_at=timezone.now() - 2 * HOUR)
    for_leaderless = FollowUpFactory(owner=None, team=leaderless, created_by=creator, due_at=timezone.now() - HOUR)

    with django_capture_on_commit_callbacks(execute=True):
        result = follow_up_escalate_overdue()

    assert (result.escalated, result.without_leader) == (1, 1)
    for_led.refresh_from_db()
    for_leaderless.refresh_from_db()
    assert for_led.escalated_to == leader
    assert for_leaderless.escalated_at is None  # escalated once a leader is named
    assert [m.to for m in mail.outbox] == [[leader.email]]


def test_a_leader_who_has_left_is_no_leader_and_the_follow_up_waits(team):
    _, leader, agent = team
    leader.is_active = False
    leader.save(update_fields=["is_active"])
    follow_up = FollowUpFactory(owner=agent, due_at=timezone.now() - 2 * HOUR)
    result = follow_up_escalate_overdue()
    follow_up.refresh_from_db()
    assert (result.escalated, result.without_leader) == (0, 1)
    assert follow_up.escalated_to is None


def test_no_email_is_sent_when_the_sweep_rolls_back(team, django_capture_on_commit_callbacks):
    _, _, agent = team
    FollowUpFactory(owner=agent, due_at=timezone.now() - 2 * HOUR)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        follow_up_escalate_overdue()
    assert len(callbacks) == 1 and mail.outbox == []  # queued for after the commit, not sent


# --- Through a real worker -------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
@pytest.mark.slow
def test_a_real_worker_on_redis_escalates_an_overdue_follow_up_once(user_factory, tmp_path):
    """The task as beat sends it: by name, through Redis, to a worker process on the test database.
    Sent twice; the solo worker runs its queue in order, so once the heartbeat sent after them has
    run, both sweeps have finished."""
    from calls.tasks.followups import escalate_overdue_follow_ups
    from contactcentre.models import Heartbeat
    from contactcentre.tasks import heartbeat
    from contactcentre.tests.celery_worker import celery_worker, wait_until

    assert settings.CELERY_BROKER_URL.startswith("redis://")
    leader = user_factory(role=Role.TEAM_LEADER)
    agent = user_factory(role=Role.AGENT, team=TeamFactory(leader=leader))
    overdue = FollowUpFactory(owner=agent, due_at=timezone.now() - 2 * HOUR)
    log = tmp_path / "worker.log"
    with celery_worker(broker_env={"REDIS_URL": settings.REDIS_URL}, log_path=log, beat=False) as queue:
        escalate_overdue_follow_ups.apply_async(queue=queue)
        escalate_overdue_follow_ups.apply_async(queue=queue)
        heartbeat.apply_async(queue=queue)
        wait_until(
            lambda: Heartbeat.objects.filter(name="celery").exists(),
            timeout=60,
            log_path=log,
            what="both sweeps and the heartbeat after them ran",
        )
    overdue.refresh_from_db()
    assert overdue.escalated_to == leader
    assert audit_of(overdue).filter(summary__contains="escalated").count() == 1
    assert "escalate_overdue_follow_ups" in log.read_text()
