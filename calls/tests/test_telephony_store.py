"""The statement that stores telephony events (services.telephony._store_postgresql): its arrays
carry any text unchanged, and it is prepared once per database connection. Against the real
PostgreSQL."""

import json
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calls.models import TelephonyEvent
from calls.rules.telephony import Event
from calls.services import telephony
from calls.services.telephony import array_literal, events_ingest
from staff.roles import Role
from staff.services import api_token_create

pytestmark = pytest.mark.django_db
START = timezone.now().replace(microsecond=0) - timedelta(minutes=30)
# Any text PostgreSQL can hold (it cannot hold NUL), with what array syntax gives meaning to.
TEXT = st.text(
    st.one_of(
        st.sampled_from("{}\",\\ \tNULL'$"), st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00")
    ),
    max_size=12,
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.one_of(st.none(), TEXT), max_size=8))
def test_an_array_literal_gives_back_the_very_values_it_was_made_of(values):
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::varchar[]", [array_literal(values)])
        assert cursor.fetchone()[0] == values


def ev(event_id: str, call: str = "CA1", **fields) -> Event:
    return Event("offered", "twilio", event_id, call, START, None, queue="claims", **fields)


def test_awkward_text_is_stored_as_sent(db):
    awkward = 'a "quoted", {braced} \\ back\tslashed NULL'
    (result,) = events_ingest([(0, ev(awkward, call=awkward, caller_number="NULL"))])
    stored = TelephonyEvent.objects.get(event_id=awkward)
    assert (stored.external_call_id, stored.caller_number, stored.contact_id) == (awkward, "NULL", result.contact_id)


@pytest.mark.django_db(transaction=True)
def test_the_statement_is_prepared_once_per_connection_and_survives_a_rollback():
    def prepared() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE name = %s", [telephony.STORE_STATEMENT])
            return cursor.fetchone()[0]

    connection.close()
    connection.ensure_connection()
    assert not connection.telephony_store_prepared and prepared() == 0  # a new connection has none
    with pytest.raises(RuntimeError), transaction.atomic():
        events_ingest([(0, ev("e1"))])
        raise RuntimeError("the caller's transaction fails")
    assert connection.telephony_store_prepared and prepared() == 1
    events_ingest([(0, ev("e2")), (1, ev("e3", call="CA2"))])  # a batch of another size: the same statement
    assert prepared() == 1
    assert set(TelephonyEvent.objects.values_list("event_id", flat=True)) == {"e2", "e3"}


def test_a_nul_character_in_an_event_gets_a_400_naming_the_field(user_factory):
    client_user = user_factory(role=Role.API_CLIENT, email="pbx@example.org")
    client = Client(HTTP_AUTHORIZATION=f"Token {api_token_create(client=client_user).clear_token}")
    body = {"type": "offered", "provider": "twilio", "event_id": "a\x00b", "call_id": "CA1", "queue": "claims"}
    body["occurred_at"] = START.isoformat()
    response = client.post("/api/v1/telephony/events/", json.dumps(body), content_type="application/json")
    assert response.status_code == 400, response.content
    assert "event_id" in response.json()["error"]["fields"]
    assert not TelephonyEvent.objects.exists()


def test_deleting_a_client_empties_the_sender_of_its_events(user_factory):
    """The database does not check the sender (a hot row locked once per event); Django's
    on_delete still empties it."""
    client_user = user_factory(role=Role.API_CLIENT, email="pbx@example.org")
    events_ingest([(0, ev("e1"))], received_from=client_user)
    assert TelephonyEvent.objects.get().received_from == client_user
    client_user.delete()
    assert TelephonyEvent.objects.get().received_from is None
