"""The staff app's models, a module per area: people (users, sites, teams), jobs (job descriptions and
person specifications), employees, recruitment, training, appraisal (with upward feedback), quality
monitoring and recognition."""

from .appraisal import (
    Achievement,
    ActionItem,
    Appraisal,
    AppraisalCycle,
    AppraisalStatus,
    CompetencyRating,
    FeedbackSubject,
    Objective,
    UpwardFeedback,
)
from .employees import Employee, EmploymentStatus, LeavingReason, Qualification, QualificationKind
from .jobs import Assessment, Competency, CompetencyKind, JobRole, PersonSpecItem
from .people import Language, Site, Team, User, UserManager
from .quality import CalibrationSession, Evaluation, EvaluationAnswer, Scorecard, ScorecardItem
from .recognition import Recognition, RecognitionKind
from .recruitment import (
    Application,
    AssessmentScore,
    InterviewNote,
    Source,
    Stage,
    StageChange,
    Vacancy,
    VacancyStatus,
)
from .training import (
    Course,
    CourseKind,
    Enrolment,
    EnrolmentStatus,
    InductionItem,
    NeedSource,
    NeedStatus,
    TrainingNeed,
    TrainingSession,
)

__all__ = [
    "Achievement",
    "ActionItem",
    "Application",
    "Appraisal",
    "AppraisalCycle",
    "AppraisalStatus",
    "Assessment",
    "AssessmentScore",
    "CalibrationSession",
    "Competency",
    "CompetencyKind",
    "CompetencyRating",
    "Course",
    "CourseKind",
    "Employee",
    "EmploymentStatus",
    "Enrolment",
    "EnrolmentStatus",
    "Evaluation",
    "EvaluationAnswer",
    "FeedbackSubject",
    "InductionItem",
    "InterviewNote",
    "JobRole",
    "Language",
    "LeavingReason",
    "NeedSource",
    "NeedStatus",
    "Objective",
    "PersonSpecItem",
    "Qualification",
    "QualificationKind",
    "Recognition",
    "RecognitionKind",
    "Scorecard",
    "ScorecardItem",
    "Site",
    "Source",
    "Stage",
    "StageChange",
    "Team",
    "TrainingNeed",
    "TrainingSession",
    "UpwardFeedback",
    "User",
    "UserManager",
    "Vacancy",
    "VacancyStatus",
]  # fmt: skip
