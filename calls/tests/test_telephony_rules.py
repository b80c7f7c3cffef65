"""The telephony rules without a database: checking events as received, and folding a call."""

import random
from datetime import UTC, datetime, timedelta

import pytest

from calls.rules.telephony import Event, event_parse, fold_call

T0 = datetime(2026, 11, 23, 9, 0, 0, tzinfo=UTC)
NOW = T0 + timedelta(hours=1)


def ev(kind: str, second: float, n: int | None = None, **fields) -> Event:
    return Event(
        type=kind,
        provider="asterisk",
        event_id=fields.pop("event_id", f"{kind}-{second}-{n}"),
        call_id="call-1",
        occurred_at=T0 + timedelta(seconds=second),
        sequence=n,
        **fields,
    )


ANSWERED_CALL = [
    ev("offered", 0, queue="claims", caller_number="+447700900321"),
    ev("ringing", 12, agent="4021"),
    ev("answered", 15, agent="4021"),
    ev("held", 60),
    ev("resumed", 90),
    ev("ended", 200, cause="caller"),
    ev("wrap_up_ended", 245),
]


def test_answered_call_gives_wait_ring_hold_talk_and_wrap_up_seconds():
    facts = fold_call(ANSWERED_CALL)
    assert (facts.state, facts.queue_code, facts.agent_extension) == ("closed", "claims", "4021")
    assert facts.wait_seconds == 15
    assert facts.ring_seconds == 3
    assert facts.hold_seconds == 30
    assert facts.talk_seconds == 200 - 15 - 30
    assert facts.wrap_up_seconds == 45
    assert facts.end_cause == "caller"
    assert not facts.is_abandoned


@pytest.mark.parametrize("seed", range(20))
def test_any_order_and_any_repeats_give_the_same_call(seed):
    rng = random.Random(seed)
    stream = ANSWERED_CALL + rng.sample(ANSWERED_CALL, 3)
    rng.shuffle(stream)
    assert fold_call(stream) == fold_call(ANSWERED_CALL)


def test_late_answered_after_ended_fills_the_answer_time_but_never_reopens():
    arrived = [ev("offered", 0, queue="claims"), ev("ended", 100), ev("answered", 10, agent="4021")]
    facts = fold_call(arrived)
    assert facts.state == "wrap_up"
    assert facts.answered_at == T0 + timedelta(seconds=10)
    assert facts.talk_seconds == 90
    assert not facts.is_abandoned


def test_events_stamped_after_the_end_change_nothing():
    facts = fold_call([ev("offered", 0, queue="claims"), ev("ended", 30), ev("answered", 40, agent="4021")])
    assert facts.state == "abandoned"
    assert facts.answered_at is None
    assert facts.late_events == 1


@pytest.mark.parametrize(
    ("waited", "threshold", "short"),
    [(3, 5, True), (5, 5, True), (6, 5, False), (9, 10, True), (11, 10, False)],
)
def test_short_abandon_is_within_the_queue_threshold(waited, threshold, short):
    facts = fold_call(
        [ev("offered", 0, queue="claims"), ev("abandoned", waited)], short_abandon_seconds={"claims": threshold}
    )
    assert facts.is_abandoned and facts.state == "abandoned"
    assert facts.wait_seconds == waited
    assert facts.is_short_abandon is short


def test_abandoned_is_derived_from_an_unanswered_end_not_from_the_event_name():
    assert fold_call([ev("offered", 0, queue="q"), ev("ended", 50)]).is_abandoned
    answered = fold_call([ev("offered", 0, queue="q"), ev("answered", 5, agent="1"), ev("abandoned", 50)])
    assert not answered.is_abandoned and answered.state == "wrap_up"


def test_transfers_add_legs_and_move_the_call_to_the_new_agent():
    facts = fold_call(
        [
            ev("offered", 0, queue="membership"),
            ev("answered", 5, agent="4021"),
            ev("transferred", 40, queue="claims"),
            ev("answered", 55, agent="4100"),
            ev("ended", 100),
        ]
    )
    assert facts.transfer_count == 1
    assert [leg["queue"] for leg in facts.legs] == ["membership", "claims"]
    assert facts.agent_extension == "4100"
    assert facts.queue_code == "membership"  # counted where it was offered
    assert facts.answered_at == T0 + timedelta(seconds=5)


def test_hold_still_open_at_the_end_counts_until_the_end():
    facts = fold_call([ev("offered", 0, queue="q"), ev("answered", 5, agent="1"), ev("held", 20), ev("ended", 50)])
    assert facts.hold_seconds == 30 and facts.talk_seconds == 15


def test_sequence_numbers_order_events_of_the_same_instant():
    same = [ev("offered", 0, queue="q"), ev("answered", 1, agent="1"), ev("resumed", 5, 2), ev("held", 5, 1)]
    assert fold_call(same).state == "on_call"


def test_a_call_first_heard_of_mid_way_is_created_from_what_arrived():
    facts = fold_call([ev("answered", 5, agent="1")])
    assert facts.offered_at == T0 + timedelta(seconds=5)
    assert facts.state == "on_call"


def raw(**overrides):
    body = {
        "type": "offered",
        "provider": "twilio",
        "event_id": "e1",
        "call_id": "CA1",
        "occurred_at": "2026-11-23T09:15:02Z",
        "queue": "claims",
        "caller_number": "07700 900321",
    }
    body.update(overrides)
    return {key: value for key, value in body.items() if value is not None}


def test_valid_event_is_parsed_with_the_number_in_e164():
    event, errors = event_parse(raw(), now=NOW)
    assert errors == {}
    assert event.caller_number == "+447700900321"
    assert event.occurred_at == datetime(2026, 11, 23, 9, 15, 2, tzinfo=UTC)


def test_a_withheld_number_is_kept_as_sent():
    event, _ = event_parse(raw(caller_number="anonymous"), now=NOW)
    assert event.caller_number == "anonymous"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"type": "picked_up"}, "type"),
        ({"call_id": None}, "call_id"),
        ({"call_id": "  "}, "call_id"),
        ({"event_id": None}, "event_id"),
        ({"provider": None}, "provider"),
        ({"occurred_at": "2026-11-23T12:00:00Z"}, "occurred_at"),  # far in the future
        ({"occurred_at": "2026-11-23T09:15:02"}, "occurred_at"),  # no time zone
        ({"occurred_at": "yesterday"}, "occurred_at"),
        ({"occurred_at": "1999-12-31T23:59:59Z"}, "occurred_at"),
        ({"sequence": -1}, "sequence"),
        ({"sequence": "7"}, "sequence"),
        ({"queue": None}, "queue"),  # offered names its queue
        ({"type": "answered", "agent": None}, "agent"),
        ({"type": "transferred", "queue": None}, "queue"),
        ({"call_id": "x" * 129}, "call_id"),
        ({"caller_number": {"n": 1}}, "caller_number"),
    ],
)
def test_bad_events_are_refused_naming_the_field(overrides, field):
    event, errors = event_parse(raw(**overrides), now=NOW)
    assert event is None
    assert field in errors


def test_an_event_must_be_an_object():
    assert event_parse(["offered"], now=NOW) == (None, {"non_field_errors": ["Each event must be a JSON object."]})
