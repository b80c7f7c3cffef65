"""Call detail records (one row per finished call, from a platform's export), without a database:
the column mapping, and turning one row into the telephony events the live API would have sent.

A row becomes offered, answered, held and resumed (when it has hold time: the hold is placed right
after the answer, since a CDR says how long, not when), ended and wrap_up_ended events. Their ids
are derived from the provider, the call id and the event type, so importing the same file again
sends the same events, which the store already has (deduplicated by provider and event id)."""

import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from .telephony import Event, event_parse

# Our name -> what it holds. The default column name is our name; `--map our_name=their_column` changes it.
COLUMNS = {
    "call_id": "The platform's call id (Linkedid, CallSid, ContactId). Required.",
    "queue": "The queue's code, as the platform names it (Queue.code). Required.",
    "agent": "The agent's extension or login. Required when the call was answered.",
    "offered_at": "When the call entered the queue. Required.",
    "answered_at": "When an agent answered; blank for a call abandoned in the queue.",
    "ended_at": "When the call ended (hung up). Required.",
    "caller_number": "The calling number, in any format (stored in E.164 when it is one).",
    "dialled_number": "The number dialled.",
    "hold_seconds": "Total seconds on hold (optional).",
    "wrap_up_seconds": "Seconds of after-call work (optional).",
    "wrap_up_ended_at": "When after-call work ended (optional; instead of wrap_up_seconds).",
    "end_cause": "Why the call ended (caller, agent, ...; optional).",
}
# The header must hold these (a blank answered_at is a value: the call was abandoned).
REQUIRED = ("call_id", "queue", "agent", "offered_at", "answered_at", "ended_at")
_EVENT_ID_LIMIT = 128


class CdrMappingError(ValueError):
    """The column mapping or the file's header cannot be used: nothing is imported."""


class CdrRowError(ValueError):
    """One row cannot be imported; the message says why."""


def column_map(overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Our name -> the file's column name: the defaults with the overrides applied."""
    unknown = sorted(set(overrides or {}) - COLUMNS.keys())
    if unknown:
        raise CdrMappingError(f"Unknown field(s) in the mapping: {', '.join(unknown)}; known: {', '.join(COLUMNS)}.")
    return {name: (overrides or {}).get(name, name) for name in COLUMNS}


def map_option_parse(options: list[str] | None) -> dict[str, str]:
    """`["queue=QueueName", ...]` as given on the command line -> {"queue": "QueueName"}."""
    mapping = {}
    for option in options or []:
        ours, sep, theirs = option.partition("=")
        if not sep or not ours.strip() or not theirs.strip():
            raise CdrMappingError(f"--map takes our_name=their_column, not {option!r}.")
        mapping[ours.strip()] = theirs.strip()
    return mapping


def header_positions(header: list[str], mapping: Mapping[str, str], *, explicit=()) -> dict[str, int]:
    """Our name -> the column's position in the header. A required column missing, or one named
    explicitly (by --map) that is missing, makes the whole file unusable."""
    positions = {name.strip(): index for index, name in enumerate(header)}
    found = {ours: positions[theirs] for ours, theirs in mapping.items() if theirs in positions}
    missing = [mapping[name] for name in (*REQUIRED, *explicit) if name not in found]
    if missing:
        names = ", ".join(dict.fromkeys(missing))
        raise CdrMappingError(f"The header lacks required column(s): {names} (header: {', '.join(header)}).")
    return found


def event_id_for(provider: str, call_id: str, kind: str) -> str:
    """`cdr:{call_id}:{type}`, the same on every run; a call id too long for that is hashed."""
    event_id = f"{provider}:{call_id}:{kind}"
    if len(event_id) > _EVENT_ID_LIMIT:
        event_id = f"{provider}:sha256-{hashlib.sha256(call_id.encode()).hexdigest()[:40]}:{kind}"
    return event_id


def _time(row: Mapping[str, str], name: str, tz: tzinfo | None) -> datetime | None:
    value = row.get(name, "")
    if not value:
        return None
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise CdrRowError(f"{name} {value!r} is not an ISO 8601 date and time.") from None
    if at.tzinfo is None:
        if tz is None:
            raise CdrRowError(f"{name} {value!r} has no time zone (add one, or pass --timezone).")
        at = at.replace(tzinfo=tz)
    return at


def _seconds(row: Mapping[str, str], name: str) -> float | None:
    value = row.get(name, "")
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        raise CdrRowError(f"{name} {value!r} is not a number of seconds.") from None
    if not math.isfinite(seconds) or seconds < 0:
        raise CdrRowError(f"{name} {value!r} is not a number of seconds, zero or more.")
    return seconds


@dataclass(frozen=True, slots=True)
class _Times:
    offered: datetime
    answered: datetime | None
    ended: datetime
    hold: float
    wrap_up_ended: datetime | None


def _times(row: Mapping[str, str], tz: tzinfo | None) -> _Times:
    offered, answered, ended = (_time(row, name, tz) for name in ("offered_at", "answered_at", "ended_at"))
    if offered is None:
        raise CdrRowError("offered_at is missing.")
    if ended is None:
        raise CdrRowError("ended_at is missing.")
    if ended < offered:
        raise CdrRowError("ended_at is before offered_at.")
    if answered is not None and answered < offered:
        raise CdrRowError("answered_at is before offered_at.")
    if answered is not None and answered > ended:
        raise CdrRowError("answered_at is after ended_at.")
    hold = _seconds(row, "hold_seconds") or 0
    if hold and answered is None:
        raise CdrRowError("hold_seconds on a call that was never answered.")
    if answered is not None and hold > (ended - answered).total_seconds():
        raise CdrRowError("hold_seconds is longer than the call from answer to end.")
    wrap_up = _seconds(row, "wrap_up_seconds")
    wrap_up_ended = _time(row, "wrap_up_ended_at", tz)
    if wrap_up_ended is not None and wrap_up_ended < ended:
        raise CdrRowError("wrap_up_ended_at is before ended_at.")
    if wrap_up is not None:
        by_seconds = ended + timedelta(seconds=wrap_up)
        if wrap_up_ended is not None and abs((wrap_up_ended - by_seconds).total_seconds()) >= 1:
            raise CdrRowError("wrap_up_seconds and wrap_up_ended_at disagree.")
        wrap_up_ended = wrap_up_ended or by_seconds
    if answered is None and wrap_up_ended is not None and wrap_up_ended > ended:
        raise CdrRowError("wrap-up on a call that was never answered.")
    return _Times(offered, answered, ended, hold, wrap_up_ended if answered is not None else None)


def row_events(row: Mapping[str, str], *, provider: str, tz: tzinfo | None, now: datetime) -> list[Event]:
    """The events of one call from its row (our names -> stripped values; absent columns blank),
    each checked as the live API checks it (rules.telephony.event_parse). Raises CdrRowError."""
    call_id = row.get("call_id", "")
    if not call_id:
        raise CdrRowError("call_id is missing.")
    if not row.get("queue"):
        raise CdrRowError("queue is missing.")
    times = _times(row, tz)
    if times.answered is not None and not row.get("agent"):
        raise CdrRowError("agent is missing on an answered call.")
    planned: list[tuple[str, datetime, dict]] = [
        (
            "offered",
            times.offered,
            {
                "queue": row.get("queue", ""),
                "caller_number": row.get("caller_number", ""),
                "dialled_number": row.get("dialled_number", ""),
            },
        )
    ]
    if times.answered is not None:
        planned.append(("answered", times.answered, {"agent": row.get("agent", "")}))
        if times.hold:
            planned.append(("held", times.answered, {}))
            planned.append(("resumed", times.answered + timedelta(seconds=times.hold), {}))
    planned.append(("ended", times.ended, {"cause": row.get("end_cause", "")}))
    if times.wrap_up_ended is not None:
        planned.append(("wrap_up_ended", times.wrap_up_ended, {}))

    events = []
    # The sequence keeps the call's order where two events share an instant (a hold at the answer).
    for sequence, (kind, at, fields) in enumerate(planned):
        raw = {
            "type": kind,
            "provider": provider,
            "event_id": event_id_for(provider, call_id, kind),
            "call_id": call_id,
            "occurred_at": at.isoformat(),
            "sequence": sequence,
            **fields,
        }
        event, errors = event_parse(raw, now=now)
        if errors:
            problems = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items())
            raise CdrRowError(f"{kind} event refused: {problems}")
        events.append(event)
    return events
