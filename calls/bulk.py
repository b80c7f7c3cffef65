"""Bulk loading of past calls at the insurer's real scale (10 million contacts over two years), with
PostgreSQL COPY, for capacity tests of the screen-pop look-up and the reports.

The calls look like a real contact centre's: about 70% are from members (their own phone, or the
policy holder's phone calling about a dependant), the rest from numbers no member has (hospitals and
GP surgeries that call often, one-off callers, withheld numbers). A few thousand members call very
often, so some numbers have hundreds of calls. Calls arrive on weekdays more than weekends and in
office hours more than at night; 15% are abandoned (some within the short-abandon threshold), the
others are answered, sometimes held or transferred, and wrapped up: every contact is closed or
abandoned, with the timing fields the telephony fold would have derived (rules.telephony.fold_call).

No telephony events are stored: the contacts are what the look-up and the reports read.
`load_agent_states` adds the agents' state timelines (shifts, calls, wrap-ups, breaks) for the KPI
rollups' occupancy and utilisation. The indexes
and foreign keys of `calls_contact` are dropped for the COPY and rebuilt after it, in the same
transaction (building an index once is much faster than maintaining it row by row; a foreign key is
then checked by one join, not one look-up per row). Deterministic for a given seed."""

import io
import itertools
import json
import math
import random
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db import connection, transaction

from staff.models import Site, User
from staff.roles import Role
from staff.services import roles_sync, user_create

from .models import AgentState, AgentStatus, ContactOutcome, Queue, StateSource

# (code, name, share of calls, dialled number, open all hours)
QUEUES = [
    ("claims", "Claims", 30, "+443456003040", False),
    ("pre-authorisation", "Pre-authorisation", 20, "+443456003041", False),
    ("membership", "Membership and renewals", 20, "+443456003042", False),
    ("general", "General enquiries", 15, "+443456003043", False),
    ("nurse-line", "Nurse advice line", 8, "+443456003044", True),
    ("complaints", "Complaints", 7, "+443456003045", False),
]
SITES = [("staines", "Staines"), ("manchester", "Manchester")]
FIRST_EXTENSION = 4001
# Calls per hour of the day (UK time, taken as UTC here): the morning peak, a lunchtime dip, evenings quiet.
HOURLY = [1, 1, 1, 1, 1, 1, 2, 5, 40, 95, 100, 90, 70, 75, 80, 70, 60, 45, 25, 12, 6, 3, 2, 1]
OUTCOMES = [
    (ContactOutcome.INFORMATION_GIVEN, 30),
    (ContactOutcome.COVER_CONFIRMED, 20),
    (ContactOutcome.CLAIM_PROGRESSED, 20),
    (ContactOutcome.PAYMENT_TAKEN, 5),
    (ContactOutcome.COMPLAINT_LOGGED, 3),
    (ContactOutcome.CALLBACK_ARRANGED, 8),
    (ContactOutcome.REFERRED, 6),
    (ContactOutcome.NURSE_ADVICE, 4),
    (ContactOutcome.OTHER, 4),
]
CALLER_STATES = [("calm", 75), ("anxious", 15), ("distressed", 5), ("angry", 5)]

LINKED_SHARE = 0.70  # calls from members
FREQUENT_SHARE = 0.09  # of members' calls: from the few thousand members who call very often
FREQUENT_CALLERS = 2_000
CALLING_MEMBERS_PERCENT = 40  # the rest of the members never called in the two years
DEPENDANT_BY_HOLDER = 0.5  # a call about a dependant comes from the policy holder's phone this often
ABANDON_SHARE = 0.15
INSTITUTION_NUMBERS = 500  # hospitals, GP surgeries, brokers: unknown numbers with long histories
ONE_OFF_NUMBERS = 2_000_000

NULL = "\\N"  # COPY's text format
COLUMNS = [
    "channel",
    "direction",
    "provider",
    "external_id",
    "caller_number",
    "dialled_number",
    "customer_id",
    "idv_outcome",
    "queue_id",
    "site_id",
    "agent_id",
    "agent_extension",
    "agent_unmatched",
    "state",
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
    "outcome",
    "notes",
    "caller_state",
    "resolved_first_contact",
    "wrapped_up_at",
    "subject",
    "recording_url",
    "created_at",
    "updated_at",
]


@dataclass
class ContactCentre:
    """What calls need to refer to: queues by code and the agents who answer them."""

    queues: dict[str, Queue]
    agents: list[tuple[int, str, int | None]]  # (user id, extension, site id)


@dataclass
class ContactCounts:
    contacts: int = 0
    linked: int = 0
    abandoned: int = 0
    unknown_numbers: int = 0


def contact_centre_ensure(*, agents: int = 240) -> ContactCentre:
    """The queues of QUEUES and at least `agents` agents with extensions, created where missing."""
    queues = {}
    for code, name, _share, _dialled, all_hours in QUEUES:
        hours = {"open_all_hours": True} if all_hours else {"opens_at": time(8), "closes_at": time(20)}
        queues[code], _created = Queue.objects.get_or_create(
            code=code, defaults={"name": name, "is_nurse_line": code == "nurse-line", **hours}
        )
    present = list(
        AgentStatus.objects.filter(extension__isnull=False).values_list("user_id", "extension", "user__site_id")
    )
    if len(present) < agents:
        roles_sync()
        sites = [Site.objects.get_or_create(code=code, defaults={"name": name})[0] for code, name in SITES]
        taken = set(AgentStatus.objects.filter(extension__isnull=False).values_list("extension", flat=True))
        extension = FIRST_EXTENSION
        for index in range(agents - len(present)):
            while str(extension) in taken:
                extension += 1
            email = f"bulk-agent-{extension}@tawasul.bench"
            user = User.objects.filter(email=email).first() or user_create(
                email=email, full_name=f"Agent {extension}", role=Role.AGENT, site=sites[index % len(sites)]
            )
            AgentStatus.objects.update_or_create(user=user, defaults={"extension": str(extension)})
            taken.add(str(extension))
        present = list(
            AgentStatus.objects.filter(extension__isnull=False).values_list("user_id", "extension", "user__site_id")
        )
    return ContactCentre(queues=queues, agents=sorted(present))


class _Clock:
    """Timestamps as COPY text, fast: whole seconds since the epoch to '2025-03-01 10:15:02+00'."""

    def __init__(self, first_day: date, days: int):
        self.epoch_day = (first_day - date(1970, 1, 1)).days
        self.prefix = [(first_day + timedelta(days=d)).isoformat() for d in range(days + 3)]

    def text(self, at: int) -> str:
        day, second = divmod(at, 86_400)
        hour, rest = divmod(second, 3_600)
        return f"{self.prefix[day - self.epoch_day]} {hour:02d}:{rest // 60:02d}:{rest % 60:02d}+00"

    def iso(self, at: int) -> str:
        return self.text(at).replace(" ", "T").replace("+00", "+00:00")


def _lognormal(rng: random.Random, median: float, sigma: float, low: int, high: int) -> int:
    return min(high, max(low, round(rng.lognormvariate(math.log(median), sigma))))


def _cumulative(weights: list[int]) -> list[int]:
    return [sum(weights[: i + 1]) for i in range(len(weights))]


def _member_phones(ids: list[int]) -> dict[int, tuple[str, str]]:
    """For each member id that exists: (their primary phone, their policy holder's primary phone)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT DISTINCT ON (c.id) c.id, own.number, coalesce(held.number, own.number)
            FROM unnest(%s::bigint[]) AS c(id)
            JOIN customers_customerphone own ON own.customer_id = c.id AND own.is_primary
            LEFT JOIN claims_policymember pm ON pm.customer_id = c.id
            LEFT JOIN claims_policy p ON p.id = pm.policy_id
            LEFT JOIN customers_customerphone held ON held.customer_id = p.holder_id AND held.is_primary
            ORDER BY c.id, pm.id
            """,
            [ids],
        )
        return {row[0]: (row[1], row[2]) for row in cursor.fetchall()}


class _Calls:
    """Draws callers and calls, and writes each call as a COPY row of COLUMNS."""

    def __init__(self, rng: random.Random, centre: ContactCentre, *, years: int, low: int, high: int):
        self.rng, self.centre, self.low, self.high = rng, centre, low, high
        self.days = 365 * years
        self.first_day = datetime.now(UTC).date() - timedelta(days=self.days)
        self.clock = _Clock(self.first_day, self.days)
        self.hourly = _cumulative(HOURLY)
        self.queue_codes = [q[0] for q in QUEUES]
        self.queue_weights = _cumulative([q[2] for q in QUEUES])
        self.dialled = {q[0]: q[3] for q in QUEUES}
        self.short_limit = {code: queue.short_abandon_seconds for code, queue in centre.queues.items()}
        self.outcome_weights = _cumulative([w for _o, w in OUTCOMES])
        self.caller_state_weights = _cumulative([w for _s, w in CALLER_STATES])
        self.serial = 0
        # The members who call very often: 50 to 1,000 calls each over the period (a long tail).
        self.frequent = _member_phones(self.member_ids(FREQUENT_CALLERS))
        self.frequent_ids = sorted(self.frequent)
        self.frequent_weights = list(itertools.accumulate(20 ** rng.random() for _ in self.frequent_ids))
        self.institutions = [
            f"+44{rng.choice('123')}{rng.randint(10**8, 10**9 - 1)}" for _ in range(INSTITUTION_NUMBERS)
        ]

    def member_ids(self, n: int) -> list[int]:
        """`n` ids of members who call (ids may have gaps: callers check they exist)."""
        found: list[int] = []
        everyone = self.high - self.low < 1_000  # a small test database: anyone calls
        while len(found) < n:
            candidate = self.rng.randint(self.low, self.high)
            if everyone or (candidate * 2_654_435_761) % 100 < CALLING_MEMBERS_PERCENT:
                found.append(candidate)
        return found

    def chunk(self, size: int, counts: ContactCounts) -> list[str]:
        rng = self.rng
        linked = [rng.random() < LINKED_SHARE for _ in range(size)]
        ordinary = self.member_ids(sum(linked))
        phones = _member_phones(ordinary)
        known = list(phones)
        rows = []
        for is_linked in linked:
            if is_linked:
                if rng.random() < FREQUENT_SHARE:
                    member = rng.choices(self.frequent_ids, cum_weights=self.frequent_weights)[0]
                    own, holder = self.frequent[member]
                else:
                    member = ordinary.pop()
                    if member not in phones:  # no such member: another one who called
                        member = rng.choice(known)
                    own, holder = phones[member]
                caller = holder if holder != own and rng.random() < DEPENDANT_BY_HOLDER else own
                customer = str(member)
                counts.linked += 1
            else:
                draw = rng.random()
                if draw < 0.05:
                    caller = "withheld"
                elif draw < 0.20:
                    caller = rng.choice(self.institutions)
                else:
                    caller = f"+44{rng.choice('123')}{rng.randrange(ONE_OFF_NUMBERS) + 100_000_000:09d}"
                customer = ""
                counts.unknown_numbers += 1
            rows.append(self.row(caller, customer, counts))
        return rows

    def offered_at(self) -> int:
        """Seconds since the epoch: weekdays more than weekends, office hours more than nights."""
        rng = self.rng
        while True:
            day = rng.randrange(self.days)
            if (self.first_day + timedelta(days=day)).weekday() < 5 or rng.random() < 0.4:
                break
        hour = rng.choices(range(24), cum_weights=self.hourly)[0]
        return (self.clock.epoch_day + day) * 86_400 + hour * 3_600 + rng.randrange(3_600)

    def row(self, caller: str, customer: str, counts: ContactCounts) -> str:
        rng, text, iso = self.rng, self.clock.text, self.clock.iso
        self.serial += 1
        queue = rng.choices(self.queue_codes, cum_weights=self.queue_weights)[0]
        offered = self.offered_at()
        legs = [{"queue": queue, "agent": "", "from": iso(offered)}]
        agent = site = extension = ""
        ringing = answered = wrap_end = wrapped = None
        ring = hold = talk = wrap = transfers = 0
        if rng.random() < ABANDON_SHARE:
            wait = _lognormal(rng, 30, 1.3, 1, 1_800)
            ended = offered + wait
            if rng.random() < 0.2:  # rang an agent who did not pick up in time
                agent, extension, site = self.agent()
                ringing = ended - min(wait, rng.randint(2, 20))
            short = wait <= self.short_limit[queue]
            state, cause, outcome, idv, caller_state, resolved = "abandoned", "abandoned", "", "not_done", "", NULL
            counts.abandoned += 1
        else:
            wait = _lognormal(rng, 25, 1.1, 2, 1_800)
            ring = min(wait, rng.randint(2, 15))
            answered = offered + wait
            ringing = answered - ring
            agent, extension, site = self.agent()
            talk = _lognormal(rng, 270, 0.7, 10, 3_600)
            hold = _lognormal(rng, 60, 0.8, 5, 900) if rng.random() < 0.25 else 0
            if rng.random() < 0.06:
                transfers = 1
                target = rng.choices(self.queue_codes, cum_weights=self.queue_weights)[0]
                agent, extension, site = self.agent()
                moved = answered + rng.randint(30, max(31, talk // 2))
                legs.append({"queue": target, "agent": extension, "from": iso(moved)})
            ended = answered + talk + hold
            wrap = _lognormal(rng, 60, 0.6, 5, 900)
            wrap_end = ended + wrap
            wrapped = wrap_end - rng.randint(0, 3)
            short = False
            state, cause = "closed", rng.choice(("caller", "caller", "agent"))
            outcome = rng.choices(OUTCOMES, cum_weights=self.outcome_weights)[0][0]
            idv = ("passed" if rng.random() < 0.93 else "failed") if customer else "not_done"
            caller_state = rng.choices(CALLER_STATES, cum_weights=self.caller_state_weights)[0][0]
            resolved = "t" if rng.random() < 0.78 else "f"
        fields = (
            "phone",
            "inbound",
            "asterisk",
            f"{offered}.{self.serial}",  # like Asterisk's Linkedid
            caller,
            self.dialled[queue],
            customer or NULL,
            idv,
            str(self.centre.queues[queue].pk),
            site or NULL,
            agent or NULL,
            extension,
            "f",
            state,
            text(offered),
            text(ringing) if ringing else NULL,
            text(answered) if answered else NULL,
            text(ended),
            text(wrap_end) if wrap_end else NULL,
            str(wait),
            str(ring),
            str(hold),
            str(talk),
            str(wrap),
            str(transfers),
            json.dumps(legs),
            "f" if answered else "t",
            "t" if short else "f",
            cause,
            outcome,
            "",
            caller_state,
            resolved,
            text(wrapped) if wrapped else NULL,
            "",
            "",
            text(offered),
            text(wrap_end or ended),
        )
        return "\t".join(fields) + "\n"

    def agent(self) -> tuple[str, str, str]:
        user_id, extension, site_id = self.rng.choice(self.centre.agents)
        return str(user_id), extension, "" if site_id is None else str(site_id)


def _copy(table: str, columns: list[str], rows: list[str]) -> None:
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT text)", io.StringIO("".join(rows))
        )


def _rebuildable() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """calls_contact's secondary indexes (name, CREATE INDEX statement) and foreign keys (name, definition)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, pg_get_indexdef(i.indexrelid)
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            WHERE i.indrelid = 'calls_contact'::regclass AND NOT i.indisprimary
            ORDER BY c.relname
            """
        )
        indexes = cursor.fetchall()
        cursor.execute(
            """
            SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
            WHERE conrelid = 'calls_contact'::regclass AND contype = 'f' ORDER BY conname
            """
        )
        foreign_keys = cursor.fetchall()
    return indexes, foreign_keys


@contextmanager
def _without_indexes(*, rebuild: bool = True, on_progress: Callable[[str], None] | None = None):
    """calls_contact without its secondary indexes and foreign keys while the block writes rows,
    then each rebuilt once (inside the caller's transaction; `rebuild=False`: left alone)."""
    indexes, foreign_keys = _rebuildable() if rebuild else ([], [])
    with connection.cursor() as cursor:
        # Check now what is pending (the agents just created), or the tables cannot be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # The names come from the catalogue, never from input.
        for name, _definition in foreign_keys:
            cursor.execute(f'ALTER TABLE calls_contact DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for name, definition in indexes:
            cursor.execute(definition)
            if on_progress:
                on_progress(f"index {name} built")
        for name, definition in foreign_keys:
            cursor.execute(f'ALTER TABLE calls_contact ADD CONSTRAINT "{name}" {definition}')
        if on_progress and foreign_keys:
            on_progress("foreign keys checked")


def load_contacts(
    *,
    count: int,
    seed: int,
    centre: ContactCentre,
    years: int = 2,
    chunk: int = 100_000,
    rebuild_indexes: bool = True,
    on_progress: Callable[[str, ContactCounts], None] | None = None,
) -> ContactCounts:
    """COPY `count` finished calls (closed or abandoned) spread over the last `years` years into
    calls_contact, in one transaction, then ANALYZE. Needs members (customers.bulk.load_members)."""
    if connection.vendor != "postgresql":
        raise RuntimeError("The bulk loader uses PostgreSQL's COPY; set DATABASE_URL.")
    if not centre.agents:
        raise ValueError("No agents to answer the calls.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM customers_customer")
        low, high = cursor.fetchone()
    if low is None:
        raise ValueError("No members to call from: load members first.")
    calls = _Calls(random.Random(seed), centre, years=years, low=low, high=high)  # noqa: S311 - test data
    counts = ContactCounts()
    step = (lambda name: on_progress(name, counts)) if on_progress else None
    with transaction.atomic(), _without_indexes(rebuild=rebuild_indexes, on_progress=step):
        while counts.contacts < count:
            size = min(chunk, count - counts.contacts)
            _copy("calls_contact", COLUMNS, calls.chunk(size, counts))
            counts.contacts += size
            if on_progress:
                on_progress("copied", counts)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE calls_contact")
    return counts


STATE_COLUMNS = ["user_id", "state", "started_at", "source"]


def shift_states(rng: random.Random, *, hours: int = 8, block_hours: int = 1) -> list[tuple[str, int]]:
    """One agent's shift as (state, seconds from the shift's start) entries: each block of
    `block_hours` spent on calls, in wrap-up and available (about 80% occupancy), a 30-minute break
    mid-shift, a training block now and then, offline at the end. Coarse, which is enough for the
    daily seconds per state the rollups keep; `load_agent_states` and the demo (calls.demo, with
    longer blocks: fewer rows) share it."""
    block = 3_600 * block_hours
    entries: list[tuple[str, int]] = []
    training = rng.random() < 0.1
    for number, start in enumerate(range(0, hours * 3_600, block)):
        at, length = start, block
        if start <= hours * 1_800 < start + block:  # the break, then back to work
            entries.append((AgentState.BREAK, at))
            at, length = at + 1_800, length - 1_800
        elif training and number == 1:
            entries.append((AgentState.TRAINING, at))
            continue
        talk = min(length * 5 // 6, max(length // 6, round(length * rng.gauss(0.64, 0.11))))
        wrap = min(length // 4, max(length // 60, round(length * rng.gauss(0.14, 0.03))))
        entries += [(AgentState.ON_CALL, at), (AgentState.WRAP_UP, at + talk), (AgentState.AVAILABLE, at + talk + wrap)]
    entries.append((AgentState.OFFLINE, hours * 3_600))
    return entries


def works_on(index: int, weekday: int) -> bool:
    """Two days off a week, staggered by the agent's position so that every day is covered (a third
    of the agents work weekdays only)."""
    return weekday not in ((index % 5, (index % 5 + 1) % 7) if index % 3 else (5, 6))


def load_agent_states(
    *, seed: int, centre: ContactCentre, years: int = 2, chunk: int = 200_000, on_progress=None
) -> int:
    """COPY a state timeline for every agent of `centre` over the last `years` years up to
    yesterday (five 8-hour shifts a week, early or late, see `shift_states`): about 25 rows per agent
    and working day. Returns
    the rows written. PostgreSQL only, like `load_contacts`."""
    if connection.vendor != "postgresql":
        raise RuntimeError("The bulk loader uses PostgreSQL's COPY; set DATABASE_URL.")
    rng = random.Random(seed)  # noqa: S311 - test data
    days = 365 * years
    first_day = datetime.now(UTC).date() - timedelta(days=days)
    clock = _Clock(first_day, days)
    rows: list[str] = []
    written = 0
    with transaction.atomic():
        for day in range(days):
            weekday = (first_day + timedelta(days=day)).weekday()
            day_start = (clock.epoch_day + day) * 86_400
            for index, (user_id, _extension, _site) in enumerate(centre.agents):
                if not works_on(index, weekday):
                    continue
                shift_start = day_start + (8 if index % 2 else 12) * 3_600 + rng.randrange(0, 900)
                rows += [
                    f"{user_id}\t{state}\t{clock.text(shift_start + offset)}\t{StateSource.SYSTEM}\n"
                    for state, offset in shift_states(rng)
                ]
            if len(rows) >= chunk or day == days - 1:
                _copy("calls_agentstatechange", STATE_COLUMNS, rows)
                written += len(rows)
                rows = []
                if on_progress:
                    on_progress(written)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE calls_agentstatechange")
    return written


def replicate_contacts(*, times: int, on_progress: Callable[[str], None] | None = None) -> int:
    """Multiply the contacts already loaded (by `load_contacts`) `times`-fold in SQL, for capacity
    tests where the volume matters more than each call's own draw: copy k (1 to times-1) of each
    call is offered (k x 397 mod 1,800) seconds later, from another member (ids shifted by k x
    104,729 within the members' range, so each member's calls stay spread like the original's), with
    its own external id. Indexes and foreign keys are rebuilt once, as in `load_contacts`; one
    transaction. Returns the contacts added."""
    if connection.vendor != "postgresql":
        raise RuntimeError("The bulk loader needs PostgreSQL; set DATABASE_URL.")
    shifted = {"offered_at", "ringing_at", "answered_at", "ended_at", "wrap_up_ended_at", "wrapped_up_at"}
    shifted |= {"created_at", "updated_at"}
    expressions = []
    for column in COLUMNS:
        if column in shifted:
            expressions.append(f"c.{column} + make_interval(secs => (k * 397) %% 1800)")
        elif column == "customer_id":
            expressions.append(
                "CASE WHEN c.customer_id IS NULL THEN NULL "
                "ELSE m.low + (c.customer_id - m.low + k * 104729) %% (m.high - m.low + 1) END"
            )
        elif column == "external_id":
            expressions.append("c.external_id || '.' || k")
        else:
            expressions.append(f"c.{column}")
    with transaction.atomic(), _without_indexes(on_progress=on_progress), connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM calls_contact")
        (last,) = cursor.fetchone()
        # The member ids must have no gaps for the shift to land on a member (load_members: none).
        cursor.execute(
            f"""
                INSERT INTO calls_contact ({", ".join(COLUMNS)})
                SELECT {", ".join(expressions)}
                FROM calls_contact c
                CROSS JOIN generate_series(1, %s) AS k
                CROSS JOIN (SELECT min(id) AS low, max(id) AS high FROM customers_customer) m
                WHERE c.id <= %s
                """,  # noqa: S608 - the columns are constants
            [times - 1, last],
        )
        added = cursor.rowcount
        if on_progress:
            on_progress(f"{added:,} contacts added")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE calls_contact")
    return added
