"""The contact KPIs computed straight from the raw data, by SQL aggregation, without the rollups
or `rules.rollups`: what the tests hold the rollups to (they must be equal), and what the
benchmark reports beside the rollup dashboard (a year of raw contacts read per request).

Written from domain.md's definitions, independently of `services.rollups`: a contact counts where it
was OFFERED for contacts, offered, answered, abandoned, service level and ASA, and where it ENDED for
handle time, transfers and FCR. The telephony figures count inbound calls a platform reported (not
those logged by hand). Same `Period` and `Scope` as `selectors.kpis`; a site scope reads the contacts
of the site (their own, else their queue's); a scope by team or agent reads the contacts an agent
answered (the team and site are the agent's, as now)."""

from datetime import timedelta

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from calls.models import Contact, ContactChannel, Direction
from claims.models import PolicyMember, PolicyStatus

from ..rules.kpis import Measures, StateMeasures
from .kpis import ORGANISATION, KpiSet, Period, Scope, kpis_of, people_filtered, variant_for

DEFAULT_THRESHOLD = 20  # seconds, for a contact with no queue (domain.md's default T)
REPEAT_DAYS = 7
STATE_MAX_HOURS = 16  # an agent's state lasts at most this long without a further change (docs/kpis.md)


def _cover(moment: str, value: str) -> Subquery:
    """The member's cover on the local day of `moment`: an active policy first, then the newest."""
    day = OuterRef(f"{moment}_day")
    covers = (
        PolicyMember.objects.filter(
            customer_id=OuterRef("customer_id"),
            covered_from__lte=day,
            policy__start_date__lte=day,
            policy__renewal_date__gt=day,
        )
        .exclude(covered_to__lt=day)
        .annotate(corporate=ExpressionWrapper(Q(policy__corporate_account__isnull=False), BooleanField()))
        .order_by(Case(When(policy__status=PolicyStatus.ACTIVE, then=0), default=1), "-covered_from", "-id")
    )
    return Subquery(covers.values(value)[:1])


def contacts_in_scope(contacts: QuerySet, scope: Scope, moment: str) -> QuerySet:
    if scope.queue_id is not None:
        contacts = contacts.filter(queue_id=scope.queue_id)
    if scope.by_people:
        return people_filtered(contacts.exclude(agent=None), scope, through="agent")
    if scope.site_id is not None:
        # A contact counts for its own site (the answering agent's), else its queue's.
        contacts = contacts.annotate(counted_site_id=Coalesce("site_id", "queue__site_id")).filter(
            counted_site_id=scope.site_id
        )
    if scope.plan_tier or scope.is_corporate is not None:
        contacts = contacts.annotate(
            **{f"{moment}_day": TruncDate(moment, tzinfo=timezone.get_current_timezone())}
        ).annotate(cover_tier=_cover(moment, "policy__plan__tier"), cover_corporate=_cover(moment, "corporate"))
        if scope.plan_tier:
            contacts = contacts.filter(cover_tier=scope.plan_tier)
        if scope.is_corporate is not None:
            contacts = contacts.filter(cover_corporate=scope.is_corporate)
    return contacts


class _EpochSeconds(Func):
    """PostgreSQL: an interval in seconds, not below 0 and cut to whole seconds."""

    template = "GREATEST(0, FLOOR(EXTRACT(EPOCH FROM %(expressions)s)))"
    output_field = IntegerField()


# A call's wrap-up: the platform's when it said the wrap-up ended; else from the end of the call to the
# agent's wrap-up at the desk; else none.
_WRAP_UP_SECONDS = Case(
    When(wrap_up_ended_at__isnull=False, then=F("wrap_up_seconds")),
    When(wrapped_up_at__isnull=False, ended_at__isnull=False, then=_EpochSeconds(F("wrapped_up_at") - F("ended_at"))),
    default=Value(0),
    output_field=IntegerField(),
)


def measures(period: Period, scope: Scope = ORGANISATION) -> Measures:
    """The sums of `rules.kpis.Measures` over the raw contacts: two aggregate queries (by when the
    contacts were offered, by when they ended)."""
    start, end = period.bounds()
    # Telephony: inbound calls a platform reported (one logged by hand at the desk is a contact only).
    phone = Q(channel=ContactChannel.PHONE, direction=Direction.INBOUND) & ~Q(provider="")
    abandoned = phone & Q(is_abandoned=True, is_short_abandon=False)
    answered = phone & Q(is_abandoned=False, answered_at__isnull=False)
    within = Q(wait_seconds__lte=F("threshold"))
    offered = (
        contacts_in_scope(Contact.objects.filter(offered_at__gte=start, offered_at__lt=end), scope, "offered_at")
        .annotate(threshold=Coalesce("queue__answer_threshold_seconds", Value(DEFAULT_THRESHOLD)))
        .aggregate(
            contacts=Count("pk"),
            offered=Count("pk", filter=abandoned | answered),
            answered=Count("pk", filter=answered),
            answered_in_threshold=Count("pk", filter=answered & within),
            abandoned=Count("pk", filter=abandoned),
            abandoned_in_threshold=Count("pk", filter=abandoned & within),
            short_abandoned=Count("pk", filter=phone & Q(is_abandoned=True, is_short_abandon=True)),
            wait_answered_seconds=Sum("wait_seconds", filter=answered),
        )
    )
    repeated = Exists(
        Contact.objects.filter(
            customer_id=OuterRef("customer_id"),
            direction=Direction.INBOUND,
            is_short_abandon=False,
            offered_at__gt=OuterRef("offered_at"),
            offered_at__lte=OuterRef("offered_at") + timedelta(days=REPEAT_DAYS),
        )
    )
    identified = Q(customer__isnull=False)
    ended = (
        contacts_in_scope(
            Contact.objects.filter(phone, answered_at__isnull=False, ended_at__gte=start, ended_at__lt=end),
            scope,
            "ended_at",
        )
        .annotate(repeated=repeated)
        .aggregate(
            handled=Count("pk"),
            talk_seconds=Sum("talk_seconds"),
            hold_seconds=Sum("hold_seconds"),
            wrap_up_seconds=Sum(_WRAP_UP_SECONDS),
            transferred=Count("pk", filter=Q(transfer_count__gt=0)),
            fcr_eligible=Count("pk", filter=identified),
            fcr_resolved=Count("pk", filter=identified & Q(repeated=False)),
            agent_fcr_answered=Count("pk", filter=Q(resolved_first_contact__isnull=False)),
            agent_fcr_yes=Count("pk", filter=Q(resolved_first_contact=True)),
        )
    )
    return Measures.of({**offered, **ended})


# Each timeline entry lasts until the agent's next one or STATE_MAX_HOURS after it began, whichever is
# first, clipped to the period (and to now): the seconds per state, in one statement. The agents' team
# and site are theirs as now.
_STATES_SQL = """
WITH timeline AS (
    SELECT c.user_id, c.state, c.started_at,
           LEAST(
               COALESCE(LEAD(c.started_at) OVER (PARTITION BY c.user_id ORDER BY c.started_at, c.id), %(end)s),
               c.started_at + %(longest)s,
               %(end)s
           ) AS until
    FROM calls_agentstatechange c
    JOIN staff_user u ON u.id = c.user_id
    WHERE {where}
)
SELECT state, SUM(FLOOR(EXTRACT(EPOCH FROM until - GREATEST(started_at, %(start)s))))
FROM timeline
WHERE until > GREATEST(started_at, %(start)s)
GROUP BY state
"""


def state_measures(period: Period, scope: Scope = ORGANISATION) -> StateMeasures:
    """Seconds per agent state over the period from the raw timeline (PostgreSQL). Seconds are
    summed per entry here, per entry and day in the rollups: equal for whole-second timelines."""
    start, end = period.bounds()
    end = min(end, max(start, timezone.now()))
    where = ["c.started_at < %(end)s"]
    params = {"start": start, "end": end, "longest": timedelta(hours=STATE_MAX_HOURS)}
    for column, value in (("site_id", scope.site_id), ("team_id", scope.team_id), ("id", scope.agent_id)):
        if value is not None:
            where.append(f"u.{column} = %({column})s")
            params[column] = value
    with connection.cursor() as cursor:
        cursor.execute(_STATES_SQL.format(where=" AND ".join(where)), params)
        seconds = {state: int(total or 0) for state, total in cursor.fetchall()}
    return StateMeasures.of({f"{state}_seconds": total for state, total in seconds.items()})


def kpi_set(period: Period, scope: Scope = ORGANISATION) -> KpiSet:
    """`selectors.kpis.kpi_set`'s telephony figures, from the raw data (no `extra`)."""
    return kpis_of(period, scope, measures(period, scope), state_measures(period, scope), variant_for(scope))


__all__ = ["kpi_set", "measures", "state_measures"]
