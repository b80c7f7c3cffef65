"""Follow-up screens: my follow-ups, a new one, closing from the list, and the team leader's
escalations with reassignment. Query counts are pinned on the lists."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from calls.models import FollowUp, FollowUpStatus
from calls.services.followups import follow_up_complete
from claims.tests.factories import CustomerFactory
from staff.roles import Role
from staff.tests.factories import TeamFactory

from .factories import ContactFactory, FollowUpFactory

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def team(user_factory):
    leader = user_factory(role=Role.TEAM_LEADER)
    team = TeamFactory(leader=leader)
    return team, leader, user_factory(role=Role.AGENT, team=team)


def test_my_follow_ups_highlight_the_overdue_ones_in_a_fixed_number_of_queries(team, django_assert_max_num_queries):
    team_, _, agent = team
    overdue = FollowUpFactory(owner=agent, due_at=timezone.now() - HOUR, customer=CustomerFactory())
    for _ in range(8):
        FollowUpFactory(owner=agent, customer=CustomerFactory())
    FollowUpFactory(owner=None, team=team_, created_by=agent)
    done = FollowUpFactory(owner=agent)
    follow_up_complete(follow_up_id=done.pk, actor=agent)
    client = logged_in(agent)

    # Session, user, two for permissions, the follow-ups (with member, owner and team), the team in
    # the header: the same for 1 row as for 11.
    with django_assert_max_num_queries(6):
        response = client.get("/calls/follow-ups/")

    html = response.content.decode()
    assert response.status_code == 200
    assert len(response.context["follow_ups"]) == 11
    assert f'class="table-danger" data-testid="follow-up-{overdue.pk}"' in html
    assert html.count('data-testid="overdue"') == 1
    assert f'action="/calls/follow-ups/{overdue.pk}/complete/"' in html
    assert f'action="/calls/follow-ups/{done.pk}/complete/"' not in html  # closed: no buttons
    assert "csrfmiddlewaretoken" in html


def test_my_follow_ups_without_any_show_the_empty_state(user_factory):
    html = logged_in(user_factory(role=Role.AGENT)).get("/calls/follow-ups/").content.decode()
    assert 'data-testid="empty-state"' in html


def test_a_new_callback_from_a_members_call_is_saved_for_me(team):
    _, _, agent = team
    contact = ContactFactory(agent=agent)
    client = logged_in(agent)
    page = client.get(f"/calls/follow-ups/new/?customer={contact.customer_id}&contact={contact.pk}")
    assert contact.customer.last_name in page.content.decode()
    due = (timezone.localtime() + 2 * HOUR).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        "/calls/follow-ups/new/",
        {
            "kind": "callback",
            "due_at": due,
            "assign_to": "me",
            "phone_number": "07700 900 777",
            "note": "Confirm the hospital's invoice arrived",
            "customer": contact.customer_id,
            "contact": contact.pk,
        },
    )
    assert response.status_code == 302 and response["Location"] == "/calls/follow-ups/"
    follow_up = FollowUp.objects.get()
    assert (follow_up.owner, follow_up.contact, follow_up.phone_number) == (agent, contact, "+447700900777")


def test_a_follow_up_for_my_team_has_no_owner(team):
    team_, _, agent = team
    due = (timezone.localtime() + HOUR).strftime("%Y-%m-%dT%H:%M")
    logged_in(agent).post("/calls/follow-ups/new/", {"kind": "task", "due_at": due, "assign_to": "team"})
    follow_up = FollowUp.objects.get()
    assert follow_up.owner is None and follow_up.team == team_


def test_a_follow_up_in_the_past_is_shown_again_with_the_reason_by_the_field(team):
    _, _, agent = team
    past = (timezone.localtime() - 3 * HOUR).strftime("%Y-%m-%dT%H:%M")
    response = logged_in(agent).post("/calls/follow-ups/new/", {"kind": "task", "due_at": past, "assign_to": "me"})
    assert response.status_code == 200
    assert response.context["form"].errors["due_at"] == ["Choose a time in the future."]
    assert not FollowUp.objects.exists()


def test_done_and_cancel_buttons_close_it_and_a_second_click_is_a_message_not_an_error(team):
    _, _, agent = team
    follow_up = FollowUpFactory(owner=agent)
    client = logged_in(agent)
    response = client.post(f"/calls/follow-ups/{follow_up.pk}/complete/", {"next": "/calls/follow-ups/"})
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.DONE
    again = client.post(f"/calls/follow-ups/{follow_up.pk}/cancel/", follow=True)
    assert "This follow-up is already done." in again.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.DONE


def test_closing_never_redirects_off_the_site(team):
    _, _, agent = team
    follow_up = FollowUpFactory(owner=agent)
    response = logged_in(agent).post(
        f"/calls/follow-ups/{follow_up.pk}/complete/", {"next": "https://evil.example.org/"}
    )
    assert response["Location"] == "/calls/follow-ups/"


def test_the_team_leader_sees_escalations_in_a_fixed_number_of_queries_and_reassigns_one(
    team, user_factory, django_assert_max_num_queries
):
    team_, leader, agent = team
    colleague = user_factory(role=Role.AGENT, team=team_)
    escalated = [
        FollowUpFactory(owner=agent, due_at=timezone.now() - 2 * HOUR, escalated_at=timezone.now(), escalated_to=leader)
        for _ in range(6)
    ]
    FollowUpFactory(owner=agent, due_at=timezone.now() - 2 * HOUR)  # not escalated (yet)
    client = logged_in(leader)

    with django_assert_max_num_queries(6):
        response = client.get("/calls/follow-ups/escalated/")

    assert [f.pk for f in response.context["follow_ups"]] == [f.pk for f in escalated]
    assert f'<option value="{colleague.pk}">' in response.content.decode()
    client.post(f"/calls/follow-ups/{escalated[0].pk}/reassign/", {"owner": colleague.pk})
    escalated[0].refresh_from_db()
    assert escalated[0].owner == colleague


def test_a_team_leader_cannot_give_a_follow_up_to_someone_outside_their_team(team, user_factory):
    _, leader, agent = team
    outsider = user_factory(role=Role.AGENT, team=TeamFactory())
    follow_up = FollowUpFactory(owner=agent)
    response = logged_in(leader).post(f"/calls/follow-ups/{follow_up.pk}/reassign/", {"owner": outsider.pk})
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.owner == agent


def test_escalations_without_any_show_the_empty_state(team):
    _, leader, _ = team
    html = logged_in(leader).get("/calls/follow-ups/escalated/").content.decode()
    assert 'data-testid="empty-state"' in html
