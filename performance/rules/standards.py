"""Service standards as pure rules: red/amber/green against a standard, the recognised benchmarks
per metric, and how challenging a target is against them (gap 2: "clear, challenging and realistic
targets"; the case study asks to benchmark against the best contact centres of any industry).

No database here: figures come in as numbers (floats, Decimals or ints), metrics as
`models.Metric` values (plain strings work too)."""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from ..models.standards import LOWER_IS_BETTER, Metric

Number = float | int | Decimal


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


def lower_is_better(metric: str) -> bool:
    return metric in LOWER_IS_BETTER


def at_least_as_good(metric: str, value: Number, than: Number) -> bool:
    """Whether `value` meets `than` for this metric (less is better or more is)."""
    if lower_is_better(metric):
        return float(value) <= float(than)
    return float(value) >= float(than)


def rag(metric: str, value: Number | None, target: Number | None, warning: Number | None) -> str | None:
    """ "green" when the figure meets the target (a figure exactly on it meets it), "amber" when it
    misses the target but meets the warning threshold, "red" beyond; None when there is no figure
    or no target. Honours LOWER_IS_BETTER. A missing warning means no amber band."""
    if value is None or target is None:
        return None
    if at_least_as_good(metric, value, target):
        return Rag.GREEN.value
    if warning is not None and at_least_as_good(metric, value, warning):
        return Rag.AMBER.value
    return Rag.RED.value


@dataclass(frozen=True)
class Benchmark:
    """A recognised figure for a metric: `common` is the level most often quoted as the industry's
    norm, `best` what the best contact centres of any industry reach; `source` says where the
    figure comes from in words a manager can check, and `note` any caution."""

    metric: str
    common: Decimal
    best: Decimal
    source: str
    note: str = ""


def _b(metric: str, common: str, best: str, source: str, note: str = "") -> Benchmark:
    return Benchmark(metric, Decimal(common), Decimal(best), source, note)


# The recognised figures. `common` is what the standards seed with (migration 0002). Metrics with
# no recognised figure (AHT depends on the work; complaints per 1,000 contacts on the product mix;
# utilisation on the roster) have none, and no challenge rating.
BENCHMARKS: dict[str, Benchmark] = {
    b.metric: b
    for b in [
        _b(
            Metric.SERVICE_LEVEL,
            "80",
            "90",
            # xgettext:no-python-format
            _("The 80/20 rule: 80% of calls answered within 20 seconds, the service level most often quoted."),
            # xgettext:no-python-format
            _("Leading service centres in any industry answer 90% within their threshold."),
        ),
        _b(
            Metric.ABANDONMENT_RATE,
            "5",
            "2",
            # xgettext:no-python-format
            _("Abandonment under 5% of offered calls, the figure most often quoted."),
            # xgettext:no-python-format
            _("The best centres lose fewer than 2% of callers."),
        ),
        _b(
            Metric.ASA,
            "30",
            "10",
            _("An average speed of answer of about 30 seconds is commonly quoted as the industry's norm."),
            _("The best centres answer in about 10 seconds on average."),
        ),
        _b(
            Metric.FCR,
            "70",
            "80",
            # xgettext:no-python-format
            _("First-contact resolution of 70-75% is the range most often quoted."),
            # xgettext:no-python-format
            _("80% or more is commonly called world class."),
        ),
        _b(
            Metric.TRANSFER_RATE,
            "10",
            "5",
            # xgettext:no-python-format
            _("Fewer than 10% of handled calls transferred is a common target."),
            _("The best centres transfer fewer than 5%."),
        ),
        _b(
            Metric.OCCUPANCY,
            "80",
            "85",
            # xgettext:no-python-format
            _("Occupancy of 75-85% is the range commonly recommended."),
            # xgettext:no-python-format
            _("Above about 85% for long, agents burn out: a higher target is not better."),
        ),
        _b(
            Metric.CSAT,
            "80",
            "90",
            # xgettext:no-python-format
            _("About 80% of callers satisfied (4 or 5 out of 5) is a common norm."),
            # xgettext:no-python-format
            _("The best service brands in any industry reach 90% or more."),
        ),
        _b(
            Metric.NPS,
            "30",
            "70",
            _("An NPS around 30 is typical for insurers."),
            _("The best-loved brands in any industry score 70 or more."),
        ),
        _b(
            Metric.CES,
            "5",
            "6",
            _("A mean of 5 or more on the 1-7 effort agreement scale is usually read as easy."),
            _("The easiest services score 6 or more."),
        ),
        _b(
            Metric.COMPLAINTS_IN_3_DAYS,
            "60",
            "75",
            _("Firms resolve most complaints by the close of the third business day (FCA DISP 1.5)."),
            _("Resolving three in four that quickly marks an organisation that fixes problems at first contact."),
        ),
        _b(
            Metric.COMPLAINTS_IN_8_WEEKS,
            "100",
            "100",
            _("FCA DISP 1.6.2: every complaint gets a final response within 8 weeks."),
            # xgettext:no-python-format
            _("A regulatory deadline, not a target: anything short of 100% is a breach."),
        ),
        _b(
            Metric.CLAIM_TURNAROUND,
            "5",
            "2",
            _(
                "Claims paid within 5 working days of a complete claim is a common promise in private medical"
                " insurance."
            ),
            _("The fastest insurers pay within 2 working days."),
        ),
        _b(
            Metric.CALLBACKS_ON_TIME,
            "90",
            "98",
            _("Nine in ten promised callbacks made on time is a common norm."),
            _("A callback is a promise: the best keep nearly all of them."),
        ),
        _b(
            Metric.AGENT_FCR,
            "70",
            "80",
            # xgettext:no-python-format
            _("Read beside the system FCR, never instead of it; the same 70-75% range applies."),
        ),
    ]
}


def benchmark_for(metric: str) -> Benchmark | None:
    return BENCHMARKS.get(metric)


class Challenge(StrEnum):
    """How demanding a target is against the benchmarks."""

    BELOW = "below"  # less demanding than the common norm
    COMMON = "common"  # at the common norm
    STRETCHING = "stretching"  # better than the norm, short of the best
    BEST = "best"  # at or beyond the best in any industry


CHALLENGE_LABELS = {
    Challenge.BELOW: _("Below the common norm"),
    Challenge.COMMON: _("At the common norm"),
    Challenge.STRETCHING: _("Stretching"),
    Challenge.BEST: _("Best in any industry"),
}


def challenge(metric: str, target: Number | None) -> str | None:
    """How challenging a target is: at or beyond the best in any industry, better than the common
    norm (stretching), at the norm, or below it. None without a target or a benchmark."""
    bench = BENCHMARKS.get(metric)
    if target is None or bench is None:
        return None
    if at_least_as_good(metric, target, bench.best):
        return Challenge.BEST.value
    if Decimal(str(target)) == bench.common:
        return Challenge.COMMON.value
    if at_least_as_good(metric, target, bench.common):
        return Challenge.STRETCHING.value
    return Challenge.BELOW.value


def challenge_label(value: str | None) -> str:
    return str(CHALLENGE_LABELS[Challenge(value)]) if value else ""


# The range a figure of each kind can take, for validating targets.
PERCENT_METRICS = frozenset(
    {
        Metric.SERVICE_LEVEL,
        Metric.ABANDONMENT_RATE,
        Metric.FCR,
        Metric.AGENT_FCR,
        Metric.TRANSFER_RATE,
        Metric.OCCUPANCY,
        Metric.UTILISATION,
        Metric.CSAT,
        Metric.COMPLAINTS_IN_3_DAYS,
        Metric.COMPLAINTS_IN_8_WEEKS,
        Metric.CALLBACKS_ON_TIME,
    }
)


def value_range(metric: str) -> tuple[Decimal, Decimal | None]:
    """The least and greatest value a figure of this metric can take (None: no upper bound)."""
    if metric in PERCENT_METRICS:
        return Decimal(0), Decimal(100)
    if metric == Metric.NPS:
        return Decimal(-100), Decimal(100)
    if metric == Metric.CES:
        return Decimal(1), Decimal(7)
    return Decimal(0), None


def threshold_errors(metric: str, target: Decimal, warning: Decimal) -> dict[str, list[str]]:
    """Field errors for a target and warning on this metric: each within the metric's range, and
    the warning on the far side of the target (above it where less is better, below otherwise)."""
    errors: dict[str, list[str]] = {}
    low, high = value_range(metric)
    for name, value in (("target", target), ("warning", warning)):
        if value < low or (high is not None and value > high):
            if high is None:
                message = _("Must be %(low)s or more.") % {"low": low}
            else:
                message = _("Must be between %(low)s and %(high)s.") % {"low": low, "high": high}
            errors[name] = [str(message)]
    if "warning" not in errors and "target" not in errors:
        if lower_is_better(metric) and warning < target:
            errors["warning"] = [str(_("Less is better for this measure: the warning must be at or above the target."))]
        if not lower_is_better(metric) and warning > target:
            errors["warning"] = [str(_("More is better for this measure: the warning must be at or below the target."))]
    return errors
