"""Responses and their answers. A response keeps the version it answered, and carries the segment it
speaks for (agent, team, queue, site, plan tier, corporate or not) as it was when it was given."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from claims.models import Tier
from contactcentre.constraints import choices_check


class ResponseSource(models.TextChoices):
    LINK = "link", _("Survey link")
    API = "api", _("External survey tool")
    SMS_IVR = "sms_ivr", _("Text message or IVR survey")
    IN_APP = "in_app", _("Answered in Tawasul")


class Response(models.Model):
    survey = models.ForeignKey(
        "surveys.Survey", verbose_name=_("survey"), on_delete=models.PROTECT, related_name="responses"
    )
    version = models.ForeignKey(
        "surveys.SurveyVersion", verbose_name=_("version"), on_delete=models.PROTECT, related_name="responses"
    )
    source = models.CharField(_("source"), max_length=10, choices=ResponseSource.choices)
    # Single use: an invitation is answered once, whatever two browsers try at the same moment.
    invitation = models.OneToOneField(
        "surveys.Invitation",
        verbose_name=_("invitation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="response",
    )
    external_id = models.CharField(_("external reference"), max_length=100, blank=True)
    # Who stored it: the API client (an external survey tool, an SMS or IVR provider), or the member
    # of staff answering in Tawasul; none for a member's own link.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contact = models.ForeignKey(
        "calls.Contact",
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_responses",
    )
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_responses",
    )
    # A member of staff answering a management perception study.
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("respondent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_responses",
    )
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES, default="en")
    submitted_at = models.DateTimeField(_("submitted"))
    # The segment, as it was.
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("agent"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    team = models.ForeignKey(
        "staff.Team", verbose_name=_("team"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    queue = models.ForeignKey(
        "calls.Queue", verbose_name=_("queue"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    site = models.ForeignKey(
        "staff.Site", verbose_name=_("site"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    plan_tier = models.CharField(_("plan tier"), max_length=20, choices=Tier.choices, blank=True)
    is_corporate = models.BooleanField(_("corporate member"), null=True, blank=True)
    # The headline scores, copied from the answers so that results aggregate one table.
    csat = models.PositiveSmallIntegerField(_("CSAT"), null=True, blank=True)
    nps = models.PositiveSmallIntegerField(_("likelihood to recommend"), null=True, blank=True)
    ces = models.PositiveSmallIntegerField(_("CES"), null=True, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            # Results and verbatims by period, within a survey.
            models.Index(fields=["survey", "submitted_at"], name="response_survey_period_idx"),
            models.Index(fields=["team", "submitted_at"], name="response_team_period_idx"),
            models.Index(fields=["agent", "submitted_at"], name="response_agent_period_idx"),
        ]
        constraints = [
            choices_check("source", ResponseSource, "response_source_valid"),
            choices_check("plan_tier", Tier, "response_plan_tier_valid", blank=True),
            # One response per contact, whichever channel brought it.
            models.UniqueConstraint(
                fields=["contact"], condition=Q(contact__isnull=False), name="response_one_per_contact"
            ),
            # An external tool's retry is the same response; another tool's reference is another's.
            models.UniqueConstraint(
                fields=["submitted_by", "source", "external_id"],
                condition=~Q(external_id=""),
                name="response_external_unique",
            ),
            # A manager answers a study once.
            models.UniqueConstraint(
                fields=["survey", "respondent"],
                condition=Q(respondent__isnull=False),
                name="response_one_per_respondent",
            ),
            models.CheckConstraint(
                condition=Q(csat__isnull=True) | Q(csat__gte=1, csat__lte=5), name="response_csat_scale"
            ),
            models.CheckConstraint(condition=Q(nps__isnull=True) | Q(nps__lte=10), name="response_nps_scale"),
            models.CheckConstraint(
                condition=Q(ces__isnull=True) | Q(ces__gte=1, ces__lte=7), name="response_ces_scale"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} #{self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        "surveys.Question", verbose_name=_("question"), on_delete=models.PROTECT, related_name="answers"
    )
    number = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    choices = models.JSONField(_("chosen"), default=list, blank=True)
    text = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["response", "question__position"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_one_per_question"),
            models.CheckConstraint(condition=Q(number__isnull=True) | Q(number__lte=100), name="answer_number_range"),
        ]
        indexes = [
            # Verbatims: the comments, newest first.
            models.Index(fields=["question"], condition=~Q(text=""), name="answer_comment_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.number if self.number is not None else self.text[:40]}"
