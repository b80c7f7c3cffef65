"""Closing the loop: a detractor's response opens a follow-up that its team leader is emailed about,
sees on their list with the contact and the comment, and closes with the outcome; who may see and
close which follow-ups; the list's filters; the query counts."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from contactcentre.exceptions import DomainError, InvalidTransition
from contactcentre.models import AuditAction, AuditEvent
from staff.roles import Role
from surveys.models import LoopFollowUp, LoopStatus
from surveys.services.loop import loop_close
from surveys.services.responses import response_submit
from surveys.tests.factories import handled_contact, make_survey

pytestmark = pytest.mark.django_db

DETRACTOR = {"csat": 2, "ces": 3, "nps": 4, "comment": "Cut off twice and nobody rang back."}


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def detractor(user_factory, django_capture_on_commit_callbacks):
    """A detractor's answers, stored as every channel stores them, about a contact handled by an agent
    of Lina's team; the email queued for after the commit is sent."""
    leader = user_factory(role=Role.TEAM_LEADER, full_name="Lina Leader", email="lina@example.org")
    contact = handled_contact(leader=leader)
    with django_capture_on_commit_callbacks(execute=True):
        response, _created = response_submit(survey=make_survey(), values=DETRACTOR, source="link", contact=contact)
    return response.loop


def test_a_detractor_response_appears_on_the_team_leaders_list_with_the_contact_and_comment(detractor):
    leader, response = detractor.owner, detractor.response
    html = client_of(leader).get(reverse("surveys:loops")).content.decode()
    row = html.split(f'data-testid="loop-{detractor.pk}"')[1].split("</tr>")[0]
    assert "Cut off twice and nobody rang back." in row
    assert f'href="{reverse("calls:contact", args=[response.contact_id])}"' in row
    assert "Detractor" in row and "CSAT 2/5" in row and "Recommend 4/10" in row
    assert 'data-testid="overdue"' not in row  # due by the end of the next working day


def test_the_owner_is_emailed_after_the_commit_with_the_scores_and_the_link(detractor, settings):
    [email] = mail.outbox
    assert email.to == ["lina@example.org"]
    assert "Detractor" in email.subject
    assert f"#{detractor.response.contact_id}" in email.body
    assert "CSAT 2 (1-5), likely to recommend 4 (0-10), ease 3 (1-7)" in email.body
    assert settings.PUBLIC_BASE_URL.rstrip("/") + reverse("surveys:loop", args=[detractor.pk]) in email.body
    # The member's words and name stay in Tawasul.
    assert "Cut off twice" not in email.body
    assert detractor.response.customer.last_name not in email.body


def test_the_email_waits_for_the_commit(user_factory, django_capture_on_commit_callbacks):
    contact = handled_contact(leader=user_factory(role=Role.TEAM_LEADER))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response_submit(survey=make_survey(), values=DETRACTOR, source="link", contact=contact)
    assert mail.outbox == [] and len(callbacks) == 1  # queued for the commit, not sent before it


def test_the_email_is_written_in_the_owners_language(user_factory, django_capture_on_commit_callbacks, monkeypatch):
    # No Arabic catalogue yet for these strings: mark each message with the language active as it is written.
    monkeypatch.setattr("surveys.services.loop._", lambda text: f"[{translation.get_language()}] {text}")
    leader = user_factory(role=Role.TEAM_LEADER, email="noor@example.org", preferred_language="ar")
    with django_capture_on_commit_callbacks(execute=True):
        response_submit(survey=make_survey(), values=DETRACTOR, source="link", contact=handled_contact(leader=leader))
    [email] = mail.outbox
    assert email.subject.startswith("[ar] ")
    assert translation.get_language() == "en"  # and the language is put back


def test_closing_a_follow_up_on_its_page_records_the_outcome(detractor):
    leader = detractor.owner
    page = client_of(leader).get(reverse("surveys:loop", args=[detractor.pk])).content.decode()
    assert "Cut off twice and nobody rang back." in page and 'data-testid="close-form"' in page
    assert f'href="{reverse("calls:contact", args=[detractor.response.contact_id])}"' in page
    response = client_of(leader).post(
        reverse("surveys:loop", args=[detractor.pk]), {"outcome": "explained", "note": "Rang Mrs Hale; apologised."}
    )
    assert response.status_code == 302
    detractor.refresh_from_db()
    assert (detractor.status, detractor.outcome, detractor.outcome_note) == (
        "closed",
        "explained",
        "Rang Mrs Hale; apologised.",
    )
    assert detractor.closed_by == leader and detractor.closed_at is not None
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_type="surveys.loopfollowup")
    assert event.actor == leader and event.detail["outcome"] == "explained" and event.detail["on_time"] is True
    page = client_of(leader).get(reverse("surveys:loop", args=[detractor.pk])).content.decode()
    assert "Called back, explained and apologised" in page and 'data-testid="close-form"' not in page


def test_an_empty_close_form_comes_back_as_a_400_with_its_errors(detractor):
    response = client_of(detractor.owner).post(reverse("surveys:loop", args=[detractor.pk]), {"note": "   "})
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"outcome", "note"}
    detractor.refresh_from_db()
    assert detractor.status == LoopStatus.OPEN


def test_closing_a_closed_follow_up_is_refused_with_a_message(detractor):
    loop_close(actor=detractor.owner, loop_id=detractor.pk, outcome="resolved", note="Done.")
    client = client_of(detractor.owner)
    response = client.post(reverse("surveys:loop", args=[detractor.pk]), {"outcome": "no_action", "note": "Again"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "This follow-up is already closed." in page
    detractor.refresh_from_db()
    assert detractor.outcome == "resolved"


def test_loop_close_refuses_an_unknown_outcome_and_an_empty_note(detractor):
    with pytest.raises(DomainError) as error:
        loop_close(actor=detractor.owner, loop_id=detractor.pk, outcome="shrugged", note="")
    assert error.value.fields.keys() == {"outcome", "note"}


def test_a_leader_of_another_team_may_neither_see_nor_close_a_follow_up(detractor, user_factory):
    stranger = user_factory(role=Role.TEAM_LEADER)
    assert client_of(stranger).get(reverse("surveys:loop", args=[detractor.pk])).status_code == 404
    assert client_of(stranger).post(reverse("surveys:loop", args=[detractor.pk]), {}).status_code == 404
    assert (
        f'data-testid="loop-{detractor.pk}"' not in client_of(stranger).get(reverse("surveys:loops")).content.decode()
    )
    with pytest.raises(PermissionDenied):
        loop_close(actor=stranger, loop_id=detractor.pk, outcome="resolved", note="Not mine.")


def test_a_manager_sees_and_may_close_any_follow_up(detractor, user_factory):
    manager = user_factory(role=Role.MANAGER)
    assert f'data-testid="loop-{detractor.pk}"' in client_of(manager).get(reverse("surveys:loops")).content.decode()
    loop = loop_close(actor=manager, loop_id=detractor.pk, outcome="coaching", note="Coached the agent.")
    assert loop.closed_by == manager


def test_the_owner_may_close_their_follow_up_after_leaving_the_team(detractor):
    owner = detractor.owner
    detractor.team.leader = None
    detractor.team.save(update_fields=["leader"])
    assert client_of(owner).get(reverse("surveys:loop", args=[detractor.pk])).status_code == 200
    assert loop_close(actor=owner, loop_id=detractor.pk, outcome="resolved", note="Done.").status == "closed"


@pytest.mark.django_db(transaction=True)
def test_two_people_closing_at_once_give_one_outcome_and_one_refusal(roles, user_factory):
    leader = user_factory(role=Role.TEAM_LEADER)
    manager = user_factory(role=Role.MANAGER)
    response, _ = response_submit(
        survey=make_survey(), values=DETRACTOR, source="link", contact=handled_contact(leader=leader)
    )
    loop_id, results, barrier = response.loop.pk, [], threading.Barrier(2)

    def close(actor, outcome):
        barrier.wait()
        try:
            loop_close(actor=actor, loop_id=loop_id, outcome=outcome, note="Rang back.")
            results.append("closed")
        except InvalidTransition:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=close, args=args) for args in ((leader, "resolved"), (manager, "explained"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["closed", "refused"]
    assert AuditEvent.objects.filter(object_type="surveys.loopfollowup", action=AuditAction.UPDATE).count() == 1


# The list -----------------------------------------------------------------------------------------------


@pytest.fixture
def loops(centre):
    """The fixed centre's follow-ups (conftest.py): #4 and #5 closed (Cover), #9 open and overdue
    (North), one opened on 16 March (North, open, overdue)."""
    return {loop.response_id: loop for loop in LoopFollowUp.objects.all()}


def test_the_list_shows_open_follow_ups_first_and_marks_the_overdue_in_words(centre, loops):
    html = client_of(centre.manager).get(reverse("surveys:loops")).content.decode()
    north = loops[centre.responses[8].pk]
    row = html.split(f'data-testid="loop-{north.pk}"')[1].split("</tr>")[0]
    assert 'data-testid="overdue">Overdue<' in row
    assert f'data-testid="loop-{loops[centre.responses[3].pk].pk}"' not in html  # closed: not in the default view
    everything = client_of(centre.manager).get(reverse("surveys:loops"), {"status": ""}).content.decode()
    assert "4 follow-ups" in everything
    assert everything.index(f'data-testid="loop-{north.pk}"') < everything.index(
        f'data-testid="loop-{loops[centre.responses[3].pk].pk}"'
    )


def test_the_list_filters_by_status_team_and_overdue(centre, loops, django_capture_on_commit_callbacks):
    client = client_of(centre.manager)
    closed = client.get(reverse("surveys:loops"), {"status": "closed"}).content.decode()
    assert "2 follow-ups" in closed
    cover = client.get(reverse("surveys:loops"), {"status": "", "team": centre.teams["cover"].pk}).content.decode()
    assert "2 follow-ups" in cover
    # A follow-up not yet due is open but not overdue.
    with django_capture_on_commit_callbacks(execute=True):
        fresh, _ = response_submit(
            survey=centre.survey, values=DETRACTOR, source="link", contact=handled_contact(team=centre.teams["claims"])
        )
    assert fresh.loop.due_at > timezone.now()
    open_now = client.get(reverse("surveys:loops"), {"status": "open"}).content.decode()
    overdue = client.get(reverse("surveys:loops"), {"status": "open", "overdue": "on"}).content.decode()
    assert f'data-testid="loop-{fresh.loop.pk}"' in open_now and f'data-testid="loop-{fresh.loop.pk}"' not in overdue
    assert "2 follow-ups" in overdue


def test_a_team_leader_lists_only_their_teams_follow_ups(centre, loops):
    html = client_of(centre.leaders["cover"]).get(reverse("surveys:loops"), {"status": ""}).content.decode()
    assert "2 follow-ups" in html
    assert f'data-testid="loop-{loops[centre.responses[8].pk].pk}"' not in html


def test_the_list_is_paginated(centre, loops, monkeypatch):
    monkeypatch.setattr("surveys.views.loop.PAGE_SIZE", 3)
    client = client_of(centre.manager)
    assert "Page 1 of 2" in client.get(reverse("surveys:loops"), {"status": ""}).content.decode()
    second = client.get(reverse("surveys:loops"), {"status": "", "page": 2}).content.decode()
    assert second.count('data-testid="loop-') == 1


def test_list_and_detail_query_counts_are_pinned(centre, loops, django_assert_max_num_queries):
    client = client_of(centre.manager)
    # session and user, permissions; the team choices; the count and the page (each with its comment).
    with django_assert_max_num_queries(7):
        page = client.get(reverse("surveys:loops"), {"status": ""})
    assert len(page.context["page"].object_list) == 4
    north = loops[centre.responses[8].pk]
    # session and user, permissions; the follow-up with its response; its comments.
    with django_assert_max_num_queries(6):
        detail = client.get(reverse("surveys:loop", args=[north.pk]))
    assert detail.status_code == 200 and "Waited forty minutes." in detail.content.decode()


def test_a_late_closing_is_recorded_as_not_on_time(detractor):
    LoopFollowUp.objects.filter(pk=detractor.pk).update(due_at=timezone.now() - timedelta(hours=1))
    loop_close(actor=detractor.owner, loop_id=detractor.pk, outcome="no_answer", note="Two tries.")
    assert AuditEvent.objects.get(object_type="surveys.loopfollowup").detail["on_time"] is False
