"""Telephony events, without a database: checking one as received, and folding a call's events
into the facts of its contact.

The fold is what makes the effect of at-least-once, out-of-order delivery exactly once: a contact's
timing is always recomputed from the set of its distinct events, sorted by when they happened, so
neither a repeat nor the order of arrival can change the result (tests/test_telephony_rules.py,
and the property test that sends shuffled, repeated streams from several clients at once)."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from django.utils.dateparse import parse_datetime

from customers.rules import normalise_phone

EVENT_TYPES = (
    "offered",
    "ringing",
    "answered",
    "held",
    "resumed",
    "transferred",
    "ended",
    "abandoned",
    "wrap_up_ended",
)
# Tie-break for events stamped with the same instant and no sequence number: the order of a call's life.
_RANK = {name: index for index, name in enumerate(EVENT_TYPES)}
# How far ahead of our clock an event's time may be (platform clocks drift a little).
FUTURE_TOLERANCE = timedelta(minutes=5)
EARLIEST = datetime.fromisoformat("2000-01-01T00:00:00+00:00")
MAX_BATCH = 500
_SHORT = {"provider": 40, "queue": 40, "agent": 40, "cause": 40, "event_id": 128, "call_id": 128}


@dataclass(frozen=True, slots=True)
class Event:
    """One telephony event, checked. For `transferred`, `queue` and `agent` name the target."""

    type: str
    provider: str
    event_id: str
    call_id: str
    occurred_at: datetime
    sequence: int | None = None
    queue: str = ""
    agent: str = ""
    caller_number: str = ""
    dialled_number: str = ""
    cause: str = ""

    def order(self) -> tuple:
        return (self.occurred_at, -1 if self.sequence is None else self.sequence, _RANK[self.type], self.event_id)


def _text(raw: Mapping[str, Any], name: str, errors: dict, *, required: bool = False) -> str:
    value = raw.get(name)
    if value is None or value == "":
        if required:
            errors[name] = ["This field is required."]
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        errors[name] = ["Must be a string."]
        return ""
    value = str(value).strip()
    limit = _SHORT.get(name, 32)
    if "\x00" in value:
        errors[name] = ["Must not contain the NUL character."]
    elif len(value) > limit:
        errors[name] = [f"At most {limit} characters."]
    elif required and not value:
        errors[name] = ["This field is required."]
    return value


@lru_cache(maxsize=2**16)
def _number(value: str) -> str:
    """A caller or dialled number in E.164 when it is one; otherwise as sent ("anonymous", "withheld").
    Remembered per process: the dialled numbers are a handful and callers call again, and reading a
    number with `phonenumbers` costs about 40 microseconds (22 ms of a 500-event batch's 33 ms of checks)."""
    return normalise_phone(value) or value


def event_parse(raw: Any, *, now: datetime) -> tuple[Event | None, dict[str, list[str]]]:
    """Check one event as received (a JSON object). Returns the event, or None and the errors per
    field, each naming what is wrong. Unknown fields are ignored: platforms add their own."""
    if not isinstance(raw, Mapping):
        return None, {"non_field_errors": ["Each event must be a JSON object."]}
    errors: dict[str, list[str]] = {}
    kind = raw.get("type")
    if kind not in _RANK:
        errors["type"] = [f"Unknown event type {kind!r}; expected one of: {', '.join(EVENT_TYPES)}."]
    provider = _text(raw, "provider", errors, required=True)
    event_id = _text(raw, "event_id", errors, required=True)
    call_id = _text(raw, "call_id", errors, required=True)
    occurred_at = None
    stamp = raw.get("occurred_at")
    if not stamp:
        errors["occurred_at"] = ["This field is required."]
    else:
        try:
            occurred_at = parse_datetime(stamp) if isinstance(stamp, str) else None
        except ValueError:
            occurred_at = None
        if occurred_at is None or occurred_at.tzinfo is None:
            errors["occurred_at"] = ["Must be an ISO 8601 date and time with a time zone (2026-11-23T09:15:02Z)."]
        elif occurred_at > now + FUTURE_TOLERANCE:
            errors["occurred_at"] = ["Is in the future."]
        elif occurred_at < EARLIEST:
            errors["occurred_at"] = ["Is before the year 2000."]
    sequence = raw.get("sequence")
    if sequence is not None and (isinstance(sequence, bool) or not isinstance(sequence, int) or sequence < 0):
        errors["sequence"] = ["Must be a whole number, zero or more."]
    queue = _text(raw, "queue", errors)
    agent = _text(raw, "agent", errors)
    caller = _text(raw, "caller_number", errors)
    dialled = _text(raw, "dialled_number", errors)
    cause = _text(raw, "cause", errors)
    if kind == "offered" and not queue and "queue" not in errors:
        errors["queue"] = ["An offered event names its queue."]
    if kind in {"ringing", "answered"} and not agent and "agent" not in errors:
        errors["agent"] = [f"A {kind} event names its agent."]
    if kind == "transferred" and not (queue or agent) and "queue" not in errors:
        errors["queue"] = ["A transfer names the queue or the agent it went to."]
    if errors:
        return None, errors
    return (
        Event(
            type=kind,
            provider=provider,
            event_id=event_id,
            call_id=call_id,
            occurred_at=occurred_at,
            sequence=sequence,
            queue=queue,
            agent=agent,
            caller_number=_number(caller),
            dialled_number=_number(dialled),
            cause=cause,
        ),
        {},
    )


@dataclass
class CallFacts:
    """What a call's events say about it; the names are the Contact fields they fill."""

    state: str = "offered"
    queue_code: str = ""
    agent_extension: str = ""
    caller_number: str = ""
    dialled_number: str = ""
    offered_at: datetime | None = None
    ringing_at: datetime | None = None
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    wrap_up_ended_at: datetime | None = None
    wait_seconds: int = 0
    ring_seconds: int = 0
    hold_seconds: int = 0
    talk_seconds: int = 0
    wrap_up_seconds: int = 0
    transfer_count: int = 0
    legs: list[dict[str, str]] = field(default_factory=list)
    is_abandoned: bool = False
    is_short_abandon: bool = False
    end_cause: str = ""
    # Events stamped after the call ended (other than wrap-up): kept, but they change nothing.
    late_events: int = 0


def _seconds(start: datetime | None, end: datetime | None) -> int:
    if start is None or end is None or end <= start:
        return 0
    return round((end - start).total_seconds())


def fold_call(events: list[Event], *, short_abandon_seconds: Mapping[str, int] | None = None) -> CallFacts:
    """The facts of one call from its events, in any order and with repeats.

    Rules: the time of the first `offered` is when the call came in (else its earliest event);
    the first `answered` is when it was answered (a later one, after a transfer, names the new
    agent); the first `ended` or `abandoned` closes it, and nothing stamped later reopens it;
    abandoned means ended without an answer, derived, never sent as such; a short abandon is one
    within the queue's threshold (5 s unless `short_abandon_seconds[queue]` says otherwise)."""
    facts = CallFacts()
    unique = {event.event_id: event for event in events}
    ordered = sorted(unique.values(), key=Event.order)
    if not ordered:
        return facts
    hold_from: datetime | None = None
    held = timedelta()
    state = "offered"
    for event in ordered:
        at = event.occurred_at
        facts.caller_number = facts.caller_number or event.caller_number
        facts.dialled_number = facts.dialled_number or event.dialled_number
        if event.type == "offered":
            if facts.offered_at is None:
                facts.offered_at = at
                facts.queue_code = facts.queue_code or event.queue
                facts.legs.insert(0, {"queue": event.queue, "agent": "", "from": at.isoformat()})
            continue
        if event.type == "wrap_up_ended":
            if facts.wrap_up_ended_at is None:
                facts.wrap_up_ended_at = at
            continue
        if facts.ended_at is not None:
            facts.late_events += 1
            continue
        if event.type == "ringing":
            facts.ringing_at = facts.ringing_at or at
            facts.agent_extension = event.agent
            if state == "offered":
                state = "ringing"
        elif event.type == "answered":
            facts.answered_at = facts.answered_at or at
            facts.agent_extension = event.agent
            state = "on_call"
        elif event.type == "held" and state == "on_call":
            hold_from, state = at, "on_hold"
        elif event.type == "resumed" and state == "on_hold":
            held += at - hold_from
            hold_from, state = None, "on_call"
        elif event.type == "transferred":
            facts.transfer_count += 1
            if hold_from is not None:
                held += at - hold_from
                hold_from = None
            if event.agent:
                facts.agent_extension = event.agent
            facts.legs.append({"queue": event.queue, "agent": event.agent, "from": at.isoformat()})
            state = "on_call" if event.agent and facts.answered_at else state
        elif event.type in {"ended", "abandoned"}:
            facts.ended_at = at
            facts.end_cause = event.cause or ("abandoned" if event.type == "abandoned" else "")
            if hold_from is not None:
                held += at - hold_from
                hold_from = None
            state = "wrap_up" if facts.answered_at else "abandoned"

    first = ordered[0].occurred_at
    if facts.offered_at is None:
        facts.offered_at = first
        facts.queue_code = facts.queue_code or next((e.queue for e in ordered if e.queue), "")
    if state == "on_hold" and hold_from is not None:
        held += ordered[-1].occurred_at - hold_from if ordered[-1].occurred_at > hold_from else timedelta()
    facts.hold_seconds = max(0, round(held.total_seconds()))
    if facts.answered_at is not None:
        facts.wait_seconds = _seconds(facts.offered_at, facts.answered_at)
        facts.ring_seconds = _seconds(facts.ringing_at, facts.answered_at)
        facts.talk_seconds = max(0, _seconds(facts.answered_at, facts.ended_at) - facts.hold_seconds)
    elif facts.ended_at is not None:
        facts.wait_seconds = _seconds(facts.offered_at, facts.ended_at)
        facts.is_abandoned = True
        limit = (short_abandon_seconds or {}).get(facts.queue_code, 5)
        facts.is_short_abandon = facts.wait_seconds <= limit
    if facts.wrap_up_ended_at is not None and facts.ended_at is not None:
        facts.wrap_up_seconds = _seconds(facts.ended_at, facts.wrap_up_ended_at)
        if state == "wrap_up":
            state = "closed"
    facts.state = state
    return facts


# The Contact fields the fold owns (a wrap-up never writes them; the fold never writes the others).
FOLDED_FIELDS = [
    "state",
    "caller_number",
    "dialled_number",
    "offered_at",
    "ringing_at",
    "answered_at",
    "ended_at",
    "wrap_up_ended_at",
    "wait_seconds",
    "ring_seconds",
    "hold_seconds",
    "talk_seconds",
    "wrap_up_seconds",
    "transfer_count",
    "legs",
    "is_abandoned",
    "is_short_abandon",
    "end_cause",
    "agent_extension",
]

# Which agent state an event puts the agent in (the timeline for occupancy and adherence).
AGENT_STATE_AFTER = {"answered": "on_call", "ended": "wrap_up", "wrap_up_ended": "available"}


def wrap_up_seconds_counted(
    *,
    wrap_up_seconds: int,
    wrap_up_ended_at: datetime | None,
    wrapped_up_at: datetime | None,
    ended_at: datetime | None,
) -> int:
    """A call's wrap-up time: the platform's when it said the wrap-up ended; otherwise, when the agent
    wrapped up at the desk, from the end of the call to then (whole seconds, never below 0); else 0."""
    if wrap_up_ended_at is not None:
        return wrap_up_seconds
    if wrapped_up_at is not None and ended_at is not None:
        return max(0, int((wrapped_up_at - ended_at).total_seconds()))
    return 0
