"""The calls app's records, one module per area: queues and agents, contacts, telephony events,
follow-ups, complaints and the nurse line's triage."""

from .complaints import Complaint, ComplaintCategory, ComplaintOutcome, ComplaintStatus, Severity
from .contacts import (
    CallerState,
    Contact,
    ContactChannel,
    ContactOutcome,
    ContactState,
    Direction,
    IdvOutcome,
    ReasonCode,
)
from .followups import FollowUp, FollowUpKind, FollowUpStatus
from .nurse import Disposition, NurseTriage
from .queues import AgentState, AgentStateChange, AgentStatus, Queue, ServiceLevelVariant, Skill, StateSource
from .telephony import EventType, PendingFold, TelephonyClient, TelephonyEvent

__all__ = [
    "AgentState",
    "AgentStateChange",
    "AgentStatus",
    "CallerState",
    "Complaint",
    "ComplaintCategory",
    "ComplaintOutcome",
    "ComplaintStatus",
    "Contact",
    "ContactChannel",
    "ContactOutcome",
    "ContactState",
    "Direction",
    "Disposition",
    "EventType",
    "FollowUp",
    "FollowUpKind",
    "FollowUpStatus",
    "IdvOutcome",
    "NurseTriage",
    "PendingFold",
    "Queue",
    "ReasonCode",
    "ServiceLevelVariant",
    "Severity",
    "Skill",
    "StateSource",
    "TelephonyClient",
    "TelephonyEvent",
]
