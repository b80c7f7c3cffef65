"""Demo training: the course catalogue (technical: systems, products, cover rules, the nurse line's
protocols; behavioural: empathy with anxious callers, handling distressed callers, complaint
handling), induction plans for the jobs, sessions at each site, and each person's record, a
realistic mix of complete, expiring, due and overdue, with a few training needs.

Run after seed_employees (it needs employment records) and after the calls demo's skills (it links
courses to the skills that exist, and creates none). Deterministic for a given random generator."""

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from ..models import (
    Course,
    CourseKind,
    Employee,
    EmploymentStatus,
    Enrolment,
    EnrolmentStatus,
    InductionItem,
    JobRole,
    NeedSource,
    NeedStatus,
    Site,
    TrainingNeed,
    TrainingSession,
    User,
)
from ..roles import Role
from ..rules.training import expiry_date
from .employees import seed_job_roles

T, B = CourseKind.TECHNICAL, CourseKind.BEHAVIOURAL
# code, title, Arabic title, kind, hours, renewal months, pass mark, skill code, description
COURSES = [
    ("systems", "Tawasul and telephony systems", "أنظمة تواصل والهاتف", T, "7", None, None, None,
     "Logging contacts, wrap-up codes, agent states, the member record and the knowledge base."),
    ("products", "Products and plans", "المنتجات والخطط", T, "7", 12, 80, "membership",
     "Every plan, its options and excesses, and what changes at renewal."),
    ("cover-rules", "Cover rules and pre-authorisation", "قواعد التغطية والموافقة المسبقة", T, "14", 12, 80, "cover",
     "Reading a policy, outpatient limits, exclusions, pre-authorisation and the cover check."),
    ("nurse-protocols", "Nurse line protocols", "بروتوكولات خط التمريض", T, "14", 12, 85, "clinical",
     "Triage dispositions, safety-netting, when to send to emergency care, clinical records."),
    ("empathy", "Empathy with anxious callers", "التعاطف مع المتصلين القلقين", B, "3.5", None, None, None,
     "Hearing the worry behind the question; reassurance without promises; plain words."),
    ("distressed-callers", "Handling distressed callers", "التعامل مع المتصلين المنزعجين", B, "7", 24, None, None,
     "Bereavement, serious diagnoses, anger; staying with the caller; looking after yourself afterwards."),
    ("complaint-handling", "Complaint handling", "معالجة الشكاوى", B, "7", 24, 75, "complaints",
     "Recognising a complaint, the regulatory deadlines, summary resolution and final responses."),
]  # fmt: skip
# job code -> (course code, due within days of starting)
PLANS = {
    "customer-service-adviser": [
        ("systems", 7), ("products", 14), ("empathy", 21), ("cover-rules", 28),
        ("distressed-callers", 42), ("complaint-handling", 56),
    ],
    "team-leader": [("systems", 14), ("complaint-handling", 28), ("distressed-callers", 28)],
    "nurse-adviser": [("systems", 7), ("nurse-protocols", 14), ("empathy", 21), ("distressed-callers", 28)],
}  # fmt: skip
NEEDS = [
    "Struggles to end calls with anxious members politely; coach on reassurance.",
    "Cover explanations for outpatient limits were unclear in two reviewed calls.",
    "Asked for help with angry callers after a difficult week.",
    "Missed a complaint in a call flagged by quality review.",
]


def seed_training(*, rng: random.Random, people) -> None:
    today = timezone.localdate()
    courses = _courses()
    _plans(courses)
    sessions = _sessions(rng, courses, today)
    _records(rng, courses, sessions, today)
    _needs(rng, courses, today)


def _courses() -> dict[str, Course]:
    from calls.models import Skill

    skills = {s.code: s for s in Skill.objects.all()}
    courses = {}
    for code, title, title_ar, kind, hours, renewal, pass_mark, skill, description in COURSES:
        courses[code], _ = Course.objects.update_or_create(
            code=code,
            defaults={
                "title": title,
                "title_ar": title_ar,
                "kind": kind,
                "duration_hours": Decimal(hours),
                "renewal_months": renewal,
                "pass_mark": pass_mark,
                "grants_skill": skills.get(skill),
                "description": description,
            },
        )
    return courses


def _plans(courses: dict[str, Course]) -> None:
    jobs = {job.code: job for job in seed_job_roles().values()}  # the employees demo owns the jobs
    for job_code, items in PLANS.items():
        job = jobs[job_code]
        for course_code, days in items:
            InductionItem.objects.update_or_create(
                job_role=job, course=courses[course_code], defaults={"due_within_days": days}
            )


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


def _sessions(rng: random.Random, courses, today: date) -> dict[str, list[TrainingSession]]:
    """Two past and two coming sessions of each course at each site, run by HR or a team leader."""
    trainers = list(
        User.objects.filter(groups__name__in=[Role.HR, Role.TEAM_LEADER], is_active=True).order_by("pk")[:6]
    )
    made = []
    for site in Site.objects.order_by("pk"):
        for course in courses.values():
            for offset in (-60, -20, 9, 30):
                day = today + timedelta(days=offset + rng.randint(0, 6))
                made.append(
                    TrainingSession(
                        course=course,
                        site=site,
                        starts_at=_at(day, rng.choice([9, 13])),
                        trainer=rng.choice(trainers) if trainers else None,
                        capacity=rng.choice([8, 10, 12]),
                    )
                )
    TrainingSession.objects.bulk_create(made)
    by_course: dict[str, list[TrainingSession]] = {}
    for session in made:
        by_course.setdefault(session.course.code, []).append(session)
    return by_course


def _records(rng: random.Random, courses, sessions, today: date) -> None:
    """Each active person's record on their job's plan: new starters due; about three in four others
    complete (some expiring or expired, as renewals come round); some due on a new date; some overdue,
    with or without a place."""
    plans = {
        job_id: [(courses[c], days) for c, days in PLANS[code]]
        for job_id, code in JobRole.objects.filter(code__in=PLANS).values_list("pk", "code")
    }
    taken: dict[int, int] = {}
    enrolments = []
    employees = Employee.objects.exclude(status=EmploymentStatus.LEFT).select_related("user").order_by("pk")
    for employee in employees:
        for course, days in plans.get(employee.job_role_id, []):
            due = employee.start_date + timedelta(days=days)
            roll = rng.random()
            if due >= today:  # a new starter: booked into a coming session when there is room
                enrolments.append(_open(employee, course, due, _coming(sessions[course.code], taken, today)))
            elif roll < 0.74:
                enrolments.append(_completed(rng, employee, course, due, today))
            elif roll < 0.86:  # missed, and given a new date by their leader: due
                new_due = today + timedelta(days=rng.randint(5, 45))
                enrolments.append(_open(employee, course, new_due, _coming(sessions[course.code], taken, today)))
            elif roll < 0.95:  # still waiting for a place: overdue
                enrolments.append(_open(employee, course, due, _coming(sessions[course.code], taken, today)))
            # else: nothing recorded yet, overdue by the plan alone
    Enrolment.objects.bulk_create(enrolments, batch_size=1000)


def _coming(course_sessions: list[TrainingSession], taken: dict[int, int], today: date) -> TrainingSession | None:
    for session in course_sessions:
        if session.starts_at.date() > today and taken.get(session.pk, 0) < session.capacity:
            taken[session.pk] = taken.get(session.pk, 0) + 1
            return session
    return None


def _open(employee, course, due: date, session) -> Enrolment:
    return Enrolment(employee=employee, course=course, session=session, due_by=due)


def _completed(rng: random.Random, employee, course, due: date, today: date) -> Enrolment:
    # Renewable courses: completed within about one renewal period, so a few have expired and a few
    # expire within the month; the others any time between starting and a month after the due date.
    if course.renewal_months:
        completed_on = today - timedelta(days=rng.randint(1, course.renewal_months * 30 + 45))
    else:
        completed_on = due - timedelta(days=rng.randint(-30, max(0, (due - employee.start_date).days)))
    completed_on = min(max(completed_on, employee.start_date), today - timedelta(days=1))
    score = rng.randint(course.pass_mark, 100) if course.pass_mark is not None else None
    return Enrolment(
        employee=employee,
        course=course,
        due_by=due,
        status=EnrolmentStatus.COMPLETED,
        attended=True,
        score=score,
        completed_on=completed_on,
        expires_on=expiry_date(completed_on, course.renewal_months),
    )


def _needs(rng: random.Random, courses, today: date) -> None:
    """A few open needs raised by team leaders, quality reviews and appraisals, and the renewals now due."""
    employees = list(
        Employee.objects.exclude(status=EmploymentStatus.LEFT)
        .filter(user__team__isnull=False)
        .select_related("user__team")
        .order_by("pk")
    )
    needs = []
    for employee in rng.sample(employees, k=min(len(employees), 12)):
        course = rng.choice([courses["empathy"], courses["cover-rules"], courses["complaint-handling"], None])
        needs.append(
            TrainingNeed(
                employee=employee,
                course=course,
                description=rng.choice(NEEDS),
                source=rng.choice([NeedSource.MANAGER, NeedSource.QUALITY_REVIEW, NeedSource.APPRAISAL]),
                raised_by_id=employee.user.team.leader_id,
                raised_at=timezone.now() - timedelta(days=rng.randint(1, 60)),
            )
        )
    TrainingNeed.objects.bulk_create(needs)
    expiring = (
        Enrolment.objects.filter(
            status=EnrolmentStatus.COMPLETED,
            expires_on__lte=today + timedelta(days=30),
            expires_on__gte=today,
        )
        .select_related("course")
        .order_by("pk")[:10]
    )
    TrainingNeed.objects.bulk_create(
        [
            TrainingNeed(
                employee_id=e.employee_id,
                course=e.course,
                source=NeedSource.RENEWAL,
                status=NeedStatus.OPEN,
                description=f"Renew {e.course.title}: the certificate expires on {e.expires_on:%d/%m/%Y}.",
            )
            for e in expiring
        ]
    )
