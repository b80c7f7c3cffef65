"""Performance management: the KPI rollups, service standards, the roster, scheduled reports."""

from .reports import ReportKind, ReportRun, ReportSchedule, RunStatus
from .rollups import AgentDailyRollup, AgentStateDaily, DailyRollup, IntervalRollup, RollupMark
from .standards import Metric, ServiceStandard
from .workforce import RosterShift

__all__ = [
    "AgentDailyRollup",
    "AgentStateDaily",
    "DailyRollup",
    "IntervalRollup",
    "Metric",
    "ReportKind",
    "ReportRun",
    "ReportSchedule",
    "RollupMark",
    "RosterShift",
    "RunStatus",
    "ServiceStandard",
]
