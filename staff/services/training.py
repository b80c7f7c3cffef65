"""Writes for training: enrolments, completions, training needs."""

from datetime import date, timedelta

from django.db import transaction

from ..models import Employee, Enrolment, EnrolmentStatus, InductionItem


def induction_enrol(*, employee: Employee, actor=None) -> list[Enrolment]:
    """Enrol a new starter on every course of their job's induction plan, each due so many days after
    their start date. A course they already have an open place on is left alone, so running this
    twice enrols nobody twice (the database's one-open-place constraint says so too)."""
    items = InductionItem.objects.filter(job_role_id=employee.job_role_id).select_related("course")
    with transaction.atomic():
        open_courses = set(
            Enrolment.objects.filter(employee=employee, status=EnrolmentStatus.ENROLLED).values_list(
                "course_id", flat=True
            )
        )
        enrolments = [
            Enrolment(
                employee=employee,
                course=item.course,
                due_by=_due(employee.start_date, item.due_within_days),
            )
            for item in items
            if item.course_id not in open_courses and item.course.is_active
        ]
        return Enrolment.objects.bulk_create(enrolments)


def _due(start: date, days: int) -> date:
    return start + timedelta(days=days)
