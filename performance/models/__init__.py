"""Performance management: the KPI rollups, service standards, the roster, scheduled reports."""

from .reports import ReportKind, ReportRun, ReportSchedule, RunStatus
from .rollups import (
    AgentDailyRollup,
    AgentIntervalRollup,
    AgentMonthlyRollup,
    AgentStateDaily,
    AgentStateMonthly,
    DailyRollup,
    IntervalRollup,
    MonthlyRollup,
    RollupMark,
)
from .standards import Metric, ServiceStandard
from .workforce import RosterShift

__all__ = [
    "AgentDailyRollup",
    "AgentIntervalRollup",
    "AgentMonthlyRollup",
    "AgentStateDaily",
    "AgentStateMonthly",
    "DailyRollup",
    "IntervalRollup",
    "Metric",
    "MonthlyRollup",
    "ReportKind",
    "ReportRun",
    "ReportSchedule",
    "RollupMark",
    "RosterShift",
    "RunStatus",
    "ServiceStandard",
]
