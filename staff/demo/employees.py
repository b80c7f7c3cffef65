"""Demo employment records: the case study's jobs (customer service adviser, team leader, nurse
adviser, and the other roles) with their job descriptions and person specifications; an employment
record for every demo person; a few leavers, early leavers among them; nurses' registrations (one
expiring soon, one expired); profit-share eligibility after a year's service.

Deterministic for a given random generator. Induction enrolments are left to the training demo."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from ..models import (
    Assessment,
    Competency,
    CompetencyKind,
    Employee,
    EmploymentStatus,
    JobRole,
    LeavingReason,
    PersonSpecItem,
    Qualification,
    QualificationKind,
    User,
)
from ..roles import Role
from . import DEMO_DOMAIN, DEMO_LOGINS

T, B = CompetencyKind.TECHNICAL, CompetencyKind.BEHAVIOURAL
A = Assessment
# (code, name, Arabic name, kind, what good looks like)
COMPETENCIES = [
    ("cover-knowledge", "Knowledge of products and cover rules", "المعرفة بالمنتجات وقواعد التغطية", T,
     "Explains what a member's policy covers, its excess and its waiting periods, correctly, first time."),
    ("systems-use", "Using the contact-centre systems", "استخدام أنظمة مركز الاتصال", T,
     "Finds the member, records the contact and wraps it up accurately while keeping the conversation going."),
    ("written-english", "Clear written English", "كتابة واضحة بالإنجليزية", T,
     "Writes emails and letters a member understands on first reading, with no errors."),
    ("clinical-assessment", "Clinical telephone assessment", "التقييم السريري عبر الهاتف", T,
     "Assesses symptoms over the phone, gives safe advice and knows when to send the caller to urgent care."),
    ("empathy", "Empathy with an anxious or unwell caller", "التعاطف مع المتصل القلق أو المريض", B,
     "Hears what worries the caller, reassures them, and does not rush someone who is unwell."),
    ("exceeding-needs", "Meeting and exceeding customers' needs", "تلبية احتياجات العملاء وتجاوزها", B,
     "Resolves the query on the first call and anticipates what the member will need next."),
    ("resilience", "Resilience under pressure", "المرونة تحت الضغط", B,
     "Stays calm and courteous with a distressed or angry caller and through busy periods."),
    ("teamwork", "Working in a team", "العمل ضمن فريق", B,
     "Shares knowledge, covers for colleagues, accepts coaching."),
    ("coaching", "Coaching and developing people", "تدريب الأفراد وتطويرهم", B,
     "Listens to calls with advisers, gives specific feedback and agrees objectives they can meet."),
]  # fmt: skip

JOBS = {
    Role.AGENT: {
        "code": "customer-service-adviser",
        "title": "Customer service adviser",
        "title_ar": "مستشار خدمة العملاء",
        "purpose": "Answers members' telephone calls, emails and letters about their health cover: what is "
        "covered, claims, pre-authorisation, payments and renewals. Advisers are the company's voice to members "
        "who are often anxious or unwell, so each call shapes how members feel about their cover.",
        "responsibilities": "Confirm cover accurately against the policy and its rules.\n"
        "Pre-authorise treatment and log claims so that they can be settled quickly.\n"
        "Resolve the query on the first contact wherever possible; own the follow-up when not.\n"
        "Reassure anxious and unwell callers, taking the time they need.\n"
        "Meet the team's service standards for quality, first-contact resolution and customer satisfaction.",
        "reports_to": "Team leader",
        "spec": [
            ("cover-knowledge", True, A.COMPETENCY_INTERVIEW),
            ("systems-use", False, A.CENTRE_VISIT),
            ("written-english", True, A.EMAIL_EXERCISE),
            ("empathy", True, A.TELEPHONE_SCREENING),
            ("exceeding-needs", True, A.COMPETENCY_INTERVIEW),
            ("resilience", True, A.CENTRE_VISIT),
            ("teamwork", False, A.COMPETENCY_INTERVIEW),
        ],
    },
    Role.TEAM_LEADER: {
        "code": "team-leader",
        "title": "Team leader",
        "title_ar": "قائد الفريق",
        "purpose": "Leads a team of about fifteen advisers so that members get accurate, caring answers first "
        "time, and the team meets its service levels.",
        "responsibilities": "Coach advisers through call listening and scored quality evaluations.\n"
        "Agree each adviser's work objectives and appraise them against the person specification.\n"
        "Handle escalated calls and complaints.\n"
        "Plan the team's cover with the workforce planners; hold regular team briefings.",
        "reports_to": "Contact centre manager",
        "spec": [
            ("coaching", True, A.COMPETENCY_INTERVIEW),
            ("cover-knowledge", True, A.COMPETENCY_INTERVIEW),
            ("exceeding-needs", True, A.COMPETENCY_INTERVIEW),
            ("resilience", True, A.CENTRE_VISIT),
            ("written-english", True, A.EMAIL_EXERCISE),
            ("teamwork", False, A.TELEPHONE_SCREENING),
        ],
    },
    Role.NURSE: {
        "code": "nurse-adviser",
        "title": "Nurse adviser",
        "title_ar": "ممرض استشاري",
        "purpose": "Staffs the 24-hour nurse advice line: registered nurses who give members health information "
        "and advice over the phone, any time of day or night.",
        "responsibilities": "Assess the caller's symptoms over the phone and give safe, clear advice.\n"
        "Direct the caller to the right care: self-care, their GP, urgent care or emergency services.\n"
        "Record each triage fully; safety-net every call.\n"
        "Keep the nursing registration current (NMC revalidation).",
        "reports_to": "Nurse team leader",
        "needs_nurse_registration": True,
        "spec": [
            ("clinical-assessment", True, A.COMPETENCY_INTERVIEW),
            ("empathy", True, A.TELEPHONE_SCREENING),
            ("written-english", True, A.EMAIL_EXERCISE),
            ("resilience", True, A.CENTRE_VISIT),
            ("cover-knowledge", False, A.COMPETENCY_INTERVIEW),
        ],
    },
    Role.MANAGER: {
        "code": "contact-centre-manager",
        "title": "Contact centre manager",
        "title_ar": "مدير مركز الاتصال",
        "purpose": "Runs a contact centre site: its service levels, its people and its costs.",
        "responsibilities": "Set service standards and see that they are met.\n"
        "Lead the team leaders; act on attrition, quality and customer satisfaction figures.",
        "reports_to": "Head of customer service",
        "spec": [("coaching", True, A.COMPETENCY_INTERVIEW), ("resilience", True, A.COMPETENCY_INTERVIEW)],
    },
    Role.HR: {
        "code": "hr-adviser",
        "title": "HR adviser",
        "title_ar": "مستشار الموارد البشرية",
        "purpose": "Recruits, trains and keeps the people the contact centres need.",
        "responsibilities": "Run recruitment against the person specification.\n"
        "Keep employment records; report on retention.",
        "reports_to": "HR manager",
        "spec": [("written-english", True, A.EMAIL_EXERCISE), ("teamwork", True, A.COMPETENCY_INTERVIEW)],
    },
    Role.ADMINISTRATOR: {
        "code": "systems-administrator",
        "title": "Systems administrator",
        "title_ar": "مسؤول الأنظمة",
        "purpose": "Keeps the contact-centre systems running and their reference data right.",
        "responsibilities": "Manage accounts, queues, skills and reference data; watch system health.",
        "reports_to": "IT service manager",
        "spec": [("systems-use", True, A.COMPETENCY_INTERVIEW)],
    },
    Role.CLAIMS_ASSESSOR: {
        "code": "claims-assessor",
        "title": "Claims assessor",
        "title_ar": "مقيّم المطالبات",
        "purpose": "Assesses and settles members' claims against their cover.",
        "responsibilities": "Assess claims against the policy; request information; schedule payment.",
        "reports_to": "Claims team leader",
        "spec": [("cover-knowledge", True, A.COMPETENCY_INTERVIEW), ("written-english", True, A.EMAIL_EXERCISE)],
    },
}

DEMO_START = {Role.AGENT: date(2023, 9, 4), Role.NURSE: date(2021, 4, 12), Role.TEAM_LEADER: date(2019, 2, 4)}
LEAVING_REASONS = [
    LeavingReason.CAREER,
    LeavingReason.PAY,
    LeavingReason.HOURS,
    LeavingReason.WORKLOAD,
    LeavingReason.RELOCATION,
    LeavingReason.PERSONAL,
]


def seed_job_roles() -> dict[str, JobRole]:
    """The competencies and jobs above (created or brought up to date), by access role."""
    competencies = {}
    for code, name, name_ar, kind, description in COMPETENCIES:
        competencies[code], _ = Competency.objects.update_or_create(
            code=code, defaults={"name": name, "name_ar": name_ar, "kind": kind, "description": description}
        )
    jobs = {}
    for role, job in JOBS.items():
        fields = {k: v for k, v in job.items() if k not in ("code", "spec")}
        jobs[role], _ = JobRole.objects.update_or_create(code=job["code"], defaults={**fields, "access_role": role})
        for code, essential, assessed_by in job["spec"]:
            PersonSpecItem.objects.get_or_create(
                job_role=jobs[role],
                competency=competencies[code],
                assessed_by=assessed_by,
                defaults={"essential": essential},
            )
    return jobs


def seed_employees(*, rng: random.Random, people) -> None:
    """An employment record for every demo person (API clients aside) who has none."""
    jobs = seed_job_roles()
    today = timezone.localdate()
    users = (
        User.objects.exclude(groups__name=Role.API_CLIENT)
        .filter(employee__isnull=True)
        .prefetch_related("groups")
        .order_by("pk")
    )
    login_emails = {f"{local}@{DEMO_DOMAIN}" for _role, local, *_rest in DEMO_LOGINS}
    demo_logins = {u.pk for u in users if u.email in login_emails}
    employees = []
    for number, user in enumerate(users, start=1):
        role = next((g.name for g in user.groups.all() if g.name in jobs), Role.AGENT)
        start = DEMO_START.get(role, date(2020, 1, 6)) if user.pk in demo_logins else user.date_joined.date()
        employee = Employee(
            user=user,
            employee_number=f"T{number:05d}",
            job_role=jobs[role],
            start_date=start,
            contract_hours=rng.choice([Decimal("37.5"), Decimal("37.5"), Decimal("30"), Decimal("22.5")]),
        )
        if start <= today - timedelta(days=365):
            employee.profit_share_eligible_from = start + timedelta(days=365)
        employees.append(employee)
    # About one agent in twelve left in the last year (at least four), the first of every three early.
    agents = [e for e in employees if e.job_role_id == jobs[Role.AGENT].pk and e.user_id not in demo_logins]
    for i, leaver in enumerate(rng.sample(agents, k=min(len(agents), max(4, len(agents) // 12)))):
        _make_leaver(leaver, rng=rng, today=today, early=i % 3 == 0)
    Employee.objects.bulk_create(employees, batch_size=500)
    _registrations(
        [e for e in employees if e.job_role_id == jobs[Role.NURSE].pk and e.status != EmploymentStatus.LEFT],
        rng=rng,
        today=today,
    )


def _make_leaver(employee: Employee, *, rng: random.Random, today: date, early: bool) -> None:
    """A leaver in the last year; an early one gone within 90 days of starting."""
    left_on = today - timedelta(days=rng.randint(5, 360))
    if early:
        employee.start_date = left_on - timedelta(days=rng.randint(14, 85))
        employee.leaving_reason = rng.choice([LeavingReason.PROBATION, LeavingReason.WORKLOAD, LeavingReason.HOURS])
        employee.profit_share_eligible_from = None
    else:
        employee.start_date = min(employee.start_date, left_on - timedelta(days=120))
        employee.leaving_reason = rng.choice(LEAVING_REASONS)
    employee.status = EmploymentStatus.LEFT
    employee.left_on = left_on
    employee.leaving_note = "Exit interview held." if rng.random() < 0.5 else ""
    if employee.profit_share_eligible_from and employee.profit_share_eligible_from > left_on:
        employee.profit_share_eligible_from = None


def _registrations(nurses: list[Employee], *, rng: random.Random, today: date) -> None:
    """A nursing registration (NMC PIN) for each nurse: the first expiring within 60 days, the second
    expired (so the warnings show), the rest one to three years ahead."""
    qualifications = []
    for i, nurse in enumerate(nurses):
        if i == 0:
            expires_on = today + timedelta(days=rng.randint(10, 50))
        elif i == 1:
            expires_on = today - timedelta(days=rng.randint(3, 20))
        else:
            expires_on = today + timedelta(days=rng.randint(365, 1095))
        qualifications.append(
            Qualification(
                employee=nurse,
                kind=QualificationKind.NURSE_REGISTRATION,
                name="Registered Nurse (Adult)",
                registration_number=f"{rng.randint(70, 99)}{chr(65 + i % 26)}{i:04d}{'EOS'[i % 3]}",
                expires_on=expires_on,
            )
        )
    Qualification.objects.bulk_create(qualifications)
