"""Recording a response, from whichever channel: the survey link, an external survey tool, an SMS or
IVR provider, or a member of staff answering in Tawasul. Every answer is checked against the
version's questions; a link is used once, whatever two browsers try at the same moment."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from calls.models import Contact
from contactcentre.exceptions import DomainError
from contactcentre.models import AuditAction
from contactcentre.services import audit_record

from ..exceptions import AlreadyAnswered, LinkUnusable
from ..models import Answer, Invitation, Question, QuestionKind, Response, ResponseSource, Survey
from ..rules import scores, servqual
from ..selectors.segments import segment_for
from .loop import loop_open

_SCALES = {
    QuestionKind.CSAT: scores.CSAT_SCALE,
    QuestionKind.NPS: scores.NPS_SCALE,
    QuestionKind.CES: scores.CES_SCALE,
    QuestionKind.EXPECTATION: servqual.SCALE,
    QuestionKind.PERCEPTION: servqual.SCALE,
    QuestionKind.IMPORTANCE: (0, 100),
}
_HEADLINES = {QuestionKind.CSAT: "csat", QuestionKind.NPS: "nps", QuestionKind.CES: "ces"}
MAX_COMMENT = 4000


def _whole_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _clean_answer(question: Question, value: Any, *, partial: bool) -> tuple[Answer | None, str | None]:
    """(unsaved answer, or None when left blank; error message, or None)."""
    blank = value is None or value == "" or value == []
    if blank:
        return None, (_("Please answer this question.") if question.required and not partial else None)
    if question.kind in _SCALES:
        low, high = _SCALES[question.kind]
        number = _whole_number(value)
        if number is None or not low <= number <= high:
            return None, _("Choose a score from %(low)s to %(high)s.") % {"low": low, "high": high}
        return Answer(question=question, number=number), None
    allowed = {choice["value"] for choice in question.choices}
    if question.kind == QuestionKind.SINGLE_CHOICE:
        if not isinstance(value, str) or value not in allowed:
            return None, _("Choose one of the options.")
        return Answer(question=question, choices=[value]), None
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        values = [value] if isinstance(value, str) else value
        if (
            not isinstance(values, list)
            or not values
            or not all(isinstance(v, str) for v in values)
            or not set(values) <= allowed
        ):
            return None, _("Choose from the options.")
        order = [choice["value"] for choice in question.choices]  # stored in the question's order
        return Answer(question=question, choices=sorted(set(values), key=order.index)), None
    if not isinstance(value, str):
        return None, _("Write your answer as text.")
    text = value.replace("\x00", "").strip()
    if len(text) > MAX_COMMENT:
        return None, _("Please keep this to %(n)s characters.") % {"n": MAX_COMMENT}
    return (Answer(question=question, text=text), None) if text else (None, None)


def answers_clean(questions: list[Question], values: Mapping[str, Any], *, partial: bool = False) -> list[Answer]:
    """The answers to `questions` from `values` keyed by question code; a DomainError with an error per
    question code for anything out of scale, missing or unknown. `partial` (a text-message or IVR
    survey that asks only some questions) lets required questions go unanswered, but not all of them."""
    errors: dict[str, list[str]] = {}
    answers: list[Answer] = []
    for question in questions:
        answer, error = _clean_answer(question, values.get(question.code), partial=partial)
        if error:
            errors[question.code] = [error]
        elif answer is not None:
            answers.append(answer)
    unknown = set(values) - {question.code for question in questions}
    for code in sorted(unknown):
        errors[code] = [_("This survey has no such question.")]
    points = {q.dimension: a.number for a in answers for q in [a.question] if q.kind == QuestionKind.IMPORTANCE}
    if points and not errors:
        for dimension, message in servqual.points_errors(points).items():
            code = "__all__" if dimension == "__all__" else f"points-{dimension}"
            errors.setdefault(code, []).append(message)
    if not errors and not answers:
        errors["__all__"] = [_("Answer at least one question.")]
    if errors:
        raise DomainError(_("Some answers need another look."), fields=errors)
    return answers


def invitation_for_token(token: str, *, lock: bool = False) -> Invitation:
    """The invitation a link's token stands for, if it can still be answered; else LinkUnusable."""
    from ..rules.tokens import token_hash, token_nonce

    nonce = token_nonce(token)
    if nonce is None:
        raise LinkUnusable("forged")
    queryset = Invitation.objects.select_related("survey", "customer", "contact")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    invitation = queryset.filter(token_hash=token_hash(nonce)).first()
    if invitation is None:
        raise LinkUnusable("forged")
    if invitation.answered_at is not None:
        raise LinkUnusable("used")
    if invitation.expires_at <= timezone.now():
        raise LinkUnusable("expired")
    if not invitation.survey.is_active:
        raise LinkUnusable("closed")
    return invitation


def _survey_hold(survey: Survey) -> None:
    """Hold the survey's row against an edit of its questions until this response is stored (an edit
    rewrites an unanswered version in place). FOR KEY SHARE: responses never wait for each other,
    only for an edit (which takes FOR UPDATE). SQLite, the demo's database, has no row locks."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM surveys_survey WHERE id = %s FOR KEY SHARE", [survey.pk])


@transaction.atomic
def response_submit(
    *,
    survey: Survey,
    values: Mapping[str, Any],
    source: str,
    invitation: Invitation | None = None,
    contact: Contact | None = None,
    customer_id: int | None = None,
    respondent=None,
    actor=None,
    language: str = "en",
    external_id: str = "",
    submitted_at: datetime | None = None,
    partial: bool = False,
) -> tuple[Response, bool]:
    """Store a response to the survey's current version: (response, created). A retry with the same
    external reference returns the stored response (created False); a second response to the same
    invitation or contact is refused. A detractor's or a dissatisfied member's response opens a
    closing-the-loop follow-up for the agent's team leader. `partial`: see answers_clean. `actor`:
    who stored it, for the audit trail (an API client; the respondent when a member of staff answers)."""
    if source not in ResponseSource.values:
        raise DomainError(_("Unknown source."))
    submitted_by = actor or respondent
    if not getattr(submitted_by, "is_authenticated", False):
        submitted_by = None
    if external_id:
        existing = Response.objects.filter(source=source, external_id=external_id, submitted_by=submitted_by).first()
        if existing is not None:
            return existing, False
    if invitation is not None:
        # Lock the invitation: of two submissions at the same moment, the second waits, then finds it used.
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.answered_at is not None:
            raise LinkUnusable("used")
        if invitation.expires_at <= timezone.now():
            raise LinkUnusable("expired")
        contact, customer_id = invitation.contact, invitation.customer_id
    if contact is not None:
        customer_id = customer_id or contact.customer_id
        if Response.objects.filter(contact=contact).exists():
            raise AlreadyAnswered(_("This contact already has a survey response."))
    _survey_hold(survey)
    survey.refresh_from_db(fields=["is_active", "current_version"])
    if not survey.is_active or survey.current_version is None:
        if invitation is not None:
            raise LinkUnusable("closed")
        raise DomainError(_("This survey is closed."), fields={"survey": [_("This survey is closed.")]})
    version = survey.current_version
    questions = list(version.questions.all())
    answers = answers_clean(questions, values, partial=partial)
    now = timezone.now()
    submitted_at = submitted_at or now
    segment = segment_for(contact=contact, customer_id=customer_id, on=timezone.localdate(submitted_at))
    headline = {_HEADLINES[a.question.kind]: a.number for a in reversed(answers) if a.question.kind in _HEADLINES}
    response = Response(
        survey=survey,
        version=version,
        source=source,
        invitation=invitation,
        external_id=external_id,
        contact=contact,
        customer_id=customer_id,
        respondent=respondent,
        submitted_by=submitted_by,
        language=language,
        submitted_at=submitted_at,
        agent_id=segment.agent_id,
        team_id=segment.team_id,
        queue_id=segment.queue_id,
        site_id=segment.site_id,
        plan_tier=segment.plan_tier,
        is_corporate=segment.is_corporate,
        **headline,
    )
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError:
        # A concurrent retry of the same external reference, or a second answer to the contact.
        if external_id:
            existing = Response.objects.filter(
                source=source, external_id=external_id, submitted_by=submitted_by
            ).first()
            if existing is not None:
                return existing, False
        raise AlreadyAnswered(_("This has already been answered.")) from None
    for answer in answers:
        answer.response = response
    Answer.objects.bulk_create(answers)
    if invitation is not None:
        invitation.answered_at = now
        invitation.save(update_fields=["answered_at"])
    loop_open(response=response)
    audit_record(
        actor=submitted_by,
        action=AuditAction.CREATE,
        obj=response,
        summary=f"Survey response ({source})",
        detail={"csat": response.csat, "nps": response.nps, "ces": response.ces},
    )
    return response, True
