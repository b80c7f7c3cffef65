"""What earns each kind of recognition, with no database: the figures go in, a verdict comes out.
The same rules are shown to staff in plain words (RULES), so everyone knows what is counted.

- Quality star: an average evaluation score of at least 90 over at least 4 evaluations in the
  period, and no critical fail in any of them.
- First-time fixer: system first-contact resolution (FCR) of at least 80% over at least 50 handled
  contacts of identified members in the period. System FCR (docs: shared/domain.md, "KPIs") = the
  share of those contacts with no further contact from the same member within 7 days; the agent's
  own "resolved at first contact" answer is never used for it.
- Team of the month: the team with the best average quality score in the period, among teams with
  at least 10 evaluations (ties: every team on the best score).
- Customers' favourite: customer satisfaction (CSAT, ../shared/domain.md "Measuring satisfaction":
  the share of post-contact survey answers of 4 or 5 on the 1-5 scale) of at least 90% over at
  least 20 responses about the person's contacts, answered in the period (surveys app).
- Spot award: a leader's judgement, with a reason; no figures.

Evaluations made in calibration sessions are not the agent's results and are not counted.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models.recognition import RecognitionKind

QUALITY_STAR_AVERAGE = Decimal(90)
QUALITY_STAR_MIN_EVALUATIONS = 4
FIXER_FCR = Decimal(80)
FIXER_MIN_CONTACTS = 50
FCR_WINDOW = timedelta(days=7)
TEAM_MIN_EVALUATIONS = 10
FAVOURITE_CSAT = Decimal(90)
FAVOURITE_MIN_RESPONSES = 20


@dataclass(frozen=True)
class Rule:
    kind: str
    label: str
    wording: str  # lazy; filled in with `figures` when read, in the reader's language
    figures: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return str(self.wording) % self.figures if self.figures else str(self.wording)


RULES: list[Rule] = [
    Rule(
        RecognitionKind.QUALITY,
        RecognitionKind.QUALITY.label,
        gettext_lazy(
            "An average quality evaluation score of %(score)s%% or more over at least %(evaluations)s "
            "evaluations in the period, with no critical item failed."
        ),
        figures={"score": QUALITY_STAR_AVERAGE, "evaluations": QUALITY_STAR_MIN_EVALUATIONS},
    ),
    Rule(
        RecognitionKind.RESOLUTION,
        RecognitionKind.RESOLUTION.label,
        gettext_lazy(
            "First-contact resolution of %(fcr)s%% or more over at least %(contacts)s handled contacts in the "
            "period: the member did not need to contact us again within %(days)s days."
        ),
        figures={"fcr": FIXER_FCR, "contacts": FIXER_MIN_CONTACTS, "days": FCR_WINDOW.days},
    ),
    Rule(
        RecognitionKind.TEAM,
        RecognitionKind.TEAM.label,
        gettext_lazy(
            "The team with the best average quality score in the period, with at least %(evaluations)s evaluations."
        ),
        figures={"evaluations": TEAM_MIN_EVALUATIONS},
    ),
    Rule(
        RecognitionKind.SATISFACTION,
        RecognitionKind.SATISFACTION.label,
        gettext_lazy(
            "Customer satisfaction (CSAT) of %(csat)s%% or more over at least %(responses)s post-contact survey "
            "responses about the person's calls in the period: members answering 4 or 5 out of 5."
        ),
        figures={"csat": FAVOURITE_CSAT, "responses": FAVOURITE_MIN_RESPONSES},
    ),
    Rule(
        RecognitionKind.SPOT,
        RecognitionKind.SPOT.label,
        gettext_lazy("Given by a team leader or manager for something that deserves thanks, with the reason."),
    ),
]
RULE_BY_KIND = {rule.kind: rule for rule in RULES}
# Kinds whose figures decide them (the others are judgement).
MEASURED_KINDS = (
    RecognitionKind.QUALITY,
    RecognitionKind.RESOLUTION,
    RecognitionKind.SATISFACTION,
    RecognitionKind.TEAM,
)


# The figures' names, as people read them beside a nomination or an award.
BASIS_LABELS = {
    "evaluations": gettext_lazy("Evaluations"),
    "average": gettext_lazy("Average score (%)"),
    "critical_fails": gettext_lazy("Critical items failed"),
    "handled": gettext_lazy("Handled contacts of identified members"),
    "resolved": gettext_lazy("No further contact within 7 days"),
    "fcr": gettext_lazy("First-contact resolution (%)"),
    "best_average": gettext_lazy("Best team average (%)"),
    "responses": gettext_lazy("Survey responses"),
    "satisfied": gettext_lazy("Satisfied (4 or 5 out of 5)"),
    "csat": gettext_lazy("Customer satisfaction, CSAT (%)"),
}


def figures(basis: dict) -> list[tuple[str, object]]:
    """(label, value) for the figures of `basis` that have a name for people."""
    return [(BASIS_LABELS[key], value) for key, value in basis.items() if key in BASIS_LABELS]


@dataclass(frozen=True)
class Verdict:
    earned: bool
    basis: dict = field(default_factory=dict)  # the figures, JSON-ready (stored with an award)
    shortfall: str = ""  # why not, in plain words


def _one_decimal(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def average(scores: Sequence[Decimal]) -> Decimal | None:
    return _one_decimal(sum(scores, Decimal(0)) / len(scores)) if scores else None


def quality_star(*, scores: Sequence[Decimal], critical_fails: int) -> Verdict:
    """`scores`: the person's evaluation scores in the period; `critical_fails`: how many failed a critical item."""
    mean = average(scores)
    basis = {"evaluations": len(scores), "average": str(mean) if mean is not None else None}
    basis["critical_fails"] = critical_fails
    if len(scores) < QUALITY_STAR_MIN_EVALUATIONS:
        return Verdict(False, basis, _("Fewer than %(n)s evaluations.") % {"n": QUALITY_STAR_MIN_EVALUATIONS})
    if critical_fails:
        return Verdict(False, basis, _("A critical item was failed."))
    # The exact mean decides (89.975 shows as 90.0 but is under 90).
    if sum(scores, Decimal(0)) < QUALITY_STAR_AVERAGE * len(scores):
        return Verdict(False, basis, _("Average below %(mark)s%%.") % {"mark": QUALITY_STAR_AVERAGE})
    return Verdict(True, basis)


def fcr_percentage(*, handled: int, resolved: int) -> Decimal | None:
    return _one_decimal(Decimal(resolved) * 100 / handled) if handled else None


def first_time_fixer(*, handled: int, resolved: int) -> Verdict:
    """`handled`: handled contacts of identified members in the period; `resolved`: those with no
    further contact from the same member within FCR_WINDOW."""
    fcr = fcr_percentage(handled=handled, resolved=resolved)
    basis = {"handled": handled, "resolved": resolved, "fcr": str(fcr) if fcr is not None else None}
    if handled < FIXER_MIN_CONTACTS:
        return Verdict(False, basis, _("Fewer than %(n)s handled contacts.") % {"n": FIXER_MIN_CONTACTS})
    if resolved * 100 < FIXER_FCR * handled:  # exactly, not the rounded percentage
        return Verdict(False, basis, _("First-contact resolution below %(mark)s%%.") % {"mark": FIXER_FCR})
    return Verdict(True, basis)


@dataclass(frozen=True)
class TeamFigures:
    team: object  # the team's id (or the team)
    evaluations: int
    average: Decimal | None


def team_of_the_month(teams: Sequence[TeamFigures]) -> dict:
    """{team: Verdict} for every team given; the best average among teams with enough evaluations earns it."""
    eligible = [t for t in teams if t.evaluations >= TEAM_MIN_EVALUATIONS and t.average is not None]
    best = max((t.average for t in eligible), default=None)
    verdicts = {}
    for figures in teams:
        basis = {
            "evaluations": figures.evaluations,
            "average": str(figures.average) if figures.average is not None else None,
            "best_average": str(best) if best is not None else None,
        }
        if figures.evaluations < TEAM_MIN_EVALUATIONS:
            verdicts[figures.team] = Verdict(
                False, basis, _("Fewer than %(n)s evaluations.") % {"n": TEAM_MIN_EVALUATIONS}
            )
        elif figures.average < best:
            verdicts[figures.team] = Verdict(False, basis, _("Another team has a better average."))
        else:
            verdicts[figures.team] = Verdict(True, basis)
    return verdicts


def customers_favourite(*, responses: int, satisfied: int) -> Verdict:
    """`responses`: post-contact survey responses with a CSAT answer about the person's contacts in
    the period; `satisfied`: those answering 4 or 5."""
    csat = _one_decimal(Decimal(satisfied) * 100 / responses) if responses else None
    basis = {"responses": responses, "satisfied": satisfied, "csat": str(csat) if csat is not None else None}
    if responses < FAVOURITE_MIN_RESPONSES:
        return Verdict(False, basis, _("Fewer than %(n)s survey responses.") % {"n": FAVOURITE_MIN_RESPONSES})
    if satisfied * 100 < FAVOURITE_CSAT * responses:  # exactly, not the rounded percentage
        return Verdict(False, basis, _("Customer satisfaction below %(mark)s%%.") % {"mark": FAVOURITE_CSAT})
    return Verdict(True, basis)
