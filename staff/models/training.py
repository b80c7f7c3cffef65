"""Training: courses (technical or behavioural), the induction plan of each job, sessions, who is
enrolled and how they did, and the training needs appraisals and quality reviews raise. Who is due,
overdue or complete is worked out in staff.rules.training."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactcentre.constraints import choices_check

from .employees import Employee
from .jobs import JobRole
from .people import Site


class CourseKind(models.TextChoices):
    TECHNICAL = "technical", _("Technical (systems, products, cover rules)")
    BEHAVIOURAL = "behavioural", _("Behavioural (meeting and exceeding customers' needs)")


class Course(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=150)
    title_ar = models.CharField(_("title in Arabic"), max_length=150, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=CourseKind.choices)
    description = models.TextField(_("description"), blank=True)
    duration_hours = models.DecimalField(_("duration (hours)"), max_digits=5, decimal_places=1)
    renewal_months = models.PositiveSmallIntegerField(
        _("renew every (months)"), null=True, blank=True, help_text=_("Empty when a completion never expires.")
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), null=True, blank=True, help_text=_("Empty when the course has no assessment.")
    )
    grants_skill = models.ForeignKey(
        "calls.Skill",
        verbose_name=_("qualifies for skill"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="courses",
        help_text=_("Completing the course adds this routing skill to the agent."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title"]
        constraints = [
            choices_check("kind", CourseKind, "course_kind_valid"),
            models.CheckConstraint(condition=Q(duration_hours__gt=0), name="course_duration_positive"),
            models.CheckConstraint(
                condition=Q(renewal_months__isnull=True) | Q(renewal_months__gt=0), name="course_renewal_positive"
            ),
            models.CheckConstraint(
                condition=Q(pass_mark__isnull=True) | Q(pass_mark__lte=100), name="course_pass_mark_percentage"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class InductionItem(models.Model):
    """A course every new starter in a job takes, within so many days of starting."""

    job_role = models.ForeignKey(
        JobRole, verbose_name=_("job role"), on_delete=models.CASCADE, related_name="induction"
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="induction_items"
    )
    due_within_days = models.PositiveSmallIntegerField(_("due within (days of starting)"), default=28)

    class Meta:
        verbose_name = _("induction plan item")
        verbose_name_plural = _("induction plan items")
        ordering = ["job_role", "due_within_days", "course__title"]
        constraints = [models.UniqueConstraint(fields=["job_role", "course"], name="induction_item_unique")]

    def __str__(self) -> str:
        return f"{self.job_role}: {self.course}"


class TrainingSession(models.Model):
    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="sessions")
    site = models.ForeignKey(Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="training_sessions")
    starts_at = models.DateTimeField(_("starts at"))
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    capacity = models.PositiveSmallIntegerField(_("places"), default=12)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["starts_at"]
        constraints = [models.CheckConstraint(condition=Q(capacity__gte=1), name="training_session_has_places")]

    def __str__(self) -> str:
        return f"{self.course} ({self.starts_at:%Y-%m-%d})"


class NeedSource(models.TextChoices):
    INDUCTION = "induction", _("Induction plan")
    APPRAISAL = "appraisal", _("Appraisal")
    QUALITY_REVIEW = "quality_review", _("Quality review")
    RENEWAL = "renewal", _("Renewal")
    MANAGER = "manager", _("Team leader or manager")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PLANNED = "planned", _("Planned (enrolled)")
    MET = "met", _("Met")
    CANCELLED = "cancelled", _("Cancelled")


class TrainingNeed(models.Model):
    """A need for training raised for someone, from an appraisal, a quality review or by their leader."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.CASCADE, related_name="training_needs"
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), null=True, blank=True, on_delete=models.PROTECT, related_name="needs"
    )
    description = models.TextField(_("what is needed"))
    source = models.CharField(_("raised from"), max_length=16, choices=NeedSource.choices)
    appraisal = models.ForeignKey(
        "staff.Appraisal",
        verbose_name=_("appraisal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_needs",
    )
    evaluation = models.ForeignKey(
        "staff.Evaluation",
        verbose_name=_("quality evaluation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_needs",
    )
    status = models.CharField(_("status"), max_length=10, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("raised by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)

    class Meta:
        verbose_name = _("training need")
        verbose_name_plural = _("training needs")
        ordering = ["-raised_at"]
        constraints = [
            choices_check("source", NeedSource, "training_need_source_valid"),
            choices_check("status", NeedStatus, "training_need_status_valid"),
            # The renewal sweep raises one renewal per person and course until it is met or cancelled.
            models.UniqueConstraint(
                fields=["employee", "course"],
                condition=Q(source="renewal", status__in=["open", "planned"]),
                name="training_need_one_open_renewal",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    COMPLETED = "completed", _("Completed")
    FAILED = "failed", _("Did not pass")
    NO_SHOW = "no_show", _("Did not attend")
    CANCELLED = "cancelled", _("Cancelled")


class Enrolment(models.Model):
    """A person's place on a course (in a session, when one is booked), and how it ended: attended,
    completed with an assessment score, and when the completion expires (from the course's renewal)."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="enrolments")
    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enrolments",
    )
    need = models.ForeignKey(
        TrainingNeed,
        verbose_name=_("training need"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enrolments",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ENROLLED
    )
    due_by = models.DateField(_("due by"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), default=False)
    score = models.PositiveSmallIntegerField(_("assessment score (%)"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    expires_on = models.DateField(_("certificate expires on"), null=True, blank=True)
    enrolled_at = models.DateTimeField(_("enrolled at"), default=timezone.now)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-enrolled_at"]
        indexes = [
            # The training matrix: each person's latest record per course.
            models.Index(fields=["employee", "course", "-completed_on"], name="enrolment_matrix_idx"),
        ]
        constraints = [
            choices_check("status", EnrolmentStatus, "enrolment_status_valid"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=100), name="enrolment_score_percentage"
            ),
            models.CheckConstraint(
                condition=Q(status=EnrolmentStatus.COMPLETED, completed_on__isnull=False, attended=True)
                | (~Q(status=EnrolmentStatus.COMPLETED) & Q(completed_on__isnull=True) & Q(expires_on__isnull=True)),
                name="enrolment_completed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("completed_on")),
                name="enrolment_expires_after_completion",
            ),
            # One open place per person per course.
            models.UniqueConstraint(
                fields=["employee", "course"],
                condition=Q(status=EnrolmentStatus.ENROLLED),
                name="enrolment_one_open_per_course",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} on {self.course}"
