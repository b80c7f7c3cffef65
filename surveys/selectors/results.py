"""Survey results: CSAT, NPS (with its margin) and CES by agent, team, queue, site, plan tier,
corporate or individual, and period; trends; verbatims; the response rate and the closed-loop rate.

Every read starts from the responses the reader may see (selectors/visibility.py), within a period
and the filters of `ResultFilters`; only post-contact surveys count unless one survey is chosen.
The database does the counting (one query per table); surveys/rules/scores.py the arithmetic.

CONTRACT used by the API (surveys/api/results.py): keep these names and fields."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth, TruncWeek
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from claims.models import Tier
from staff.models import Team
from staff.selectors.employees import teams_visible_to

from ..models import Answer, CommentCode, Invitation, LoopFollowUp, LoopStatus, Response, SurveyKind
from ..rules.scores import Ces, Csat, Nps, percentage
from .periods import period_bounds, period_starts
from .visibility import responses_visible_to, sees_all_responses

GROUPS = ("agent", "team", "queue", "site", "plan_tier", "corporate", "week", "month")
PERIODS = ("week", "month")
SMALL_SAMPLE = 30  # fewer responses than this: the figures move a lot with each answer

# The bands of surveys/rules/scores.py (is_satisfied, is_promoter, is_detractor, is_easy), as SQL.
SATISFIED = Q(csat__gte=4)
PROMOTER = Q(nps__gte=9)
PASSIVE = Q(nps__gte=7, nps__lte=8)
DETRACTOR = Q(nps__lte=6)
DISSATISFIED = Q(csat__lte=2)
EASY = Q(ces__gte=5)

SCORE_AGGREGATES = {
    "n": Count("pk"),
    "csat_n": Count("csat"),
    "csat_satisfied": Count("pk", filter=SATISFIED),
    "nps_n": Count("nps"),
    "nps_promoters": Count("pk", filter=PROMOTER),
    "nps_detractors": Count("pk", filter=DETRACTOR),
    "ces_n": Count("ces"),
    "ces_total": Coalesce(Sum("ces"), 0),
    "ces_easy": Count("pk", filter=EASY),
}

# group -> (the response's field, its label's fields: English, Arabic)
_DIMENSIONS = {
    "agent": ("agent_id", "agent__full_name", "agent__full_name_ar"),
    "team": ("team_id", "team__name", "team__name_ar"),
    "queue": ("queue_id", "queue__name", "queue__name_ar"),
    "site": ("site_id", "site__name", "site__name_ar"),
    "plan_tier": ("plan_tier", None, None),
    "corporate": ("is_corporate", None, None),
}
NONE_KEY = "none"  # the row of responses with no value for the group (no agent, no plan recorded)


@dataclass(frozen=True)
class ResultFilters:
    start: date
    end: date  # inclusive
    survey_id: int | None = None  # None: every post-contact survey
    site_id: int | None = None
    team_id: int | None = None
    queue_id: int | None = None
    agent_id: int | None = None
    plan_tier: str = ""
    corporate: bool | None = None


@dataclass(frozen=True)
class ResultRow:
    key: str  # the group's id or value ("" for the total)
    label: str
    responses: int
    csat: Csat
    nps: Nps
    ces: Ces
    extra: dict = field(default_factory=dict)
    period_start: date | None = None  # the first day of a week's or month's row

    @property
    def small_sample(self) -> bool:
        return 0 < self.responses < SMALL_SAMPLE


@dataclass(frozen=True)
class ResultSummary:
    """The figures beside the scores. The response rate is the share of the invitations sent in the
    period that were answered (None when a plan tier or corporate filter is set: an invitation does
    not record the member's plan). The closed-loop rate is the share of the follow-ups opened in the
    period that are closed; `on_time_share`, the share of the closed ones closed by their due time."""

    invitations_sent: int | None
    invitations_answered: int | None
    loops_opened: int
    loops_closed: int
    loops_closed_on_time: int
    loops_overdue: int  # still open after their due time

    @property
    def response_rate(self) -> float | None:
        return None if self.invitations_sent is None else percentage(self.invitations_answered, self.invitations_sent)

    @property
    def loop_rate(self) -> float | None:
        return percentage(self.loops_closed, self.loops_opened)

    @property
    def on_time_share(self) -> float | None:
        return percentage(self.loops_closed_on_time, self.loops_closed)


def responses_in_scope(*, actor, filters: ResultFilters, period: bool = True) -> QuerySet[Response]:
    """The responses `actor` may see that the filters select (submitted in the period unless `period`
    is False): the one place results, verbatims and the loop figures are scoped."""
    responses = responses_visible_to(actor)
    if period:
        after, before = period_bounds(filters.start, filters.end)
        responses = responses.filter(submitted_at__gte=after, submitted_at__lt=before)
    if filters.survey_id:
        responses = responses.filter(survey_id=filters.survey_id)
    else:
        responses = responses.filter(survey__kind=SurveyKind.POST_CONTACT)
    for name in ("site_id", "team_id", "queue_id", "agent_id"):
        if getattr(filters, name):
            responses = responses.filter(**{name: getattr(filters, name)})
    if filters.plan_tier:
        responses = responses.filter(plan_tier=filters.plan_tier)
    if filters.corporate is not None:
        responses = responses.filter(is_corporate=filters.corporate)
    return responses


def scores_row(key: str, label: str, data: dict, period_start: date | None = None) -> ResultRow:
    return ResultRow(
        key=key,
        label=label,
        responses=data["n"],
        csat=Csat(responses=data["csat_n"], satisfied=data["csat_satisfied"]),
        nps=Nps(responses=data["nps_n"], promoters=data["nps_promoters"], detractors=data["nps_detractors"]),
        ces=Ces(responses=data["ces_n"], total=data["ces_total"] or 0, easy=data["ces_easy"]),
        period_start=period_start,
    )


def _local(english: str | None, arabic: str | None) -> str:
    return (arabic if get_language() == "ar" and arabic else english) or ""


def _none_label(group_by: str) -> str:
    return {
        "agent": _("No agent"),
        "team": _("No team"),
        "queue": _("No queue"),
        "site": _("No site"),
        "plan_tier": _("No plan recorded"),
        "corporate": _("Not known"),
    }[group_by]


def _dimension_label(group_by: str, data: dict, value) -> str:
    if value is None or value == "":
        return _none_label(group_by)
    if group_by == "plan_tier":
        return str(Tier(value).label) if value in Tier.values else value
    if group_by == "corporate":
        return _("Corporate") if value else _("Individual")
    _field, english, arabic = _DIMENSIONS[group_by]
    return _local(data[english], data[arabic])


def period_label(by: str, start: date) -> str:
    if by == "week":
        return _("Week of %(date)s") % {"date": formats.date_format(start, "SHORT_DATE_FORMAT")}
    return formats.date_format(start, "YEAR_MONTH_FORMAT")


def results_table(*, actor, filters: ResultFilters, group_by: str | None) -> list[ResultRow]:
    """One row per group (group_by in GROUPS), or one total row when group_by is None; only the
    responses `actor` may see (selectors/visibility.py). Groups by name (the responses with no value
    last); weeks and months in order. One query."""
    responses = responses_in_scope(actor=actor, filters=filters)
    if group_by is None:
        return [scores_row("", _("All responses"), responses.aggregate(**SCORE_AGGREGATES))]
    if group_by in PERIODS:
        trunc = TruncWeek if group_by == "week" else TruncMonth
        grouped = responses.annotate(period=trunc("submitted_at")).values("period").annotate(**SCORE_AGGREGATES)
        rows = []
        for data in grouped.order_by("period"):
            start = timezone.localtime(data["period"]).date()
            rows.append(scores_row(start.isoformat(), period_label(group_by, start), data, period_start=start))
        return rows
    if group_by not in _DIMENSIONS:
        raise ValueError(f"Unknown group {group_by!r}")
    key_field, english, arabic = _DIMENSIONS[group_by]
    fields = [key_field] + [name for name in (english, arabic) if name]
    rows = []
    for data in responses.values(*fields).annotate(**SCORE_AGGREGATES).order_by(key_field):
        value = data[key_field]
        key = NONE_KEY if value is None or value == "" else str(value).lower()
        rows.append(scores_row(key, _dimension_label(group_by, data, value), data))
    return sorted(rows, key=lambda row: (row.key == NONE_KEY, row.label.casefold()))


def trend_by(start: date, end: date) -> str:
    """Weeks for a period of up to six months, else months (a chart of a year by week is a blur)."""
    return "week" if (end - start).days <= 183 else "month"


def results_trend(*, actor, filters: ResultFilters, by: str) -> list[tuple[date, ResultRow | None]]:
    """(first day, row or None) for every week or month of the period, the empty ones included."""
    rows = {row.period_start: row for row in results_table(actor=actor, filters=filters, group_by=by)}
    return [(first, rows.get(first)) for first in period_starts(by, filters.start, filters.end)]


def _invitations_in_scope(*, actor, filters: ResultFilters) -> QuerySet[Invitation]:
    """Invitations sent in the period for the contacts of the teams `actor` may see: the segment of an
    invitation not yet answered is its contact's, as it is now."""
    if not actor.has_perm("surveys.view_results"):
        return Invitation.objects.none()
    after, before = period_bounds(filters.start, filters.end)
    invitations = Invitation.objects.filter(sent_at__gte=after, sent_at__lt=before)
    if not sees_all_responses(actor):
        invitations = invitations.filter(contact__agent__team__in=teams_visible_to(actor))
    if filters.survey_id:
        invitations = invitations.filter(survey_id=filters.survey_id)
    else:
        invitations = invitations.filter(survey__kind=SurveyKind.POST_CONTACT)
    if filters.site_id:
        invitations = invitations.filter(
            Q(contact__site_id=filters.site_id) | Q(contact__site__isnull=True, contact__agent__site_id=filters.site_id)
        )
    if filters.team_id:
        invitations = invitations.filter(contact__agent__team_id=filters.team_id)
    if filters.queue_id:
        invitations = invitations.filter(contact__queue_id=filters.queue_id)
    if filters.agent_id:
        invitations = invitations.filter(contact__agent_id=filters.agent_id)
    return invitations


def results_summary(*, actor, filters: ResultFilters) -> ResultSummary:
    """The response rate and the closed-loop figures for the same filters. Two queries (one when a
    plan tier or corporate filter leaves the response rate unknown)."""
    sent = answered = None
    if not filters.plan_tier and filters.corporate is None:
        counts = _invitations_in_scope(actor=actor, filters=filters).aggregate(
            sent=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False))
        )
        sent, answered = counts["sent"], counts["answered"]
    after, before = period_bounds(filters.start, filters.end)
    closed = Q(status=LoopStatus.CLOSED)
    loops = LoopFollowUp.objects.filter(
        response__in=responses_in_scope(actor=actor, filters=filters, period=False).values("pk"),
        created_at__gte=after,
        created_at__lt=before,
    ).aggregate(
        opened=Count("pk"),
        closed=Count("pk", filter=closed),
        on_time=Count("pk", filter=closed & Q(closed_at__lte=F("due_at"))),
        overdue=Count("pk", filter=Q(status=LoopStatus.OPEN, due_at__lt=timezone.now())),
    )
    return ResultSummary(
        invitations_sent=sent,
        invitations_answered=answered,
        loops_opened=loops["opened"],
        loops_closed=loops["closed"],
        loops_closed_on_time=loops["on_time"],
        loops_overdue=loops["overdue"],
    )


# Filter choices ----------------------------------------------------------------------------------------


def teams_for_filter(actor) -> QuerySet[Team]:
    """The teams whose results `actor` may choose: every team for who sees every response, else theirs."""
    teams = Team.objects.all() if sees_all_responses(actor) else teams_visible_to(actor)
    return teams.select_related("site").order_by("name")


# Verbatims ---------------------------------------------------------------------------------------------

BANDS = {
    "detractor": DETRACTOR,
    "passive": PASSIVE,
    "promoter": PROMOTER,
    "dissatisfied": DISSATISFIED,
}


def verbatim_list(
    *, actor, filters: ResultFilters, band: str = "", theme_id: int | None = None, search: str = ""
) -> QuerySet[Answer]:
    """The members' comments (free-text answers) of the responses in scope, newest first, with their
    response's scores and segment. `band`: a key of BANDS; `theme_id`: coded to that theme; `search`:
    words in the comment."""
    responses = responses_in_scope(actor=actor, filters=filters)
    if band:
        responses = responses.filter(BANDS[band])
    answers = Answer.objects.filter(response__in=responses.values("pk")).exclude(text="")
    if theme_id:
        answers = answers.filter(Exists(CommentCode.objects.filter(answer=OuterRef("pk"), theme_id=theme_id)))
    if search:
        answers = answers.filter(text__icontains=search)
    return answers.select_related(
        "question", "response__survey", "response__agent", "response__team", "response__queue", "response__site"
    ).order_by("-response__submitted_at", "-pk")


# One response ------------------------------------------------------------------------------------------


def response_get_for(actor, pk: int) -> Response:
    """The response with its survey, version and questions, answers, contact, member, segment and
    follow-up, if `actor` may see it; 404 otherwise (also when it exists: a refusal would tell that it does)."""
    try:
        return (
            responses_visible_to(actor)
            .select_related("survey", "version", "contact", "customer", "agent", "team", "queue", "site", "loop__owner")
            .prefetch_related("version__questions", "answers")
            .get(pk=pk)
        )
    except Response.DoesNotExist:
        raise Http404 from None
