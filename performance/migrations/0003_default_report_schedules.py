"""The three default report schedules (daily operations, weekly KPI pack, monthly board pack) with
their django-celery-beat periodic tasks at the default timing (rules/reports.py DEFAULT_TIMING, UK
time). They start switched off with nobody to send to: a manager adds recipients and switches each
on (the schedules page), so a new installation emails nobody until someone decides who reads what.
Re-running the migration (or an installation that already has schedules of these names) changes
nothing."""

import json

from django.db import migrations

TASK = "performance.tasks.reports.report_due"
DEFAULTS = [
    # (name, kind, minute, hour, day_of_week, day_of_month)
    ("Daily operations report", "daily_operations", "0", "7", "*", "*"),
    ("Weekly KPI pack", "weekly_kpi", "30", "7", "1", "*"),
    ("Monthly board pack", "monthly_board", "0", "8", "*", "1"),
]


def create_schedules(apps, schema_editor):
    ReportSchedule = apps.get_model("performance", "ReportSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    db = schema_editor.connection.alias
    for name, kind, minute, hour, day_of_week, day_of_month in DEFAULTS:
        if ReportSchedule.objects.using(db).filter(name=name).exists():
            continue
        schedule = ReportSchedule.objects.using(db).create(
            name=name, kind=kind, recipients="", language="en", is_active=False
        )
        crontab, _created = CrontabSchedule.objects.using(db).get_or_create(
            minute=minute,
            hour=hour,
            day_of_week=day_of_week,
            day_of_month=day_of_month,
            month_of_year="*",
            timezone="Europe/London",
        )
        task, _created = PeriodicTask.objects.using(db).get_or_create(
            name=f"Scheduled report: {name}",
            defaults={"task": TASK, "crontab": crontab, "args": json.dumps([schedule.pk]), "enabled": False},
        )
        schedule.periodic_task = task
        schedule.save(update_fields=["periodic_task"])


def remove_schedules(apps, schema_editor):
    ReportSchedule = apps.get_model("performance", "ReportSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    db = schema_editor.connection.alias
    names = [name for name, *_rest in DEFAULTS]
    schedules = ReportSchedule.objects.using(db).filter(name__in=names, runs__isnull=True)
    PeriodicTask.objects.using(db).filter(report_schedule__in=schedules).delete()
    schedules.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("performance", "0002_default_standards"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
