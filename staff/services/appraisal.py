"""Writes for appraisals: cycles (HR), opening an appraisal, its objectives, competency ratings,
review, self-assessment, signatures, action plan and training needs. Each change locks the appraisal,
checks staff.rules.appraisal, writes, moves the status when the facts say so, and is audited;
appraisals are personal data, so reading one is audited too (appraisal_record_viewed). Upward
feedback is in staff.services.feedback."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from contactcentre.exceptions import Conflict, DomainError, InvalidTransition, validation_fields
from contactcentre.models import AuditAction
from contactcentre.services import audit_record

from ..models import (
    Achievement,
    ActionItem,
    Appraisal,
    AppraisalCycle,
    AppraisalStatus,
    Competency,
    CompetencyRating,
    Course,
    NeedSource,
    Objective,
    TrainingNeed,
    User,
)
from ..rules import appraisal as rules
from ..selectors import appraisal as selectors
from ..selectors.employees import person_visible
from .training import training_need_raise

CYCLE_PERMISSION = "staff.add_appraisalcycle"
HR_PERMISSION = "staff.manage_people"
APPRAISE_PERMISSION = "staff.change_appraisal"


def _status_label(status: str) -> str:
    """A status as people read it, in their language ("self-assessed", never "self_assessed")."""
    return str(AppraisalStatus(status).label).lower()


def _refusal_message(reason: str, appraisal: Appraisal) -> str:
    return {
        rules.NOT_A_PARTY: gettext("Only the appraisee or the appraiser named on this appraisal may do this."),
        rules.SIGNED_LOCKED: gettext("This appraisal has been signed: what was signed can no longer be changed."),
        rules.ALREADY_SUBMITTED: gettext("The self-assessment has already been submitted."),
        rules.ALREADY_SIGNED: gettext("You have already signed this appraisal: each person signs once."),
        rules.NOT_REVIEWED: gettext(
            "This appraisal is %(status)s: it can be signed once it is reviewed (next: %(next)s)."
        )
        % {
            "status": _status_label(appraisal.status),
            "next": ", ".join(_status_label(s) for s in rules.next_statuses(appraisal.status)),
        },
    }[reason]


def field_error(field: str, message: str) -> DomainError:
    return DomainError(message, fields={field: [message]})


def _lock(appraisal_id: int) -> Appraisal:
    try:
        return Appraisal.objects.select_for_update().get(pk=appraisal_id)
    except Appraisal.DoesNotExist:
        raise DomainError(gettext("This appraisal does not exist.")) from None


def _lock_part(model, pk: int, actor: User, action: str):
    """A part of an appraisal (an objective, an action), once its appraisal is locked and `actor` may
    do `action` to it: (appraisal, part)."""
    appraisal_id = model.objects.filter(pk=pk).values_list("appraisal_id", flat=True).first()
    if appraisal_id is None:
        raise DomainError(gettext("This %(part)s does not exist.") % {"part": model._meta.verbose_name})
    appraisal = _lock(appraisal_id)
    _check(appraisal, actor, action)
    return appraisal, model.objects.get(pk=pk)


def _check(appraisal: Appraisal, actor: User, action: str) -> rules.AppraisalFacts:
    """The facts, once `actor` may do `action` now; PermissionDenied for a non-party, InvalidTransition
    for a refusal in this state."""
    facts = selectors.appraisal_facts(appraisal)
    reason = rules.refusal(facts, action, party=selectors.party_of(actor, appraisal))
    if reason == rules.NOT_A_PARTY:
        raise PermissionDenied(_refusal_message(reason, appraisal))
    if reason is not None:
        raise InvalidTransition(_refusal_message(reason, appraisal))
    return facts


def _settle_status(appraisal: Appraisal, actor: User, *, fields: list[str]) -> None:
    """Save `fields` and the status the facts now give, auditing a change of status."""
    before = appraisal.status
    appraisal.status = rules.status_for(selectors.appraisal_facts(appraisal))
    if appraisal.status != before and appraisal.status not in rules.TRANSITIONS[before]:
        raise InvalidTransition(
            gettext("This appraisal cannot move from %(a)s to %(b)s.")
            % {"a": _status_label(before), "b": _status_label(appraisal.status)}
        )
    appraisal.full_clean(exclude=["cycle", "appraisee", "appraiser"])
    appraisal.save(update_fields=[*fields, "status"])
    if appraisal.status != before:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=appraisal,
            summary=f"Appraisal {appraisal.pk}: {before} -> {appraisal.status}",
            detail={"from": before, "to": appraisal.status},
        )


# --- Cycles and appraisals --------------------------------------------------------------------------
def cycle_create(*, actor: User, name: str, starts_on: date, ends_on: date, is_open: bool = True) -> AppraisalCycle:
    if not actor.has_perm(CYCLE_PERMISSION):
        raise PermissionDenied
    cycle = AppraisalCycle(name=name.strip(), starts_on=starts_on, ends_on=ends_on, is_open=is_open)
    errors: dict[str, list[str]] = {}
    if starts_on and ends_on and ends_on <= starts_on:
        errors["ends_on"] = [gettext("A cycle ends after it starts.")]
    try:
        cycle.full_clean()
    except ValidationError as error:
        errors = {**validation_fields(error), **errors}
    if errors:
        raise DomainError(gettext("The cycle could not be saved."), fields=errors)
    with transaction.atomic():
        cycle.save()
        audit_record(actor=actor, action=AuditAction.CREATE, obj=cycle, summary=f"Appraisal cycle {cycle.name}")
    return cycle


def cycle_close(*, actor: User, cycle_id: int) -> AppraisalCycle:
    """Close a cycle to new upward feedback (its summary can then be read). Under the cycle's row
    lock, which upward_feedback_give also takes, so no answer lands after the close. Closing a closed
    cycle is refused; a cycle is not reopened (answers arriving after a summary was read would be
    told apart by when they came)."""
    if not actor.has_perm("staff.change_appraisalcycle"):
        raise PermissionDenied
    with transaction.atomic():
        cycle = AppraisalCycle.objects.select_for_update().get(pk=cycle_id)
        if not cycle.is_open:
            raise Conflict(gettext("%(cycle)s is already closed.") % {"cycle": cycle.name})
        cycle.is_open = False
        cycle.save(update_fields=["is_open"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=cycle, summary=f"Appraisal cycle {cycle.name} closed")
    return cycle


def appraisal_create(
    *, actor: User, cycle: AppraisalCycle, appraisee: User, appraiser: User | None = None
) -> Appraisal:
    """Open `appraisee`'s appraisal for `cycle`. A team leader or manager appraises the people they
    lead or manage (whom staff.selectors.employees lets them see) and is the appraiser; HR may open
    one for anyone, naming a team leader or manager as the appraiser. One per person per cycle."""
    hr = actor.has_perm(HR_PERMISSION)
    if hr:
        if appraiser is None:
            raise field_error("appraiser", gettext("Name the appraiser."))
    elif not actor.has_perm("staff.add_appraisal"):
        raise PermissionDenied
    else:
        appraiser = actor
        if appraisee.pk == actor.pk or not person_visible(actor, appraisee.pk):
            raise field_error(
                "appraisee",
                gettext("You may appraise only the people in the teams you lead or at the site you manage."),
            )
    if appraiser.pk == appraisee.pk:
        raise field_error("appraiser", gettext("Nobody appraises themselves."))
    if not appraiser.is_active or not appraiser.has_perm(APPRAISE_PERMISSION):
        raise field_error("appraiser", gettext("The appraiser must be an active team leader or manager."))
    if not cycle.is_open:
        raise field_error("cycle", gettext("This cycle is closed."))
    with transaction.atomic():
        AppraisalCycle.objects.select_for_update().get(pk=cycle.pk)
        if Appraisal.objects.filter(cycle=cycle, appraisee=appraisee).exists():
            raise Conflict(
                gettext("%(name)s already has an appraisal in %(cycle)s.")
                % {"name": appraisee.full_name, "cycle": cycle}
            )
        appraisal = Appraisal.objects.create(cycle=cycle, appraisee=appraisee, appraiser=appraiser)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=appraisal,
            summary=f"Appraisal of user {appraisee.pk} in {cycle.name}",
            detail={"appraiser": appraiser.pk},
        )
    return appraisal


def appraisal_record_viewed(*, appraisal: Appraisal, actor: User, ip_address: str | None = None) -> None:
    """An appraisal is personal data: every reading is in the audit trail."""
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        obj=appraisal,
        summary=f"Appraisal of user {appraisal.appraisee_id}",
        ip_address=ip_address,
    )


# --- Objectives ---------------------------------------------------------------------------------
def _objective_fields(title: str, activities: str, measure: str, achievement: str) -> dict:
    if achievement not in ("", *Achievement.values):
        raise field_error("achievement", gettext("Choose how far the objective was achieved."))
    return {
        "title": title.strip(),
        "activities": activities.strip(),
        "measure": measure.strip(),
        "achievement": achievement,
    }


def _save_objective(objective: Objective) -> None:
    try:
        objective.full_clean(exclude=["appraisal"])
    except ValidationError as error:
        raise DomainError(gettext("The objective could not be saved."), fields=validation_fields(error)) from None
    objective.save()


def objective_add(
    *, appraisal_id: int, actor: User, title: str, activities: str, measure: str, achievement: str = ""
) -> Objective:
    with transaction.atomic():
        appraisal = _lock(appraisal_id)
        _check(appraisal, actor, rules.OBJECTIVES)
        objective = Objective(appraisal=appraisal, **_objective_fields(title, activities, measure, achievement))
        _save_objective(objective)
        audit_record(
            actor=actor, action=AuditAction.CREATE, obj=objective, summary=f"Objective on appraisal {appraisal.pk}"
        )
    return objective


def objective_update(
    *, objective_id: int, actor: User, title: str, activities: str, measure: str, achievement: str = ""
) -> Objective:
    with transaction.atomic():
        appraisal, objective = _lock_part(Objective, objective_id, actor, rules.OBJECTIVES)
        for name, value in _objective_fields(title, activities, measure, achievement).items():
            setattr(objective, name, value)
        _save_objective(objective)
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=objective, summary=f"Objective on appraisal {appraisal.pk}"
        )
    return objective


# --- Ratings and review ---------------------------------------------------------------------------
def rating_error(field: str, value) -> DomainError | None:
    if value is None or not rules.rating_in_scale(value):
        return field_error(field, gettext("Give a rating from 1 to 5."))
    return None


def rating_set(
    *, appraisal_id: int, actor: User, competency: Competency, rating: int, comment: str = ""
) -> CompetencyRating:
    """Rate one competency of the appraisee's person specification (1-5); rating it again replaces it."""
    if error := rating_error("rating", rating):
        raise error
    with transaction.atomic():
        appraisal = _lock(appraisal_id)
        _check(appraisal, actor, rules.RATE)
        if not selectors.required_competencies(appraisal.appraisee_id).filter(pk=competency.pk).exists():
            raise field_error(
                "competency", gettext("This competency is not in the person specification of the appraisee's job.")
            )
        line, _created = CompetencyRating.objects.update_or_create(
            appraisal=appraisal, competency=competency, defaults={"rating": rating, "comment": comment.strip()}
        )
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=appraisal,
            summary=f"Appraisal {appraisal.pk}: {competency.code} rated",
            detail={"competency": competency.pk},
        )
        _settle_status(appraisal, actor, fields=[])
    return line


def review_update(
    *, appraisal_id: int, actor: User, strengths: str, weaknesses: str, overall_rating: int | None
) -> Appraisal:
    """The appraiser's review: strengths, areas to develop and the overall rating (1-5, or none yet)."""
    if overall_rating is not None and (error := rating_error("overall_rating", overall_rating)):
        raise error
    with transaction.atomic():
        appraisal = _lock(appraisal_id)
        _check(appraisal, actor, rules.REVIEW)
        appraisal.strengths, appraisal.weaknesses = strengths.strip(), weaknesses.strip()
        appraisal.overall_rating = overall_rating
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=appraisal, summary=f"Appraisal {appraisal.pk}: review")
        _settle_status(appraisal, actor, fields=["strengths", "weaknesses", "overall_rating"])
    return appraisal


def self_assessment_submit(*, appraisal_id: int, actor: User, text: str) -> Appraisal:
    """The appraisee's self-assessment, submitted once: the appraisal becomes self-assessed (or
    reviewed, when the appraiser's review is already complete)."""
    if not text.strip():
        raise field_error("self_assessment", gettext("Write your self-assessment before submitting it."))
    with transaction.atomic():
        appraisal = _lock(appraisal_id)
        _check(appraisal, actor, rules.SELF_ASSESS)
        appraisal.self_assessment = text.strip()
        appraisal.status = AppraisalStatus.SELF_ASSESSED
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=appraisal,
            summary=f"Appraisal {appraisal.pk}: draft -> self_assessed",
            detail={"from": AppraisalStatus.DRAFT, "to": AppraisalStatus.SELF_ASSESSED},
        )
        _settle_status(appraisal, actor, fields=["self_assessment"])
    return appraisal


def appraisal_sign(*, appraisal_id: int, actor: User) -> Appraisal:
    """The appraisee or the appraiser signs the reviewed appraisal, each once; with both signatures
    it is signed, and its content is fixed."""
    with transaction.atomic():
        appraisal = _lock(appraisal_id)
        _check(appraisal, actor, rules.SIGN)
        field = (
            "appraisee_signed_at" if selectors.party_of(actor, appraisal) == rules.APPRAISEE else "appraiser_signed_at"
        )
        setattr(appraisal, field, timezone.now())
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=appraisal,
            summary=f"Appraisal {appraisal.pk}: signed",
            detail={"signature": field},
        )
        _settle_status(appraisal, actor, fields=[field])
    return appraisal


# --- Action plan and training needs ---------------------------------------------------------------
def action_add(*, appraisal_id: int, actor: User, description: str, owner: User, due_on: date) -> ActionItem:
    """An agreed action, owned by the appraisee or the appraiser."""
    with transaction.atomic():
        appraisal = _lock(appraisal_id)
        _check(appraisal, actor, rules.ACTION_ADD)
        if owner.pk not in (appraisal.appraisee_id, appraisal.appraiser_id):
            raise field_error("owner", gettext("An action belongs to the appraisee or the appraiser."))
        item = ActionItem(appraisal=appraisal, description=description.strip(), owner=owner, due_on=due_on)
        try:
            item.full_clean(exclude=["appraisal", "owner"])
        except ValidationError as error:
            raise DomainError(gettext("The action could not be saved."), fields=validation_fields(error)) from None
        item.save()
        audit_record(actor=actor, action=AuditAction.CREATE, obj=item, summary=f"Action on appraisal {appraisal.pk}")
    return item


def action_done(*, action_id: int, actor: User, done: bool = True) -> ActionItem:
    """Tick an action off (with the time) or back on; the plan is tracked after signing too."""
    with transaction.atomic():
        appraisal, item = _lock_part(ActionItem, action_id, actor, rules.ACTION_DONE)
        if (item.done_at is not None) == done:
            return item
        item.done_at = timezone.now() if done else None
        item.save(update_fields=["done_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=item,
            summary=f"Action {'done' if done else 'reopened'} on appraisal {appraisal.pk}",
        )
    return item


def appraisal_training_need_raise(
    *, appraisal_id: int, actor: User, description: str, course: Course | None = None
) -> TrainingNeed:
    """A training need for the appraisee, raised by the appraiser from the appraisal (source "appraisal")."""
    if not description.strip():
        raise field_error("description", gettext("Say what training is needed."))
    with transaction.atomic():
        appraisal = _lock(appraisal_id)
        _check(appraisal, actor, rules.TRAINING_NEED)
        employee = getattr(appraisal.appraisee, "employee", None)
        if employee is None:
            raise DomainError(gettext("The appraisee has no employment record to raise a training need on."))
        # training_need_raise turns its own validation errors into a DomainError.
        return training_need_raise(
            employee=employee,
            description=description,
            source=NeedSource.APPRAISAL,
            actor=actor,
            course=course,
            appraisal=appraisal,
        )
