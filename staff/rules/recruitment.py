"""Recruitment rules with no database: the stage table (which moves an application may make) and the
HR metrics, worked out from plain data.

The pipeline, as the case study runs it:
    applied -> telephone screening -> assessment centre -> centre visit -> offer -> accepted -> hired
    offer -> declined
    any open stage -> rejected or withdrawn (with a reason)
Hired, declined, rejected and withdrawn are final.

Metrics (days are calendar days, averages to one decimal place, shares as percentages to one place):
- applicants per stage: the applications now in each stage;
- reached per stage: the applications that ever reached each stage of the pipeline (the funnel);
- conversion from stage N to stage N+1: of the applications that reached N, the share that reached N+1;
- average time in stage: the mean of the finished stays in it (entered until moved on);
- time to hire: application to offer accepted, averaged over the accepted applications;
- time to fill: vacancy opened to offer accepted (local dates), averaged over the accepted applications;
- offer acceptance rate: accepted / (accepted + declined);
- source of hire: hires counted by where the candidate came from.
"""

import itertools
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings

from calls.rules.complaints import percentage  # the project's one share-as-percentage

from ..models.recruitment import Stage

# The forward path, in order (the board's columns start with it).
PIPELINE: tuple[str, ...] = (
    Stage.APPLIED,
    Stage.TELEPHONE_SCREENING,
    Stage.ASSESSMENT_CENTRE,
    Stage.CENTRE_VISIT,
    Stage.OFFER,
    Stage.ACCEPTED,
    Stage.HIRED,
)
FINAL_STAGES = frozenset({Stage.HIRED, Stage.DECLINED, Stage.REJECTED, Stage.WITHDRAWN})
OPEN_STAGES = frozenset(s for s in Stage.values if s not in FINAL_STAGES)
# Leaving the process early needs a reason (kept with the stage change).
REASON_REQUIRED = frozenset({Stage.REJECTED, Stage.WITHDRAWN})
# Every stage, in the order the board shows its columns and next_stages lists them.
STAGE_ORDER: tuple[str, ...] = (*PIPELINE, Stage.DECLINED, Stage.REJECTED, Stage.WITHDRAWN)

# The moves a single click makes (leaving needs a reason; hiring needs the employee's details).
BUTTON_STAGES = frozenset(s for s in STAGE_ORDER if s not in REASON_REQUIRED and s != Stage.HIRED)

_FORWARD = {PIPELINE[i]: PIPELINE[i + 1] for i in range(len(PIPELINE) - 1)}
TRANSITIONS: dict[str, frozenset[str]] = {
    stage: frozenset(
        {_FORWARD[stage], *REASON_REQUIRED, *((Stage.DECLINED,) if stage == Stage.OFFER else ())}
        if stage in OPEN_STAGES
        else ()
    )
    for stage in Stage.values
}


def next_stages(stage: str) -> list[str]:
    """The stages an application in `stage` may move to, in board order (none from a final stage)."""
    allowed = TRANSITIONS.get(stage, frozenset())
    return [s for s in STAGE_ORDER if s in allowed]


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def reason_required(target: str) -> bool:
    return target in REASON_REQUIRED


def application_reference(number: int) -> str:
    """APP-000123: the application's number (its primary key, hence unique)."""
    return f"APP-{number:06d}"


def vacancy_reference(number: int, opened_on: date) -> str:
    """V-2026-0042: the year it opened and the vacancy's number."""
    return f"V-{opened_on.year}-{number:04d}"


# --- Metrics ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Move:
    to_stage: str
    at: datetime


@dataclass(frozen=True)
class History:
    """One application as the metrics see it: when it came in, from where, its moves in time order
    (the first move into `applied` may be left out), and the day its vacancy opened."""

    applied_at: datetime
    stage: str
    source: str = ""
    vacancy_opened_on: date | None = None
    moves: tuple[Move, ...] = field(default_factory=tuple)

    def timeline(self) -> list[tuple[str, datetime]]:
        """(stage, entered at), from the application on."""
        steps = [(Stage.APPLIED.value, self.applied_at)]
        steps += [(m.to_stage, m.at) for m in self.moves if m.to_stage != Stage.APPLIED]
        return steps

    def reached(self) -> set[str]:
        return {stage for stage, _at in self.timeline()} | {self.stage}

    def entered(self, stage: str) -> datetime | None:
        return next((at for s, at in self.timeline() if s == stage), None)


ONE_PLACE = Decimal("0.1")
DAY_SECONDS = Decimal(86400)


def mean_days(spans: list[timedelta]) -> Decimal | None:
    if not spans:
        return None
    seconds = sum(Decimal(span.total_seconds()) for span in spans)
    return (seconds / len(spans) / DAY_SECONDS).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def applicants_per_stage(histories: list[History]) -> dict[str, int]:
    """How many applications are now in each stage (every stage listed, zeros too)."""
    counts = Counter(h.stage for h in histories)
    return {stage: counts.get(stage, 0) for stage in STAGE_ORDER}


def reached_per_stage(histories: list[History]) -> dict[str, int]:
    """How many applications reached each stage of the pipeline (the funnel), plus declined."""
    counts: Counter = Counter()
    for history in histories:
        counts.update(history.reached())
    return {stage: counts.get(stage, 0) for stage in (*PIPELINE, Stage.DECLINED)}


@dataclass(frozen=True)
class Conversion:
    from_stage: str
    to_stage: str
    reached_from: int
    reached_to: int
    rate: Decimal | None


def stage_conversion(histories: list[History]) -> list[Conversion]:
    reached = reached_per_stage(histories)
    return [
        Conversion(a, b, reached[a], reached[b], percentage(reached[b], reached[a]))
        for a, b in itertools.pairwise(PIPELINE)
    ]


def time_in_stage(histories: list[History]) -> dict[str, Decimal | None]:
    """Average days in each open stage, over the stays that have ended (a stay still going is left
    out: it would count a candidate waiting today as a short stay)."""
    spans: dict[str, list[timedelta]] = {stage: [] for stage in STAGE_ORDER if stage in OPEN_STAGES}
    for history in histories:
        steps = history.timeline()
        for (stage, entered), (_next, left) in itertools.pairwise(steps):
            if stage in spans:
                spans[stage].append(left - entered)
    return {stage: mean_days(values) for stage, values in spans.items()}


def time_to_hire(histories: list[History]) -> Decimal | None:
    """Average days from the application to the offer being accepted."""
    spans = []
    for history in histories:
        accepted = history.entered(Stage.ACCEPTED)
        if accepted is not None:
            spans.append(accepted - history.applied_at)
    return mean_days(spans)


def time_to_fill(histories: list[History], tz: ZoneInfo | None = None) -> Decimal | None:
    """Average days from the vacancy opening to an offer on it being accepted (the local day)."""
    zone = tz or ZoneInfo(settings.TIME_ZONE)
    spans = []
    for history in histories:
        accepted = history.entered(Stage.ACCEPTED)
        if accepted is not None and history.vacancy_opened_on is not None:
            spans.append(accepted.astimezone(zone).date() - history.vacancy_opened_on)
    return mean_days(spans)


def offer_acceptance_rate(histories: list[History]) -> Decimal | None:
    accepted = sum(1 for h in histories if Stage.ACCEPTED in h.reached())
    declined = sum(1 for h in histories if Stage.DECLINED in h.reached())
    return percentage(accepted, accepted + declined)


def source_of_hire(histories: list[History]) -> dict[str, int]:
    """Hires by source, the most first (ties by source name)."""
    counts = Counter(h.source for h in histories if Stage.HIRED in h.reached())
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


@dataclass(frozen=True)
class Metrics:
    applications: int
    applicants_per_stage: dict[str, int]
    reached_per_stage: dict[str, int]
    conversion: list[Conversion]
    time_in_stage: dict[str, Decimal | None]
    time_to_hire: Decimal | None
    time_to_fill: Decimal | None
    offer_acceptance_rate: Decimal | None
    source_of_hire: dict[str, int]


def metrics(histories: list[History], tz: ZoneInfo | None = None) -> Metrics:
    return Metrics(
        applications=len(histories),
        applicants_per_stage=applicants_per_stage(histories),
        reached_per_stage=reached_per_stage(histories),
        conversion=stage_conversion(histories),
        time_in_stage=time_in_stage(histories),
        time_to_hire=time_to_hire(histories),
        time_to_fill=time_to_fill(histories, tz),
        offer_acceptance_rate=offer_acceptance_rate(histories),
        source_of_hire=source_of_hire(histories),
    )
