"""Folding stored telephony events into their contacts: the worker's half of the ingestion.

The API stores events and marks their contacts (services.telephony); `contacts_fold` claims a batch
of marks, folds each marked contact once from all its stored events (rules.telephony.fold_call),
writes what changed, moves the agents' states and deletes the marks it claimed. Folding twice
changes nothing, so a repeated or retried task is harmless.

Why no event is ever left unapplied, though requests never wait for the fold: a claim is committed
before the fold reads anything, and the fold deletes only the marks it claimed. An event stored
before the fold reads the call's events is folded now; one stored after comes with a new, unclaimed
mark and is folded next time. Two folds of one call (from two marks) serialise on the contact's row
lock, and the second reads after the first committed. A claim not finished within
CLAIM_LEASE (a worker lost mid-fold) is taken over by the next fold."""

import logging
import time
import uuid
from collections import defaultdict
from datetime import datetime, timedelta
from typing import NamedTuple

from django.db import DatabaseError, connection, models, transaction
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils import timezone

from customers.models import CustomerPhone
from performance.services.rollups import contacts_mark, state_changes_mark
from staff.models import User

from ..models import (
    AgentStateChange,
    AgentStatus,
    Contact,
    ContactState,
    PendingFold,
    Queue,
    StateSource,
    TelephonyEvent,
)
from ..rules.telephony import AGENT_STATE_AFTER, FOLDED_FIELDS, Event, fold_call
from .telephony import array_literal

logger = logging.getLogger(__name__)
CURRENT_STATE_WINDOW = timedelta(hours=12)
FOLD_BATCH = 500  # marks claimed at a time
CLAIM_LEASE = timedelta(minutes=2)
# What the fold writes; everything else on a contact (wrap-up, notes, ID&V...) belongs to the desk.
WRITTEN = [*FOLDED_FIELDS, "queue", "agent", "agent_unmatched", "site", "customer"]
# What it reads: what it writes, plus what the desk decided that the fold must respect.
READ = ["pk", *WRITTEN, "wrapped_up_at"]
_WRITTEN_ATTNAMES = [Contact._meta.get_field(name).attname for name in WRITTEN]


def _written(contact: Contact) -> tuple:
    return tuple(getattr(contact, attname) for attname in _WRITTEN_ATTNAMES)


_EVENT_FIELDS = [
    "pk",
    "contact_id",
    "type",
    "provider",
    "event_id",
    "external_call_id",
    "occurred_at",
    "sequence",
    "queue",
    "agent",
    "caller_number",
    "dialled_number",
    "cause",
]


def _claim(limit: int) -> tuple[uuid.UUID, int, list[int]]:
    """Claim up to `limit` marks nobody holds (oldest first; claims past their lease count as
    free), committed at once; returns the claim, how many marks it took and the contacts marked,
    in primary-key order."""
    claim = uuid.uuid4()
    now = timezone.now()
    free = Q(claim__isnull=True) | Q(claimed_at__lt=now - CLAIM_LEASE)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            marks = PendingFold.objects.filter(free).order_by("pk").select_for_update(skip_locked=True)[:limit]
        else:  # SQLite: one writer at a time, nothing to skip
            marks = PendingFold.objects.filter(free).order_by("pk")[:limit]
        claimed = PendingFold.objects.filter(pk__in=list(marks.values_list("pk", flat=True))).update(
            claim=claim, claimed_at=now
        )
    contact_ids = PendingFold.objects.filter(claim=claim).values_list("contact_id", flat=True).distinct()
    return claim, claimed, sorted(contact_ids)


def contacts_fold(*, limit: int = FOLD_BATCH) -> int:
    """Claim up to `limit` marks and fold their contacts in one transaction; returns how many
    contacts. Should the database refuse the batch, each contact is folded on its own, and one it
    refuses alone is logged and left as it was (its events are kept; its next event marks it again)."""
    return _fold_claimed(limit)[0]


def _fold_claimed(limit: int) -> tuple[int, int]:
    """`contacts_fold`, also answering how many marks were claimed."""
    claim, claimed, ids = _claim(limit)
    if not ids:
        return 0, claimed
    try:
        with transaction.atomic():
            _fold(ids)
            PendingFold.objects.filter(claim=claim).delete()
        return len(ids), claimed
    except DatabaseError:
        logger.exception("A batch of contacts could not be folded; folding them one at a time.")
    with transaction.atomic():
        for contact_id in ids:
            try:
                with transaction.atomic():
                    _fold([contact_id])
            except DatabaseError:
                logger.exception("Contact %s could not be folded from its events.", contact_id)
        PendingFold.objects.filter(claim=claim).delete()
    return len(ids), claimed


def contacts_fold_pending(*, seconds: float | None = None) -> int:
    """Fold what is pending, a batch at a time, until a claim finds less than a full batch
    waiting (or, given `seconds`, until that time is up); returns how many contacts were folded.

    It stops there rather than claim again at once: under a steady stream of events a fold that
    went on claiming would fold a handful of contacts per round, at the full fixed cost of a round
    (two transactions, about 20 ms), and keep a core busy doing so. Marks left behind are folded
    by the next fold, which the requests that stored them have queued (services.telephony.fold_soon),
    a fraction of a second later and in one batch."""
    deadline = None if seconds is None else time.monotonic() + seconds
    total = 0
    while deadline is None or time.monotonic() < deadline:
        done, claimed = _fold_claimed(FOLD_BATCH)
        total += done
        if claimed < FOLD_BATCH:
            break
    return total


def _fold(ids: list[int]) -> None:
    # FOR NO KEY UPDATE: requests storing new events for these contacts (which take a KEY SHARE
    # lock through the foreign key) are not held up by the fold.
    contacts = list(Contact.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk").only(*READ))
    _agent_timeline(_refold(contacts))


def _refold(contacts: list[Contact]) -> list[tuple[Contact, list[tuple[int, Event]]]]:
    """Recompute each contact from all its stored events; returns the events too (with their pks)."""
    stored: dict[int, list[tuple[int, Event]]] = defaultdict(list)
    rows = TelephonyEvent.objects.filter(contact__in=[c.pk for c in contacts]).values_list(*_EVENT_FIELDS)
    for pk, contact_id, kind, provider, event_id, call_id, at, sequence, queue, agent, caller, dialled, cause in rows:
        stored[contact_id].append(
            (pk, Event(kind, provider, event_id, call_id, at, sequence, queue, agent, caller, dialled, cause))
        )
    queues = {q.code: q for q in Queue.objects.all()}
    thresholds = {code: queue.short_abandon_seconds for code, queue in queues.items()}
    extensions = {ev.agent for events in stored.values() for _pk, ev in events if ev.agent}
    agents = (
        dict(AgentStatus.objects.filter(extension__in=extensions).values_list("extension", "user_id"))
        if extensions
        else {}
    )
    sites = dict(User.objects.filter(pk__in=agents.values()).values_list("pk", "site_id")) if agents else {}

    before = {}
    for contact in contacts:
        before[contact.pk] = _written(contact)
        facts = fold_call([event for _pk, event in stored[contact.pk]], short_abandon_seconds=thresholds)
        for name in FOLDED_FIELDS:
            setattr(contact, name, getattr(facts, name))
        queue = queues.get(facts.queue_code)
        contact.queue_id = queue.pk if queue else None
        contact.agent_id = agents.get(facts.agent_extension)
        contact.agent_unmatched = bool(facts.agent_extension) and contact.agent_id is None
        if contact.agent_id:
            contact.site_id = sites.get(contact.agent_id)
        if contact.wrapped_up_at and contact.state == ContactState.WRAP_UP:
            contact.state = ContactState.CLOSED  # the agent finished before the platform said so
    _match_callers(contacts)
    # A repeated event, or one that changes nothing the contact shows, costs no write.
    changed = [contact for contact in contacts if _written(contact) != before[contact.pk]]
    _contacts_write(changed, WRITTEN)
    contacts_mark(changed)  # their days' KPI rollups are rebuilt by the next refresh
    return [(contact, stored[contact.pk]) for contact in contacts]


def _passed_as_it_is(field: models.Field) -> bool:
    """Plain text (not a subclass such as a phone number's), numbers, flags, times and keys."""
    return type(field) is models.CharField or isinstance(
        field, models.IntegerField | models.BooleanField | models.DateTimeField | models.ForeignKey
    )


def _contacts_write(contacts: list[Contact], names: list[str]) -> None:
    """What `Contact.objects.bulk_update(contacts, names)` does (the same rows, the same values, no
    save() hooks), as one UPDATE ... FROM (VALUES ...): bulk_update builds a CASE expression per
    field and contact, most of a 500-event batch's time (docs/performance.md). The demo's
    SQLite has no typed VALUES lists: there, bulk_update itself."""
    if not contacts:
        return
    if connection.vendor != "postgresql":
        Contact.objects.bulk_update(contacts, [*names, "updated_at"])
        return
    fields = [Contact._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    columns = [quote(f.column) for f in fields]
    # Each value cast to its column's type: NULLs and JSON in VALUES have no type of their own.
    row = "(%s::bigint, " + ", ".join(f"%s::{f.db_type(connection)}" for f in fields) + ")"
    # Strings, numbers, flags, aware times and keys go to the driver as they are (their fields'
    # preparation only checks them again, a third of a fold's Python time); the rest (the legs'
    # JSON) through their field.
    prepare = [None if _passed_as_it_is(f) else f for f in fields]
    attnames = [f.attname for f in fields]
    params = []
    for contact in contacts:
        params.append(contact.pk)
        for attname, field in zip(attnames, prepare, strict=True):
            value = getattr(contact, attname)
            params.append(value if field is None else field.get_db_prep_save(value, connection))
    # Table and column names come from the model, never from input.
    assignments = ", ".join([*(f"{c} = v.{c}" for c in columns), "updated_at = now()"])
    sql = (
        f"UPDATE {quote(Contact._meta.db_table)} AS c SET {assignments} "  # noqa: S608
        f"FROM (VALUES {', '.join([row] * len(contacts))}) AS v(id, {', '.join(columns)}) WHERE c.id = v.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _match_callers(contacts: list[Contact]) -> None:
    """An unidentified caller whose number belongs to exactly one member is that member (several
    members share a number: the desk lists them for the agent to pick)."""
    numbers = {c.caller_number for c in contacts if c.customer_id is None and c.caller_number.startswith("+")}
    if not numbers:
        return
    owners: dict[str, set[int]] = defaultdict(set)
    # Compared and read as text: the phone-number field would parse and validate every number both
    # ways (about 0.3 ms each, a tenth of a fold); the column holds E.164 (a check constraint).
    phones = CustomerPhone.objects.annotate(e164=Cast("number", CharField())).filter(e164__in=numbers).order_by()
    for number, customer_id in phones.values_list("e164", "customer_id"):
        owners[number].add(customer_id)
    for contact in contacts:
        if contact.customer_id is None and len(owners.get(contact.caller_number, ())) == 1:
            contact.customer_id = next(iter(owners[contact.caller_number]))


class _Entry(NamedTuple):
    """A timeline entry an event makes (an `AgentStateChange` to be; building model instances cost
    as much as the rest of the timeline's work)."""

    user_id: int
    state: str
    started_at: datetime
    contact_id: int
    event_id: int


def _entries_insert(entries: list[_Entry]) -> list[_Entry]:
    """Insert the entries whose event has none yet; returns those it inserted. A refold offers every
    event's entry again: only the new ones need their days marked and the agents' current state
    moved (the others did so when they went in). On PostgreSQL one statement, the columns as arrays."""
    if connection.vendor != "postgresql":
        AgentStateChange.objects.bulk_create(
            [AgentStateChange(**entry._asdict(), source=StateSource.TELEPHONY) for entry in entries],
            ignore_conflicts=True,
        )
        return entries
    columns = {
        "user_id": ("bigint", [entry.user_id for entry in entries]),
        "state": ("varchar", [entry.state for entry in entries]),
        "started_at": ("timestamptz", [entry.started_at.isoformat() for entry in entries]),
        "contact_id": ("bigint", [entry.contact_id for entry in entries]),
        "event_id": ("bigint", [entry.event_id for entry in entries]),
    }
    unnest = ", ".join(f"%s::{kind}[]" for kind, _values in columns.values())
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {AgentStateChange._meta.db_table} ({', '.join(columns)}, source) "  # noqa: S608
            f"SELECT *, %s FROM unnest({unnest}) ON CONFLICT (event_id) DO NOTHING RETURNING event_id",
            [StateSource.TELEPHONY.value, *(array_literal(values) for _kind, values in columns.values())],
        )
        inserted = {event_id for (event_id,) in cursor.fetchall()}
    return [entry for entry in entries if entry.event_id in inserted]


def _agent_timeline(folded: list[tuple[Contact, list[tuple[int, Event]]]]) -> None:
    """Answered, ended and wrap-up-ended events move the agent's state; each event does so once
    (one timeline entry per event), and the agent's current state is the newest entry."""
    entries = []
    for contact, events in folded:
        if contact.agent_id is None:
            continue
        for pk, event in events:
            state = AGENT_STATE_AFTER.get(event.type)
            if state is None or (event.type == "ended" and contact.answered_at is None):
                continue
            entries.append(_Entry(contact.agent_id, state, event.occurred_at, contact.pk, pk))
    changes = _entries_insert(entries) if entries else []
    if not changes:
        return
    state_changes_mark(change.started_at for change in changes)
    # The current state follows the newest entry; history (an import, a late retry hours on) only
    # fills the timeline.
    recent = timezone.now() - CURRENT_STATE_WINDOW
    newest: dict[int, _Entry] = {}
    for change in changes:
        if change.started_at < recent:
            continue
        if change.user_id not in newest or change.started_at > newest[change.user_id].started_at:
            newest[change.user_id] = change
    if not newest:
        return
    if connection.vendor != "postgresql":
        for user_id, change in sorted(newest.items()):
            AgentStatus.objects.filter(Q(since__isnull=True) | Q(since__lte=change.started_at), pk=user_id).update(
                state=change.state, since=change.started_at
            )
        return
    # Each agent's row: locked in primary-key order (concurrent folds share agents), then all
    # moved by one UPDATE, unless a newer state is already there; one query per agent cost ~50 ms a batch.
    ids = sorted(newest)
    list(AgentStatus.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    params = [value for user_id in ids for value in (user_id, newest[user_id].state, newest[user_id].started_at)]
    rows = ", ".join(["(%s::bigint, %s::varchar(12), %s::timestamptz)"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE calls_agentstatus AS s SET state = v.state, since = v.since FROM (VALUES {rows}) "  # noqa: S608
            "AS v(user_id, state, since) WHERE s.user_id = v.user_id AND (s.since IS NULL OR s.since <= v.since)",
            params,
        )
