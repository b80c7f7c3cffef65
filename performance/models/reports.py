"""Scheduled reports: what to send to whom (a schedule, its timing a django-celery-beat periodic
task that managers change in the admin), and each run of it, with its files kept for download."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from contactcentre.constraints import choices_check


class ReportKind(models.TextChoices):
    DAILY_OPERATIONS = "daily_operations", _("Daily operations report")
    WEEKLY_KPI = "weekly_kpi", _("Weekly KPI pack")
    MONTHLY_BOARD = "monthly_board", _("Monthly board pack")


class RunStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    RETRYING = "retrying", _("Failed, will retry")
    SUCCEEDED = "succeeded", _("Sent")
    FAILED = "failed", _("Failed")


class ReportSchedule(models.Model):
    """A report sent on a schedule: `periodic_task` (django-celery-beat: crontab, enabled or not)
    starts `performance.tasks.report_due` with this schedule's id."""

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("report"), max_length=20, choices=ReportKind.choices)
    recipients = models.TextField(_("recipients"), help_text=_("Email addresses, one per line."))
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="en")
    site = models.ForeignKey(
        "staff.Site",
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Blank: every site."),
    )
    periodic_task = models.OneToOneField(
        "django_celery_beat.PeriodicTask",
        verbose_name=_("timing"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="report_schedule",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("report schedule")
        verbose_name_plural = _("report schedules")
        ordering = ["kind", "name"]
        permissions = [("run_report", _("Can run a report now"))]
        constraints = [
            choices_check("kind", ReportKind, "report_schedule_kind_valid"),
            models.UniqueConstraint(fields=["name"], name="report_schedule_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def recipient_list(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]


class ReportRun(models.Model):
    """One report for one period. Unique per schedule and period: a retried or repeated run finds
    this row, and `sent_at` (set in the transaction that sends) makes the email go once."""

    schedule = models.ForeignKey(
        ReportSchedule, verbose_name=_("schedule"), on_delete=models.PROTECT, related_name="runs"
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"), help_text=_("The last day, included."))
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True)
    xlsx = models.BinaryField(_("XLSX"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_to = models.TextField(_("sent to"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")
        ordering = ["-period_start", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "period_start", "period_end"], name="report_run_once_per_period"
            ),
            choices_check("status", RunStatus, "report_run_status_valid"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="report_run_period_forwards"),
            # Sent means the run succeeded and its files exist.
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | (Q(status=RunStatus.SUCCEEDED) & Q(pdf__isnull=False)),
                name="report_run_sent_only_when_built",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.schedule} {self.period_start}–{self.period_end}"
