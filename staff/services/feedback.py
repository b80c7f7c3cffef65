"""Writes for upward feedback: giving it (once per person, subject and cycle; anonymous by default, and
then stored without naming anybody and not audited) and exporting the board's summary of a closed
cycle (audited). The summary's anonymity threshold is in staff.rules.feedback."""

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from contactcentre.exceptions import Conflict, DomainError, validation_fields
from contactcentre.models import AuditAction
from contactcentre.services import audit_record

from ..models import AppraisalCycle, FeedbackSubject, UpwardFeedback, User
from ..selectors.appraisal import SUMMARY_WAITS
from .appraisal import field_error, rating_error


def respondent_key(*, cycle_id: int, subject: str, person_id: int) -> str:
    """A keyed hash saying "this person answered this subject in this cycle" without naming them:
    it keeps one answer each, and cannot be turned back into a person without the secret key."""
    message = f"upward-feedback:{cycle_id}:{subject}:{person_id}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def upward_feedback_give(
    *,
    actor: User,
    cycle: AppraisalCycle,
    subject: str,
    rating: int,
    went_well: str = "",
    to_improve: str = "",
    anonymous: bool = True,
) -> UpwardFeedback:
    """Feedback on the actor's team leader (their team's leader) or on the organisation, once per
    subject and cycle. Anonymous answers store no respondent, their time only to the day, and leave
    no audit row (see docs/people/appraisal.md); an answer given by name is audited by name."""
    if subject not in FeedbackSubject.values:
        raise field_error("subject", gettext("Choose what the feedback is about."))
    if error := rating_error("rating", rating):
        raise error
    if not cycle.is_open:
        raise field_error("cycle", gettext("This cycle is closed to feedback."))
    team = actor.team
    manager = None
    if subject == FeedbackSubject.MANAGER:
        manager = team.leader if team is not None else None
        if manager is None:
            raise field_error("subject", gettext("You have no team leader to give feedback on."))
        if manager.pk == actor.pk:
            raise field_error("subject", gettext("You lead your own team: give feedback on the organisation instead."))
    feedback = UpwardFeedback(
        cycle=cycle,
        subject=subject,
        manager=manager,
        team=team,
        respondent=None if anonymous else actor,
        respondent_key=respondent_key(cycle_id=cycle.pk, subject=subject, person_id=actor.pk),
        anonymous=anonymous,
        rating=rating,
        went_well=went_well.strip(),
        to_improve=to_improve.strip(),
    )
    if anonymous:
        # The time of an anonymous answer is kept to the day, so it cannot be matched to a log-in.
        feedback.submitted_at = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    try:
        feedback.full_clean(exclude=["cycle", "manager", "team", "respondent", "respondent_key"])
    except ValidationError as error:
        raise DomainError(gettext("The feedback could not be saved."), fields=validation_fields(error)) from None
    already = gettext("You have already given feedback on this in %(cycle)s: one answer each.") % {"cycle": cycle}
    try:
        with transaction.atomic():
            # Checked again under the cycle's lock: an answer never lands after cycle_close.
            if not AppraisalCycle.objects.select_for_update().filter(pk=cycle.pk, is_open=True).exists():
                raise field_error("cycle", gettext("This cycle is closed to feedback."))
            if UpwardFeedback.objects.filter(
                cycle=cycle, subject=subject, respondent_key=feedback.respondent_key
            ).exists():
                raise Conflict(already)
            feedback.save()
            if not anonymous:
                audit_record(actor=actor, action=AuditAction.CREATE, obj=feedback, summary="Upward feedback (named)")
            # An anonymous answer leaves no audit row: even one naming nobody has an exact time and
            # an id in the answers' order, and with the log-in trail would point at its writer.
    except IntegrityError:  # two answers at once: the unique constraint decided
        raise Conflict(already) from None
    return feedback


def feedback_summary_exported(*, actor: User, cycle: AppraisalCycle, ip_address: str | None = None) -> None:
    """Audit an export of the summary; refused (Conflict) while the cycle is open."""
    if cycle.is_open:
        raise Conflict(str(SUMMARY_WAITS))
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=cycle,
        summary=f"Upward feedback summary of {cycle.name}",
        ip_address=ip_address,
    )
