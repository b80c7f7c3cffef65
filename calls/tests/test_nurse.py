"""The nurse advice line: nurses record and read triage notes; nobody else reads one, by page or by
API, and every read and every refused attempt is in the audit trail."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from calls.models import Disposition, FollowUpStatus, NurseTriage
from calls.services.nurse import NotANurseLineCall, triage_read, triage_record
from contactcentre.exceptions import Conflict, DomainError
from contactcentre.models import AuditAction, AuditEvent
from staff.roles import Role
from staff.services import api_token_create

from .factories import ContactFactory, QueueFactory

pytestmark = pytest.mark.django_db

NOTE = {
    "presenting_problem": "Sore throat for three days, temperature 38.1",
    "advice_given": "Fluids, paracetamol, rest",
    "disposition": Disposition.SELF_CARE,
    "safety_netting": "See a GP if not better in 7 days; 999 if breathing is hard",
}


@pytest.fixture
def nurse(user_factory):
    return user_factory(role=Role.NURSE)


@pytest.fixture
def nurse_call(nurse):
    return ContactFactory(agent=nurse, queue=QueueFactory(nurse_line=True))


@pytest.fixture
def triage(nurse, nurse_call):
    return triage_record(nurse=nurse, contact=nurse_call, **NOTE)


def triage_audit(triage_id: int, **filters):
    return AuditEvent.objects.filter(object_type="calls.nursetriage", object_id=str(triage_id), **filters)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Recording ---------------------------------------------------------------------------------


def test_a_nurse_records_a_triage_as_an_audited_clinical_change(nurse, nurse_call):
    triage = triage_record(nurse=nurse, contact=nurse_call, **NOTE)
    assert triage.nurse == nurse and triage.contact == nurse_call
    assert triage.follow_up is None
    event = triage_audit(triage.pk).get()
    assert event.action == AuditAction.CREATE and event.detail["clinical"] is True
    assert "throat" not in str(event.detail) + event.summary  # the trail names the record, not its content


def test_a_triage_with_a_callback_puts_it_on_the_nurses_follow_ups(nurse, nurse_call):
    due = timezone.now() + timedelta(hours=2)
    triage = triage_record(nurse=nurse, contact=nurse_call, follow_up_due_at=due, **NOTE)
    follow_up = triage.follow_up
    assert (follow_up.owner, follow_up.due_at, follow_up.status) == (nurse, due, FollowUpStatus.OPEN)
    assert follow_up.customer == nurse_call.customer and follow_up.phone_number == "+447700900123"
    assert "throat" not in follow_up.note  # whoever works the callback sees no clinical text


def test_a_triage_on_a_call_that_is_not_on_the_nurse_line_is_refused(nurse):
    ordinary_call = ContactFactory(agent=nurse, queue=QueueFactory())
    with pytest.raises(NotANurseLineCall):
        triage_record(nurse=nurse, contact=ordinary_call, **NOTE)
    assert not NurseTriage.objects.exists()


def test_a_call_is_triaged_once_and_only_by_the_nurse_who_took_it(nurse, nurse_call, triage, user_factory):
    with pytest.raises(Conflict):
        triage_record(nurse=nurse, contact=nurse_call, **NOTE)
    other_nurse = user_factory(role=Role.NURSE)
    with pytest.raises(DomainError):
        triage_record(nurse=other_nurse, contact=ContactFactory(agent=nurse, queue=nurse_call.queue), **NOTE)


def test_an_agent_cannot_record_a_triage(user_factory, nurse_call):
    agent = user_factory(role=Role.AGENT)
    with pytest.raises(PermissionDenied):
        triage_record(nurse=agent, contact=nurse_call, **NOTE)


# --- Reading -----------------------------------------------------------------------------------


def test_a_nurse_reads_a_triage_and_the_read_is_audited_as_clinical(user_factory, triage):
    colleague = user_factory(role=Role.NURSE)
    read = triage_read(actor=colleague, triage_id=triage.pk, ip_address="10.0.0.7")
    assert read == triage
    event = triage_audit(triage.pk, action=AuditAction.VIEW).get()
    assert (event.actor, event.ip_address, event.detail["clinical"]) == (colleague, "10.0.0.7", True)
    assert "refused" not in event.detail


@pytest.mark.parametrize("role", [Role.AGENT, Role.TEAM_LEADER, Role.MANAGER, Role.ADMINISTRATOR])
def test_a_non_nurse_is_refused_a_triage_and_the_attempt_is_audited(user_factory, triage, role):
    someone = user_factory(role=role)
    with pytest.raises(PermissionDenied):
        triage_read(actor=someone, triage_id=triage.pk)
    event = triage_audit(triage.pk, action=AuditAction.DENIED).get()
    assert event.actor == someone and event.detail == {"clinical": True, "refused": True, "via": "web"}


def test_the_triage_page_is_403_for_an_agent_and_the_attempt_is_audited(user_factory, triage):
    agent = user_factory(role=Role.AGENT)
    response = logged_in(agent).get(f"/calls/nurse/triages/{triage.pk}/")
    assert response.status_code == 403
    assert NOTE["presenting_problem"] not in response.content.decode()
    assert triage_audit(triage.pk, actor=agent, action=AuditAction.DENIED).count() == 1


def test_the_triage_page_shows_the_note_to_a_nurse_and_audits_the_read(nurse, triage):
    response = logged_in(nurse).get(f"/calls/nurse/triages/{triage.pk}/")
    assert response.status_code == 200
    assert NOTE["presenting_problem"] in response.content.decode()
    assert triage_audit(triage.pk, action=AuditAction.VIEW, actor=nurse, detail__clinical=True).count() == 1


def test_the_triage_api_is_403_in_the_error_shape_for_an_agent_and_the_attempt_is_audited(user_factory, triage):
    agent = user_factory(role=Role.AGENT)
    client = APIClient()
    client.force_authenticate(agent)
    response = client.get(f"/api/v1/triages/{triage.pk}/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert "presenting_problem" not in response.json()
    event = triage_audit(triage.pk, actor=agent).get()
    assert event.detail == {"clinical": True, "refused": True, "via": "api"}


def test_an_api_client_token_cannot_read_a_triage_and_is_audited_too(user_factory, triage):
    machine = user_factory(role=Role.API_CLIENT)
    token = api_token_create(client=machine).clear_token
    response = APIClient().get(f"/api/v1/triages/{triage.pk}/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 403
    assert triage_audit(triage.pk, actor=machine, action=AuditAction.DENIED).count() == 1


def test_a_nurse_reads_a_triage_through_the_api_and_the_read_is_audited(nurse, triage):
    client = APIClient()
    client.force_authenticate(nurse)
    response = client.get(f"/api/v1/triages/{triage.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["presenting_problem"] == NOTE["presenting_problem"]
    assert (body["disposition"], body["nurse"], body["customer"]) == (
        "self_care",
        nurse.email,
        triage.contact.customer_id,
    )
    assert triage_audit(triage.pk, actor=nurse, detail={"clinical": True, "via": "api"}).count() == 1


def test_a_missing_triage_is_404_for_a_nurse_and_403_for_others(nurse, user_factory):
    assert logged_in(nurse).get("/calls/nurse/triages/999999/").status_code == 404
    assert logged_in(user_factory(role=Role.AGENT)).get("/calls/nurse/triages/999999/").status_code == 403


# --- The nurse desk ------------------------------------------------------------------------------


def test_the_nurse_desk_lists_recent_nurse_line_calls_with_their_triage_status(
    nurse, nurse_call, user_factory, django_assert_max_num_queries
):
    line = nurse_call.queue
    triaged = ContactFactory(agent=nurse, queue=line)
    triage = triage_record(nurse=nurse, contact=triaged, **NOTE)
    for _ in range(5):
        ContactFactory(agent=nurse, queue=line)
    ordinary = ContactFactory(agent=nurse, queue=QueueFactory())
    someone_elses = ContactFactory(agent=user_factory(role=Role.NURSE), queue=line)
    client = logged_in(nurse)

    with django_assert_max_num_queries(4):
        html = client.get("/calls/nurse/").content.decode()

    assert f'data-testid="nurse-call-{nurse_call.pk}"' in html
    assert f'data-testid="triage-form-{nurse_call.pk}"' in html
    assert f'href="/calls/nurse/triages/{triage.pk}/"' in html
    assert f'data-testid="triage-form-{triaged.pk}"' not in html
    assert NOTE["presenting_problem"] not in html  # the list is not a read of the note
    assert f"nurse-call-{ordinary.pk}" not in html and f"nurse-call-{someone_elses.pk}" not in html


def test_recording_a_triage_from_the_desk_opens_the_note(nurse, nurse_call):
    due = timezone.localtime() + timedelta(hours=1)
    response = logged_in(nurse).post(
        f"/calls/nurse/calls/{nurse_call.pk}/triage/",
        {**NOTE, "follow_up_due_at": due.strftime("%Y-%m-%dT%H:%M")},
    )
    triage = NurseTriage.objects.get(contact=nurse_call)
    assert response.status_code == 302 and response["Location"] == f"/calls/nurse/triages/{triage.pk}/"
    assert triage.follow_up.owner == nurse


def test_an_incomplete_triage_form_is_shown_again_with_the_missing_fields(nurse, nurse_call):
    response = logged_in(nurse).post(f"/calls/nurse/calls/{nurse_call.pk}/triage/", {"presenting_problem": "Rash"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"advice_given", "disposition", "safety_netting"}
    assert not NurseTriage.objects.exists()


def test_the_form_shows_the_refusal_for_a_call_off_the_nurse_line(nurse):
    ordinary = ContactFactory(agent=nurse, queue=QueueFactory())
    response = logged_in(nurse).post(f"/calls/nurse/calls/{ordinary.pk}/triage/", NOTE)
    assert response.status_code == 200
    assert "Only a call on the nurse advice line has a triage record." in response.content.decode()
    assert not NurseTriage.objects.exists()
