"""Quality scorecard arithmetic with no database: an evaluation's score from its answers, and how far
apart evaluators are in a calibration session.

- Each item is scored 0 to its top score (`max_points`) or marked not applicable (None).
- score = sum(weight x points / top score) / sum(weight of the applicable items) x 100, rounded half
  up to one decimal place (a not-applicable item drops out of both sums).
- A critical item scored 0 fails the whole evaluation: the score is 0 and `critical_failed` is set.
  A critical item may not be marked not applicable (it is what every contact must get right).
- passed = no critical fail and score >= the scorecard's pass mark.
- Every item must be answered (points or not applicable), with points within 0..top score, and at
  least one item must be applicable; otherwise the errors are given per item.

Calibration spread, per item (on the item's points) and overall (on the scores): minimum, maximum,
range and the population standard deviation (the evaluators in the room are the whole population).
A spread is "wide" when an item's range is at least half its scale, or the overall range at least
10 percentage points: that is where evaluators read the guidance differently.
"""

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

# The key of errors that concern the whole evaluation rather than one item.
ALL_ITEMS = "__all__"
WIDE_ITEM_SHARE = Fraction(1, 2)
WIDE_OVERALL_RANGE = Decimal(10)


@dataclass(frozen=True)
class Item:
    key: Hashable  # the item's id (or code): answers are looked up by it
    weight: int
    max_points: int
    critical: bool = False


@dataclass(frozen=True)
class Score:
    score: Decimal | None  # None when the answers have errors
    critical_failed: bool = False
    passed: bool = False
    errors: dict = field(default_factory=dict)  # {item key or ALL_ITEMS: message}


def _half_up(value: Fraction, places: int = 1) -> Decimal:
    """`value` rounded half up to `places` decimals, exactly (no binary floating point on the way)."""
    scale = 10**places
    tenths = math.floor(value * scale + Fraction(1, 2))
    return (Decimal(tenths) / scale).quantize(Decimal(1).scaleb(-places))


def answer_errors(items: Sequence[Item], answers: Mapping) -> dict:
    """The problems with `answers` ({item key: points or None for not applicable}), per item."""
    errors: dict = {}
    for item in items:
        if item.key not in answers:
            errors[item.key] = _("Score this item or mark it not applicable.")
            continue
        points = answers[item.key]
        if points is None:
            if item.critical:
                errors[item.key] = _("A critical item applies to every contact: score it.")
        elif isinstance(points, bool) or not isinstance(points, int) or not 0 <= points <= item.max_points:
            errors[item.key] = _("Give a score from 0 to %(top)s.") % {"top": item.max_points}
    if not errors and all(answers[item.key] is None for item in items):
        errors[ALL_ITEMS] = _("At least one item must apply to this contact.")
    return errors


def evaluation_score(items: Sequence[Item], answers: Mapping, *, pass_mark: int) -> Score:
    """The evaluation's score (0-100, one decimal), whether a critical item failed and whether it passed."""
    errors = answer_errors(items, answers)
    if errors:
        return Score(score=None, errors=errors)
    if any(item.critical and answers[item.key] == 0 for item in items):
        return Score(score=Decimal("0.0"), critical_failed=True, passed=False)
    applicable = [item for item in items if answers[item.key] is not None]
    earned = sum(Fraction(item.weight * answers[item.key], item.max_points) for item in applicable)
    possible = sum(item.weight for item in applicable)
    score = _half_up(earned / possible * 100)
    return Score(score=score, critical_failed=False, passed=score >= pass_mark)


@dataclass(frozen=True)
class Spread:
    count: int  # how many values (evaluators who scored it)
    minimum: Decimal | None
    maximum: Decimal | None
    range: Decimal | None
    std_dev: Decimal | None  # population standard deviation, two decimals
    wide: bool = False


def spread(values: Sequence, *, scale: int | None = None) -> Spread:
    """The spread of `values` (None values, not applicable, are left out). With `scale` (an item's top
    score) the spread is wide when its range is at least half the scale; without, when the range is at
    least WIDE_OVERALL_RANGE (scores in percent)."""
    present = [Fraction(str(v)) for v in values if v is not None]
    if not present:
        return Spread(count=0, minimum=None, maximum=None, range=None, std_dev=None)
    low, high = min(present), max(present)
    mean = sum(present) / len(present)
    variance = sum((v - mean) ** 2 for v in present) / len(present)
    std_dev = Decimal(math.sqrt(variance)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    width = high - low
    wide = width >= WIDE_ITEM_SHARE * scale if scale else width >= WIDE_OVERALL_RANGE
    return Spread(
        count=len(present),
        minimum=_half_up(low),
        maximum=_half_up(high),
        range=_half_up(width),
        std_dev=std_dev,
        wide=wide,
    )


def calibration_spread(items: Sequence[Item], sheets: Sequence[Mapping], scores: Sequence) -> tuple[dict, Spread]:
    """Per item ({item key: Spread}) and overall, for the evaluators' answer sheets and their scores."""
    per_item = {item.key: spread([sheet.get(item.key) for sheet in sheets], scale=item.max_points) for item in items}
    return per_item, spread(scores)
