"""SERVQUAL: the 22 statements, worded for a health insurer's contact centre, and the gap scores
(Parasuraman, Zeithaml and Berry 1988; ../shared/domain.md "Measuring satisfaction")."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

DIMENSIONS = ("tangibles", "reliability", "responsiveness", "assurance", "empathy")
ITEMS_BY_DIMENSION: dict[str, tuple[int, ...]] = {
    "tangibles": (1, 2, 3, 4),
    "reliability": (5, 6, 7, 8, 9),
    "responsiveness": (10, 11, 12, 13),
    "assurance": (14, 15, 16, 17),
    "empathy": (18, 19, 20, 21, 22),
}
DIMENSION_OF = {item: dimension for dimension, items in ITEMS_BY_DIMENSION.items() for item in items}
SCALE = (1, 7)
# What each dimension means to a caller, for the importance allocation.
DESCRIPTIONS = {
    "tangibles": _("the phone line, letters, emails and web pages"),
    "reliability": _("doing what was promised, dependably and accurately"),
    "responsiveness": _("willingness to help and prompt service"),
    "assurance": _("staff's knowledge and courtesy, and their ability to inspire trust and confidence"),
    "empathy": _("caring, individual attention to each member"),
}

# Each statement twice: what an excellent health insurer's contact centre would do (expectation), and
# what this one does (perception). "Tangibles" are what a caller meets: the phone line, letters,
# emails and web pages.
STATEMENTS: dict[int, tuple[str, str]] = {
    1: (_("Excellent health insurers have phone lines that are easy to get through and clear to use."),
        _("This insurer's phone line is easy to get through and clear to use.")),
    2: (_("Excellent health insurers have up-to-date systems, so staff can see your details straight away."),
        _("This insurer's staff can see my details straight away.")),
    3: (_("Staff of excellent health insurers sound professional and speak plainly."),
        _("This insurer's staff sound professional and speak plainly.")),
    4: (_("Letters, emails and web pages from excellent health insurers are clear and easy to understand."),
        _("This insurer's letters, emails and web pages are clear and easy to understand.")),
    5: (_("When excellent health insurers promise to do something by a certain time, they do so."),
        _("When this insurer promises to do something by a certain time, it does so.")),
    6: (_("When a member has a problem, excellent health insurers show a sincere interest in solving it."),
        _("When I have a problem, this insurer shows a sincere interest in solving it.")),
    7: (_("Excellent health insurers get cover decisions and claims right the first time."),
        _("This insurer gets cover decisions and claims right the first time.")),
    8: (_("Excellent health insurers pay bills and call back when they said they would."),
        _("This insurer pays bills and calls back when it said it would.")),
    9: (_("Excellent health insurers keep error-free records of members and their claims."),
        _("This insurer keeps error-free records of me and my claims.")),
    10: (_("Excellent health insurers tell members exactly when things will happen."),
         _("This insurer tells me exactly when things will happen.")),
    11: (_("Staff of excellent health insurers answer calls and requests promptly."),
         _("This insurer's staff answer my calls and requests promptly.")),
    12: (_("Staff of excellent health insurers are always willing to help."),
         _("This insurer's staff are always willing to help me.")),
    13: (_("Staff of excellent health insurers are never too busy to respond to a request."),
         _("This insurer's staff are never too busy to respond to my requests.")),
    14: (_("The behaviour of staff of excellent health insurers instils confidence in members."),
         _("The behaviour of this insurer's staff instils confidence in me.")),
    15: (_("Members of excellent health insurers feel safe discussing their health and their cover."),
         _("I feel safe discussing my health and my cover with this insurer.")),
    16: (_("Staff of excellent health insurers are consistently courteous."),
         _("This insurer's staff are consistently courteous with me.")),
    17: (_("Staff of excellent health insurers have the knowledge to answer members' questions."),
         _("This insurer's staff have the knowledge to answer my questions.")),
    18: (_("Excellent health insurers give members individual attention."),
         _("This insurer gives me individual attention.")),
    19: (_("Excellent health insurers are open at hours convenient to all their members."),
         _("This insurer is open at hours convenient to me.")),
    20: (_("Excellent health insurers have staff who give members personal attention."),
         _("This insurer has staff who give me personal attention.")),
    21: (_("Excellent health insurers have their members' best interests at heart."),
         _("This insurer has my best interests at heart.")),
    22: (_("Staff of excellent health insurers understand the specific needs of their members."),
         _("This insurer's staff understand my specific needs.")),
}  # fmt: skip


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


@dataclass(frozen=True)
class ServqualScores:
    item_gaps: dict[int, float]
    dimension_gaps: dict[str, float]
    unweighted: float
    weighted: float | None  # None without importance points


def servqual_scores(
    expectations: Mapping[int, float], perceptions: Mapping[int, float], points: Mapping[str, float] | None = None
) -> ServqualScores:
    """Item gap = P - E; dimension gap = mean item gap over its items; unweighted = mean of the five
    dimension gaps; weighted = sum of dimension gap x points / 100. Takes one respondent's answers or
    a segment's mean answers per item (and mean points)."""
    item_gaps = {item: perceptions[item] - expectations[item] for item in sorted(DIMENSION_OF)}
    dimension_gaps = {
        dimension: _mean([item_gaps[item] for item in items]) for dimension, items in ITEMS_BY_DIMENSION.items()
    }
    unweighted = _mean(list(dimension_gaps.values()))
    weighted = None
    if points:
        weighted = sum(dimension_gaps[dimension] * points[dimension] / 100 for dimension in DIMENSIONS)
    return ServqualScores(item_gaps, dimension_gaps, unweighted, weighted)


def dimension_means(item_values: Mapping[int, float]) -> dict[str, float]:
    """A dimension's mean of its items' values (e.g. expectations), for the gap 1 comparison."""
    return {dimension: _mean([item_values[item] for item in items]) for dimension, items in ITEMS_BY_DIMENSION.items()}


def knowledge_gap(management: Mapping[str, float], customers: Mapping[str, float]) -> dict[str, float]:
    """Gap 1 per dimension: what managers believe customers expect minus what customers say they
    expect. Positive: managers overestimate; negative: they underestimate."""
    return {dimension: management[dimension] - customers[dimension] for dimension in DIMENSIONS}


def points_errors(points: Mapping[str, int | None]) -> dict[str, str]:
    """Field errors for an importance allocation: whole points from 0 to 100 that add up to 100."""
    errors: dict[str, str] = {}
    for dimension in DIMENSIONS:
        value = points.get(dimension)
        if value is None:
            errors[dimension] = str(_("Give this dimension some points, or 0."))
        elif not 0 <= value <= 100:
            errors[dimension] = str(_("Choose from 0 to 100 points."))
    if not errors and sum(points[d] for d in DIMENSIONS) != 100:
        total = sum(points[d] for d in DIMENSIONS)
        errors["__all__"] = str(_("The points must add up to 100; these add up to %(total)s.") % {"total": total})
    return errors
