"""The agent desk: the screen-pop, identifying the caller, ID&V on the contact, the wrap-up (which
keeps the agent's text when it fails), contacts logged by hand, and the agent's own state."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from calls.models import AgentState, AgentStateChange, AgentStatus, Contact, Queue, ReasonCode
from calls.rules.telephony import Event
from calls.services.telephony import events_ingest
from calls.services.telephony_fold import contacts_fold_pending
from calls.tests.factories import QueueFactory
from claims.tests.factories import CustomerFactory, PhoneFactory, covered_member
from contactcentre.models import AuditEvent
from customers.models import IdentityCheck
from staff.roles import Role
from staff.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(user_factory):
    person = user_factory(role=Role.AGENT, email="amal@example.org")
    AgentStatus.objects.create(user=person, extension="4021", state=AgentState.AVAILABLE)
    return person


@pytest.fixture
def desk(agent) -> Client:
    client = Client()
    client.force_login(agent)
    return client


@pytest.fixture
def reasons(db):
    cover = ReasonCode.objects.create(code="cover", name="Cover")
    claims = ReasonCode.objects.create(code="claims", name="Claims")
    return {
        "cover-check": ReasonCode.objects.create(code="cover-check", name="Cover check", parent=cover),
        "claim-status": ReasonCode.objects.create(code="claim-status", name="Claim status", parent=claims),
        "retired": ReasonCode.objects.create(code="old", name="Old reason", parent=claims, is_active=False),
    }


def offer_and_answer(caller: str = "+447700900321", call: str = "CA1") -> Contact:
    Queue.objects.get_or_create(code="claims", defaults={"name": "Claims", "open_all_hours": True})
    now = timezone.now() - timedelta(seconds=30)
    events = [
        Event("offered", "twilio", f"{call}-o", call, now, queue="claims", caller_number=caller),
        Event("answered", "twilio", f"{call}-a", call, now + timedelta(seconds=8), agent="4021"),
    ]
    (result, *_rest) = events_ingest(list(enumerate(events)))
    contacts_fold_pending()  # what the worker the request queues does
    return Contact.objects.get(pk=result.contact_id)


def test_an_answered_call_pops_with_the_member_and_their_cover(desk, agent):
    member = covered_member(first_name="Amira", last_name="Haddad")
    PhoneFactory(customer=member.customer, number="+447700900321")
    contact = offer_and_answer()
    page = desk.get("/calls/desk/").content.decode()
    assert f'data-contact="{contact.pk}"' in page
    assert "Amira Haddad" in page
    assert 'data-testid="desk-cover"' in page
    assert 'data-testid="idv-prompt"' in page  # not verified yet


def test_the_poll_answers_204_until_something_changes(desk, agent):
    page = desk.get("/calls/desk/live/", {"v": "none:available"}, HTTP_HX_REQUEST="true")
    assert page.status_code == 204
    contact = offer_and_answer(caller="+441632960999")
    popped = desk.get("/calls/desk/live/", {"v": "none:available"}, HTTP_HX_REQUEST="true")
    assert popped.status_code == 200
    html = popped.content.decode()
    assert f'data-contact="{contact.pk}"' in html
    assert 'hx-swap-oob="true"' in html  # a new contact brings its own wrap-up form
    assert 'data-testid="no-match"' in html
    version = f"{contact.pk}:on_call:None:not_done:on_call"
    assert desk.get("/calls/desk/live/", {"v": version}).status_code == 204


def test_a_change_of_state_on_the_same_contact_leaves_the_wrap_up_form_alone(desk, agent):
    contact = offer_and_answer(caller="+441632960999")
    response = desk.get("/calls/desk/live/", {"v": f"{contact.pk}:ringing:None:not_done:available"})
    assert response.status_code == 200
    assert "hx-swap-oob" not in response.content.decode()


def test_several_members_on_one_number_are_listed_and_the_agent_picks_the_caller(desk, agent):
    first, second = CustomerFactory(), CustomerFactory()
    PhoneFactory(customer=first, number="+447700900555")
    PhoneFactory(customer=second, number="+447700900555")
    contact = offer_and_answer(caller="+447700900555")
    assert contact.customer is None
    html = desk.get("/calls/desk/").content.decode()
    assert html.count('name="customer" value=') == 2
    desk.post(f"/calls/contacts/{contact.pk}/identify/", {"customer": second.pk})
    contact.refresh_from_db()
    assert contact.customer == second


def test_verifying_on_the_desk_records_the_outcome_on_the_contact(desk, agent):
    member = covered_member(postcode="TW18 3HA")
    PhoneFactory(customer=member.customer, number="+447700900321")
    contact = offer_and_answer()
    response = desk.post(
        f"/members/{member.customer_id}/verify/",
        {
            "contact": contact.pk,
            "date_of_birth": member.customer.date_of_birth.isoformat(),
            "postcode": "tw18 3ha",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/calls/desk/"
    contact.refresh_from_db()
    assert contact.idv_outcome == "passed"
    assert IdentityCheck.objects.get().contact == contact


def test_a_wrap_up_without_reasons_is_refused_and_keeps_the_agents_text(desk, agent, reasons):
    contact = offer_and_answer()
    response = desk.post(
        f"/calls/contacts/{contact.pk}/wrap-up/",
        {"outcome": "information_given", "resolved_first_contact": "yes", "notes": "Explained the physio limit"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Explained the physio limit" in html
    assert "Choose at least one reason." in html
    contact.refresh_from_db()
    assert contact.wrapped_up_at is None


def test_a_retired_reason_cannot_be_chosen(desk, agent, reasons):
    contact = offer_and_answer()
    response = desk.post(
        f"/calls/contacts/{contact.pk}/wrap-up/",
        {"reasons": [reasons["retired"].pk], "outcome": "other", "resolved_first_contact": "no", "notes": "kept"},
    )
    assert response.status_code == 400 and "kept" in response.content.decode()


def test_wrap_up_records_the_agents_view_and_makes_them_available(desk, agent, reasons):
    contact = offer_and_answer()
    events_ingest([(0, Event("ended", "twilio", "CA1-e", "CA1", timezone.now() - timedelta(seconds=1)))])
    contacts_fold_pending()
    assert AgentStatus.objects.get(user=agent).state == AgentState.WRAP_UP
    response = desk.post(
        f"/calls/contacts/{contact.pk}/wrap-up/",
        {
            "reasons": [reasons["cover-check"].pk, reasons["claim-status"].pk],
            "outcome": "cover_confirmed",
            "caller_state": "anxious",
            "resolved_first_contact": "yes",
            "notes": "Physio covered from March.",
        },
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.state == "closed"
    assert contact.caller_state == "anxious" and contact.resolved_first_contact is True
    assert set(contact.reasons.values_list("code", flat=True)) == {"cover-check", "claim-status"}
    assert AgentStatus.objects.get(user=agent).state == AgentState.AVAILABLE
    assert AgentStateChange.objects.filter(user=agent, source="agent", state="available").exists()
    assert AuditEvent.objects.filter(object_type="calls.contact", object_id=str(contact.pk), action="update").exists()
    # Off the desk once wrapped up.
    assert f'data-contact="{contact.pk}"' not in desk.get("/calls/desk/").content.decode()


def test_another_agents_contact_cannot_be_wrapped_up(user_factory, agent, reasons):
    contact = offer_and_answer()
    other = Client()
    other.force_login(user_factory(role=Role.AGENT, email="other@example.org"))
    response = other.post(
        f"/calls/contacts/{contact.pk}/wrap-up/",
        {"reasons": [reasons["cover-check"].pk], "outcome": "other", "resolved_first_contact": "no"},
    )
    assert response.status_code == 400
    assert "This contact belongs to another agent." in response.content.decode()


def test_a_letter_is_logged_by_hand_for_a_member(desk, agent, reasons):
    member = CustomerFactory()
    response = desk.post(
        "/calls/contacts/new/",
        {
            "channel": "letter",
            "direction": "inbound",
            "occurred_at": (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "membership_number": member.membership_number,
            "subject": "Invoice query",
            "reasons": [reasons["claim-status"].pk],
            "outcome": "information_given",
            "resolved_first_contact": "no",
        },
    )
    assert response.status_code == 302, response.content.decode()
    contact = Contact.objects.get(channel="letter")
    assert (contact.customer, contact.agent, contact.state) == (member, agent, "closed")


def test_a_contact_in_the_future_or_for_an_unknown_member_is_refused_with_the_text_kept(desk, agent, reasons):
    response = desk.post(
        "/calls/contacts/new/",
        {
            "channel": "email",
            "direction": "inbound",
            "occurred_at": (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            "membership_number": "123456789",
            "reasons": [reasons["claim-status"].pk],
            "outcome": "other",
            "resolved_first_contact": "no",
            "notes": "Member wrote about a refund",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "No member has this membership number." in html
    assert "Member wrote about a refund" in html
    assert Contact.objects.count() == 0


def test_the_agent_takes_a_break_and_the_timeline_shows_it(desk, agent):
    desk.post("/calls/desk/state/", {"state": "break"})
    assert AgentStatus.objects.get(user=agent).state == AgentState.BREAK
    assert desk.post("/calls/desk/state/", {"state": "on_call"}).status_code == 302  # refused, not applied
    assert AgentStatus.objects.get(user=agent).state == AgentState.BREAK


def test_the_desk_and_the_poll_read_a_bounded_number_of_queries(desk, agent, django_assert_max_num_queries):
    member = covered_member()
    PhoneFactory(customer=member.customer, number="+447700900321")
    contact = offer_and_answer()
    with django_assert_max_num_queries(30):
        assert desk.get("/calls/desk/").status_code == 200
    version = f"{contact.pk}:on_call:{member.customer_id}:not_done:on_call"
    with django_assert_max_num_queries(4):  # the session, the user, the contact, the agent's state
        assert desk.get("/calls/desk/live/", {"v": version}).status_code == 204


def test_the_contact_page_shows_the_events_and_the_wrap_up(desk, agent, django_assert_max_num_queries):
    contact = offer_and_answer()
    with django_assert_max_num_queries(12):
        page = desk.get(f"/calls/contacts/{contact.pk}/")
    assert page.status_code == 200
    assert "Telephony events" in page.content.decode()


def test_the_demo_call_command_rings_the_agents_desk(desk, agent):
    from django.core.management import call_command

    PhoneFactory(number="+447700900777")
    Queue.objects.create(code="claims", name="Claims", open_all_hours=True)
    call_command("demo_call", agent=agent.email, number="07700 900777", stdout=open("/dev/null", "w"))  # noqa: SIM115
    contact = Contact.objects.get(agent=agent)
    assert contact.state == "on_call" and contact.customer is not None
    assert f'data-contact="{contact.pk}"' in desk.get("/calls/desk/").content.decode()


def test_the_wrap_up_links_the_cover_check_made_during_the_call(desk, agent, reasons):
    from decimal import Decimal

    from claims.services import cover_check_run
    from claims.tests.factories import ProviderFactory

    member = covered_member(start=timezone.localdate() - timedelta(days=200))
    PhoneFactory(customer=member.customer, number="+447700900321")
    contact = offer_and_answer()
    check = cover_check_run(
        customer=member.customer,
        category="outpatient",
        treatment_date=timezone.localdate(),
        estimated_cost=Decimal("150"),
        actor=agent,
        provider=ProviderFactory(),
    )
    desk.post(
        f"/calls/contacts/{contact.pk}/wrap-up/",
        {"reasons": [reasons["cover-check"].pk], "outcome": "cover_confirmed", "resolved_first_contact": "yes"},
    )
    contact.refresh_from_db()
    assert (contact.cover_check, contact.policy_id) == (check, member.policy_id)


def test_the_taxonomy_stays_two_levels_deep(reasons):
    from django.core.exceptions import ValidationError

    third = ReasonCode(code="too-deep", name="Too deep", parent=reasons["cover-check"])
    with pytest.raises(ValidationError, match="two levels deep"):
        third.full_clean()
    category = reasons["cover-check"].parent
    category.parent = ReasonCode.objects.get(code="claims")
    with pytest.raises(ValidationError, match="reasons of its own"):
        category.full_clean()


def test_administrators_manage_queues_and_reasons_in_the_admin(user_factory, reasons):
    admin = Client()
    admin.force_login(user_factory(role=Role.ADMINISTRATOR, email="admin@example.org"))
    for path in ("/admin/calls/reasoncode/", "/admin/calls/queue/", "/admin/calls/reasoncode/add/"):
        assert admin.get(path).status_code == 200, path
    response = admin.post(
        "/admin/calls/reasoncode/add/",
        {"code": "deep", "name": "Deep", "parent": reasons["cover-check"].pk, "position": 0, "is_active": "on"},
    )
    assert response.status_code == 200  # the form again: not a category
    assert not ReasonCode.objects.filter(code="deep").exists()


def test_administrators_set_the_site_a_queue_is_served_from(user_factory):
    admin = Client()
    admin.force_login(user_factory(role=Role.ADMINISTRATOR, email="admin@example.org"))
    staines, queue = SiteFactory(code="staines-q", name="Staines"), QueueFactory(code="nurse-q", name="Nurse")
    form = admin.get(f"/admin/calls/queue/{queue.pk}/change/").content.decode()
    assert 'name="site"' in form and "Blank for a queue several sites share." in form
    queue.site = staines
    queue.save(update_fields=["site"])
    listing = admin.get("/admin/calls/queue/", {"site__id__exact": staines.pk}).content.decode()
    assert "Nurse" in listing and "Staines" in listing
