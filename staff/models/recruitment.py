"""Recruitment as the case study runs it: a vacancy, applications moving through telephone screening,
the assessment centre (competency-based interview and email-writing exercise) and a visit to the
centre, to an offer and a hire. The allowed moves are in staff.rules.recruitment."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactcentre.constraints import choices_check

from .employees import Employee
from .jobs import Assessment, Competency, JobRole
from .people import Site


class VacancyStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FILLED = "filled", _("Filled")
    CLOSED = "closed", _("Closed")


class Vacancy(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    job_role = models.ForeignKey(
        JobRole, verbose_name=_("job role"), on_delete=models.PROTECT, related_name="vacancies"
    )
    site = models.ForeignKey(Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="vacancies")
    posts = models.PositiveSmallIntegerField(_("number of posts"), default=1)
    description = models.TextField(_("advert"), blank=True)
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    closes_on = models.DateField(_("applications close on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=VacancyStatus.choices, default=VacancyStatus.OPEN)
    filled_on = models.DateField(_("filled on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["-opened_on", "reference"]
        constraints = [
            choices_check("status", VacancyStatus, "vacancy_status_valid"),
            models.CheckConstraint(condition=Q(posts__gte=1), name="vacancy_has_posts"),
            models.CheckConstraint(
                condition=Q(closes_on__isnull=True) | Q(closes_on__gte=models.F("opened_on")),
                name="vacancy_closes_after_opening",
            ),
            # Filled, and when: both or neither.
            models.CheckConstraint(
                condition=Q(filled_on__isnull=True, status__in=[VacancyStatus.OPEN, VacancyStatus.CLOSED])
                | Q(filled_on__isnull=False, status=VacancyStatus.FILLED),
                name="vacancy_filled_on_iff_filled",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.job_role} ({self.site})"


class Stage(models.TextChoices):
    APPLIED = "applied", _("Applied")
    TELEPHONE_SCREENING = "telephone_screening", _("Telephone screening")
    ASSESSMENT_CENTRE = "assessment_centre", _("Assessment centre")
    CENTRE_VISIT = "centre_visit", _("Centre visit")
    OFFER = "offer", _("Offer")
    ACCEPTED = "accepted", _("Offer accepted")
    HIRED = "hired", _("Hired")
    DECLINED = "declined", _("Offer declined")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


FINAL_STAGES = [Stage.HIRED, Stage.DECLINED, Stage.REJECTED, Stage.WITHDRAWN]


class Source(models.TextChoices):
    CAREERS_SITE = "careers_site", _("Careers site")
    JOB_BOARD = "job_board", _("Job board")
    REFERRAL = "referral", _("Employee referral")
    AGENCY = "agency", _("Agency")
    INTERNAL = "internal", _("Internal move")
    OTHER = "other", _("Other")


class Application(models.Model):
    """A candidate's application to one vacancy. Personal fields are blanked when the retention period
    after the application closed has passed (`anonymised_at`); the stages and scores stay for the
    metrics."""

    vacancy = models.ForeignKey(
        Vacancy, verbose_name=_("vacancy"), on_delete=models.PROTECT, related_name="applications"
    )
    full_name = models.CharField(_("full name"), max_length=150)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("telephone"), max_length=32, blank=True)
    cover_note = models.TextField(_("why this job"), blank=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.CAREERS_SITE)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.APPLIED)
    applied_at = models.DateTimeField(_("applied at"), default=timezone.now)
    stage_entered_at = models.DateTimeField(_("in this stage since"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    close_reason = models.TextField(_("reason"), blank=True)
    employee = models.OneToOneField(
        Employee,
        verbose_name=_("employee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="application",
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-applied_at"]
        indexes = [
            # The pipeline board: a vacancy's applications by stage.
            models.Index(fields=["vacancy", "stage"], name="application_vacancy_stage_idx"),
            # The retention sweep: closed, not yet anonymised.
            models.Index(
                fields=["closed_at"], condition=Q(anonymised_at__isnull=True), name="application_retention_idx"
            ),
        ]
        constraints = [
            choices_check("stage", Stage, "application_stage_valid"),
            choices_check("source", Source, "application_source_valid"),
            # One live application per person per vacancy: a second one from the careers site is a repeat.
            models.UniqueConstraint(
                "vacancy", Lower("email"), condition=~Q(email=""), name="application_email_unique_per_vacancy"
            ),
            # A final stage, and when the application closed: both or neither.
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) & ~Q(stage__in=FINAL_STAGES)
                | Q(closed_at__isnull=False, stage__in=FINAL_STAGES),
                name="application_closed_iff_final",
            ),
            models.CheckConstraint(
                condition=Q(employee__isnull=True) | Q(stage=Stage.HIRED), name="application_employee_when_hired"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} → {self.vacancy.reference}"


class StageChange(models.Model):
    """Every move of an application, with its time and who made it (nobody: the careers site)."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["application", "at", "pk"]
        constraints = [
            choices_check("from_stage", Stage, "stage_change_from_valid", blank=True),
            choices_check("to_stage", Stage, "stage_change_to_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.from_stage or '-'} → {self.to_stage}"


SCORE_MIN, SCORE_MAX = 1, 5


class AssessmentScore(models.Model):
    """An assessor's score for one competency of the person specification in one exercise, on a
    scale of 1 (no evidence) to 5 (strong evidence)."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="scores"
    )
    competency = models.ForeignKey(Competency, verbose_name=_("competency"), on_delete=models.PROTECT, related_name="+")
    exercise = models.CharField(_("exercise"), max_length=24, choices=Assessment.choices)
    score = models.PositiveSmallIntegerField(_("score (1-5)"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assessor"), on_delete=models.PROTECT, related_name="+"
    )
    evidence = models.TextField(_("evidence"), blank=True)
    scored_at = models.DateTimeField(_("scored at"), default=timezone.now)

    class Meta:
        verbose_name = _("assessment score")
        verbose_name_plural = _("assessment scores")
        ordering = ["application", "exercise", "competency__name"]
        constraints = [
            choices_check("exercise", Assessment, "assessment_score_exercise_valid"),
            models.CheckConstraint(
                condition=Q(score__gte=SCORE_MIN) & Q(score__lte=SCORE_MAX), name="assessment_score_in_scale"
            ),
            models.UniqueConstraint(
                fields=["application", "competency", "exercise", "assessor"], name="assessment_score_once_per_assessor"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competency}: {self.score}"


class InterviewNote(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="notes"
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        verbose_name = _("interviewer's note")
        verbose_name_plural = _("interviewers' notes")
        ordering = ["application", "created_at"]
        constraints = [choices_check("stage", Stage, "interview_note_stage_valid")]

    def __str__(self) -> str:
        return f"{self.author_id} on {self.application_id}"
