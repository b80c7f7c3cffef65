"""Survey definitions: a survey, its versions and their questions. A version's questions are never
edited once anyone has answered it; an edit then makes a new version (surveys/services/definitions.py)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contactcentre.constraints import choices_check


class SurveyKind(models.TextChoices):
    POST_CONTACT = "post_contact", _("Post-contact survey")
    SERVQUAL = "servqual", _("SERVQUAL (customers' expectations and perceptions)")
    MANAGEMENT = "management", _("Management perception study (what managers think customers expect)")
    GENERAL = "general", _("Questionnaire")


class QuestionKind(models.TextChoices):
    CSAT = "csat", _("Satisfaction, 1-5 (CSAT)")
    NPS = "nps", _("Likelihood to recommend, 0-10 (NPS)")
    CES = "ces", _("Ease, 1-7 (CES)")
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    FREE_TEXT = "free_text", _("Free text")
    EXPECTATION = "expectation", _("SERVQUAL expectation, 1-7")
    PERCEPTION = "perception", _("SERVQUAL perception, 1-7")
    IMPORTANCE = "importance", _("Importance points for a SERVQUAL dimension (of 100)")


class Dimension(models.TextChoices):
    TANGIBLES = "tangibles", _("Tangibles")
    RELIABILITY = "reliability", _("Reliability")
    RESPONSIVENESS = "responsiveness", _("Responsiveness")
    ASSURANCE = "assurance", _("Assurance")
    EMPATHY = "empathy", _("Empathy")


class Survey(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_ar = models.CharField(_("name in Arabic"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=SurveyKind.choices, default=SurveyKind.POST_CONTACT)
    introduction = models.TextField(_("introduction"), blank=True)
    introduction_ar = models.TextField(_("introduction in Arabic"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # The version new respondents answer; older versions keep their responses.
    current_version = models.ForeignKey(
        "surveys.SurveyVersion",
        verbose_name=_("current version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["name"]
        permissions = [
            ("view_results", _("Can view survey results and verbatims")),
            ("view_all_results", _("Can view every team's survey results, not only the teams led")),
            ("code_comments", _("Can code survey comments to themes")),
        ]
        constraints = [choices_check("kind", SurveyKind, "survey_kind_valid")]

    def __str__(self) -> str:
        return self.name


class SurveyVersion(models.Model):
    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("survey version")
        verbose_name_plural = _("survey versions")
        ordering = ["survey", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="survey_version_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="survey_version_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.survey} v{self.number}"


class Question(models.Model):
    version = models.ForeignKey(
        SurveyVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    # Stable across versions: the API and the results name questions by code.
    code = models.SlugField(_("code"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300)
    text_ar = models.CharField(_("question in Arabic"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=True)
    # For choice questions: [{"value": "x", "label": "...", "label_ar": "..."}, ...]
    choices = models.JSONField(_("choices"), default=list, blank=True)
    # SERVQUAL: the statement's number (1-22) for expectations and perceptions; the dimension for importance.
    servqual_item = models.PositiveSmallIntegerField(_("SERVQUAL item"), null=True, blank=True)
    dimension = models.CharField(_("dimension"), max_length=20, choices=Dimension.choices, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="question_position_unique"),
            models.UniqueConstraint(fields=["version", "code"], name="question_code_unique"),
            choices_check("kind", QuestionKind, "question_kind_valid"),
            choices_check("dimension", Dimension, "question_dimension_valid", blank=True),
            # A SERVQUAL statement is numbered 1-22; nothing else is.
            models.CheckConstraint(
                condition=(
                    Q(kind__in=["expectation", "perception"], servqual_item__gte=1, servqual_item__lte=22)
                    | (~Q(kind__in=["expectation", "perception"]) & Q(servqual_item__isnull=True))
                ),
                name="question_servqual_item_numbered",
            ),
            models.CheckConstraint(
                condition=(Q(kind="importance") & ~Q(dimension="")) | (~Q(kind="importance") & Q(dimension="")),
                name="question_importance_has_dimension",
            ),
        ]

    def __str__(self) -> str:
        return self.text
