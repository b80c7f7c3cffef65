"""The dashboard's league tables: teams and agents side by side for a period, from the agent
rollups (calls each handled; the team and site are the agent's on the day a row was built), their
state days (occupancy, utilisation) and their quality evaluations (mean score and pass rate,
calibration scorings left out). Four queries a table, whatever the number of days or agents.

Plan tier and corporate scopes do not narrow a league (the agent rollups are not split by tier)."""

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q, Sum

from staff.models import Team, User
from staff.selectors.quality import agent_evaluations

from ..models import AgentDailyRollup, AgentStateDaily
from ..rules import kpis as rules
from ..rules.kpis import Measures, StateMeasures
from .kpis import Period, Scope, rollup_rows

# Sort keys offered in the tables' headers: key -> how to read it off a row.
SORTS = {
    "name": lambda row: row.name.casefold(),
    "answered": lambda row: row.measures.answered,
    "handled": lambda row: row.measures.handled,
    "aht": lambda row: row.aht_seconds,
    "asa": lambda row: row.asa_seconds,
    "fcr": lambda row: row.fcr,
    "agent_fcr": lambda row: row.agent_fcr,
    "transfer_rate": lambda row: row.transfer_rate,
    "occupancy": lambda row: row.occupancy,
    "utilisation": lambda row: row.utilisation,
    "quality": lambda row: row.quality,
    "pass_rate": lambda row: row.pass_rate,
}
DEFAULT_SORT = "-handled"


@dataclass
class LeagueRow:
    key: int | None
    name: str
    subject: User | Team | None
    measures: Measures = field(default_factory=Measures)
    states: StateMeasures = field(default_factory=StateMeasures)
    quality: float | None = None
    evaluations: int = 0
    passed: int = 0

    @property
    def aht_seconds(self) -> float | None:
        return rules.aht_seconds(self.measures)

    @property
    def asa_seconds(self) -> float | None:
        return rules.asa_seconds(self.measures)

    @property
    def fcr(self) -> float | None:
        return rules.fcr(self.measures)

    @property
    def agent_fcr(self) -> float | None:
        return rules.agent_fcr(self.measures)

    @property
    def transfer_rate(self) -> float | None:
        return rules.transfer_rate(self.measures)

    @property
    def occupancy(self) -> float | None:
        return rules.occupancy(self.states)

    @property
    def utilisation(self) -> float | None:
        return rules.utilisation(self.states)

    @property
    def pass_rate(self) -> float | None:
        return None if not self.evaluations else 100.0 * self.passed / self.evaluations


def sort_key(sort: str) -> str:
    """A valid sort ("-" first for descending), the default for anything else."""
    return sort if sort.lstrip("-") in SORTS else DEFAULT_SORT


def _sorted(rows: list[LeagueRow], sort: str) -> list[LeagueRow]:
    """By the chosen column, rows without a figure last either way, then by name."""
    sort = sort_key(sort)
    read, descending = SORTS[sort.lstrip("-")], sort.startswith("-")
    rows = sorted(rows, key=lambda row: row.name.casefold())
    present = sorted((r for r in rows if read(r) is not None), key=read, reverse=descending)
    return present + [r for r in rows if read(r) is None]


def _state_rows(period: Period, scope: Scope):
    qs = AgentStateDaily.objects.filter(day__gte=period.first, day__lte=period.last)
    for name in ("site_id", "team_id", "agent_id"):
        if getattr(scope, name) is not None:
            qs = qs.filter(**{name: getattr(scope, name)})
    return qs


def _evaluations(period: Period, scope: Scope):
    start, end = period.bounds()
    qs = agent_evaluations().filter(evaluated_at__gte=start, evaluated_at__lt=end)
    if scope.site_id is not None:
        qs = qs.filter(agent__site_id=scope.site_id)
    if scope.team_id is not None:
        qs = qs.filter(agent__team_id=scope.team_id)
    if scope.agent_id is not None:
        qs = qs.filter(agent_id=scope.agent_id)
    return qs


_QUALITY = {"quality": Avg("score"), "evaluations": Count("pk"), "passed": Count("pk", filter=Q(passed=True))}
_STATES = list(StateMeasures.__dataclass_fields__)


def _league(period: Period, scope: Scope, group: str, quality_group: str) -> dict[int | None, LeagueRow]:
    contacts = rollup_rows(AgentDailyRollup.objects.all(), period, scope, people=True)
    rows: dict[int | None, LeagueRow] = {}

    def row(key: int | None) -> LeagueRow:
        return rows.setdefault(key, LeagueRow(key=key, name="", subject=None))

    for sums in contacts.values(group).annotate(**{n: Sum(n) for n in Measures.names()}).order_by():
        row(sums[group]).measures = Measures.of(sums)
    for sums in _state_rows(period, scope).values(group).annotate(**{n: Sum(n) for n in _STATES}).order_by():
        row(sums[group]).states = StateMeasures.of(sums)
    for sums in _evaluations(period, scope).values(quality_group).annotate(**_QUALITY).order_by():
        target = row(sums[quality_group])
        target.quality = float(sums["quality"]) if sums["quality"] is not None else None
        target.evaluations, target.passed = sums["evaluations"], sums["passed"]
    return rows


def agent_league(period: Period, scope: Scope, *, sort: str = DEFAULT_SORT) -> list[LeagueRow]:
    """Each agent with calls, state time or evaluations in the period and scope."""
    rows = _league(period, scope, "agent_id", "agent_id")
    people = User.objects.select_related("team").in_bulk([key for key in rows if key is not None])
    for key, row in rows.items():
        row.subject = people.get(key)
        row.name = row.subject.full_name if row.subject else ""
    return _sorted([row for row in rows.values() if row.subject is not None], sort)


def team_league(period: Period, scope: Scope, *, sort: str = DEFAULT_SORT) -> list[LeagueRow]:
    """Each team with calls, state time or evaluations in the period and scope ("no team": people in none)."""
    rows = _league(period, scope, "team_id", "agent__team_id")
    teams = Team.objects.select_related("site").in_bulk([key for key in rows if key is not None])
    for key, row in rows.items():
        row.subject = teams.get(key)
        row.name = row.subject.name if row.subject else ""
    return _sorted(list(rows.values()), sort)
