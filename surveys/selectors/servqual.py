"""Reads for SERVQUAL (gap 5, the customer gap) and the management perception study (gap 1, the
knowledge gap): the scores of a SERVQUAL survey over a period, overall and per segment, and what
managers believe customers expect against what customers say they expect.

How the figures are formed (../shared/domain.md, "Measuring satisfaction"; the arithmetic itself is
surveys/rules/servqual.py):
- The database averages the answers: the mean expectation (E) and perception (P) of each of the 22
  statements, and the mean importance points of each dimension, over the responses of the survey in
  the period (one grouped query per breakdown, never a loop over responses).
- rules.servqual_scores turns those means into the item gaps (mean P - mean E, which equals the mean
  of the respondents' item gaps), the dimension gaps (mean item gap over the dimension's items) and
  the unweighted overall score (mean of the five dimension gaps).
- The aggregate weighted score is the sum over the dimensions of mean dimension gap x mean importance
  points / 100: domain.md's weighting applied to the sample's means, as the SERVQUAL literature
  reports a survey's weighted score. It is not the mean of each respondent's own weighted score,
  which differs when the people who give a dimension many points see a different gap there.
- Gap 1 per dimension: the managers' mean expectation over the dimension's items (rules.dimension_means)
  minus the customers' (rules.knowledge_gap); above 0 managers overestimate what customers expect.

Visibility: every figure is computed from `servqual_responses_for`, which starts from
surveys.selectors.visibility.responses_visible_to: managers and reporting tools count every
response; a team leader only the responses tied to their teams, which a SERVQUAL panel's or a
management study's responses are not (they come from no contact), so a team leader sees none."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.models import Tier
from staff.models import Site
from staff.templatetags.staff_tags import local_name

from ..models import Answer, Dimension, QuestionKind, Response, Survey, SurveyKind
from ..rules import servqual as rules
from .periods import period_bounds
from .visibility import responses_visible_to

SEGMENTATIONS = ("plan_tier", "site", "corporate")
_GROUP_FIELD = {"plan_tier": "plan_tier", "site": "site_id", "corporate": "is_corporate"}
# The responses' segment, from the answers' side of the join.
_ANSWER_GROUP_FIELD = {name: f"response__{field}" for name, field in _GROUP_FIELD.items()}
_SCORED_KINDS = (QuestionKind.EXPECTATION, QuestionKind.PERCEPTION, QuestionKind.IMPORTANCE)
# Gap 1 below this (in scale points, either way) reads as "in line".
IN_LINE = 0.05


def default_period() -> tuple[date, date]:
    """The last twelve months, today included: a SERVQUAL study runs a few times a year at most."""
    today = timezone.localdate()
    return today - timedelta(days=364), today


# Which surveys ----------------------------------------------------------------------------------------


def servqual_surveys() -> QuerySet[Survey]:
    """The SERVQUAL surveys, the active and newest first."""
    return Survey.objects.filter(kind=SurveyKind.SERVQUAL).order_by("-is_active", "-created_at", "-pk")


def management_study_current() -> Survey | None:
    """The management perception study managers answer now: the newest active one."""
    return (
        Survey.objects.filter(kind=SurveyKind.MANAGEMENT, is_active=True)
        .select_related("current_version")
        .order_by("-created_at", "-pk")
        .first()
    )


def management_study_latest() -> Survey | None:
    """The study to compare customers with: the current one, else the newest ever run."""
    return management_study_current() or (
        Survey.objects.filter(kind=SurveyKind.MANAGEMENT).order_by("-created_at", "-pk").first()
    )


def servqual_responses_for(
    actor, *, survey: Survey, start: date | None = None, end: date | None = None
) -> QuerySet[Response]:
    """The one place SERVQUAL and management study reads are scoped: the survey's responses `actor`
    may see (surveys/selectors/visibility.py), submitted from `start` to `end` inclusive (local days)."""
    responses = responses_visible_to(actor).filter(survey=survey)
    if start is not None:
        responses = responses.filter(submitted_at__gte=period_bounds(start, start)[0])
    if end is not None:
        responses = responses.filter(submitted_at__lt=period_bounds(end, end)[1])
    return responses


# The means, in SQL --------------------------------------------------------------------------------------


@dataclass
class Means:
    """A group's mean answers: expectation and perception per statement, points per dimension."""

    expectations: dict[int, float] = field(default_factory=dict)
    perceptions: dict[int, float] = field(default_factory=dict)
    points: dict[str, float] = field(default_factory=dict)


def answer_means(responses: QuerySet[Response], group: str | None = None) -> dict:
    """{segment value: Means} over `responses` (one key, None, without `group`): AVG(number) grouped
    by the question's kind and statement (or dimension), and by the response's segment field."""
    group_fields = [_ANSWER_GROUP_FIELD[group]] if group else []
    rows = (
        Answer.objects.filter(response__in=responses, number__isnull=False, question__kind__in=_SCORED_KINDS)
        .values(*group_fields, "question__kind", "question__servqual_item", "question__dimension")
        .annotate(mean=Avg("number"))
        .order_by()
    )
    means: dict = {}
    for row in rows:
        target = means.setdefault(row[group_fields[0]] if group else None, Means())
        kind, mean = row["question__kind"], float(row["mean"])
        if kind == QuestionKind.EXPECTATION:
            target.expectations[row["question__servqual_item"]] = mean
        elif kind == QuestionKind.PERCEPTION:
            target.perceptions[row["question__servqual_item"]] = mean
        else:
            target.points[row["question__dimension"]] = mean
    return means


def response_counts(responses: QuerySet[Response], group: str | None = None) -> dict:
    """{segment value: number of responses} (one key, None, without `group`)."""
    if group is None:
        return {None: responses.count()}
    column = _GROUP_FIELD[group]
    rows = responses.values(column).annotate(n=Count("pk")).order_by()
    return {row[column]: row["n"] for row in rows}


# Scores --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemScore:
    item: int
    dimension: str
    expectation: float | None
    perception: float | None
    gap: float | None

    @property
    def statement(self) -> str:
        """The perception wording, in the reader's language."""
        return str(rules.STATEMENTS[self.item][1])


@dataclass(frozen=True)
class DimensionScore:
    dimension: str
    expectation: float | None
    perception: float | None
    gap: float | None
    points: float | None

    @property
    def label(self) -> str:
        return str(Dimension(self.dimension).label)


@dataclass(frozen=True)
class ServqualResult:
    responses: int
    items: list[ItemScore]
    dimensions: list[DimensionScore]
    unweighted: float | None
    weighted: float | None  # None without every dimension's points

    @property
    def scored(self) -> bool:
        return self.unweighted is not None


def servqual_result(means: Means | None, responses: int) -> ServqualResult:
    """The scores of a group's means (rules.servqual_scores); gaps are None unless every statement
    has both a mean expectation and a mean perception."""
    means = means or Means()
    complete = all(item in means.expectations and item in means.perceptions for item in rules.DIMENSION_OF)
    has_points = all(dimension in means.points for dimension in rules.DIMENSIONS)
    scores = None
    if complete:
        scores = rules.servqual_scores(means.expectations, means.perceptions, means.points if has_points else None)
    expectations = rules.dimension_means(means.expectations) if complete else {}
    perceptions = rules.dimension_means(means.perceptions) if complete else {}
    items = [
        ItemScore(
            item=item,
            dimension=rules.DIMENSION_OF[item],
            expectation=means.expectations.get(item),
            perception=means.perceptions.get(item),
            gap=scores.item_gaps[item] if scores else None,
        )
        for item in sorted(rules.DIMENSION_OF)
    ]
    dimensions = [
        DimensionScore(
            dimension=dimension,
            expectation=expectations.get(dimension),
            perception=perceptions.get(dimension),
            gap=scores.dimension_gaps[dimension] if scores else None,
            points=means.points.get(dimension),
        )
        for dimension in rules.DIMENSIONS
    ]
    return ServqualResult(
        responses=responses,
        items=items,
        dimensions=dimensions,
        unweighted=scores.unweighted if scores else None,
        weighted=scores.weighted if scores else None,
    )


@dataclass(frozen=True)
class SegmentResult:
    key: str  # the tier, the site's code, "corporate" / "individual", or "none"
    label: str
    result: ServqualResult


@dataclass(frozen=True)
class Segmentation:
    name: str  # one of SEGMENTATIONS
    label: str
    segments: list[SegmentResult]


def _segment_keys(name: str, present: set) -> list[tuple[object, str, str]]:
    """(database value, key, label) of each segment to show: every tier, site and kind of membership,
    whether or not it has responses; "none" (no cover on record, or no site) only when it has some."""
    if name == "plan_tier":
        keys = [(tier.value, tier.value, str(tier.label)) for tier in Tier]
        missing = ("", "none", _("No cover on record"))
    elif name == "corporate":
        keys = [(True, "corporate", _("Corporate members")), (False, "individual", _("Individual members"))]
        missing = (None, "none", _("No cover on record"))
    else:
        sites = Site.objects.filter(Q(is_active=True) | Q(pk__in=[pk for pk in present if pk is not None]))
        keys = [(site.pk, site.code, local_name(site)) for site in sites.order_by("name")]
        missing = (None, "none", _("Not tied to a site"))
    return [*keys, missing] if missing[0] in present else keys


def segmentation(responses: QuerySet[Response], name: str) -> Segmentation:
    counts = response_counts(responses, name)
    means = answer_means(responses, name)
    labels = {"plan_tier": _("Plan tier"), "site": _("Site"), "corporate": _("Corporate or individual")}
    segments = [
        SegmentResult(key=key, label=label, result=servqual_result(means.get(value), counts.get(value, 0)))
        for value, key, label in _segment_keys(name, set(counts))
    ]
    return Segmentation(name=name, label=labels[name], segments=segments)


# Gap 1 ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KnowledgeGapRow:
    dimension: str
    management: float | None  # what managers believe customers expect (mean over the dimension's items)
    customers: float | None  # what customers say they expect
    gap: float | None  # management - customers
    management_points: float | None
    customer_points: float | None

    @property
    def label(self) -> str:
        return str(Dimension(self.dimension).label)

    @property
    def difference(self) -> float | None:
        """The size of gap 1, whichever way it goes."""
        return None if self.gap is None else abs(self.gap)

    @property
    def direction(self) -> str:
        """ "over" (managers overestimate), "under", "in_line", or "" when either side is missing."""
        if self.gap is None:
            return ""
        if abs(self.gap) < IN_LINE:
            return "in_line"
        return "over" if self.gap > 0 else "under"


@dataclass(frozen=True)
class KnowledgeGap:
    study: Survey | None
    managers: int
    customers: int
    rows: list[KnowledgeGapRow]

    @property
    def scored(self) -> bool:
        return any(row.gap is not None for row in self.rows)


def knowledge_gap_from(
    *, study: Survey | None, management: Means | None, managers: int, customers: Means | None, customer_count: int
) -> KnowledgeGap:
    management, customers = management or Means(), customers or Means()
    every = set(rules.DIMENSION_OF)
    believed = rules.dimension_means(management.expectations) if every <= set(management.expectations) else None
    said = rules.dimension_means(customers.expectations) if every <= set(customers.expectations) else None
    gaps = rules.knowledge_gap(believed, said) if believed and said else {}
    rows = [
        KnowledgeGapRow(
            dimension=dimension,
            management=believed[dimension] if believed else None,
            customers=said[dimension] if said else None,
            gap=gaps.get(dimension),
            management_points=management.points.get(dimension),
            customer_points=customers.points.get(dimension),
        )
        for dimension in rules.DIMENSIONS
    ]
    return KnowledgeGap(study=study, managers=managers, customers=customer_count, rows=rows)


def knowledge_gap_report(
    *, actor, study: Survey | None, survey: Survey | None, start: date | None = None, end: date | None = None
) -> KnowledgeGap:
    """Gap 1: the study's managers (every answer they gave to it, whenever) against the customers of
    `survey` in the period."""
    management, managers = None, 0
    if study is not None:
        answered = servqual_responses_for(actor, survey=study)
        management, managers = answer_means(answered).get(None), answered.count()
    customers, customer_count = None, 0
    if survey is not None:
        responses = servqual_responses_for(actor, survey=survey, start=start, end=end)
        customers, customer_count = answer_means(responses).get(None), responses.count()
    return knowledge_gap_from(
        study=study, management=management, managers=managers, customers=customers, customer_count=customer_count
    )


# The whole report ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServqualReport:
    survey: Survey
    start: date
    end: date
    overall: ServqualResult
    segmentations: list[Segmentation]
    knowledge_gap: KnowledgeGap


def servqual_report(
    *, actor, survey: Survey, start: date, end: date, study: Survey | None = None, segments: bool = True
) -> ServqualReport:
    """Everything the SERVQUAL page, its export and the API show for a survey and period: the overall
    scores, each segmentation (plan tier, site, corporate or individual) and gap 1 against `study`."""
    responses = servqual_responses_for(actor, survey=survey, start=start, end=end)
    overall_means = answer_means(responses).get(None)
    count = responses.count()
    management, managers = None, 0
    if study is not None:
        answered = servqual_responses_for(actor, survey=study)
        management, managers = answer_means(answered).get(None), answered.count()
    return ServqualReport(
        survey=survey,
        start=start,
        end=end,
        overall=servqual_result(overall_means, count),
        segmentations=[segmentation(responses, name) for name in SEGMENTATIONS] if segments else [],
        knowledge_gap=knowledge_gap_from(
            study=study, management=management, managers=managers, customers=overall_means, customer_count=count
        ),
    )


def management_answers(*, study: Survey, respondent) -> Response | None:
    """The manager's own response to the study, its answers and their questions loaded."""
    return Response.objects.filter(survey=study, respondent=respondent).prefetch_related("answers__question").first()
