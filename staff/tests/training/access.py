"""The role matrix's rows for the training pages and endpoints (gathered by staff/tests/access.py).

The POSTs are made on closed records (a cancelled place, a cancelled need), so each allowed caller
is refused with a message and sent back (302) and the records stay as they were for the next row."""

from contactcentre.tests.matrix import ADM, API, CA, HR, TL, A, M, N, api, every, only, posted  # noqa: F401

LEADERS = (TL, M, HR)

# (url name, path with {placeholders} from records(), method, expected status per caller)
ROWS: list[tuple] = [
    ("staff:training-courses", "/staff/training/courses/", "get", only(*LEADERS)),
    ("staff:training-course", "/staff/training/courses/{training_course}/", "get", only(*LEADERS)),
    ("staff:training-session-new", "/staff/training/courses/{training_course}/sessions/new/", "get", only(HR)),
    # Empty: the form again, with its errors.
    ("staff:training-session-new", "/staff/training/courses/{training_course}/sessions/new/", "post", only(HR)),
    ("staff:training-enrol", "/staff/training/courses/{training_course}/enrol/", "get", only(*LEADERS)),
    ("staff:training-enrol", "/staff/training/courses/{training_course}/enrol/", "post", only(*LEADERS)),
    ("staff:training-session", "/staff/training/sessions/{training_session}/", "get", only(*LEADERS)),
    *[
        (
            "staff:training-enrolment-action",
            f"/staff/training/enrolments/{{training_enrolment_closed}}/{action}/",
            "post",
            posted(HR),
        )
        for action in ("attended", "complete", "no-show", "cancel")
    ],
    ("staff:training-matrix", "/staff/training/matrix/", "get", only(*LEADERS)),
    ("staff:training-matrix", "/staff/training/matrix/?team={staff_team}", "get", only(*LEADERS)),
    ("staff:training-matrix-export", "/staff/training/matrix/export.csv?team={staff_team}", "get", only(*LEADERS)),
    ("staff:training-induction-plans", "/staff/training/induction/", "get", only(*LEADERS)),
    ("staff:training-induction-plan", "/staff/training/induction/{training_job_role}/", "get", only(*LEADERS)),
    ("staff:training-needs", "/staff/training/needs/", "get", only(*LEADERS)),
    ("staff:training-need-new", "/staff/training/needs/new/", "get", only(*LEADERS)),
    # Empty: the form again, with its errors, as a 400.
    ("staff:training-need-new", "/staff/training/needs/new/", "post", only(*LEADERS) | dict.fromkeys(LEADERS, 400)),
    ("staff:training-need-plan", "/staff/training/needs/{training_need_open}/plan/", "get", only(*LEADERS)),
    ("staff:training-need-plan", "/staff/training/needs/{training_need_closed}/plan/", "post", posted(*LEADERS)),
    ("staff:training-need-cancel", "/staff/training/needs/{training_need_closed}/cancel/", "post", posted(*LEADERS)),
    ("staff:my-training", "/staff/me/training/", "get", only(A, N, TL, M, HR, ADM, CA)),
    # The agent is in the team leader's team, at the manager's site; others are told it does not exist.
    ("staff:employee-training", "/staff/employees/{employee_agent}/training/", "get", only(A, *LEADERS, denied=404)),
]


def records(people: dict, base: dict) -> dict:
    """The objects ROWS name, as {placeholder: primary key}. `people` maps each role to a user;
    `base` holds what staff/tests/access.py made for every area (team, employees)."""
    from staff.models import Employee, EnrolmentStatus, NeedStatus

    from .factories import CourseFactory, EnrolmentFactory, TrainingNeedFactory, TrainingSessionFactory

    agent = Employee.objects.get(pk=base["employee_agent"])
    course = CourseFactory(code="matrix-course", title="Cover rules")
    session = TrainingSessionFactory(course=course, site=people[TL].site)
    closed = EnrolmentFactory(employee=agent, course=course, session=session, status=EnrolmentStatus.CANCELLED)
    return {
        "training_course": course.pk,
        "training_session": session.pk,
        "training_enrolment_closed": closed.pk,
        "training_job_role": agent.job_role_id,
        "training_need_open": TrainingNeedFactory(employee=agent, course=course).pk,
        "training_need_closed": TrainingNeedFactory(employee=agent, course=course, status=NeedStatus.CANCELLED).pk,
    }
