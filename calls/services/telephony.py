"""Taking telephony events in: exactly-once effect under at-least-once, out-of-order delivery.

A request stores its events and nothing more: each event's call gets a contact if it has none
(created by whichever event arrives first), the events are stored once each (unique provider +
event id: a repeat changes nothing), and their contacts are marked as pending. On PostgreSQL that is
one statement per request. A worker then folds each marked contact from all its stored events
(services.telephony_fold), once however many events arrived for it meanwhile; `fold_soon` asks
for that fold as the request commits, and beat sweeps whatever a lost message left behind."""

import hashlib
import hmac
import logging
import time
from collections.abc import Iterable
from contextlib import nullcontext, suppress
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection, transaction
from django.db.backends.signals import connection_created
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone

from contactcentre.cache import set_unless_later, shared_between_processes

from ..models import Contact, PendingFold, TelephonyEvent
from ..rules.telephony import Event

logger = logging.getLogger(__name__)
# When (milliseconds since the epoch) the fold queued last is due to start: until shortly before
# then, requests rely on it; from then on (the fold may be starting), the next request queues another.
FOLD_QUEUED_KEY = "calls:telephony-fold-due"
# How long the cache keeps that time: long past any use, so that an idle stream leaves nothing.
FOLD_QUEUED_SECONDS = 30
# A fold starts this long after the request that queued it, so that it takes in the events of the
# requests that follow (one fold for a burst, not one per request): well within the desk's 2 s.
FOLD_DELAY_SECONDS = 0.2
# A process that knows a fold is due (queued, starting at a time it knows) lets its requests rely
# on it until this long before that time; the margin covers clocks that differ between machines.
FOLD_DUE_MARGIN_SECONDS = 0.05
# When (time.time()) the fold this process knows of is due to start; 0 for none.
_fold_due = 0.0


@dataclass
class EventResult:
    """The answer for one event of a request: the same however often the event is sent."""

    index: int
    event_id: str
    status: str  # "accepted" or "rejected"
    contact_id: int | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)

    def as_dict(self) -> dict:
        body = {"index": self.index, "event_id": self.event_id, "status": self.status, "contact_id": self.contact_id}
        if self.errors:
            body["errors"] = self.errors
        return body


def signature_valid(*, secret: str, body: bytes, header: str) -> bool:
    """`X-Tawasul-Signature: sha256=<hex>`: HMAC-SHA256 of the raw body under the client's secret."""
    scheme, _, given = header.partition("=")
    if scheme.strip().lower() != "sha256" or not given:
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, given.strip().lower())


@cache
def _contact_default_row() -> tuple[list[str], list, list[int]]:
    """The columns of a new contact other than its key, their values (the model's defaults, none of
    them callable but `list`), and where the creation and update times go. Worked out once: on
    every request it cost about 0.14 ms."""
    prototype = Contact(provider="", external_id="")
    fields = [
        f for f in Contact._meta.concrete_fields if not f.primary_key and f.name not in ("provider", "external_id")
    ]
    times = [i for i, f in enumerate(fields) if f.name in ("created_at", "updated_at")]
    values = [
        None if i in times else f.get_db_prep_save(getattr(prototype, f.attname), connection)
        for i, f in enumerate(fields)
    ]
    return [f.column for f in fields], values, times


_EVENT_COLUMNS = [
    ("provider", "varchar"),
    ("event_id", "varchar"),
    ("external_call_id", "varchar"),
    ("type", "varchar"),
    ("occurred_at", "timestamptz"),
    ("sequence", "bigint"),
    ("queue", "varchar"),
    ("agent", "varchar"),
    ("caller_number", "varchar"),
    ("dialled_number", "varchar"),
    ("cause", "varchar"),
]


STORE_STATEMENT = "calls_telephony_store"
# The one statement's parameters: a column of the events each (arrays, so that one prepared
# statement serves a batch of any size), then the time and the client.
_STORE_PARAMETERS = [f"{kind}[]" for _name, kind in _EVENT_COLUMNS] + ["timestamptz", "integer"]
# The generic plan, always: left to choose, PostgreSQL plans afresh for every run, as the arrays'
# unknown length makes the generic plan look dearer than one planned for one event. SET LOCAL
# lasts until the end of the transaction, which is this query's own outside an atomic block.
_STORE_EXECUTE = (
    "SET LOCAL plan_cache_mode = force_generic_plan; "
    f"EXECUTE {STORE_STATEMENT} (" + ", ".join(f"%s::{kind}" for kind in _STORE_PARAMETERS) + ")"
)


def _store_statement_text() -> str:
    """The statement `_store_postgresql` runs: create the missing contacts, store the events, mark
    their contacts pending.

    Nothing here waits for another request or for the fold: new contacts and events go in with ON
    CONFLICT DO NOTHING, marks are plain inserts, and the foreign keys take only KEY SHARE locks.
    It answers the contact of each call found; a call missing from the answer had its contact
    created by a concurrent request this statement's snapshot cannot see, and its events were not
    stored: the caller runs the statement again for them."""
    names = [name for name, _kind in _EVENT_COLUMNS]
    now, received_from = f"${len(names) + 1}", f"${len(names) + 2}"
    default_columns, default_values, times = _contact_default_row()
    defaults = [now if i in times else connection.ops.compose_sql("%s", [v]) for i, v in enumerate(default_values)]
    # Every name below comes from this module or the model; every value is a parameter or, for a
    # new contact's constant defaults, a literal quoted by the driver.
    return f"""
        WITH e ({", ".join(names)}) AS (
            SELECT * FROM unnest({", ".join(f"${i}" for i in range(1, len(names) + 1))})
        ),
        keys (provider, external_id) AS (SELECT DISTINCT provider, external_call_id FROM e),
        existing AS (
            SELECT c.id, c.provider, c.external_id FROM calls_contact c
            JOIN keys k ON c.provider = k.provider AND c.external_id = k.external_id
            WHERE c.external_id <> ''  -- so that the (partial) unique index serves
        ),
        -- Only calls not found above: inserting a key that exists would wait for whoever holds the
        -- row (the fold), as the unique index checks it.
        created AS (
            INSERT INTO calls_contact (provider, external_id, {", ".join(default_columns)})
            SELECT provider, external_id, {", ".join(defaults)} FROM keys k
            WHERE NOT EXISTS (SELECT 1 FROM existing x WHERE x.provider = k.provider AND x.external_id = k.external_id)
            ORDER BY provider, external_id
            ON CONFLICT (provider, external_id) WHERE external_id <> '' DO NOTHING
            RETURNING id, provider, external_id
        ),
        contacts AS (SELECT id, provider, external_id FROM existing UNION ALL SELECT * FROM created),
        stored AS (
            INSERT INTO calls_telephonyevent ({", ".join(names)}, contact_id, received_at, received_from_id)
            SELECT {", ".join(f"e.{name}" for name in names)}, c.id, {now}, {received_from}
            FROM e JOIN contacts c ON c.provider = e.provider AND c.external_id = e.external_call_id
            ON CONFLICT (provider, event_id) DO NOTHING
        ),
        marked AS (
            INSERT INTO calls_pendingfold (contact_id, since) SELECT id, {now} FROM contacts
        )
        SELECT id, provider, external_id FROM contacts
    """  # noqa: S608


def array_literal(values: Iterable) -> str:
    """A PostgreSQL array's text form ('{"a","b",NULL}'), each element quoted as the array syntax
    asks (a backslash before `"` and `\\`), for a parameter cast to an array type. The driver's own
    adaptation (ARRAY['a', 'b', ...], an expression per element) cost 15 ms for a batch's 5,500
    values, and as much again for PostgreSQL to parse."""
    return (
        "{"
        + ",".join(
            "NULL" if value is None else '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
            for value in values
        )
        + "}"
    )


@receiver(connection_created)
def _forget_prepared(sender, connection, **kwargs) -> None:
    """A new database connection has no prepared statement yet."""
    connection.telephony_store_prepared = False


def _store_postgresql(events: list[Event], received_from_id: int | None) -> dict[tuple[str, str], int]:
    """Run the store statement (`_store_statement_text`), prepared once per database connection
    and always with its generic plan (`_STORE_EXECUTE`): planned afresh for each request it cost
    1.4 ms of planning for one event, 3.7 ms for 500, more than storing one event took. A prepared
    statement lasts as long as its connection (and survives a rollback), so connections must not
    be shared through a pooler in transaction mode (docs/telephony.md)."""
    rows = [
        (
            e.provider, e.event_id, e.call_id, e.type, e.occurred_at.isoformat(), e.sequence,
            e.queue, e.agent, e.caller_number, e.dialled_number, e.cause,
        )
        for e in events
    ]  # fmt: skip
    arrays = [array_literal(column) for column in zip(*rows, strict=True)]
    with connection.cursor() as cursor:
        if not getattr(connection, "telephony_store_prepared", False):
            cursor.execute(f"PREPARE {STORE_STATEMENT} ({', '.join(_STORE_PARAMETERS)}) AS {_store_statement_text()}")
            connection.telephony_store_prepared = True
        cursor.execute(_STORE_EXECUTE, [*arrays, timezone.now(), received_from_id])
        return {(provider, call_id): pk for pk, provider, call_id in cursor.fetchall()}


def _store_orm(events: list[Event], received_from_id: int | None) -> dict[tuple[str, str], int]:
    """The same through the ORM, for the demo's SQLite (one writer at a time: nothing to race)."""
    keys = {(event.provider, event.call_id) for event in events}
    with transaction.atomic():
        Contact.objects.bulk_create(
            [Contact(provider=provider, external_id=call_id) for provider, call_id in sorted(keys)],
            ignore_conflicts=True,
        )
        condition = Q()
        for provider, call_id in keys:
            condition |= Q(provider=provider, external_id=call_id)
        contacts = {
            (p, c): pk for pk, p, c in Contact.objects.filter(condition).values_list("pk", "provider", "external_id")
        }
        TelephonyEvent.objects.bulk_create(
            [
                TelephonyEvent(
                    provider=e.provider,
                    event_id=e.event_id,
                    external_call_id=e.call_id,
                    type=e.type,
                    occurred_at=e.occurred_at,
                    sequence=e.sequence,
                    contact_id=contacts[(e.provider, e.call_id)],
                    queue=e.queue,
                    agent=e.agent,
                    caller_number=e.caller_number,
                    dialled_number=e.dialled_number,
                    cause=e.cause,
                    received_from_id=received_from_id,
                )
                for e in events
            ],
            ignore_conflicts=True,  # a repeat (same provider and event id) is already there
        )
        now = timezone.now()
        PendingFold.objects.bulk_create([PendingFold(contact_id=pk, since=now) for pk in sorted(contacts.values())])
    return contacts


def _store(events: list[Event], received_from_id: int | None) -> dict[tuple[str, str], int]:
    if connection.vendor != "postgresql":
        return _store_orm(events, received_from_id)
    contacts: dict[tuple[str, str], int] = {}
    waiting = events
    for _attempt in range(5):
        contacts.update(_store_postgresql(waiting, received_from_id))
        waiting = [event for event in waiting if (event.provider, event.call_id) not in contacts]
        if not waiting:
            return contacts
    raise DatabaseError("The contacts of these events could not be found or created.")


def fold_soon() -> None:
    """Make sure a fold starts after this moment, to take in what the request just committed.

    A fold queued and not yet started will do: a task never starts before its time, and the cache
    holds when the fold queued last is due (FOLD_QUEUED_KEY). Until shortly before that time a
    request relies on that fold; from then on the fold may be starting, so the first request to
    ask queues the next one and moves the time on, in one atomic step, and the others rely on
    that. This process remembers the time, and asks the cache again only when it comes near: under
    a steady stream, about once per fold, whatever the number of requests. With the demo's
    in-process cache, which other processes cannot see, the process relies only on the folds it
    queued itself. Never fails the request: the events are stored, and beat's sweep folds them
    should the message be lost."""
    global _fold_due
    now = time.time()
    if now < _fold_due - FOLD_DUE_MARGIN_SECONDS:
        return
    from ..tasks.telephony import fold_pending_contacts

    due = now + FOLD_DELAY_SECONDS
    eager = fold_pending_contacts.app.conf.task_always_eager  # the fold runs here and now
    try:
        cache = caches["default"]  # the backend itself: `django.core.cache.cache` is a proxy
        queue = True
        if shared_between_processes(cache) and not eager:
            queue, due_ms = set_unless_later(
                cache,
                FOLD_QUEUED_KEY,
                int(due * 1000),  # never later than the task's own time
                later_than=int((now + FOLD_DUE_MARGIN_SECONDS) * 1000),
                timeout=FOLD_QUEUED_SECONDS,
            )
            due = due_ms / 1000
        if queue:
            # Celery counts the delay from a moment later than `now`: the task starts after `due`.
            fold_pending_contacts.apply_async(
                countdown=FOLD_DELAY_SECONDS, queue=settings.CELERY_TELEPHONY_QUEUE or None
            )
        if not eager:  # an eager fold has already run: nothing to rely on
            _fold_due = due
    except Exception:  # the broker or the cache is down: beat's sweep catches up
        logger.warning("Could not queue the telephony fold; the periodic sweep will fold.", exc_info=True)
        with suppress(Exception):  # a flag without its task would hold back the next request's; the
            caches["default"].delete(FOLD_QUEUED_KEY)  # cache itself may be what failed


def _ingest(events: list[Event], received_from_id: int | None) -> dict[tuple[str, str], int]:
    # On its own a request's statement is atomic; inside a caller's transaction (an import), a
    # savepoint keeps a refused batch from spoiling it, so that its events can be tried one by one.
    with transaction.atomic() if connection.in_atomic_block else nullcontext():
        contacts = _store(events, received_from_id)
    transaction.on_commit(fold_soon)
    return contacts


def events_ingest(events: list[tuple[int, Event]], *, received_from=None) -> list[EventResult]:
    """Store checked events (with their index in the request) and have their contacts folded.
    All-or-nothing per event: the batch goes in one statement; should that fail, each event is
    tried on its own, so one event the database refuses costs only itself."""
    if not events:
        return []
    received_from_id = received_from.pk if received_from is not None else None
    try:
        contact_ids = _ingest([event for _i, event in events], received_from_id)
        return [
            EventResult(i, event.event_id, "accepted", contact_ids[(event.provider, event.call_id)])
            for i, event in events
        ]
    except DatabaseError:
        if len(events) == 1:
            raise
    results = []
    for index, event in events:
        try:
            contact_ids = _ingest([event], received_from_id)
        except DatabaseError as error:
            results.append(
                EventResult(index, event.event_id, "rejected", errors={"non_field_errors": [f"Not stored: {error}"]})
            )
        else:
            results.append(EventResult(index, event.event_id, "accepted", contact_ids[(event.provider, event.call_id)]))
    return results
