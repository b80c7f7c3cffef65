"""Writing survey definitions: the standard surveys, and editing one, which makes a new version once
anyone has answered the current one (old responses keep the questions they answered); opening and
closing a survey; and the sampling rules that say which survey a queue's members are asked."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from contactcentre.exceptions import DomainError
from contactcentre.models import AuditAction
from contactcentre.services import audit_record

from ..models import Dimension, Question, QuestionKind, SamplingRule, Survey, SurveyKind, SurveyVersion
from ..rules import servqual


@dataclass(frozen=True)
class QuestionSpec:
    code: str
    kind: str
    text: str
    text_ar: str = ""
    required: bool = True
    choices: list[dict] = field(default_factory=list)
    servqual_item: int | None = None
    dimension: str = ""


def _both(text) -> tuple[str, str]:
    """A lazily translated text in English and in Arabic, for a question stored in both (the Arabic
    left blank where the catalogue has none, so that the English is shown rather than passed off)."""
    with override("en"):
        english = str(text)
    with override("ar"):
        arabic = str(text)
    return english, ("" if arabic == english else arabic)


def _spec(code: str, kind: str, text, **extra) -> QuestionSpec:
    english, arabic = _both(text)
    return QuestionSpec(code=code, kind=kind, text=english, text_ar=arabic, **extra)


def post_contact_questions() -> list[QuestionSpec]:
    from django.utils.translation import gettext_lazy as lazy

    return [
        _spec("csat", QuestionKind.CSAT, lazy("How satisfied were you with your call today?")),
        _spec("ces", QuestionKind.CES, lazy("The insurer made it easy to handle my request.")),
        _spec("nps", QuestionKind.NPS, lazy("How likely are you to recommend us to a friend or colleague?")),
        _spec("comment", QuestionKind.FREE_TEXT, lazy("What is the main reason for your scores?"), required=False),
    ]


def _importance_questions() -> list[QuestionSpec]:
    from django.utils.translation import gettext_lazy as lazy

    specs = []
    for dimension in servqual.DIMENSIONS:
        texts = {}
        for language in ("en", "ar"):
            with override(language):
                texts[language] = str(
                    lazy("Points for %(dimension)s: %(description)s")
                    % {"dimension": Dimension(dimension).label, "description": servqual.DESCRIPTIONS[dimension]}
                )
        specs.append(
            QuestionSpec(
                code=f"points-{dimension}",
                kind=QuestionKind.IMPORTANCE,
                text=texts["en"],
                text_ar="" if texts["ar"] == texts["en"] else texts["ar"],
                dimension=dimension,
            )
        )
    return specs


def servqual_questions(*, perceptions: bool = True) -> list[QuestionSpec]:
    """The 22 expectation statements, then (for customers) the 22 perception statements, then the 100
    importance points. A management study asks the expectations only, as managers believe customers
    would answer them."""
    specs = [
        _spec(f"e{item}", QuestionKind.EXPECTATION, texts[0], servqual_item=item)
        for item, texts in servqual.STATEMENTS.items()
    ]
    if perceptions:
        specs += [
            _spec(f"p{item}", QuestionKind.PERCEPTION, texts[1], servqual_item=item)
            for item, texts in servqual.STATEMENTS.items()
        ]
    return specs + _importance_questions()


def standard_questions(kind: str) -> list[QuestionSpec]:
    if kind == SurveyKind.SERVQUAL:
        return servqual_questions()
    if kind == SurveyKind.MANAGEMENT:
        return servqual_questions(perceptions=False)
    return post_contact_questions()


def _check(kind: str, questions: Sequence[QuestionSpec]) -> None:
    errors: dict[str, list[str]] = {}
    codes = [question.code for question in questions]
    if not questions:
        errors["questions"] = [_("A survey needs at least one question.")]
    if len(set(codes)) != len(codes):
        errors["questions"] = [_("Each question needs its own code.")]
    for question in questions:
        if question.kind not in QuestionKind.values:
            errors[question.code] = [_("Unknown kind of question.")]
        elif question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
            values = [choice.get("value") for choice in question.choices]
            if len(values) < 2 or len(set(values)) != len(values) or not all(values):
                errors[question.code] = [_("A choice question needs at least two choices, each with its own value.")]
        if not question.text.strip():
            errors[question.code] = [_("Write the question.")]
    if kind in (SurveyKind.SERVQUAL, SurveyKind.MANAGEMENT):
        # The instrument's scoring needs every statement and every dimension's points.
        wanted = {q.code for q in standard_questions(kind)}
        if not wanted <= set(codes):
            errors["questions"] = [_("A SERVQUAL survey keeps all 22 statements and the importance points.")]
    if errors:
        raise DomainError(_("Check the questions."), fields=errors)


def _write_questions(version: SurveyVersion, questions: Sequence[QuestionSpec]) -> None:
    Question.objects.bulk_create(
        Question(
            version=version,
            position=position,
            code=spec.code,
            kind=spec.kind,
            text=spec.text,
            text_ar=spec.text_ar,
            required=spec.required,
            choices=spec.choices,
            servqual_item=spec.servqual_item,
            dimension=spec.dimension,
        )
        for position, spec in enumerate(questions, start=1)
    )


@transaction.atomic
def survey_create(
    *,
    actor,
    code: str,
    name: str,
    kind: str,
    name_ar: str = "",
    introduction: str = "",
    introduction_ar: str = "",
    questions: Sequence[QuestionSpec] | None = None,
) -> Survey:
    """A survey and its first version; with no questions given, the kind's standard ones."""
    questions = list(questions) if questions is not None else standard_questions(kind)
    _check(kind, questions)
    if Survey.objects.filter(code=code).exists():
        raise DomainError(_("Check the survey."), fields={"code": [_("Another survey has this code.")]})
    survey = Survey(
        code=code, name=name, name_ar=name_ar, kind=kind, introduction=introduction, introduction_ar=introduction_ar
    )
    survey.full_clean(exclude=["current_version"])
    survey.save()
    version = SurveyVersion.objects.create(survey=survey, number=1, created_by=actor)
    _write_questions(version, questions)
    survey.current_version = version
    survey.save(update_fields=["current_version"])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=survey, summary=f"Survey {code} created")
    return survey


@transaction.atomic
def survey_edit_questions(*, actor, survey_id: int, questions: Sequence[QuestionSpec]) -> SurveyVersion:
    """Replace the survey's questions. Once the current version has responses it is kept as it was and
    a new version takes the questions; otherwise the current version is rewritten in place."""
    survey = Survey.objects.select_for_update().get(pk=survey_id)
    _check(survey.kind, questions)
    version = survey.current_version
    if version.responses.exists():
        version = SurveyVersion.objects.create(survey=survey, number=version.number + 1, created_by=actor)
        survey.current_version = version
        survey.save(update_fields=["current_version"])
    else:
        version.questions.all().delete()
    _write_questions(version, questions)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=survey,
        summary=f"Survey {survey.code} questions edited (version {version.number})",
    )
    return version


@transaction.atomic
def survey_set_active(*, actor, survey_id: int, active: bool) -> Survey:
    """Open or close a survey to new responses and invitations (its results stay). A change that
    changes nothing writes nothing."""
    survey = Survey.objects.select_for_update().get(pk=survey_id)
    if survey.is_active != active:
        survey.is_active = active
        survey.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=survey,
            summary=f"Survey {survey.code} {'activated' if active else 'deactivated'}",
        )
    return survey


# --- Sampling rules ------------------------------------------------------------------------------


def _rule_check(*, rule_id: int | None, queue, survey: Survey, percentage: Decimal) -> None:
    errors: dict[str, list[str]] = {}
    if survey.kind != SurveyKind.POST_CONTACT:
        errors["survey"] = [_("Only a post-contact survey can be sent after contacts.")]
    if not Decimal(0) <= percentage <= Decimal(100):
        errors["percentage"] = [_("Give a percentage from 0 to 100.")]
    others = SamplingRule.objects.exclude(pk=rule_id)
    if others.filter(queue=queue).exists() if queue is not None else others.filter(queue__isnull=True).exists():
        errors["queue"] = [_rule_taken(queue)]
    if errors:
        raise DomainError(_("Check the sampling rule."), fields=errors)


def _rule_taken(queue) -> str:
    if queue is None:
        return _("There is already a rule for every other queue: change that one instead.")
    return _("This queue already has a rule: change that one instead.")


def _rule_save(rule: SamplingRule, *, update_fields: list[str] | None = None) -> None:
    """Save, turning the database's one-rule-per-queue constraint (a concurrent save the check could
    not see) into the same field error."""
    try:
        with transaction.atomic():
            rule.save(update_fields=update_fields)
    except IntegrityError:
        raise DomainError(_("Check the sampling rule."), fields={"queue": [_rule_taken(rule.queue)]}) from None


@transaction.atomic
def sampling_rule_create(*, actor, queue, survey: Survey, percentage: Decimal, is_active: bool = True) -> SamplingRule:
    """A queue's sampling rule (queue None: the rule for every queue without one of its own)."""
    _rule_check(rule_id=None, queue=queue, survey=survey, percentage=percentage)
    rule = SamplingRule(queue=queue, survey=survey, percentage=percentage, is_active=is_active)
    _rule_save(rule)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=rule,
        summary=f"Sampling rule for {queue.code if queue else 'every other queue'}: {percentage}% to {survey.code}",
    )
    return rule


@transaction.atomic
def sampling_rule_update(
    *, actor, rule_id: int, queue, survey: Survey, percentage: Decimal, is_active: bool
) -> SamplingRule:
    rule = SamplingRule.objects.select_for_update().get(pk=rule_id)
    _rule_check(rule_id=rule.pk, queue=queue, survey=survey, percentage=percentage)
    before = {
        "queue": rule.queue_id,
        "survey": rule.survey_id,
        "percentage": str(rule.percentage),
        "active": rule.is_active,
    }
    rule.queue, rule.survey, rule.percentage, rule.is_active = queue, survey, percentage, is_active
    _rule_save(rule, update_fields=["queue", "survey", "percentage", "is_active"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=rule,
        summary=f"Sampling rule for {queue.code if queue else 'every other queue'}: {percentage}% to {survey.code}",
        detail={"before": before},
    )
    return rule
