"""Reads for qualitative research: each theme's evidence over a period (complaints in its complaint
category, survey comments coded to it and the scores of their responses, focus-group findings), a
theme's evidence page, focus groups with their participants and findings, and the comment that the
coding widget codes. Comments and scores are those of the responses the reader may see
(selectors/visibility.py); complaint counts and findings are the organisation's."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.http import Http404
from django.utils import timezone

from calls.models import Complaint

from ..models import Answer, CommentCode, FindingTheme, FocusGroup, Participant, QuestionKind, Theme
from ..rules.coding import suggest_themes
from ..rules.scores import Csat, Nps
from .periods import period_bounds, period_starts
from .visibility import responses_visible_to

LATEST_COMMENTS = 20
CSAT_VALUES = range(1, 6)


@dataclass(frozen=True)
class ThemeEvidence:
    theme: Theme
    complaints: int  # in the theme's complaint category, received in the period
    comments: int  # survey comments coded to the theme, of responses given in the period
    findings: int  # focus groups and panels held in the period that raised the theme
    csat: Csat = field(default_factory=lambda: Csat(0, 0))
    csat_total: int = 0  # the sum of the CSAT answers (1-5 each), for the mean
    nps: Nps = field(default_factory=lambda: Nps(0, 0, 0))

    @property
    def evidence(self) -> int:
        return self.complaints + self.comments + self.findings

    @property
    def csat_mean(self) -> float | None:
        """The mean CSAT answer, 1-5, of the responses whose comments were coded to the theme."""
        return None if not self.csat.responses else self.csat_total / self.csat.responses


def _count(queryset: QuerySet, group: str) -> Coalesce:
    """A correlated COUNT(*) of `queryset` (already filtered on the outer theme), 0 when none."""
    counted = queryset.order_by().values(group).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _codes_seen(actor, start: date, end: date) -> QuerySet[CommentCode]:
    """The codes on comments of responses `actor` may see, given in the period."""
    lower, upper = period_bounds(start, end)
    return CommentCode.objects.filter(
        answer__response__in=responses_visible_to(actor),
        answer__response__submitted_at__gte=lower,
        answer__response__submitted_at__lt=upper,
    )


def _scores_by_theme(actor, start: date, end: date, themes: QuerySet[Theme]) -> dict[int, dict]:
    """{theme id: counts}, in one grouped query. A response whose two comments are both coded to a
    theme counts once: every figure is a count of distinct responses (the mean CSAT from the counts
    of each answer, 1 to 5)."""
    response = "answer__response"
    distinct = {
        "responses": Count(response, distinct=True),
        "csat_n": Count(response, distinct=True, filter=Q(answer__response__csat__isnull=False)),
        **{
            f"csat_{value}": Count(response, distinct=True, filter=Q(answer__response__csat=value))
            for value in CSAT_VALUES
        },
        "nps_n": Count(response, distinct=True, filter=Q(answer__response__nps__isnull=False)),
        "promoters": Count(response, distinct=True, filter=Q(answer__response__nps__gte=9)),
        "detractors": Count(response, distinct=True, filter=Q(answer__response__nps__lte=6)),
    }
    rows = (
        _codes_seen(actor, start, end)
        .filter(theme__in=themes)
        .order_by()
        .values("theme_id")
        .annotate(comments=Count("pk"), **distinct)
    )
    return {row["theme_id"]: row for row in rows}


def themes_with_evidence(
    *, actor, start: date, end: date, themes: QuerySet[Theme] | None = None
) -> list[ThemeEvidence]:
    """Every theme (or those of `themes`) with its evidence for the period, most evidence first:
    two queries, whatever the number of themes."""
    lower, upper = period_bounds(start, end)
    themes = Theme.objects.all() if themes is None else themes
    complaints = Complaint.objects.filter(
        category=OuterRef("complaint_category"), received_at__gte=lower, received_at__lt=upper
    )
    findings = FindingTheme.objects.filter(theme=OuterRef("pk"), focus_group__held_on__range=(start, end))
    annotated = themes.annotate(complaint_count=_count(complaints, "category"), finding_count=_count(findings, "theme"))
    scores = _scores_by_theme(actor, start, end, themes)
    rows = []
    for theme in annotated:
        row = scores.get(theme.pk)
        if row is None:
            rows.append(ThemeEvidence(theme, theme.complaint_count, 0, theme.finding_count))
            continue
        rows.append(
            ThemeEvidence(
                theme=theme,
                complaints=theme.complaint_count,
                comments=row["comments"],
                findings=theme.finding_count,
                csat=Csat(responses=row["csat_n"], satisfied=row["csat_4"] + row["csat_5"]),
                csat_total=sum(value * row[f"csat_{value}"] for value in CSAT_VALUES),
                nps=Nps(responses=row["nps_n"], promoters=row["promoters"], detractors=row["detractors"]),
            )
        )
    rows.sort(key=lambda r: (-r.evidence, r.theme.position, r.theme.name))
    return rows


def themes_active() -> QuerySet[Theme]:
    return Theme.objects.filter(is_active=True)


def theme_get(pk: int) -> Theme:
    try:
        return Theme.objects.get(pk=pk)
    except Theme.DoesNotExist:
        raise Http404 from None


@dataclass(frozen=True)
class ThemePage:
    evidence: ThemeEvidence
    comments: list[CommentCode]  # the latest, newest first
    findings: list[FindingTheme]
    months: list[tuple[date, int]]  # complaints in the category, per month of the period


def complaints_per_month(*, category: str, start: date, end: date) -> list[tuple[date, int]]:
    """(first of the month, complaints received) for each month of the period, zero months included."""
    if not category:
        return []
    lower, upper = period_bounds(start, end)
    counted = (
        Complaint.objects.filter(category=category, received_at__gte=lower, received_at__lt=upper)
        .annotate(month=TruncMonth("received_at"))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"))
    )
    by_month = {timezone.localtime(row["month"]).date(): row["n"] for row in counted}
    return [(month, by_month.get(month, 0)) for month in period_starts("month", start, end)]


def theme_page(*, actor, theme: Theme, start: date, end: date) -> ThemePage:
    """A theme's evidence for the period: its figures, the latest comments coded to it that `actor`
    may see, the findings of focus groups held in the period, and the complaints per month."""
    (evidence,) = themes_with_evidence(actor=actor, start=start, end=end, themes=Theme.objects.filter(pk=theme.pk))
    comments = (
        _codes_seen(actor, start, end)
        .filter(theme=theme)
        .select_related("answer__question", "answer__response__team", "answer__response__survey")
        .order_by("-answer__response__submitted_at", "-pk")[:LATEST_COMMENTS]
    )
    findings = (
        FindingTheme.objects.filter(theme=theme, focus_group__held_on__range=(start, end))
        .select_related("focus_group__site")
        .order_by("-focus_group__held_on", "-pk")
    )
    return ThemePage(
        evidence=evidence,
        comments=list(comments),
        findings=list(findings),
        months=complaints_per_month(category=theme.complaint_category, start=start, end=end),
    )


# Focus groups and panels --------------------------------------------------------------------------------


def focus_group_list(*, kind: str = "") -> QuerySet[FocusGroup]:
    sessions = FocusGroup.objects.select_related("site", "facilitator")
    if kind:
        sessions = sessions.filter(kind=kind)
    participants = Participant.objects.filter(focus_group=OuterRef("pk"))
    findings = FindingTheme.objects.filter(focus_group=OuterRef("pk"))
    return sessions.annotate(
        participant_count=_count(participants, "focus_group"),
        attended_count=_count(participants.filter(attended=True), "focus_group"),
        finding_count=_count(findings, "focus_group"),
    )


def focus_group_get(pk: int) -> FocusGroup:
    """A session with its participants (and their members) and findings (and their themes); 404 if none."""
    participants = Participant.objects.select_related("customer").order_by(
        "customer__last_name", "customer__first_name", "pk"
    )
    findings = FindingTheme.objects.select_related("theme").order_by("theme__position", "theme__name")
    sessions = FocusGroup.objects.select_related("site", "facilitator", "created_by").prefetch_related(
        Prefetch("participants", queryset=participants), Prefetch("findings", queryset=findings)
    )
    try:
        return sessions.get(pk=pk)
    except FocusGroup.DoesNotExist:
        raise Http404 from None


# Comment coding ------------------------------------------------------------------------------------------


def comment_get_for(actor, answer_pk: int) -> Answer:
    """The free-text answer `actor` may code: one of a response they may see; 404 otherwise (also when
    it exists: a refusal would tell that it does)."""
    answer = (
        Answer.objects.select_related("response", "question")
        .filter(pk=answer_pk, question__kind=QuestionKind.FREE_TEXT, response__in=responses_visible_to(actor))
        .exclude(text="")
        .first()
    )
    if answer is None:
        raise Http404
    return answer


@dataclass(frozen=True)
class CodingWidget:
    answer: Answer
    codes: list[CommentCode]
    suggested: list[Theme]  # active themes whose keywords occur in the comment, not yet applied
    available: list[Theme]  # every active theme not yet applied, for the select


def coding_widget(answer: Answer) -> CodingWidget:
    codes = list(answer.codes.select_related("theme").order_by("theme__position", "theme__name"))
    applied = {code.theme_id for code in codes}
    available = [theme for theme in themes_active() if theme.pk not in applied]
    codes_suggested = set(suggest_themes(answer.text, [(theme.code, theme.keywords) for theme in available]))
    suggested = [theme for theme in available if theme.code in codes_suggested]
    return CodingWidget(answer=answer, codes=codes, suggested=suggested, available=available)
