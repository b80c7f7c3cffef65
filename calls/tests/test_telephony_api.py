"""POST /api/v1/telephony/events/ and GET /api/v1/telephony/lookup/: the way in for telephony
platforms, against the real PostgreSQL."""

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from calls.models import AgentState, AgentStateChange, AgentStatus, Contact, Queue, TelephonyClient, TelephonyEvent
from calls.services.telephony_fold import contacts_fold_pending
from claims.tests.factories import CustomerFactory, PhoneFactory
from customers.models import Household, HouseholdMember
from staff.roles import Role
from staff.services import api_token_create

pytestmark = pytest.mark.django_db
URL = "/api/v1/telephony/events/"
START = timezone.now().replace(microsecond=0) - timedelta(hours=1)


@pytest.fixture
def platform(user_factory):
    client_user = user_factory(role=Role.API_CLIENT, email="pbx@example.org")
    token = api_token_create(client=client_user).clear_token
    return client_user, Client(HTTP_AUTHORIZATION=f"Token {token}")


@pytest.fixture
def queue(db):
    return Queue.objects.create(code="claims", name="Claims", opens_at="08:00", closes_at="20:00")


def event(kind: str, second: int, call: str = "CA1", **fields) -> dict:
    body = {
        "type": kind,
        "provider": "twilio",
        "event_id": f"{call}-{kind}-{second}",
        "call_id": call,
        "occurred_at": (START + timedelta(seconds=second)).isoformat(),
    }
    return body | fields


def post(client: Client, body, **headers):
    """Send, then fold what the request stored, as the worker it queues would."""
    response = client.post(URL, data=json.dumps(body), content_type="application/json", **headers)
    contacts_fold_pending()
    return response


def test_an_offered_event_creates_the_contact_and_matches_the_member_by_phone(platform, queue):
    member = PhoneFactory(number="+447700900321").customer
    response = post(platform[1], event("offered", 0, queue="claims", caller_number="07700 900321"))
    assert response.status_code == 200, response.json()
    contact = Contact.objects.get(pk=response.json()["contact_id"])
    assert (contact.provider, contact.external_id, contact.state) == ("twilio", "CA1", "offered")
    assert contact.queue == queue
    assert contact.customer == member
    assert contact.caller_number == "+447700900321"


def test_a_repeated_event_changes_nothing_and_gets_the_same_answer(platform, queue):
    first = post(platform[1], event("offered", 0, queue="claims"))
    again = post(platform[1], event("offered", 0, queue="claims"))
    assert again.status_code == 200
    assert again.json() == first.json()
    assert TelephonyEvent.objects.count() == 1
    assert Contact.objects.count() == 1


def test_a_batch_stores_the_good_events_and_reports_each_bad_one(platform, queue):
    batch = [
        event("offered", 0, queue="claims"),
        event("picked_up", 3),
        event("answered", 5, agent="4021"),
        {"type": "ended", "provider": "twilio", "event_id": "x", "occurred_at": START.isoformat()},
        "not an object",
    ]
    response = post(platform[1], batch)
    assert response.status_code == 200
    body = response.json()
    assert (body["accepted"], body["rejected"]) == (2, 3)
    assert [r["status"] for r in body["results"]] == ["accepted", "rejected", "accepted", "rejected", "rejected"]
    assert "type" in body["results"][1]["errors"]
    assert "call_id" in body["results"][3]["errors"]
    assert TelephonyEvent.objects.count() == 2
    contact = Contact.objects.get()
    assert contact.state == "on_call" and contact.wait_seconds == 5


def test_events_of_one_call_in_any_order_give_the_clean_result(platform, queue):
    events = [
        event("offered", 0, queue="claims"),
        event("answered", 20, agent="4021"),
        event("ended", 140),
        event("wrap_up_ended", 170),
    ]
    post(platform[1], [events[3], events[2]])
    post(platform[1], events[1])
    post(platform[1], [events[0], events[2]])
    contact = Contact.objects.get()
    assert contact.state == "closed"
    assert (contact.wait_seconds, contact.talk_seconds, contact.wrap_up_seconds) == (20, 120, 30)
    assert contact.is_abandoned is False


def test_an_unknown_agent_extension_is_stored_and_flagged(platform, queue):
    post(platform[1], [event("offered", 0, queue="claims"), event("answered", 4, agent="9999")])
    contact = Contact.objects.get()
    assert contact.agent is None
    assert (contact.agent_extension, contact.agent_unmatched) == ("9999", True)


def test_a_known_agent_moves_through_on_call_wrap_up_and_available_once_per_event(platform, queue, user_factory):
    agent = user_factory(role=Role.AGENT, email="agent@example.org")
    AgentStatus.objects.create(user=agent, extension="4021", state=AgentState.AVAILABLE)
    events = [event("offered", 0, queue="claims"), event("answered", 4, agent="4021"), event("ended", 60)]
    post(platform[1], events)
    post(platform[1], events)  # delivered twice
    status = AgentStatus.objects.get(user=agent)
    assert status.state == AgentState.WRAP_UP
    assert list(AgentStateChange.objects.filter(user=agent).values_list("state", flat=True)) == ["on_call", "wrap_up"]
    post(platform[1], event("wrap_up_ended", 90))
    status.refresh_from_db()
    assert status.state == AgentState.AVAILABLE
    contact = Contact.objects.get()
    assert contact.agent == agent and contact.site == agent.site


def test_an_older_event_arriving_late_does_not_overwrite_the_agents_newer_state(platform, queue, user_factory):
    agent = user_factory(role=Role.AGENT, email="agent@example.org")
    AgentStatus.objects.create(user=agent, extension="4021")
    post(platform[1], [event("offered", 0, queue="claims"), event("ended", 60), event("wrap_up_ended", 80)])
    post(platform[1], event("answered", 4, agent="4021"))
    assert AgentStatus.objects.get(user=agent).state == AgentState.AVAILABLE


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("{not json", None),
        ('"a string"', "non_field_errors"),
        ("[]", "non_field_errors"),
    ],
)
def test_malformed_requests_get_a_400_in_the_error_shape(platform, body, field):
    response = platform[1].post(URL, data=body, content_type="application/json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] in {"parse_error", "invalid"}
    if field:
        assert field in error["fields"]
    assert TelephonyEvent.objects.count() == 0


def test_a_single_bad_event_gets_a_400_naming_the_field_and_stores_nothing(platform, queue):
    future = (timezone.now() + timedelta(hours=2)).isoformat()
    response = post(platform[1], event("offered", 0, queue="claims") | {"occurred_at": future})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"occurred_at": ["Is in the future."]}
    assert Contact.objects.count() == 0


def test_a_batch_over_500_events_is_refused_whole(platform, queue):
    response = post(platform[1], [event("offered", 0, call=f"c{i}", queue="claims") for i in range(501)])
    assert response.status_code == 400
    assert Contact.objects.count() == 0


def test_only_telephony_clients_may_send_events(user_factory, queue):
    agent = user_factory(role=Role.AGENT, email="agent@example.org")
    client = Client()
    client.force_login(agent)
    assert post(client, event("offered", 0, queue="claims")).status_code == 403
    assert post(Client(), event("offered", 0, queue="claims")).status_code == 401


class TestSignature:
    SECRET = "s3cret-for-hmac"

    @pytest.fixture
    def signed_platform(self, platform):
        TelephonyClient.objects.create(user=platform[0], signing_secret=self.SECRET)
        return platform[1]

    def sign(self, raw: bytes) -> str:
        return "sha256=" + hmac.new(self.SECRET.encode(), raw, hashlib.sha256).hexdigest()

    def test_a_correctly_signed_request_is_accepted(self, signed_platform, queue):
        raw = json.dumps(event("offered", 0, queue="claims")).encode()
        response = signed_platform.post(
            URL, data=raw, content_type="application/json", HTTP_X_TAWASUL_SIGNATURE=self.sign(raw)
        )
        assert response.status_code == 200

    @pytest.mark.parametrize("header", [None, "sha256=00ff", "md5=abc", "sha256="])
    def test_a_missing_or_wrong_signature_is_a_401_and_stores_nothing(self, signed_platform, queue, header):
        raw = json.dumps(event("offered", 0, queue="claims")).encode()
        extra = {"HTTP_X_TAWASUL_SIGNATURE": header} if header else {}
        response = signed_platform.post(URL, data=raw, content_type="application/json", **extra)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "authentication_failed"
        assert TelephonyEvent.objects.count() == 0

    def test_a_signature_of_another_body_is_refused(self, signed_platform, queue):
        raw = json.dumps(event("offered", 0, queue="claims")).encode()
        other = json.dumps(event("offered", 1, queue="claims")).encode()
        response = signed_platform.post(
            URL, data=raw, content_type="application/json", HTTP_X_TAWASUL_SIGNATURE=self.sign(other)
        )
        assert response.status_code == 401


class TestLookup:
    def test_members_rank_own_phone_then_household_then_recent_callers(self, platform, django_assert_max_num_queries):
        owner = PhoneFactory(number="+447700900321").customer
        partner = CustomerFactory()
        household = Household.objects.create(holder=owner)
        HouseholdMember.objects.create(household=household, customer=owner, relationship="holder")
        HouseholdMember.objects.create(household=household, customer=partner, relationship="partner")
        neighbour = CustomerFactory()
        Contact.objects.create(caller_number="+447700900321", customer=neighbour, offered_at=timezone.now())
        stale = CustomerFactory()
        Contact.objects.create(
            caller_number="+447700900321", customer=stale, offered_at=timezone.now() - timedelta(days=200)
        )
        with django_assert_max_num_queries(4 + 3):  # the look-up's four, and the token's
            response = platform[1].get("/api/v1/telephony/lookup/", {"number": "07700 900 321"})
        assert response.status_code == 200
        ranked = [(row["customer"]["id"], row["matched_on"]) for row in response.json()]
        assert ranked == [(owner.pk, "member_phone"), (partner.pk, "household"), (neighbour.pk, "recent_caller")]

    def test_a_number_nobody_has_gives_an_empty_list(self, platform):
        response = platform[1].get("/api/v1/telephony/lookup/", {"number": "+441632960000"})
        assert response.status_code == 200 and response.json() == []

    def test_something_that_is_not_a_number_is_a_400_naming_it(self, platform):
        response = platform[1].get("/api/v1/telephony/lookup/", {"number": "hello"})
        assert response.status_code == 400
        assert "number" in response.json()["error"]["fields"]


def test_telephony_clients_have_their_own_rate_above_the_users(platform, queue):
    from calls.api.telephony import TelephonyEventsRateThrottle

    default = TelephonyEventsRateThrottle.THROTTLE_RATES
    assert TelephonyEventsRateThrottle().num_requests > TelephonyEventsRateThrottle.parse_rate(None, default["user"])[0]
    TelephonyEventsRateThrottle.THROTTLE_RATES = {"telephony": "2/minute"}
    try:
        statuses = [post(platform[1], event("offered", i, call=f"c{i}", queue="claims")).status_code for i in range(3)]
    finally:
        TelephonyEventsRateThrottle.THROTTLE_RATES = default
    assert statuses == [200, 200, 429]
