"""The event stream's promise, as a property: for random calls whose events are repeated,
reordered and split among several clients sending at once, while a worker folds what they have
stored so far, the contacts in PostgreSQL end up equal to the fold of each call's clean, in-order
stream once the last fold has run."""

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calls.models import Contact
from calls.rules.telephony import FOLDED_FIELDS, Event, fold_call
from calls.services.telephony import events_ingest
from calls.services.telephony_fold import contacts_fold, contacts_fold_pending

pytestmark = pytest.mark.django_db(transaction=True)
T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


@st.composite
def call_lives(draw, call_id: str) -> list[Event]:
    """One call's clean stream: offered, perhaps rung and answered (with holds and a transfer),
    then ended or abandoned, perhaps wrapped up."""
    at = T0 + timedelta(seconds=draw(st.integers(0, 3600)))
    events: list[Event] = []

    def add(kind: str, **fields) -> None:
        nonlocal at
        at += timedelta(seconds=draw(st.integers(1, 90)))
        events.append(Event(kind, "prop", f"{call_id}-{len(events)}", call_id, at, None, **fields))

    add("offered", queue=draw(st.sampled_from(["claims", "cover", "nurse"])), caller_number="+447700900123")
    agent = draw(st.sampled_from(["4001", "4002", "4003"]))
    if draw(st.booleans()):
        add("ringing", agent=agent)
    if draw(st.booleans()):
        add("answered", agent=agent)
        for _ in range(draw(st.integers(0, 2))):
            add("held")
            add("resumed")
        if draw(st.booleans()):
            add("transferred", queue="claims", agent=draw(st.sampled_from(["4001", "4004"])))
        add("ended", cause="caller")
        if draw(st.booleans()):
            add("wrap_up_ended")
    else:
        add(draw(st.sampled_from(["ended", "abandoned"])), cause="caller")
    return events


@st.composite
def deliveries(draw):
    run = uuid.uuid4().hex[:8]
    calls = [draw(call_lives(f"{run}-{n}")) for n in range(draw(st.integers(1, 6)))]
    clean = [event for call in calls for event in call]
    repeats = draw(st.lists(st.sampled_from(clean), max_size=len(clean)))
    stream = clean + repeats
    draw(st.randoms(use_true_random=False)).shuffle(stream)
    clients = draw(st.integers(2, 4))
    return calls, [stream[i::clients] for i in range(clients)], draw(st.integers(1, 7))


def _fold_until(done: threading.Event, errors: list) -> None:
    """A worker folding over and over while the clients send."""
    try:
        while not done.is_set():
            contacts_fold(limit=3)
    except Exception as error:  # noqa: BLE001 - reported by the test
        errors.append(error)
    finally:
        connection.close()


def _send(events: list[Event], batch_size: int, errors: list) -> None:
    try:
        for start in range(0, len(events), batch_size):
            chunk = events[start : start + batch_size]
            events_ingest(list(enumerate(chunk)))
    except Exception as error:  # noqa: BLE001 - reported by the test
        errors.append(error)
    finally:
        connection.close()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(deliveries())
def test_concurrent_repeated_reordered_delivery_equals_the_clean_stream(delivery):
    calls, per_client, batch_size = delivery
    errors: list = []
    sent = threading.Event()
    folder = threading.Thread(target=_fold_until, args=(sent, errors))
    threads = [threading.Thread(target=_send, args=(events, batch_size, errors)) for events in per_client]
    folder.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sent.set()
    folder.join()
    contacts_fold_pending()  # the fold the last request queued
    assert errors == []
    for call in calls:
        expected = fold_call(call)
        stored = Contact.objects.get(provider="prop", external_id=call[0].call_id)
        assert {name: getattr(stored, name) for name in FOLDED_FIELDS} == {
            name: getattr(expected, name) for name in FOLDED_FIELDS
        }
        assert stored.events.count() == len(call)
