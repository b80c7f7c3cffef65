"""Taking telephony events in: exactly-once effect under at-least-once, out-of-order delivery.

For a batch: the valid events' calls get a contact if they have none (created by whichever event
arrives first), those contacts are locked in primary-key order, the events are stored once each
(unique provider + event id), and each contact is refolded from all its stored events
(rules.telephony.fold_call). Locking the contact before reading its events means two clients
sending events of one call at once are serialised, and the second refold sees the first's event."""

import hashlib
import hmac
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from customers.models import CustomerPhone
from staff.models import User

from ..models import AgentStateChange, AgentStatus, Contact, ContactState, Queue, StateSource, TelephonyEvent
from ..rules.telephony import AGENT_STATE_AFTER, FOLDED_FIELDS, Event, fold_call

CURRENT_STATE_WINDOW = timedelta(hours=12)


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


def _contacts_locked(events: list[Event]) -> dict[tuple[str, str], Contact]:
    """The contacts of these events' calls, created where missing, locked in primary-key order."""
    keys = {(event.provider, event.call_id) for event in events}
    Contact.objects.bulk_create(
        [Contact(provider=provider, external_id=call_id) for provider, call_id in sorted(keys)],
        ignore_conflicts=True,
    )
    by_provider: dict[str, list[str]] = defaultdict(list)
    for provider, call_id in keys:
        by_provider[provider].append(call_id)
    condition = Q()
    for provider, call_ids in by_provider.items():
        condition |= Q(provider=provider, external_id__in=call_ids)
    locked = Contact.objects.select_for_update().filter(condition).order_by("pk")
    return {(contact.provider, contact.external_id): contact for contact in locked}


def _store(events: list[Event], contacts: dict, received_from) -> None:
    TelephonyEvent.objects.bulk_create(
        [
            TelephonyEvent(
                provider=event.provider,
                event_id=event.event_id,
                external_call_id=event.call_id,
                type=event.type,
                occurred_at=event.occurred_at,
                sequence=event.sequence,
                contact=contacts[(event.provider, event.call_id)],
                queue=event.queue,
                agent=event.agent,
                caller_number=event.caller_number,
                dialled_number=event.dialled_number,
                cause=event.cause,
                received_from=received_from,
            )
            for event in events
        ],
        ignore_conflicts=True,  # a repeat (same provider and event id) is already there: nothing to do
    )


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
    extensions = {e for events in stored.values() for _pk, ev in events for e in (ev.agent,) if e}
    agents = (
        dict(AgentStatus.objects.filter(extension__in=extensions).values_list("extension", "user_id"))
        if extensions
        else {}
    )
    sites = dict(User.objects.filter(pk__in=agents.values()).values_list("pk", "site_id")) if agents else {}

    for contact in contacts:
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
    _contacts_write(contacts, [*FOLDED_FIELDS, "queue", "agent", "agent_unmatched", "site", "customer"])
    return [(contact, stored[contact.pk]) for contact in contacts]


def _contacts_write(contacts: list[Contact], names: list[str]) -> None:
    """What `Contact.objects.bulk_update(contacts, names)` does (the same rows, the same values, no
    save() hooks), as one UPDATE ... FROM (VALUES ...): bulk_update builds a CASE expression per
    field and contact, most of a 500-event batch's time (docs/performance.md). The demo's
    SQLite has no typed VALUES lists: there, bulk_update itself."""
    if not contacts:
        return
    if connection.vendor != "postgresql":
        Contact.objects.bulk_update(contacts, names)
        return
    fields = [Contact._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    columns = [quote(f.column) for f in fields]
    # Each value cast to its column's type: NULLs and JSON in VALUES have no type of their own.
    row = "(%s::bigint, " + ", ".join(f"%s::{f.db_type(connection)}" for f in fields) + ")"
    params = []
    for contact in contacts:
        params.append(contact.pk)
        params.extend(f.get_db_prep_save(getattr(contact, f.attname), connection) for f in fields)
    # Table and column names come from the model, never from input.
    sql = (
        f"UPDATE {quote(Contact._meta.db_table)} AS c SET {', '.join(f'{c} = v.{c}' for c in columns)} "  # noqa: S608
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
    for number, customer_id in CustomerPhone.objects.filter(number__in=numbers).values_list("number", "customer_id"):
        owners[str(number)].add(customer_id)
    for contact in contacts:
        if contact.customer_id is None and len(owners.get(contact.caller_number, ())) == 1:
            contact.customer_id = next(iter(owners[contact.caller_number]))


def _agent_timeline(folded: list[tuple[Contact, list[tuple[int, Event]]]]) -> None:
    """Answered, ended and wrap-up-ended events move the agent's state; each event does so once
    (one timeline entry per event), and the agent's current state is the newest entry."""
    changes = []
    for contact, events in folded:
        if contact.agent_id is None:
            continue
        for pk, event in events:
            state = AGENT_STATE_AFTER.get(event.type)
            if state is None or (event.type == "ended" and contact.answered_at is None):
                continue
            changes.append(
                AgentStateChange(
                    user_id=contact.agent_id,
                    state=state,
                    started_at=event.occurred_at,
                    source=StateSource.TELEPHONY,
                    contact=contact,
                    event_id=pk,
                )
            )
    if not changes:
        return
    AgentStateChange.objects.bulk_create(changes, ignore_conflicts=True)
    # The current state follows the newest entry; history (an import, a late retry hours on) only
    # fills the timeline.
    recent = timezone.now() - CURRENT_STATE_WINDOW
    newest: dict[int, AgentStateChange] = {}
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
    # Each agent's row: locked in primary-key order (concurrent batches share agents), then all
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


def _ingest(events: list[Event], received_from) -> dict[tuple[str, str], int]:
    with transaction.atomic():
        contacts = _contacts_locked(events)
        _store(events, contacts, received_from)
        folded = _refold(list(contacts.values()))
        _agent_timeline(folded)
    return {key: contact.pk for key, contact in contacts.items()}


def events_ingest(events: list[tuple[int, Event]], *, received_from=None) -> list[EventResult]:
    """Store and apply checked events (with their index in the request). All-or-nothing per event:
    the batch goes in one transaction; should that fail, each event is retried on its own, so one
    event the database refuses costs only itself."""
    if not events:
        return []
    try:
        contact_ids = _ingest([event for _i, event in events], received_from)
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
            contact_ids = _ingest([event], received_from)
        except DatabaseError as error:
            results.append(
                EventResult(index, event.event_id, "rejected", errors={"non_field_errors": [f"Not stored: {error}"]})
            )
        else:
            results.append(EventResult(index, event.event_id, "accepted", contact_ids[(event.provider, event.call_id)]))
    return results
