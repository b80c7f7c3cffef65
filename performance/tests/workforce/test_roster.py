"""The shift roster: adding (with its validation), removing, copying last week's, the page, and what
each writes to the audit trail."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from calls.tests.factories import QueueFactory
from contactcentre.exceptions import DomainError
from contactcentre.models import AuditEvent
from performance.models import RosterShift
from performance.services.workforce import roster_copy_week, shift_add, shift_remove
from staff.roles import Role

from .factories import at, shift

pytestmark = pytest.mark.django_db

DAY = date(2026, 6, 1)  # a Monday


@pytest.fixture
def boss(user_factory):
    return user_factory(role=Role.MANAGER)


@pytest.fixture
def manager(boss):
    client = Client()
    client.force_login(boss)
    return client


@pytest.fixture
def amal(user_factory):
    return user_factory(role=Role.AGENT, full_name="Amal Haddad")


@pytest.fixture
def queue():
    return QueueFactory(code="general", name="General")


def test_a_shift_is_added_and_audited(boss, amal, queue):
    added = shift_add(actor=boss, agent=amal, queue=queue, starts_at=at(DAY, 9), ends_at=at(DAY, 17))
    assert (added.agent, added.queue, added.starts_at, added.ends_at) == (amal, queue, at(DAY, 9), at(DAY, 17))
    event = AuditEvent.objects.get(object_type="performance.rostershift", object_id=str(added.pk))
    assert (event.action, event.actor) == ("create", boss)


@pytest.mark.parametrize(
    ("start", "end", "field", "words"),
    [
        ((9, 0), (9, 0), "ends_at", "end after it starts"),
        ((17, 0), (9, 0), "ends_at", "end after it starts"),
        ((6, 0), (22, 15), "ends_at", "16 hours"),
    ],
)
def test_a_shift_must_end_after_it_starts_and_last_at_most_16_hours(boss, amal, queue, start, end, field, words):
    with pytest.raises(DomainError) as refused:
        shift_add(actor=boss, agent=amal, queue=queue, starts_at=at(DAY, *start), ends_at=at(DAY, *end))
    assert words in refused.value.fields[field][0]
    assert not RosterShift.objects.exists()


def test_exactly_16_hours_is_allowed(boss, amal, queue):
    shift_add(actor=boss, agent=amal, queue=queue, starts_at=at(DAY, 6), ends_at=at(DAY, 22))
    assert RosterShift.objects.count() == 1


def test_an_agent_cannot_be_on_two_overlapping_shifts_even_on_other_queues(boss, amal, queue):
    shift(amal, queue, at(DAY, 9), at(DAY, 13))
    nurse_line = QueueFactory(nurse_line=True)
    with pytest.raises(DomainError) as refused:
        shift_add(actor=boss, agent=amal, queue=nurse_line, starts_at=at(DAY, 12), ends_at=at(DAY, 18))
    assert (
        "Amal Haddad is already rostered from 01/06/2026 09:00 to 01/06/2026 13:00"
        in (refused.value.fields["starts_at"][0])
    )
    assert RosterShift.objects.count() == 1
    assert not AuditEvent.objects.filter(object_type="performance.rostershift").exists()


def test_back_to_back_shifts_do_not_overlap(boss, amal, queue):
    shift(amal, queue, at(DAY, 9), at(DAY, 13))
    shift_add(actor=boss, agent=amal, queue=queue, starts_at=at(DAY, 13), ends_at=at(DAY, 17))
    assert RosterShift.objects.count() == 2


def test_two_agents_may_share_the_same_hours(boss, amal, queue, user_factory):
    shift(amal, queue, at(DAY, 9), at(DAY, 17))
    shift_add(actor=boss, agent=user_factory(role=Role.AGENT), queue=queue, starts_at=at(DAY, 9), ends_at=at(DAY, 17))
    assert RosterShift.objects.count() == 2


def test_a_closed_queue_takes_no_shifts(boss, amal):
    closed = QueueFactory(code="old", is_active=False)
    with pytest.raises(DomainError) as refused:
        shift_add(actor=boss, agent=amal, queue=closed, starts_at=at(DAY, 9), ends_at=at(DAY, 17))
    assert "queue" in refused.value.fields


def test_removing_a_shift_is_audited_and_a_second_removal_is_harmless(boss, amal, queue):
    gone = shift(amal, queue, at(DAY, 9), at(DAY, 17))
    pk = gone.pk
    assert shift_remove(actor=boss, shift_id=pk).starts_at == at(DAY, 9)
    assert not RosterShift.objects.exists()
    assert AuditEvent.objects.filter(action="delete", object_id=str(pk)).count() == 1
    assert shift_remove(actor=boss, shift_id=pk) is None


def test_copying_last_week_keeps_the_local_times_and_skips_clashes(boss, amal, queue, user_factory):
    bilal = user_factory(role=Role.AGENT)
    last_week = DAY - timedelta(weeks=1)
    shift(amal, queue, at(last_week, 9), at(last_week, 17))
    shift(amal, queue, at(last_week + timedelta(days=6), 22), at(DAY, 6))  # Sunday night into Monday
    shift(bilal, queue, at(last_week + timedelta(days=2), 8), at(last_week + timedelta(days=2), 16))
    shift(bilal, queue, at(DAY + timedelta(days=2), 12), at(DAY + timedelta(days=2), 20))  # already rostered
    shift(amal, queue, at(DAY - timedelta(weeks=2), 9), at(DAY - timedelta(weeks=2), 17))  # not last week
    copied = roster_copy_week(actor=boss, week_start=DAY + timedelta(days=3))  # any day of the week
    assert (copied.week_start, copied.created, copied.skipped) == (DAY, 2, 1)
    assert set(RosterShift.objects.filter(starts_at__gte=at(DAY, 0)).values_list("agent", "starts_at", "ends_at")) == {
        (amal.pk, at(DAY, 9), at(DAY, 17)),
        (amal.pk, at(DAY + timedelta(days=6), 22), at(DAY + timedelta(weeks=1), 6)),
        (bilal.pk, at(DAY + timedelta(days=2), 12), at(DAY + timedelta(days=2), 20)),
    }
    assert AuditEvent.objects.filter(object_type="performance.rostershift", action="create").count() == 1


def test_copying_across_the_clock_change_keeps_the_wall_clock(boss, amal, queue):
    """Clocks go forward on Sunday 29 March 2026: Monday 23 March's 09:00 GMT shift becomes 09:00 BST."""
    shift(amal, queue, at(date(2026, 3, 23), 9), at(date(2026, 3, 23), 17))
    roster_copy_week(actor=boss, week_start=date(2026, 3, 30))
    copy = RosterShift.objects.get(starts_at__date__gte=date(2026, 3, 30))
    assert (copy.starts_at, copy.ends_at) == (at(date(2026, 3, 30), 9), at(date(2026, 3, 30), 17))
    assert copy.starts_at - at(date(2026, 3, 23), 9) == timedelta(days=7, hours=-1)


def test_copying_an_empty_week_writes_nothing(boss):
    copied = roster_copy_week(actor=boss, week_start=DAY)
    assert (copied.created, copied.skipped) == (0, 0)
    assert not AuditEvent.objects.filter(object_type="performance.rostershift").exists()


def test_the_form_adds_a_shift_and_returns_to_its_day(manager, amal, queue):
    response = manager.post(
        "/performance/roster/new/",
        {"agent": amal.pk, "queue": queue.pk, "starts_at": "2026-06-01T09:00", "ends_at": "2026-06-01T17:00"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/performance/roster/?day=2026-06-01&queue={queue.pk}"
    assert RosterShift.objects.get().starts_at == at(DAY, 9)


def test_the_form_shows_the_clash_by_its_field_and_writes_nothing(manager, amal, queue):
    shift(amal, queue, at(DAY, 9), at(DAY, 17))
    response = manager.post(
        "/performance/roster/new/",
        {"agent": amal.pk, "queue": queue.pk, "starts_at": "2026-06-01T16:00", "ends_at": "2026-06-01T20:00"},
    )
    assert response.status_code == 400
    assert "is already rostered" in str(response.context["form"].errors["starts_at"])
    assert RosterShift.objects.count() == 1


def test_the_form_refuses_an_end_before_the_start(manager, amal, queue):
    response = manager.post(
        "/performance/roster/new/",
        {"agent": amal.pk, "queue": queue.pk, "starts_at": "2026-06-01T17:00", "ends_at": "2026-06-01T09:00"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["ends_at"]
    assert not RosterShift.objects.exists()


def test_only_desk_staff_can_be_rostered(manager, queue, user_factory):
    hr = user_factory(role=Role.HR)
    response = manager.post(
        "/performance/roster/new/",
        {"agent": hr.pk, "queue": queue.pk, "starts_at": "2026-06-01T09:00", "ends_at": "2026-06-01T17:00"},
    )
    assert response.status_code == 400
    assert "agent" in response.context["form"].errors


def test_the_page_lists_the_days_shifts_with_remove_and_copy(manager, amal, queue):
    night = shift(amal, queue, at(DAY - timedelta(days=1), 22), at(DAY, 6))  # from the night before
    day = shift(amal, queue, at(DAY, 9), at(DAY, 17))
    shift(amal, queue, at(DAY + timedelta(days=1), 9), at(DAY + timedelta(days=1), 17))  # another day
    response = manager.get("/performance/roster/", {"day": DAY.isoformat()})
    html = response.content.decode()
    assert [s.pk for s in response.context["shifts"]] == [night.pk, day.pk]
    assert f"/performance/roster/{day.pk}/delete/" in html
    assert 'data-testid="copy-week"' in html


def test_the_remove_button_removes_and_returns_to_the_day(manager, amal, queue):
    gone = shift(amal, queue, at(DAY, 9), at(DAY, 17))
    response = manager.post(f"/performance/roster/{gone.pk}/delete/")
    assert response.status_code == 302
    assert response["Location"] == f"/performance/roster/?day=2026-06-01&queue={queue.pk}"
    assert not RosterShift.objects.exists()


def test_the_copy_button_copies_into_the_chosen_week(manager, amal, queue):
    shift(amal, queue, at(DAY - timedelta(weeks=1), 9), at(DAY - timedelta(weeks=1), 17))
    response = manager.post("/performance/roster/copy-week/", {"week": "2026-06-03"})
    assert response.status_code == 302
    assert response["Location"] == "/performance/roster/?day=2026-06-01"
    assert RosterShift.objects.filter(starts_at=at(DAY, 9)).exists()


def test_a_copy_with_a_bad_week_or_queue_copies_nothing(manager, amal, queue):
    """A bad choice never falls back to copying every queue into this week."""
    shift(amal, queue, at(DAY - timedelta(weeks=1), 9), at(DAY - timedelta(weeks=1), 17))
    for bad in ({"week": "not a day"}, {"week": "2026-06-03", "queue": "999999"}):
        response = manager.post("/performance/roster/copy-week/", bad)
        assert response.status_code == 302
        assert RosterShift.objects.count() == 1


def test_the_roster_page_takes_the_same_queries_however_many_shifts(manager, queue, user_factory):
    url = f"/performance/roster/?day={DAY.isoformat()}"
    agents = [user_factory(role=Role.AGENT) for _ in range(6)]
    shift(agents[0], queue, at(DAY, 9), at(DAY, 17))
    manager.get(url)
    with CaptureQueriesContext(connection) as few:
        manager.get(url)
    for agent in agents[1:]:
        shift(agent, QueueFactory(), at(DAY, 8), at(DAY, 16))
    with CaptureQueriesContext(connection) as many:
        response = manager.get(url)
    assert len(response.context["shifts"]) == 6
    assert len(many.captured_queries) == len(few.captured_queries)
