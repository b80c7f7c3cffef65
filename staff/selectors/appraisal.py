"""Reads of appraisals and upward feedback: who may see which appraisal (the appraisee, the appraiser,
and those who may see the appraisee under staff.selectors.employees and hold staff.view_appraisal;
nobody else), the lists, one appraisal with everything its page shows, and the board's feedback
summary of a closed cycle with the anonymity threshold of staff.rules.feedback applied."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy

from contactcentre.exceptions import Conflict

from ..models import (
    ActionItem,
    Appraisal,
    AppraisalCycle,
    Competency,
    CompetencyRating,
    FeedbackSubject,
    PersonSpecItem,
    Site,
    Team,
    UpwardFeedback,
    User,
)
from ..rules import appraisal as rules
from ..rules import feedback as feedback_rules
from .employees import people_visible_to

VIEW_PERMISSION = "staff.view_appraisal"


def appraisals_visible_to(actor: User) -> QuerySet[Appraisal]:
    visible = Q(appraisee=actor) | Q(appraiser=actor)
    if actor.has_perm(VIEW_PERMISSION):
        visible |= Q(appraisee__in=people_visible_to(actor).values("pk"))
    return Appraisal.objects.filter(visible)


def appraisal_get_for(actor: User, appraisal_id: int) -> Appraisal:
    """The appraisal `actor` may see, with its cycle and both people; 404 otherwise (also when it
    exists: a refusal would tell that it does)."""
    try:
        return (
            appraisals_visible_to(actor)
            .select_related("cycle", "appraisee__team__site", "appraisee__employee__job_role", "appraiser")
            .get(pk=appraisal_id)
        )
    except (Appraisal.DoesNotExist, ValueError):
        raise Http404 from None


def appraisal_list(
    *, actor: User, cycle_id: int | None = None, status: str = "", search: str = "", appraisee_id: int | None = None
) -> QuerySet[Appraisal]:
    appraisals = appraisals_visible_to(actor).select_related("cycle", "appraisee__team", "appraiser")
    if cycle_id:
        appraisals = appraisals.filter(cycle_id=cycle_id)
    if status:
        appraisals = appraisals.filter(status=status)
    if appraisee_id:
        appraisals = appraisals.filter(appraisee_id=appraisee_id)
    search = search.strip()
    if search:
        appraisals = appraisals.filter(Q(appraisee__full_name__icontains=search) | Q(appraisee__email__iexact=search))
    return appraisals.annotate(open_actions=Count("actions", filter=Q(actions__done_at__isnull=True))).order_by(
        "-cycle__starts_on", "appraisee__full_name", "pk"
    )


def cycle_list() -> QuerySet[AppraisalCycle]:
    return AppraisalCycle.objects.annotate(
        appraisal_count=Count("appraisals", distinct=True), feedback_count=Count("feedback", distinct=True)
    )


def open_cycles() -> QuerySet[AppraisalCycle]:
    return AppraisalCycle.objects.filter(is_open=True)


def appraisees_for(actor: User) -> QuerySet[User]:
    """Whom `actor` may open an appraisal for: the people they may see, themselves aside (HR: anyone)."""
    return people_visible_to(actor).exclude(pk=actor.pk).filter(is_active=True).select_related("team")


def appraisers() -> QuerySet[User]:
    """Who may appraise (HR names one): active team leaders and managers."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__permissions__codename="change_appraisal") | Q(user_permissions__codename="change_appraisal"))
        .distinct()
        .order_by("full_name")
    )


def required_competencies(appraisee_id: int) -> QuerySet[Competency]:
    """The competencies of the appraisee's job's person specification (none without an employment record)."""
    ids = PersonSpecItem.objects.filter(job_role__employees__user_id=appraisee_id).values("competency_id")
    return Competency.objects.filter(pk__in=ids).order_by("name")


def appraisal_facts(appraisal: Appraisal, *, required_ids=None, rated_ids=None) -> rules.AppraisalFacts:
    """The facts staff.rules.appraisal decides on, read from the appraisal (two queries unless given)."""
    if required_ids is None:
        required_ids = required_competencies(appraisal.appraisee_id).values_list("pk", flat=True)
    if rated_ids is None:
        rated_ids = CompetencyRating.objects.filter(appraisal=appraisal).values_list("competency_id", flat=True)
    return rules.AppraisalFacts(
        self_assessed=appraisal.status != rules.AppraisalStatus.DRAFT,
        required_competencies=frozenset(required_ids),
        rated_competencies=frozenset(rated_ids),
        strengths=appraisal.strengths,
        weaknesses=appraisal.weaknesses,
        overall_rating=appraisal.overall_rating,
        appraisee_signed=appraisal.appraisee_signed_at is not None,
        appraiser_signed=appraisal.appraiser_signed_at is not None,
    )


def party_of(actor: User, appraisal: Appraisal) -> str | None:
    if actor.pk == appraisal.appraisee_id:
        return rules.APPRAISEE
    if actor.pk == appraisal.appraiser_id:
        return rules.APPRAISER
    return None


@dataclass
class CompetencyLine:
    competency: Competency
    rating: CompetencyRating | None


@dataclass
class AppraisalPage:
    appraisal: Appraisal
    objectives: list
    lines: list[CompetencyLine]
    extra_ratings: list[CompetencyRating]
    actions: list[ActionItem]
    training_needs: list
    facts: rules.AppraisalFacts


def appraisal_page(appraisal: Appraisal) -> AppraisalPage:
    """Everything the appraisal's page shows, in a fixed number of queries."""
    ratings = list(CompetencyRating.objects.filter(appraisal=appraisal).select_related("competency"))
    by_competency = {r.competency_id: r for r in ratings}
    required = list(required_competencies(appraisal.appraisee_id))
    required_ids = {c.pk for c in required}
    return AppraisalPage(
        appraisal=appraisal,
        objectives=list(appraisal.objectives.all()),
        lines=[CompetencyLine(c, by_competency.get(c.pk)) for c in required],
        extra_ratings=[r for r in ratings if r.competency_id not in required_ids],
        actions=list(appraisal.actions.select_related("owner")),
        training_needs=list(appraisal.training_needs.select_related("course")),
        facts=appraisal_facts(appraisal, required_ids=required_ids, rated_ids=by_competency),
    )


# --- Upward feedback ------------------------------------------------------------------------------
@dataclass
class SubjectSummary:
    subject: str
    label: str
    root: feedback_rules.Group
    names: dict  # (level, key) -> display name


# While a cycle is open, answers keep arriving: a reader comparing the summary before and after one
# more answer would learn that answer (its rating, its comment). So the summary waits for the close.
SUMMARY_WAITS = gettext_lazy(
    "Results appear when the cycle closes, so that no answer can be told apart by when it arrived."
)


def summary_cycle(cycle: AppraisalCycle | None = None) -> AppraisalCycle | None:
    """The cycle whose summary to show: the one asked for, else the latest closed one, else the latest."""
    if cycle is not None:
        return cycle
    return AppraisalCycle.objects.filter(is_open=False).first() or AppraisalCycle.objects.first()


def feedback_summary(cycle: AppraisalCycle) -> list[SubjectSummary]:
    """Per subject, the organisation -> site -> manager (or team) tree with the threshold applied.
    Reads the answers' ratings, comments and groups only: never who gave them. Only for a closed
    cycle (Conflict while it is open: SUMMARY_WAITS)."""
    if cycle.is_open:
        raise Conflict(str(SUMMARY_WAITS))
    rows = list(
        UpwardFeedback.objects.filter(cycle=cycle)
        .order_by("pk")
        .values(
            "subject", "manager_id", "manager__site_id", "team_id", "team__site_id", "rating", "went_well", "to_improve"
        )
    )
    site_names = {s.pk: s for s in Site.objects.all()}
    team_names = {t.pk: t for t in Team.objects.filter(pk__in={r["team_id"] for r in rows if r["team_id"]})}
    manager_names = {u.pk: u for u in User.objects.filter(pk__in={r["manager_id"] for r in rows if r["manager_id"]})}
    summaries = []
    for subject, label in FeedbackSubject.choices:
        responses = []
        for row in rows:
            if row["subject"] != subject:
                continue
            site = row["team__site_id"] or row["manager__site_id"]
            leaf = row["manager_id"] if subject == FeedbackSubject.MANAGER else row["team_id"]
            responses.append(
                feedback_rules.Response(
                    site=site, leaf=leaf, rating=row["rating"], comments=(row["went_well"], row["to_improve"])
                )
            )
        names = {("site", k): v for k, v in site_names.items()}
        names |= {
            ("leaf", k): v for k, v in (manager_names if subject == FeedbackSubject.MANAGER else team_names).items()
        }
        summaries.append(SubjectSummary(subject, label, feedback_rules.summarise(responses), names))
    return summaries


def feedback_given(*, cycle: AppraisalCycle, respondent_key_for) -> set[str]:
    """The subjects this person has already answered in `cycle` (by their keyed hash only)."""
    keys = {subject: respondent_key_for(subject) for subject in FeedbackSubject.values}
    given = UpwardFeedback.objects.filter(cycle=cycle, respondent_key__in=keys.values()).values_list(
        "subject", "respondent_key"
    )
    return {subject for subject, key in given if keys.get(subject) == key}
