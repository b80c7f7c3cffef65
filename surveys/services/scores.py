"""Scores an SMS or IVR survey provider posts about a contact: the survey the contact's queue is
asked (selectors/sampling.py), each score put to the question of its kind, stored once per contact."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from calls.models import Contact, ContactState
from contactcentre.exceptions import Conflict, DomainError

from ..models import Invitation, Question, QuestionKind, Response, ResponseSource
from ..selectors.sampling import post_contact_survey_for
from .responses import response_submit

# The provider's field -> the kind of question it answers.
SCORE_FIELDS = {
    "csat": QuestionKind.CSAT,
    "nps": QuestionKind.NPS,
    "ces": QuestionKind.CES,
    "comment": QuestionKind.FREE_TEXT,
}


class MemberOptedOut(Conflict):
    """The member has opted out of surveys: their answers are not kept."""

    code = "opted_out"


def _values(version_id: int, scores: dict) -> tuple[dict, dict[str, str]]:
    """({question code: value}, {question code: provider's field}); each score to the first question
    of its kind. A field error for a score the survey does not ask."""
    by_kind: dict[str, str] = {}
    for question in Question.objects.filter(version_id=version_id).order_by("position"):
        by_kind.setdefault(question.kind, question.code)
    wanted = {name: SCORE_FIELDS[name] for name, value in scores.items() if value not in (None, "")}
    missing = {name: [_("This survey does not ask for this.")] for name, kind in wanted.items() if kind not in by_kind}
    if missing:
        raise DomainError(_("The request has invalid fields."), fields=missing)
    return {by_kind[kind]: scores[name] for name, kind in wanted.items()}, {
        by_kind[kind]: name for name, kind in wanted.items()
    }


@transaction.atomic
def contact_scores_record(*, actor, contact: Contact, scores: dict) -> tuple[Response, bool]:
    """Store the scores a provider asked the member of `contact` (csat, nps, ces, comment): once per
    contact (a repeat returns the stored response, created False). Refused for a contact that has not
    ended or has no identified member (400), and for a member who opted out (409). An invitation sent
    about the same contact is marked answered, so its link says so. Field errors name the provider's
    fields."""
    if contact.customer is None:
        raise DomainError(_("Check the contact."), fields={"contact": [_("This contact has no identified member.")]})
    if contact.state not in (ContactState.CLOSED, ContactState.WRAP_UP):
        raise DomainError(_("Check the contact."), fields={"contact": [_("This contact has not ended yet.")]})
    stored = Response.objects.filter(contact=contact, source=ResponseSource.SMS_IVR, submitted_by=actor).first()
    if stored is not None:
        return stored, False
    if not contact.customer.consent_research:
        raise MemberOptedOut()
    survey = post_contact_survey_for(contact)
    if survey is None:
        raise DomainError(
            _("Check the contact."),
            fields={"contact": [_("No post-contact survey is configured for this contact's queue.")]},
        )
    values, names = _values(survey.current_version_id, scores)
    try:
        response, created = response_submit(
            survey=survey,
            values=values,
            source=ResponseSource.SMS_IVR,
            actor=actor,
            contact=contact,
            language=contact.customer.preferred_language,
            external_id=f"contact-{contact.pk}",
            partial=True,
        )
    except Conflict:
        raise
    except DomainError as error:
        fields = {("non_field_errors" if c == "__all__" else names.get(c, c)): m for c, m in error.fields.items()}
        raise DomainError(error.message, fields=fields) from None
    if created:
        Invitation.objects.filter(contact=contact, answered_at__isnull=True).update(answered_at=timezone.now())
    return response, created
