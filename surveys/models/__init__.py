"""The surveys app's data, one module per area."""

from .definitions import Dimension, Question, QuestionKind, Survey, SurveyKind, SurveyVersion
from .invitations import Invitation, InvitationChannel, SamplingDecision, SamplingRule, SkipReason
from .loop import LoopFollowUp, LoopOutcome, LoopStatus, LoopTrigger
from .research import CommentCode, FindingTheme, FocusGroup, Participant, SessionKind, Theme
from .responses import Answer, Response, ResponseSource

__all__ = [
    "Answer", "CommentCode", "Dimension", "FindingTheme", "FocusGroup", "Invitation", "InvitationChannel",
    "LoopFollowUp", "LoopOutcome", "LoopStatus", "LoopTrigger", "Participant", "Question", "QuestionKind",
    "Response", "ResponseSource", "SamplingDecision", "SamplingRule", "SessionKind", "SkipReason", "Survey",
    "SurveyKind", "SurveyVersion", "Theme",
]  # fmt: skip
