"""Writes for quality monitoring and recognition: record an evaluation of a contact (scored by
staff.rules.quality and stored), the agent's acknowledgement, calibration sessions and their
scorings, and recognition awards (checked against staff.rules.recognition). Each is atomic and audited."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from calls.models import Contact
from contactcentre.exceptions import Conflict, DomainError
from contactcentre.models import AuditAction
from contactcentre.services import audit_record

from ..models import (
    CalibrationSession,
    Employee,
    Evaluation,
    EvaluationAnswer,
    NeedSource,
    Recognition,
    RecognitionKind,
    Scorecard,
    Team,
    User,
)
from ..rules import quality as rules
from ..rules import recognition as recognition_rules
from ..selectors import quality as selectors
from ..selectors.employees import person_visible
from .training import training_need_raise

EVALUATE_PERMISSION = "staff.evaluate_quality"
AWARD_PERMISSION = "staff.add_recognition"


def item_field(item_id: int) -> str:
    """The name under which an item's answer and its errors travel (forms, DomainError.fields)."""
    return f"item_{item_id}"


def _handled(contact: Contact) -> bool:
    return Contact.objects.filter(selectors.HANDLED, pk=contact.pk).exists()


def _score(scorecard: Scorecard, answers: dict) -> tuple[list, rules.Score]:
    items = list(scorecard.items.all())
    specs = [rules.Item(item.pk, item.weight, item.max_points, item.critical) for item in items]
    result = rules.evaluation_score(specs, answers, pass_mark=scorecard.pass_mark)
    if result.errors:
        fields = {
            (item_field(key) if key != rules.ALL_ITEMS else "__all__"): [message]
            for key, message in result.errors.items()
        }
        general = result.errors.get(rules.ALL_ITEMS)
        raise DomainError(general or gettext("Some items need a score."), fields=fields)
    return items, result


def _evaluation_write(
    *,
    actor: User,
    contact: Contact,
    scorecard: Scorecard,
    answers: dict,
    comments: str,
    calibration: CalibrationSession | None,
) -> Evaluation:
    """Score `answers` ({item id: points or None}) and store the evaluation with its answers."""
    if contact.agent_id is None:
        raise DomainError(gettext("Nobody handled this contact: there is no agent to evaluate."))
    if contact.agent_id == actor.pk:
        raise DomainError(gettext("You cannot evaluate your own contact."))
    if not scorecard.is_active:
        raise DomainError(gettext("This scorecard is no longer in use."), fields={"scorecard": [gettext("Closed.")]})
    if not _handled(contact):
        raise DomainError(gettext("Only a contact that was handled and has ended can be evaluated."))
    items, result = _score(scorecard, answers)
    evaluation = Evaluation(
        contact=contact,
        agent_id=contact.agent_id,
        evaluator=actor,
        scorecard=scorecard,
        calibration=calibration,
        score=result.score,
        critical_failed=result.critical_failed,
        passed=result.passed,
        comments=comments.strip(),
    )
    evaluation.full_clean(validate_constraints=False)  # the unique constraints are the database's (below)
    try:
        with transaction.atomic():
            evaluation.save()
    except IntegrityError:
        if calibration is not None:
            raise Conflict(gettext("You have already scored this calibration session.")) from None
        raise Conflict(gettext("You have already evaluated this contact.")) from None
    EvaluationAnswer.objects.bulk_create(
        [EvaluationAnswer(evaluation=evaluation, item=item, points=answers[item.pk]) for item in items]
    )
    return evaluation


@transaction.atomic
def evaluation_record(
    *,
    actor: User,
    contact: Contact,
    scorecard: Scorecard,
    answers: dict,
    comments: str = "",
    training_need: str = "",
) -> Evaluation:
    """An evaluator scores a contact of an agent they lead (team leader of the agent's team, manager of
    their site), never their own; once per evaluator and contact. With `training_need`, a training need
    (source: quality review) is raised for the agent from it."""
    if not actor.has_perm(EVALUATE_PERMISSION) or (
        contact.agent_id and contact.agent_id != actor.pk and not person_visible(actor, contact.agent_id)
    ):
        raise PermissionDenied(gettext("You may only evaluate the contacts of the people you lead."))
    if Evaluation.objects.filter(contact=contact, evaluator=actor, calibration__isnull=True).exists():
        raise Conflict(gettext("You have already evaluated this contact."))
    employee = None
    if training_need.strip():
        employee = Employee.objects.filter(user_id=contact.agent_id).first()
        if employee is None:
            raise DomainError(
                gettext("This agent has no employment record, so no training need can be raised."),
                fields={"training_need": [gettext("No employment record for this agent.")]},
            )
    evaluation = _evaluation_write(
        actor=actor, contact=contact, scorecard=scorecard, answers=answers, comments=comments, calibration=None
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=evaluation,
        summary=f"Evaluated contact {contact.pk}: {evaluation.score}%",
        detail={"passed": evaluation.passed, "critical_failed": evaluation.critical_failed},
    )
    if employee is not None:
        training_need_raise(
            employee=employee,
            description=training_need,
            source=NeedSource.QUALITY_REVIEW,
            actor=actor,
            evaluation=evaluation,
        )
    return evaluation


@transaction.atomic
def evaluation_acknowledge(*, actor: User, evaluation: Evaluation, comment: str = "") -> Evaluation:
    """The agent says they have read their evaluation, with an optional comment; once."""
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.agent_id != actor.pk or evaluation.calibration_id is not None:
        raise PermissionDenied(gettext("Only the agent evaluated may acknowledge an evaluation."))
    if evaluation.acknowledged_at is not None:
        raise Conflict(gettext("You have already acknowledged this evaluation."))
    evaluation.acknowledged_at = timezone.now()
    evaluation.agent_comment = comment.strip()
    evaluation.save(update_fields=["acknowledged_at", "agent_comment"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=evaluation, summary="Evaluation acknowledged")
    return evaluation


def evaluation_viewed(*, actor: User, evaluation: Evaluation, ip_address: str | None = None) -> None:
    """Reading someone else's evaluation is reading their personal record: audited."""
    if actor.pk != evaluation.agent_id:
        audit_record(
            actor=actor, action=AuditAction.VIEW, obj=evaluation, summary="Evaluation viewed", ip_address=ip_address
        )


def evaluations_viewed(*, actor: User, person: User, ip_address: str | None = None) -> None:
    """Reading the list of someone else's evaluations: audited."""
    if actor.pk != person.pk:
        audit_record(
            actor=actor, action=AuditAction.VIEW, obj=person, summary="Evaluations viewed", ip_address=ip_address
        )


def quality_overview_viewed(*, actor: User, agent_ids: set[int], filters: dict, ip_address: str | None = None) -> None:
    """The quality home page (the evaluations list, the overview per agent) read: one row naming whose
    results were shown; none when they were only the actor's own."""
    others = sorted(agent_ids - {actor.pk})
    if others:
        audit_record(
            actor=actor,
            action=AuditAction.VIEW,
            object_type="staff.evaluation",
            summary="Quality overview viewed",
            ip_address=ip_address,
            detail={"agents": others, "filters": filters},
        )


def calibration_viewed(*, actor: User, session: CalibrationSession, ip_address: str | None = None) -> None:
    """A calibration session's page (the agent's call, the evaluators' scores and comments) read by
    anyone but the agent: audited."""
    if actor.pk != session.contact.agent_id:
        audit_record(
            actor=actor,
            action=AuditAction.VIEW,
            obj=session,
            summary="Calibration viewed",
            ip_address=ip_address,
            detail={"agent": session.contact.agent_id},
        )


def evaluations_exported(*, actor: User, filters: dict, ip_address: str | None = None) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type="staff.evaluation",
        summary="Evaluations exported",
        ip_address=ip_address,
        detail={"filters": filters},
    )


# Calibration --------------------------------------------------------------------------------------------


@transaction.atomic
def calibration_create(
    *, actor: User, contact: Contact, scorecard: Scorecard, held_on: date | None = None, notes: str = ""
) -> CalibrationSession:
    """A session where several evaluators score the same contact; the facilitator picks a handled contact
    of someone they lead."""
    if not actor.has_perm(EVALUATE_PERMISSION) or not (contact.agent_id and person_visible(actor, contact.agent_id)):
        raise PermissionDenied(gettext("You may only calibrate on the contacts of the people you lead."))
    if not _handled(contact):
        raise DomainError(
            gettext("Only a contact that was handled and has ended can be calibrated."),
            fields={"contact": [gettext("Choose a handled contact.")]},
        )
    if not scorecard.is_active:
        raise DomainError(gettext("This scorecard is no longer in use."), fields={"scorecard": [gettext("Closed.")]})
    session = CalibrationSession(
        contact=contact, scorecard=scorecard, facilitator=actor, held_on=held_on or timezone.localdate()
    )
    session.notes = notes.strip()
    session.full_clean()
    session.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=session, summary=f"Calibration on contact {contact.pk}")
    return session


@transaction.atomic
def calibration_score(*, actor: User, session: CalibrationSession, answers: dict, comments: str = "") -> Evaluation:
    """An evaluator's scoring in a calibration session they may see (selectors.calibrations_visible_to):
    once each; never counted as the agent's result."""
    if not actor.has_perm(EVALUATE_PERMISSION):
        raise PermissionDenied(gettext("Only evaluators take part in calibration."))
    if not selectors.calibrations_visible_to(actor).filter(pk=session.pk).exists():
        raise PermissionDenied(gettext("You may only calibrate on the contacts of the people you lead."))
    if session.evaluations.filter(evaluator=actor).exists():
        raise Conflict(gettext("You have already scored this calibration session."))
    evaluation = _evaluation_write(
        actor=actor,
        contact=session.contact,
        scorecard=session.scorecard,
        answers=answers,
        comments=comments,
        calibration=session,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=evaluation,
        summary=f"Calibration {session.pk} scored: {evaluation.score}%",
    )
    return evaluation


# Recognition --------------------------------------------------------------------------------------------


def _verdict(*, kind: str, recipient: User | None, team: Team | None, start: date, end: date):
    if kind == RecognitionKind.SPOT:
        return recognition_rules.Verdict(True, {})
    if kind == RecognitionKind.TEAM:
        return selectors.team_verdict(team=team, start=start, end=end)
    return selectors.person_verdict(kind=kind, person=recipient, start=start, end=end)


@transaction.atomic
def recognition_award(
    *,
    actor: User,
    kind: str,
    period_start: date,
    period_end: date,
    reason: str,
    recipient: User | None = None,
    team: Team | None = None,
) -> Recognition:
    """Recognise a person (or, for team of the month, a team) for a period. For the kinds decided by
    figures, the rule must be met: the figures are computed here and stored as the award's basis.
    A spot award needs only a reason. Once per kind,
    recipient and period."""
    if not actor.has_perm(AWARD_PERMISSION):
        raise PermissionDenied(gettext("You may not award recognition."))
    if kind not in RecognitionKind.values:
        raise DomainError(gettext("Choose a kind of recognition."), fields={"kind": [gettext("Unknown kind.")]})
    if (kind == RecognitionKind.TEAM) != (team is not None) or (recipient is None) == (team is None):
        raise DomainError(gettext("Team of the month goes to a team; every other kind to a person."))
    if period_end < period_start:
        raise DomainError(
            gettext("The period ends before it starts."), fields={"period_end": [gettext("Before the start.")]}
        )
    if recipient is not None:
        if recipient.pk == actor.pk:
            raise DomainError(gettext("You cannot recognise yourself."))
        if not person_visible(actor, recipient.pk):
            raise PermissionDenied(gettext("You may only recognise the people you lead."))
    if team is not None and not selectors.teams_visible_to(actor).filter(pk=team.pk).exists():
        raise PermissionDenied(gettext("You may only recognise the teams you lead."))
    verdict = _verdict(kind=kind, recipient=recipient, team=team, start=period_start, end=period_end)
    if not verdict.earned:
        raise DomainError(
            gettext("The rule for this recognition is not met: %(why)s") % {"why": verdict.shortfall},
            fields={"kind": [verdict.shortfall]},
        )
    if not reason.strip():
        raise DomainError(gettext("Say why."), fields={"reason": [gettext("Say why.")]})
    once = Recognition.objects.filter(kind=kind, period_start=period_start)
    if once.filter(recipient=recipient, team=team).exists():
        raise Conflict(gettext("This has already been awarded for this period."))
    recognition = Recognition(
        kind=kind,
        recipient=recipient,
        team=team,
        period_start=period_start,
        period_end=period_end,
        reason=reason.strip(),
        basis={**verdict.basis, "period": [period_start.isoformat(), period_end.isoformat()]},
        awarded_by=actor,
    )
    recognition.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            recognition.save()
    except IntegrityError:
        raise Conflict(gettext("This has already been awarded for this period.")) from None
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=recognition,
        summary=f"{recognition.get_kind_display()} awarded",
        detail=recognition.basis,
    )
    return recognition
