"""Quality monitoring: weighted scorecards with critical items, team leaders' evaluations of sampled
contacts (which agents see and acknowledge), and calibration sessions where several evaluators score
the same contact. The arithmetic is in staff.rules.quality."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scorecard(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    name_ar = models.CharField(_("name in Arabic"), max_length=100, blank=True)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=80)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=Q(pass_mark__lte=100), name="scorecard_pass_mark_percentage")]

    def __str__(self) -> str:
        return self.name


class ScorecardItem(models.Model):
    """A thing evaluated on every contact (e.g. greeting and ID&V), scored 0 to `max_points`,
    weighted; a critical item scored 0 fails the whole evaluation."""

    scorecard = models.ForeignKey(
        Scorecard, verbose_name=_("scorecard"), on_delete=models.CASCADE, related_name="items"
    )
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=150)
    label_ar = models.CharField(_("label in Arabic"), max_length=150, blank=True)
    guidance = models.TextField(_("guidance for evaluators"), blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    max_points = models.PositiveSmallIntegerField(_("top score"), default=4)
    critical = models.BooleanField(_("critical"), default=False, help_text=_("Scoring 0 fails the whole evaluation."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("scorecard item")
        verbose_name_plural = _("scorecard items")
        ordering = ["scorecard", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "code"], name="scorecard_item_code_unique"),
            models.CheckConstraint(condition=Q(weight__gte=1), name="scorecard_item_weight_positive"),
            models.CheckConstraint(condition=Q(max_points__gte=1), name="scorecard_item_max_points_positive"),
        ]

    def __str__(self) -> str:
        return self.label


class CalibrationSession(models.Model):
    """Several evaluators score the same contact on the same scorecard, to see how far apart they are."""

    contact = models.ForeignKey("calls.Contact", verbose_name=_("contact"), on_delete=models.PROTECT, related_name="+")
    scorecard = models.ForeignKey(Scorecard, verbose_name=_("scorecard"), on_delete=models.PROTECT, related_name="+")
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("facilitator"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("held on"), default=timezone.localdate)
    notes = models.TextField(_("agreed notes"), blank=True)

    class Meta:
        verbose_name = _("calibration session")
        verbose_name_plural = _("calibration sessions")
        ordering = ["-held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.contact_id} ({self.held_on})"


class Evaluation(models.Model):
    """An evaluator's scoring of one contact handled by one agent. `score` (0-100) and `critical_failed`
    are computed by the service from the answers (rules.quality.evaluation_score) and stored, so
    lists and dashboards never recompute them."""

    contact = models.ForeignKey(
        "calls.Contact", verbose_name=_("contact"), on_delete=models.PROTECT, related_name="evaluations"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("agent"), on_delete=models.PROTECT, related_name="evaluations"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluator"),
        on_delete=models.PROTECT,
        related_name="evaluations_given",
    )
    scorecard = models.ForeignKey(
        Scorecard, verbose_name=_("scorecard"), on_delete=models.PROTECT, related_name="evaluations"
    )
    calibration = models.ForeignKey(
        CalibrationSession,
        verbose_name=_("calibration session"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evaluations",
    )
    score = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=1)
    critical_failed = models.BooleanField(_("failed a critical item"), default=False)
    passed = models.BooleanField(_("passed"))
    comments = models.TextField(_("coaching comments"), blank=True)
    evaluated_at = models.DateTimeField(_("evaluated at"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("acknowledged by the agent at"), null=True, blank=True)
    agent_comment = models.TextField(_("agent's comment"), blank=True)

    class Meta:
        verbose_name = _("quality evaluation")
        verbose_name_plural = _("quality evaluations")
        ordering = ["-evaluated_at"]
        indexes = [
            # An agent's evaluations, newest first (their page, recognition, the team's quality).
            models.Index(fields=["agent", "-evaluated_at"], name="evaluation_agent_recent_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=100), name="evaluation_score_percentage"),
            models.CheckConstraint(
                condition=Q(critical_failed=False) | Q(score=0), name="evaluation_critical_fail_scores_zero"
            ),
            models.CheckConstraint(
                condition=Q(critical_failed=False) | Q(passed=False), name="evaluation_critical_fail_fails"
            ),
            models.CheckConstraint(condition=~Q(agent=models.F("evaluator")), name="evaluation_not_by_self"),
            # A calibration has one evaluation per evaluator; outside calibration, one per contact and evaluator.
            models.UniqueConstraint(
                fields=["calibration", "evaluator"],
                condition=Q(calibration__isnull=False),
                name="calibration_once_per_evaluator",
            ),
            models.UniqueConstraint(
                fields=["contact", "evaluator"],
                condition=Q(calibration__isnull=True),
                name="evaluation_once_per_evaluator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact_id}: {self.score}%"


class EvaluationAnswer(models.Model):
    """An item's score in an evaluation; no score means not applicable to this contact."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("evaluation"), on_delete=models.CASCADE, related_name="answers"
    )
    item = models.ForeignKey(ScorecardItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    points = models.PositiveSmallIntegerField(_("points"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation answer")
        verbose_name_plural = _("evaluation answers")
        ordering = ["evaluation", "item__position", "item__pk"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "item"], name="evaluation_answer_once")]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.points}"
