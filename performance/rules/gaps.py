"""The five gaps of the service-quality model as pure rules: what each gap is, the prescriptions
that close it (../shared/domain.md "The organising idea", from the seed
`service-quality-gap-prescriptions.ar.txt`), and how a gap's headline figure reads as a status.

The status thresholds are Tawasul's own reading, written in docs/performance/five-gaps.md: the gap
model gives no figures. "good" means the gap is closed or nearly, "watch" that it is open, "act"
that it is wide; "unknown" that the data to measure it is missing."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

NUMBERS = (1, 2, 3, 4, 5)


class Status(StrEnum):
    GOOD = "good"
    WATCH = "watch"
    ACT = "act"
    UNKNOWN = "unknown"


STATUS_LABELS = {
    Status.GOOD: _("Closed or nearly"),
    Status.WATCH: _("Open: watch it"),
    Status.ACT: _("Wide: act on it"),
    Status.UNKNOWN: _("Not measured yet"),
}
# The red/amber/green colour each status is drawn in, as standards' RAG is.
STATUS_RAG = {Status.GOOD: "green", Status.WATCH: "amber", Status.ACT: "red", Status.UNKNOWN: None}


@dataclass(frozen=True)
class Gap:
    number: int
    name: str
    question: str
    closed_by: str


GAPS: dict[int, Gap] = {
    1: Gap(
        1,
        _("Gap 1, knowledge"),
        _("Do managers know what members expect?"),
        _("Learn what customers expect."),
    ),
    2: Gap(
        2,
        _("Gap 2, standards"),
        _("Do the service standards match what members expect, and are they challenging?"),
        _("Set the right service quality standards."),
    ),
    3: Gap(
        3,
        _("Gap 3, delivery"),
        _("Does performance meet the standards, at every site and in every team?"),
        _("Make sure service performance meets the standards."),
    ),
    4: Gap(
        4,
        _("Gap 4, communication"),
        _("Does delivery match what was promised to each plan tier, at every site?"),
        _("Make sure delivery matches the promises."),
    ),
    5: Gap(
        5,
        _("Gap 5, customer"),
        _("Do members perceive the service they expect?"),
        _("Close gaps 1 to 4: the customer gap is their sum."),
    ),
}

# The prescriptions, in the seed's order (its Arabic wording, put into English; Arabic comes from
# the translation catalogue like every other string).
PRESCRIPTIONS: dict[int, list] = {
    1: [
        _("Understand customers' expectations better through research, complaint analysis, customer panels and the like."),  # noqa: E501
        _("Increase direct contact between managers and customers, so that managers understand them better."),
        _("Improve upward communication from contact staff to management, and reduce the levels between the two."),
        _("Turn information and insight into action."),
    ],
    2: [
        _("Make sure top management shows a continuing commitment to quality as customers define it."),
        _("Have middle managers set customer-oriented service standards, communicate them and reinforce them in their units."),  # noqa: E501
        _("Train managers in the skills they need to lead staff to deliver high-quality service."),
        _("Be open to new ways of doing business that overcome the barriers to high-quality service."),
        _("Standardise repetitive tasks for consistency and reliability: use technology in place of human contact where it helps, and improve work methods."),  # noqa: E501
        _("Set clear service quality goals that are challenging, realistic and designed explicitly to meet customers' expectations."),  # noqa: E501
        _("Make clear to staff which tasks have the greatest effect on quality and should get the highest priority."),
        _("Make sure staff understand and accept the goals and priorities."),
        _("Measure performance and give regular feedback."),
        _("Reward managers and staff for meeting quality goals."),
    ],
    3: [
        _("Clarify staff roles."),
        _("Make sure all staff understand how their jobs contribute to customer satisfaction."),
        _("Match staff to jobs by selecting for the abilities and skills each job needs."),
        _("Give staff the technical training they need to do their tasks well."),
        _("Develop innovative ways of recruiting and retaining the best people, and build their loyalty."),
        _("Support staff with the most suitable and reliable technology and equipment."),
        _("Teach staff about customers' expectations, perceptions and problems."),
        _("Train staff in interpersonal skills, especially for dealing with customers under stress."),
        _("Remove conflict among staff by involving them in setting the standards."),
        _("Train staff in setting priorities and managing their time."),
        _("Measure staff performance and tie pay and recognition to delivering quality service."),
        _("Develop reward systems that are meaningful, timely, simple, accurate and fair."),
        _("Empower managers and staff by pushing decisions down the organisation: let them choose how they reach the goals."),  # noqa: E501
        _("Make sure staff in internal support jobs give good service to the staff who deal with customers."),
        _("Build teamwork, and use team rewards as incentives."),
        _("Treat customers as partial employees: explain their part in the service, and help them play it well."),
    ],
    4: [
        _("Seek the input of operations staff when new advertising is created."),
        _("Develop advertising that shows real employees doing their jobs."),
        _("Let the people who deliver the service preview advertisements before customers see them."),
        _("Have sales staff involve operations staff in face-to-face meetings with customers."),
        _("Develop internal education, motivation and advertising campaigns that link marketing, operations and human resources."),  # noqa: E501
        _("Make sure consistent service standards are delivered across every site."),
        _("Make sure advertising reflects accurately the features of the service that matter most to customers."),
        _("Manage customers' expectations by telling them what is and is not possible, and why."),
        _("Identify and explain the causes of shortcomings in the service that cannot be controlled."),
        _("Offer customers different levels of service at different prices, and explain the differences."),
    ],
    5: [
        _("Close gaps 1 to 4: the customer gap is what they add up to in the member's experience."),
        _("Measure it regularly with SERVQUAL, from a panel of members, and track it over time."),
        _("Act first on the dimension with the widest gap among those members give the most importance to."),
    ],
}  # fmt: skip


# Headline figures read as a status ---------------------------------------------------------------------

# Gap 1: the mean size (either way) of managers' error about members' expectations, on the 1-7 scale.
KNOWLEDGE_GOOD, KNOWLEDGE_WATCH = 0.25, 0.5
# Gap 2: the share (%) of measures with a standard in force.
COVERAGE_GOOD, COVERAGE_WATCH = 80.0, 50.0
# Gap 3 and gap 4: the share (%) of standards met, of promises kept.
MET_GOOD, MET_WATCH = 80.0, 60.0
# Gap 4: the spread between the sites (percentage points) that reads as inconsistent.
SPREAD_WATCH = 10.0
# Gap 5: SERVQUAL's unweighted overall gap (P - E, 1-7 scale; below zero members get less than they expect).
CUSTOMER_GOOD, CUSTOMER_WATCH = -0.25, -0.75


def _higher_is_better(value: float | None, good: float, watch: float) -> Status:
    if value is None:
        return Status.UNKNOWN
    if value >= good:
        return Status.GOOD
    return Status.WATCH if value >= watch else Status.ACT


def knowledge_status(mean_difference: float | None) -> Status:
    """Gap 1: managers' mean error about what members expect (absolute, per dimension)."""
    if mean_difference is None:
        return Status.UNKNOWN
    if mean_difference < KNOWLEDGE_GOOD:
        return Status.GOOD
    return Status.WATCH if mean_difference < KNOWLEDGE_WATCH else Status.ACT


def standards_status(coverage: float | None, below_norm: int) -> Status:
    """Gap 2: the share of measures with a standard; a target below the industry's common norm keeps
    it from reading as closed (standards must be challenging)."""
    status = _higher_is_better(coverage, COVERAGE_GOOD, COVERAGE_WATCH)
    return Status.WATCH if status == Status.GOOD and below_norm else status


def delivery_status(met_share: float | None) -> Status:
    """Gap 3: the share of standards met."""
    return _higher_is_better(met_share, MET_GOOD, MET_WATCH)


def promises_status(kept_share: float | None, spread: float | None) -> Status:
    """Gap 4: the share of promises kept; sites further apart than SPREAD_WATCH points keep it from
    reading as closed (consistent standards across sites)."""
    status = _higher_is_better(kept_share, MET_GOOD, MET_WATCH)
    if status == Status.UNKNOWN and spread is not None:
        return Status.WATCH if spread > SPREAD_WATCH else Status.GOOD
    if status == Status.GOOD and spread is not None and spread > SPREAD_WATCH:
        return Status.WATCH
    return status


def customer_status(unweighted: float | None) -> Status:
    """Gap 5: SERVQUAL's unweighted overall gap."""
    return _higher_is_better(unweighted, CUSTOMER_GOOD, CUSTOMER_WATCH)


# Counting ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RagCounts:
    green: int = 0
    amber: int = 0
    red: int = 0
    no_data: int = 0  # a standard applies but there is no figure to hold against it

    @property
    def measured(self) -> int:
        return self.green + self.amber + self.red

    @property
    def met_share(self) -> float | None:
        """Green over the checks with a figure, as a percentage; None with none."""
        return None if not self.measured else 100.0 * self.green / self.measured

    def __add__(self, other: "RagCounts") -> "RagCounts":
        return RagCounts(
            self.green + other.green, self.amber + other.amber, self.red + other.red, self.no_data + other.no_data
        )


def rag_counts(rags: Iterable[str | None]) -> RagCounts:
    """Counts of "green" / "amber" / "red" / None (no figure) among standards' checks."""
    values = list(rags)
    return RagCounts(values.count("green"), values.count("amber"), values.count("red"), values.count(None))


def share(part: int, whole: int) -> float | None:
    return None if not whole else 100.0 * part / whole


def mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return None if not present else sum(present) / len(present)


def spread(values: Iterable[float | None]) -> float | None:
    """Max - min of the figures present; None with fewer than two."""
    present = [v for v in values if v is not None]
    return None if len(present) < 2 else max(present) - min(present)


# Months --------------------------------------------------------------------------------------------------


def month_end(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def trailing_months(today: date, count: int = 12) -> list[tuple[date, date]]:
    """The `count` calendar months ending with today's, oldest first, as (first day, last day); the
    current month ends today."""
    months: list[tuple[date, date]] = []
    first = today.replace(day=1)
    for _step in range(count):
        months.append((first, min(month_end(first), today)))
        first = (first - timedelta(days=1)).replace(day=1)
    return months[::-1]
