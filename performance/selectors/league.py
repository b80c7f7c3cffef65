"""The dashboard's league tables: teams and agents side by side for a period, from the agent
rollups (calls each handled; the team and site are the agent's on the day a row was built), their
state days (occupancy, utilisation) and their quality evaluations (mean score and pass rate,
calibration scorings left out). Both tables come from one read (`leagues`): a grouped query over
the monthly rollups of the period's whole months and one over the daily rows around them, for calls
and for states, one over the evaluations, and the people and teams named; whatever the number of days.

Plan tier and corporate scopes do not narrow a league (the agent rollups are not split by tier)."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from staff.models import Team, User
from staff.selectors.quality import agent_evaluations

from ..models import AgentDailyRollup, AgentStateDaily
from ..rules import kpis as rules
from ..rules.kpis import Measures, StateMeasures
from .kpis import Period, Scope, parts_grouped, people_filtered, rollup_parts

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
        return rules.share(self.passed, self.evaluations)


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


def _evaluations(period: Period, scope: Scope):
    start, end = period.bounds()
    return people_filtered(
        agent_evaluations().filter(evaluated_at__gte=start, evaluated_at__lt=end), scope, through="agent"
    )


_QUALITY = {
    "score_sum": Sum("score"),
    "scored": Count("score"),
    "evaluations": Count("pk"),
    "passed": Count("pk", filter=Q(passed=True)),
}
_STATES = list(StateMeasures.__dataclass_fields__)


@dataclass
class _Sums:
    """One agent's (in one team) sums; added up per agent and per team."""

    measures: dict = field(default_factory=dict)
    states: dict = field(default_factory=dict)
    quality: dict = field(default_factory=dict)


def _league_sums(period: Period, scope: Scope) -> dict[tuple[int, int | None], _Sums]:
    """The sums per (agent, team) from the monthly and daily rollups (`selectors.kpis.rollup_parts`)
    and the evaluations (the agent's team as now): both tables are read from them."""
    out: dict[tuple[int, int | None], _Sums] = {}
    keys = ["agent_id", "team_id"]
    for key, sums in parts_grouped(rollup_parts(AgentDailyRollup, period, scope), keys, Measures.names()).items():
        out.setdefault(key, _Sums()).measures = sums
    for key, sums in parts_grouped(rollup_parts(AgentStateDaily, period, scope), keys, _STATES).items():
        out.setdefault(key, _Sums()).states = sums
    for sums in _evaluations(period, scope).values("agent_id", "agent__team_id").annotate(**_QUALITY).order_by():
        out.setdefault((sums["agent_id"], sums["agent__team_id"]), _Sums()).quality = sums
    return out


def _rows(sums: dict[tuple[int, int | None], _Sums], by: int) -> dict[int | None, LeagueRow]:
    """League rows keyed by the agent (`by` 0) or the team (1)."""
    added: dict[int | None, _Sums] = {}
    for key, part in sums.items():
        total = added.setdefault(key[by], _Sums())
        pairs = ((total.measures, part.measures), (total.states, part.states), (total.quality, part.quality))
        for mine, theirs in pairs:
            for name, value in theirs.items():
                if name not in ("agent_id", "agent__team_id"):
                    mine[name] = mine.get(name, 0) + (value or 0)
    rows = {}
    for key, total in added.items():
        evaluations, scored = total.quality.get("evaluations", 0), total.quality.get("scored", 0)
        rows[key] = LeagueRow(
            key=key,
            name="",
            subject=None,
            measures=Measures.of(total.measures) if total.measures else Measures(),
            states=StateMeasures.of(total.states) if total.states else StateMeasures(),
            quality=float(total.quality["score_sum"]) / scored if scored else None,
            evaluations=evaluations,
            passed=total.quality.get("passed", 0),
        )
    return rows


def _agents(sums: dict, sort: str) -> list[LeagueRow]:
    rows = _rows(sums, 0)
    people = User.objects.select_related("team").in_bulk([key for key in rows if key is not None])
    for key, row in rows.items():
        row.subject = people.get(key)
        row.name = row.subject.full_name if row.subject else ""
    return _sorted([row for row in rows.values() if row.subject is not None], sort)


def _teams(sums: dict, sort: str) -> list[LeagueRow]:
    rows = _rows(sums, 1)
    teams = Team.objects.select_related("site").in_bulk([key for key in rows if key is not None])
    for key, row in rows.items():
        row.subject = teams.get(key)
        row.name = row.subject.name if row.subject else ""
    return _sorted(list(rows.values()), sort)


def leagues(period: Period, scope: Scope, *, sort: str = DEFAULT_SORT) -> tuple[list[LeagueRow], list[LeagueRow]]:
    """The team and the agent league tables, from one read of the sums."""
    sums = _league_sums(period, scope)
    return _teams(sums, sort), _agents(sums, sort)


def agent_league(period: Period, scope: Scope, *, sort: str = DEFAULT_SORT) -> list[LeagueRow]:
    """Each agent with calls, state time or evaluations in the period and scope."""
    return _agents(_league_sums(period, scope), sort)


def team_league(period: Period, scope: Scope, *, sort: str = DEFAULT_SORT) -> list[LeagueRow]:
    """Each team with calls, state time or evaluations in the period and scope ("no team": people in none)."""
    return _teams(_league_sums(period, scope), sort)
