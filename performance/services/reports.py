"""Scheduled reports: building, storing and sending a run once, and managers' changes to schedules.

A run is one schedule's report for one period (`ReportRun`, unique per schedule and period).
`report_run` builds the PDF and the XLSX outside any lock, then, under the run's row lock, stores
them, sends the email and sets `sent_at` in one transaction: a retried or repeated run (a second
worker, "run now" twice, beat firing again) finds `sent_at` set and sends nothing. If the send fails
the transaction rolls back, so the run is never marked sent without the email having gone; the one
window left is a commit failing after the mail server accepted the message (the next try would send
again), which is as close to once as SMTP allows.

A failure is recorded on the run (error, attempts, duration) as `retrying` while the task has tries
left and `failed` after the last: shown on the reports page, never silent."""

import json
import time
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from contactcentre.exceptions import DomainError
from contactcentre.models import AuditAction
from contactcentre.services import audit_record
from contactcentre.xlsx_export import XLSX_TYPE

from ..models import ReportKind, ReportRun, ReportSchedule, RunStatus
from ..rendering import report_pdf, report_xlsx
from ..rules.reports import DEFAULT_TIMING, Timing, period_containing, period_due, period_is_over
from ..selectors.kpis import Period
from ..selectors.reports import ReportContent, report_content

REPORT_TASK = "performance.tasks.reports.report_due"
PDF_TYPE = "application/pdf"


class ReportFailed(Exception):
    """A run failed (recorded on the run); the task retries it while it has tries left."""


def _elapsed_ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def _run_for(schedule: ReportSchedule, period: Period) -> ReportRun:
    run, _created = ReportRun.objects.defer("pdf", "xlsx").get_or_create(
        schedule=schedule, period_start=period.first, period_end=period.last
    )
    return run


def _locked(pk: int) -> ReportRun:
    return ReportRun.objects.select_for_update().defer("pdf", "xlsx").get(pk=pk)


def file_name(schedule: ReportSchedule, period: Period, extension: str) -> str:
    return f"{slugify(ReportKind(schedule.kind).label) or schedule.kind}-{period.first:%Y-%m-%d}.{extension}"


def _email(schedule: ReportSchedule, content: ReportContent, pdf: bytes, xlsx: bytes) -> EmailMessage:
    """The email of a run, in the active language (the schedule's)."""
    subject = _("%(report)s: %(period)s (%(sites)s)") % {
        "report": content.title,
        "period": content.period_label,
        "sites": content.scope_label,
    }
    body = _(
        "The %(report)s for %(period)s (%(sites)s) is attached as a PDF and as a spreadsheet.\n\n"
        "Tawasul sends it on the schedule “%(schedule)s”; managers change its recipients and timing "
        "on the scheduled reports page."
    ) % {
        "report": content.title,
        "period": content.period_label,
        "sites": content.scope_label,
        "schedule": schedule.name,
    }
    message = EmailMessage(subject=subject, body=body, to=schedule.recipient_list)
    message.attach(file_name(schedule, content.period, "pdf"), pdf, PDF_TYPE)
    message.attach(file_name(schedule, content.period, "xlsx"), xlsx, XLSX_TYPE)
    return message


def report_build(schedule: ReportSchedule, period: Period) -> tuple[ReportContent, bytes, bytes]:
    """A report's content and files, in the schedule's language."""
    with translation.override(schedule.language):
        content = report_content(schedule.kind, period, site_id=schedule.site_id)
        return content, report_pdf(content), report_xlsx(content)


def report_run(schedule_id: int, period: Period, *, final_attempt: bool = True) -> ReportRun:
    """Build, store and send one schedule's report for one period, once (module docstring). Raises
    ReportFailed after recording a failure (`retrying`, or `failed` when `final_attempt`)."""
    schedule = ReportSchedule.objects.select_related("site").get(pk=schedule_id)
    run = _run_for(schedule, period)
    with transaction.atomic():
        run = _locked(run.pk)
        if run.sent_at is not None:
            return run
        run.status = RunStatus.RUNNING
        run.attempts += 1
        run.started_at = timezone.now()
        run.save(update_fields=["status", "attempts", "started_at"])
    started = time.monotonic()
    try:
        content, pdf, xlsx = report_build(schedule, period)
        with translation.override(schedule.language):
            message = _email(schedule, content, pdf, xlsx)
        with transaction.atomic():
            run = _locked(run.pk)
            if run.sent_at is not None:  # another worker sent it while this one was building
                return run
            run.pdf, run.xlsx = pdf, xlsx
            run.status = RunStatus.SUCCEEDED
            run.error = ""
            run.finished_at = timezone.now()
            run.duration_ms = _elapsed_ms(started)
            recipients = schedule.recipient_list
            if recipients:
                run.sent_at = run.finished_at
                run.sent_to = "\n".join(recipients)
            run.save()
            if recipients:
                message.send()
        return run
    except Exception as error:  # recorded on the run and shown; the task decides on a retry
        report_failed(run.pk, error=error, final=final_attempt, duration_ms=_elapsed_ms(started))
        raise ReportFailed(f"{type(error).__name__}: {error}") from error


def report_failed(run_id: int, *, error: BaseException | str, final: bool, duration_ms: int | None = None) -> None:
    text = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    ReportRun.objects.filter(pk=run_id, sent_at__isnull=True).update(
        status=RunStatus.FAILED if final else RunStatus.RETRYING,
        error=text[:2000],
        finished_at=timezone.now(),
        duration_ms=duration_ms,
    )


def report_due_period(schedule_id: int, *, now=None) -> Period | None:
    """The period a schedule's report started by beat now covers (today in local time), or None
    when the schedule is switched off (a run is then not made)."""
    schedule = ReportSchedule.objects.filter(pk=schedule_id).first()
    if schedule is None or not schedule.is_active:
        return None
    today = timezone.localdate(now)
    return period_due(schedule.kind, today)


def report_request(*, schedule: ReportSchedule, day: date, actor, ip_address: str | None = None) -> ReportRun:
    """ "Run now": the run of the schedule's period holding `day`, queued for a worker (after commit).
    A period that has not ended is refused (its figures are not whole), and so is one already sent."""
    period = period_containing(schedule.kind, day)
    if not period_is_over(period, timezone.localdate()):
        raise DomainError(
            _("That period has not ended yet."),
            fields={"day": [_("Choose a day in a period that has ended (yesterday or before).")]},
        )
    from ..tasks.reports import report_generate

    with transaction.atomic():
        run = _run_for(schedule, period)
        run = _locked(run.pk)
        if run.sent_at is not None:
            raise DomainError(
                _("This report was already sent on %(when)s; download it from the list.")
                % {"when": timezone.localtime(run.sent_at).strftime("%Y-%m-%d %H:%M")},
                fields={"day": [_("Already sent for this period.")]},
            )
        if run.status in (RunStatus.FAILED, RunStatus.SUCCEEDED):
            run.status = RunStatus.PENDING
            run.error = ""
            run.save(update_fields=["status", "error"])
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=run,
            summary=f"Report run requested: {schedule.name} {period.first}–{period.last}",
            ip_address=ip_address,
        )
        args = (schedule.pk, period.first.isoformat(), period.last.isoformat())
        transaction.on_commit(lambda: report_generate.delay(*args))
    return run


def report_download_record(*, run: ReportRun, fmt: str, actor, ip_address: str | None = None) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=run,
        summary=f"Report downloaded ({fmt}): {run.schedule.name} {run.period_start}–{run.period_end}",
        ip_address=ip_address,
    )


# --- schedules ----------------------------------------------------------------------------------


def recipient_errors(recipients: str) -> list[str]:
    errors = []
    for line in recipients.splitlines():
        address = line.strip()
        if not address:
            continue
        try:
            validate_email(address)
        except ValidationError:
            errors.append(_("“%(address)s” is not an email address.") % {"address": address})
    return errors


def schedule_timing(schedule: ReportSchedule) -> Timing:
    """A schedule's timing read from its periodic task's crontab (the kind's default when it has
    none, or a crontab the form cannot show, such as one set to ranges in the admin)."""
    task = schedule.periodic_task
    if task is not None and task.crontab is not None:
        try:
            return Timing.of(task.crontab)
        except ValueError:
            pass
    return DEFAULT_TIMING[ReportKind(schedule.kind)]


def timing_sync(schedule: ReportSchedule, timing: Timing) -> None:
    """Point the schedule's periodic task (created when missing) at the crontab of `timing`, in local
    time, enabled when the schedule is active."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    crontab, _created = CrontabSchedule.objects.get_or_create(**timing.crontab(), timezone=settings.TIME_ZONE)
    task = schedule.periodic_task
    name = f"Scheduled report: {schedule.name}"[:200]
    if task is None:
        task = PeriodicTask.objects.create(
            name=name,
            task=REPORT_TASK,
            crontab=crontab,
            args=json.dumps([schedule.pk]),
            enabled=schedule.is_active,
        )
        schedule.periodic_task = task
        schedule.save(update_fields=["periodic_task"])
        return
    task.name, task.task, task.crontab, task.interval = name, REPORT_TASK, crontab, None
    task.args, task.enabled = json.dumps([schedule.pk]), schedule.is_active
    task.save()


def schedule_change(
    *,
    schedule: ReportSchedule,
    actor,
    recipients: str,
    language: str,
    site,
    is_active: bool,
    timing: Timing,
    ip_address: str | None = None,
) -> ReportSchedule:
    """A manager's change to a schedule: recipients, language, site, on/off and timing (the periodic
    task follows). All or nothing; audited."""
    errors = recipient_errors(recipients)
    if is_active and not errors and not [line for line in recipients.splitlines() if line.strip()]:
        errors.append(_("An active schedule needs at least one recipient."))
    if errors:
        raise DomainError(_("The schedule was not changed."), fields={"recipients": errors})
    before = {
        "recipients": schedule.recipients,
        "language": schedule.language,
        "site": schedule.site_id,
        "is_active": schedule.is_active,
        "timing": schedule_timing(schedule).crontab(),
    }
    with transaction.atomic():
        schedule.recipients = "\n".join(line.strip() for line in recipients.splitlines() if line.strip())
        schedule.language = language
        schedule.site = site
        schedule.is_active = is_active
        schedule.save(update_fields=["recipients", "language", "site", "is_active"])
        timing_sync(schedule, timing)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=schedule,
            summary=f"Report schedule changed: {schedule.name}",
            ip_address=ip_address,
            detail={"before": before, "timing": timing.crontab(), "is_active": is_active},
        )
    return schedule
