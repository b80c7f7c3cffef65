"""Work objectives and appraisal: cycles, each person's appraisal with objectives (activities and a
measure), competency ratings, strengths and weaknesses, an action plan tracked to done, the
appraisee's self-assessment and both signatures. Also upward feedback from staff on their managers
and the organisation (staff.rules.feedback keeps small groups from being identified)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactcentre.constraints import choices_check

from .jobs import Competency
from .people import Team

RATING_MIN, RATING_MAX = 1, 5


def rating_in_scale(field: str, name: str, *, nullable: bool = False) -> models.CheckConstraint:
    condition = Q(**{f"{field}__gte": RATING_MIN, f"{field}__lte": RATING_MAX})
    if nullable:
        condition |= Q(**{f"{field}__isnull": True})
    return models.CheckConstraint(condition=condition, name=name)


class AppraisalCycle(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    is_open = models.BooleanField(_("open"), default=True)

    class Meta:
        verbose_name = _("appraisal cycle")
        verbose_name_plural = _("appraisal cycles")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="appraisal_cycle_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name


class AppraisalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SELF_ASSESSED = "self_assessed", _("Self-assessed")
    REVIEWED = "reviewed", _("Reviewed")
    SIGNED = "signed", _("Signed by both")


class Appraisal(models.Model):
    cycle = models.ForeignKey(
        AppraisalCycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="appraisals"
    )
    appraisee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("appraisee"), on_delete=models.PROTECT, related_name="appraisals"
    )
    appraiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("appraiser"), on_delete=models.PROTECT, related_name="appraisals_given"
    )
    status = models.CharField(
        _("status"), max_length=14, choices=AppraisalStatus.choices, default=AppraisalStatus.DRAFT
    )
    self_assessment = models.TextField(_("self-assessment"), blank=True)
    strengths = models.TextField(_("strengths"), blank=True)
    weaknesses = models.TextField(_("areas to develop"), blank=True)
    overall_rating = models.PositiveSmallIntegerField(_("overall rating (1-5)"), null=True, blank=True)
    appraisee_signed_at = models.DateTimeField(_("signed by the appraisee at"), null=True, blank=True)
    appraiser_signed_at = models.DateTimeField(_("signed by the appraiser at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")
        ordering = ["-cycle__starts_on", "appraisee__full_name"]
        constraints = [
            choices_check("status", AppraisalStatus, "appraisal_status_valid"),
            models.UniqueConstraint(fields=["cycle", "appraisee"], name="appraisal_once_per_cycle"),
            models.CheckConstraint(condition=~Q(appraisee=models.F("appraiser")), name="appraisal_not_by_self"),
            rating_in_scale("overall_rating", "appraisal_overall_rating_in_scale", nullable=True),
            models.CheckConstraint(
                condition=~Q(status=AppraisalStatus.SIGNED)
                | (Q(appraisee_signed_at__isnull=False) & Q(appraiser_signed_at__isnull=False)),
                name="appraisal_signed_by_both",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appraisee_id} ({self.cycle})"


class Achievement(models.TextChoices):
    NOT_MET = "not_met", _("Not met")
    PARTLY_MET = "partly_met", _("Partly met")
    MET = "met", _("Met")
    EXCEEDED = "exceeded", _("Exceeded")


class Objective(models.Model):
    """A work objective: an individual priority, the activities that serve it and how it is measured."""

    appraisal = models.ForeignKey(
        Appraisal, verbose_name=_("appraisal"), on_delete=models.CASCADE, related_name="objectives"
    )
    title = models.CharField(_("objective"), max_length=200)
    activities = models.TextField(_("activities"))
    measure = models.CharField(_("measure"), max_length=200)
    achievement = models.CharField(_("achievement"), max_length=10, choices=Achievement.choices, blank=True)

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["appraisal", "pk"]
        constraints = [choices_check("achievement", Achievement, "objective_achievement_valid", blank=True)]

    def __str__(self) -> str:
        return self.title


class CompetencyRating(models.Model):
    appraisal = models.ForeignKey(
        Appraisal, verbose_name=_("appraisal"), on_delete=models.CASCADE, related_name="ratings"
    )
    competency = models.ForeignKey(Competency, verbose_name=_("competency"), on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(_("rating (1-5)"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("competency rating")
        verbose_name_plural = _("competency ratings")
        ordering = ["appraisal", "competency__name"]
        constraints = [
            models.UniqueConstraint(fields=["appraisal", "competency"], name="competency_rating_once"),
            rating_in_scale("rating", "competency_rating_in_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.competency}: {self.rating}"


class ActionItem(models.Model):
    """An agreed action of the appraisal's action plan, tracked to done."""

    appraisal = models.ForeignKey(
        Appraisal, verbose_name=_("appraisal"), on_delete=models.CASCADE, related_name="actions"
    )
    description = models.CharField(_("action"), max_length=250)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due on"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("action plan item")
        verbose_name_plural = _("action plan items")
        ordering = ["appraisal", "due_on", "pk"]

    def __str__(self) -> str:
        return self.description


class FeedbackSubject(models.TextChoices):
    MANAGER = "manager", _("My team leader or manager")
    ORGANISATION = "organisation", _("The organisation")


class UpwardFeedback(models.Model):
    """Feedback from staff on their managers and the organisation, given within an appraisal cycle.
    When given anonymously nothing here names the respondent: `respondent_key` (a keyed hash of the
    respondent and the cycle) only keeps one answer per person, subject and cycle. Results are shown
    in groups of at least rules.feedback.MIN_GROUP only."""

    cycle = models.ForeignKey(
        AppraisalCycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="feedback"
    )
    subject = models.CharField(_("about"), max_length=12, choices=FeedbackSubject.choices)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="upward_feedback",
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    respondent_key = models.CharField(max_length=64)
    anonymous = models.BooleanField(_("anonymous"), default=True)
    rating = models.PositiveSmallIntegerField(_("rating (1-5)"))
    went_well = models.TextField(_("what works well"), blank=True)
    to_improve = models.TextField(_("what could be better"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("upward feedback")
        verbose_name_plural = _("upward feedback")
        ordering = ["-submitted_at"]
        constraints = [
            choices_check("subject", FeedbackSubject, "upward_feedback_subject_valid"),
            rating_in_scale("rating", "upward_feedback_rating_in_scale"),
            models.CheckConstraint(
                condition=Q(subject=FeedbackSubject.MANAGER, manager__isnull=False)
                | Q(subject=FeedbackSubject.ORGANISATION, manager__isnull=True),
                name="upward_feedback_manager_iff_about_manager",
            ),
            models.CheckConstraint(
                condition=Q(anonymous=False, respondent__isnull=False) | Q(anonymous=True, respondent__isnull=True),
                name="upward_feedback_anonymous_names_nobody",
            ),
            models.UniqueConstraint(
                fields=["cycle", "subject", "respondent_key"], name="upward_feedback_once_per_cycle"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_subject_display()} ({self.cycle})"
