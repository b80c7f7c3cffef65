"""Appraisal rules with no database: the states an appraisal passes through, what moves it, and who
may do what in each state.

The states, in order (AppraisalStatus):
- draft: objectives agreed, the appraiser may already rate; the appraisee writes their self-assessment.
- self_assessed: the appraisee has submitted their self-assessment (once; it is not edited afterwards).
- reviewed: self-assessed, and the appraiser has rated every competency of the appraisee's job's person
  specification, written strengths and areas to develop and set an overall rating (1-5).
- signed: both have signed. Each signs once (a second signature is refused) and only once the
  appraisal is reviewed: a signature says "I have read this review", so there must be one to read.

The status is worked out from these facts (status_for), so the appraiser may complete the review
before or after the self-assessment. Once anyone has signed, the appraisal's content is fixed: a
signature covers what was signed. The action plan's items may still be ticked off (they are tracked
to done over the year), and training needs may still be raised from it.
"""

from dataclasses import dataclass, field

from ..models.appraisal import RATING_MAX, RATING_MIN, AppraisalStatus

APPRAISEE, APPRAISER = "appraisee", "appraiser"

TRANSITIONS: dict[str, frozenset[str]] = {
    # Straight to reviewed when the appraiser completed the review before the self-assessment came in.
    AppraisalStatus.DRAFT: frozenset({AppraisalStatus.SELF_ASSESSED, AppraisalStatus.REVIEWED}),
    AppraisalStatus.SELF_ASSESSED: frozenset({AppraisalStatus.REVIEWED}),
    # A review made incomplete again (before anyone signed) goes back until it is complete.
    AppraisalStatus.REVIEWED: frozenset({AppraisalStatus.SIGNED, AppraisalStatus.SELF_ASSESSED}),
    AppraisalStatus.SIGNED: frozenset(),
}

# What each party may do: action -> the party allowed.
OBJECTIVES, RATE, REVIEW, SELF_ASSESS, SIGN, ACTION_ADD, ACTION_DONE, TRAINING_NEED = (
    "objectives",
    "rate",
    "review",
    "self_assess",
    "sign",
    "action_add",
    "action_done",
    "training_need",
)
ACTION_PARTIES: dict[str, frozenset[str]] = {
    OBJECTIVES: frozenset({APPRAISER}),
    RATE: frozenset({APPRAISER}),
    REVIEW: frozenset({APPRAISER}),
    SELF_ASSESS: frozenset({APPRAISEE}),
    SIGN: frozenset({APPRAISEE, APPRAISER}),
    ACTION_ADD: frozenset({APPRAISER}),
    ACTION_DONE: frozenset({APPRAISEE, APPRAISER}),
    TRAINING_NEED: frozenset({APPRAISER}),
}
# Changes to what is signed: refused once anyone has signed.
CONTENT_ACTIONS = frozenset({OBJECTIVES, RATE, REVIEW, SELF_ASSESS, ACTION_ADD})

# Reasons for a refusal (the service words them).
NOT_A_PARTY = "not_a_party"
SIGNED_LOCKED = "signed_locked"
ALREADY_SUBMITTED = "already_submitted"
NOT_REVIEWED = "not_reviewed"
ALREADY_SIGNED = "already_signed"

# Parts of a review still missing.
MISSING_RATINGS, MISSING_STRENGTHS, MISSING_WEAKNESSES, MISSING_OVERALL = (
    "ratings",
    "strengths",
    "weaknesses",
    "overall_rating",
)


@dataclass(frozen=True)
class AppraisalFacts:
    self_assessed: bool = False
    required_competencies: frozenset[int] = field(default_factory=frozenset)
    rated_competencies: frozenset[int] = field(default_factory=frozenset)
    strengths: str = ""
    weaknesses: str = ""
    overall_rating: int | None = None
    appraisee_signed: bool = False
    appraiser_signed: bool = False

    @property
    def any_signed(self) -> bool:
        return self.appraisee_signed or self.appraiser_signed


def rating_in_scale(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and RATING_MIN <= value <= RATING_MAX


def review_missing(facts: AppraisalFacts) -> list[str]:
    """What the appraiser still has to do for the review to be complete, in the page's order."""
    missing = []
    if not facts.required_competencies <= facts.rated_competencies:
        missing.append(MISSING_RATINGS)
    if not facts.strengths.strip():
        missing.append(MISSING_STRENGTHS)
    if not facts.weaknesses.strip():
        missing.append(MISSING_WEAKNESSES)
    if not rating_in_scale(facts.overall_rating):
        missing.append(MISSING_OVERALL)
    return missing


def status_for(facts: AppraisalFacts) -> str:
    if facts.appraisee_signed and facts.appraiser_signed:
        return AppraisalStatus.SIGNED
    if facts.self_assessed and not review_missing(facts):
        return AppraisalStatus.REVIEWED
    if facts.self_assessed:
        return AppraisalStatus.SELF_ASSESSED
    return AppraisalStatus.DRAFT


def refusal(facts: AppraisalFacts, action: str, *, party: str | None) -> str | None:
    """Why `party` (APPRAISEE, APPRAISER, or None for anybody else) may not do `action` now, or None."""
    if party not in ACTION_PARTIES[action]:
        return NOT_A_PARTY
    if action in CONTENT_ACTIONS and facts.any_signed:
        return SIGNED_LOCKED
    if action == SELF_ASSESS and facts.self_assessed:
        return ALREADY_SUBMITTED
    if action == SIGN:
        if facts.appraisee_signed if party == APPRAISEE else facts.appraiser_signed:
            return ALREADY_SIGNED
        if not facts.self_assessed or review_missing(facts):
            return NOT_REVIEWED
    return None


def allowed_actions(facts: AppraisalFacts, *, party: str | None) -> list[str]:
    """The actions `party` may take now, in ACTION_PARTIES' order (for the page's buttons)."""
    return [action for action in ACTION_PARTIES if refusal(facts, action, party=party) is None]


def next_statuses(status: str) -> list[str]:
    return sorted(TRANSITIONS.get(status, frozenset()))
