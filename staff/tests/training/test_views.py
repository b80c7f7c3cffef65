"""Training pages: who may see which matrix and whose training, what the matrix shows (standing as
colour and text, with dates), its CSV, recording results, raising and planning needs, and the query
counts of the lists, which do not grow with rows."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from contactcentre.models import AuditAction, AuditEvent
from staff.models import Enrolment, EnrolmentStatus, NeedSource, NeedStatus, TrainingNeed
from staff.roles import Role
from staff.tests.factories import EmployeeFactory, JobRoleFactory, SiteFactory, TeamFactory

from .factories import (
    CourseFactory,
    EnrolmentFactory,
    InductionItemFactory,
    TrainingNeedFactory,
    TrainingSessionFactory,
)

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world(user_factory):
    """Two teams at one site, each with its leader and an agent; HR; the site's manager; and an agent
    of another site's team."""
    site, elsewhere = SiteFactory(code="staines"), SiteFactory(code="manchester")
    leader, other_leader = (
        user_factory(role=Role.TEAM_LEADER, site=site),
        user_factory(role=Role.TEAM_LEADER, site=site),
    )
    team, other_team = TeamFactory(site=site, leader=leader), TeamFactory(site=site, leader=other_leader)
    far_team = TeamFactory(site=elsewhere)
    job = JobRoleFactory(code="customer-service-adviser")
    agent = EmployeeFactory(
        user=user_factory(role=Role.AGENT, site=site, team=team, full_name="Amira Haddad"), job_role=job
    )
    other_agent = EmployeeFactory(user=user_factory(role=Role.AGENT, site=site, team=other_team), job_role=job)
    return {
        "site": site,
        "team": team,
        "other_team": other_team,
        "far_team": far_team,
        "leader": leader,
        "other_leader": other_leader,
        "hr": user_factory(role=Role.HR, site=site),
        "manager": user_factory(role=Role.MANAGER, site=site),
        "far_manager": user_factory(role=Role.MANAGER, site=elsewhere),
        "agent": agent,
        "other_agent": other_agent,
        "job": job,
    }


@pytest.mark.parametrize(
    ("who", "team", "status"),
    [
        ("leader", "team", 200),
        ("other_leader", "team", 404),
        ("manager", "team", 200),
        ("manager", "far_team", 404),
        ("far_manager", "team", 404),
        ("hr", "far_team", 200),
    ],
)
def test_matrix_is_shown_to_the_teams_leader_its_sites_manager_and_hr(world, who, team, status):
    response = logged_in(world[who]).get(f"/staff/training/matrix/?team={world[team].pk}")
    assert response.status_code == status


def test_matrix_refuses_agents(world):
    assert logged_in(world["agent"].user).get(f"/staff/training/matrix/?team={world['team'].pk}").status_code == 403


def test_matrix_offers_only_the_teams_one_may_see(world):
    html = logged_in(world["leader"]).get("/staff/training/matrix/").content.decode()
    assert f'value="{world["team"].pk}"' in html
    assert f'value="{world["other_team"].pk}"' not in html


def test_matrix_shows_each_standing_as_text_and_colour_with_dates(world):
    today = timezone.localdate()
    agent = world["agent"]
    systems = CourseFactory(title="Systems", renewal_months=12)
    empathy = CourseFactory(title="Empathy with anxious callers")
    cover = CourseFactory(title="Cover rules")
    complaints = CourseFactory(title="Complaint handling")
    InductionItemFactory(job_role=world["job"], course=systems)
    InductionItemFactory(job_role=world["job"], course=empathy)
    InductionItemFactory(job_role=world["job"], course=cover, due_within_days=7)
    EnrolmentFactory(
        employee=agent,
        course=systems,
        status=EnrolmentStatus.COMPLETED,
        attended=True,
        completed_on=today - timedelta(days=350),
        expires_on=today + timedelta(days=15),
    )
    EnrolmentFactory(employee=agent, course=empathy, due_by=today + timedelta(days=10))
    EnrolmentFactory(
        employee=agent,
        course=complaints,
        status=EnrolmentStatus.COMPLETED,
        attended=True,
        completed_on=date(2025, 3, 1),
    )
    html = logged_in(world["leader"]).get(f"/staff/training/matrix/?team={world['team'].pk}").content.decode()
    row = html.split(f'data-testid="person-{agent.pk}"')[1].split("</tr>")[0]
    assert 'text-bg-warning" data-standing="expiring">Expiring' in row
    assert (today + timedelta(days=15)).strftime("%d/%m/%Y") in row
    assert 'text-bg-info" data-standing="due">Due' in row
    assert (today + timedelta(days=10)).strftime("%d/%m/%Y") in row
    # Cover rules: due 7 days after a start in January 2025, long passed.
    assert 'text-bg-danger" data-standing="overdue">Overdue' in row and "13/01/2025" in row
    # A course held but not in the plan is a column too.
    assert 'data-standing="complete">Complete' in row and "Complaint handling" in html


def test_matrix_query_count_does_not_grow_with_people(world, django_assert_max_num_queries):
    courses = [CourseFactory() for _ in range(3)]
    for course in courses:
        InductionItemFactory(job_role=world["job"], course=course)
    client = logged_in(world["hr"])
    url = f"/staff/training/matrix/?team={world['team'].pk}"
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for _ in range(6):
        employee = EmployeeFactory(user__team=world["team"], user__site=world["site"], job_role=world["job"])
        EnrolmentFactory(employee=employee, course=courses[0])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).content.decode().count('data-testid="person-') == 7


def test_matrix_csv_has_a_row_per_person_and_is_audited(world):
    InductionItemFactory(job_role=world["job"], course=CourseFactory(title="=Cover rules"))
    response = logged_in(world["leader"]).get(f"/staff/training/matrix/export.csv?team={world['team'].pk}")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["Employee number", "Name", "Job", "'=Cover rules"]
    assert rows[1][1] == "Amira Haddad" and rows[1][3].startswith("Overdue")
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="staff.team").exists()


def test_matrix_csv_refused_for_another_teams_leader(world):
    url = f"/staff/training/matrix/export.csv?team={world['team'].pk}"
    assert logged_in(world["other_leader"]).get(url).status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [("hr", 200), ("leader", 200), ("other_leader", 404), ("agent", 200), ("other_agent", 404)],
)
def test_employee_training_is_shown_to_those_who_may_see_the_person(world, who, status):
    user = world[who].user if who in ("agent", "other_agent") else world[who]
    assert logged_in(user).get(f"/staff/employees/{world['agent'].pk}/training/").status_code == status


def test_reading_someone_elses_training_is_audited_but_ones_own_is_not(world):
    logged_in(world["agent"].user).get(f"/staff/employees/{world['agent'].pk}/training/")
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW).exists()
    logged_in(world["leader"]).get(f"/staff/employees/{world['agent'].pk}/training/")
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(world["agent"].pk)).exists()


def test_my_training_shows_my_courses_and_standing(world, django_assert_max_num_queries):
    course = CourseFactory(title="Handling distressed callers")
    InductionItemFactory(job_role=world["job"], course=course)
    client = logged_in(world["agent"].user)
    with django_assert_max_num_queries(12):
        html = client.get("/staff/me/training/").content.decode()
    assert "My training" in html and "Handling distressed callers" in html and 'data-standing="overdue"' in html


def test_my_training_without_an_employment_record_says_so(user_factory):
    html = logged_in(user_factory(role=Role.ADMINISTRATOR)).get("/staff/me/training/").content.decode()
    assert "No employment record" in html


def test_hr_records_a_result_below_the_pass_mark_as_not_passed(world):
    session = TrainingSessionFactory(course=CourseFactory(pass_mark=80), site=world["site"])
    place = EnrolmentFactory(employee=world["agent"], course=session.course, session=session)
    url = f"/staff/training/enrolments/{place.pk}/complete/"
    response = logged_in(world["hr"]).post(url, {"score": "70", "next": f"/staff/training/sessions/{session.pk}/"})
    assert response.status_code == 302 and response["Location"] == f"/staff/training/sessions/{session.pk}/"
    place.refresh_from_db()
    assert (place.status, place.score) == (EnrolmentStatus.FAILED, 70)


def test_the_trainer_records_completion_and_a_leader_who_is_not_the_trainer_may_not(world):
    session = TrainingSessionFactory(course=CourseFactory(), site=world["site"], trainer=world["other_leader"])
    place = EnrolmentFactory(employee=world["agent"], course=session.course, session=session)
    assert logged_in(world["leader"]).post(f"/staff/training/enrolments/{place.pk}/complete/").status_code == 403
    assert logged_in(world["other_leader"]).get(f"/staff/training/sessions/{session.pk}/").status_code == 200
    logged_in(world["other_leader"]).post(f"/staff/training/enrolments/{place.pk}/complete/")
    place.refresh_from_db()
    assert place.status == EnrolmentStatus.COMPLETED


def test_a_score_outside_the_scale_is_refused_with_a_message(world):
    place = EnrolmentFactory(employee=world["agent"], course=CourseFactory(pass_mark=50))
    client = logged_in(world["hr"])
    response = client.post(f"/staff/training/enrolments/{place.pk}/complete/", {"score": "120"}, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any(m.startswith("Check the result") and "Score (%)" in m for m in messages), messages
    place.refresh_from_db()
    assert place.status == EnrolmentStatus.ENROLLED


def test_enrolling_into_a_full_session_keeps_the_form_with_the_error(world):
    session = TrainingSessionFactory(course=CourseFactory(), site=world["site"], capacity=1)
    EnrolmentFactory(employee=world["other_agent"], course=session.course, session=session)
    response = logged_in(world["hr"]).post(
        f"/staff/training/courses/{session.course.pk}/enrol/",
        {"employee": world["agent"].pk, "session": session.pk, "due_by": "2031-05-04"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "This session is full" in html and 'value="2031-05-04"' in html
    assert not Enrolment.objects.filter(employee=world["agent"]).exists()


def test_a_leader_cannot_enrol_someone_outside_their_team(world):
    course = CourseFactory()
    response = logged_in(world["leader"]).post(
        f"/staff/training/courses/{course.pk}/enrol/", {"employee": world["other_agent"].pk}
    )
    assert response.status_code == 200 and not Enrolment.objects.exists()


def test_hr_schedules_a_session(world):
    course = CourseFactory()
    response = logged_in(world["hr"]).post(
        f"/staff/training/courses/{course.pk}/sessions/new/",
        {"site": world["site"].pk, "starts_at": "2031-03-02T09:30", "capacity": "10"},
    )
    assert response.status_code == 302
    assert course.sessions.get().capacity == 10


def test_leader_raises_a_need_from_the_form_as_a_manager_need(world):
    response = logged_in(world["leader"]).post(
        "/staff/training/needs/new/", {"employee": world["agent"].pk, "description": "Calls with bereaved members"}
    )
    assert response.status_code == 302
    need = TrainingNeed.objects.get()
    assert (need.source, need.raised_by, need.status) == (NeedSource.MANAGER, world["leader"], NeedStatus.OPEN)


def test_needs_list_shows_a_leader_their_team_only(world, django_assert_max_num_queries):
    mine = TrainingNeedFactory(employee=world["agent"], course=CourseFactory())
    theirs = TrainingNeedFactory(employee=world["other_agent"])
    client = logged_in(world["leader"])
    with django_assert_max_num_queries(10) as few:
        html = client.get("/staff/training/needs/").content.decode()
    assert f'need-{mine.pk}"' in html and f'need-{theirs.pk}"' not in html
    for _ in range(5):
        TrainingNeedFactory(employee=world["agent"], course=CourseFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/staff/training/needs/")
    assert logged_in(world["hr"]).get("/staff/training/needs/").content.decode().count('data-testid="need-') == 7


def test_planning_a_need_enrols_and_cancelling_it_is_limited_to_those_who_see_the_person(world):
    need = TrainingNeedFactory(employee=world["agent"], course=CourseFactory())
    assert logged_in(world["other_leader"]).post(f"/staff/training/needs/{need.pk}/plan/").status_code == 404
    response = logged_in(world["leader"]).post(f"/staff/training/needs/{need.pk}/plan/")
    assert response.status_code == 302, response.content.decode()[-3000:]
    need.refresh_from_db()
    assert need.status == NeedStatus.PLANNED and need.enrolments.get().employee == world["agent"]
    assert logged_in(world["other_leader"]).post(f"/staff/training/needs/{need.pk}/cancel/").status_code == 404
    logged_in(world["leader"]).post(f"/staff/training/needs/{need.pk}/cancel/")
    need.refresh_from_db()
    assert need.status == NeedStatus.CANCELLED


def test_catalogue_and_course_page_query_counts_do_not_grow(world, django_assert_max_num_queries):
    course = CourseFactory()
    client = logged_in(world["hr"])
    for _ in range(2):
        TrainingSessionFactory(course=course, site=world["site"])
        EnrolmentFactory(course=course)
    with django_assert_max_num_queries(10) as catalogue:
        client.get("/staff/training/courses/")
    with django_assert_max_num_queries(12) as detail:
        client.get(f"/staff/training/courses/{course.pk}/")
    for _ in range(5):
        CourseFactory()
        TrainingSessionFactory(course=course, site=world["site"])
        EnrolmentFactory(course=course)
    with django_assert_max_num_queries(len(catalogue.captured_queries)):
        assert client.get("/staff/training/courses/").content.decode().count('data-testid="course-') == 6
    with django_assert_max_num_queries(len(detail.captured_queries)):
        client.get(f"/staff/training/courses/{course.pk}/")


def test_session_roster_query_count_does_not_grow(world, django_assert_max_num_queries):
    session = TrainingSessionFactory(course=CourseFactory(), site=world["site"], capacity=20)
    client = logged_in(world["hr"])
    EnrolmentFactory(course=session.course, session=session)
    with django_assert_max_num_queries(10) as few:
        client.get(f"/staff/training/sessions/{session.pk}/")
    for _ in range(5):
        EnrolmentFactory(course=session.course, session=session)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"/staff/training/sessions/{session.pk}/")


def test_induction_plan_page_lists_the_jobs_courses(world, django_assert_max_num_queries):
    InductionItemFactory(job_role=world["job"], course=CourseFactory(title="Products"), due_within_days=14)
    client = logged_in(world["leader"])
    with django_assert_max_num_queries(8):
        html = client.get(f"/staff/training/induction/{world['job'].pk}/").content.decode()
    assert "Products" in html and "within 14 days of starting" in html


def test_a_trainer_finds_their_sessions_on_my_training_and_records_there(world):
    session = TrainingSessionFactory(
        course=CourseFactory(title="Products"), site=world["site"], trainer=world["leader"]
    )
    html = logged_in(world["leader"]).get("/staff/me/training/").content.decode()
    assert f'href="/staff/training/sessions/{session.pk}/"' in html
    agent_html = logged_in(world["agent"].user).get("/staff/me/training/").content.decode()
    assert 'data-testid="sessions-run"' not in agent_html


def test_a_refused_change_says_the_place_is_closed(world):
    place = EnrolmentFactory(employee=world["agent"], course=CourseFactory(), status=EnrolmentStatus.CANCELLED)
    response = logged_in(world["hr"]).post(f"/staff/training/enrolments/{place.pk}/complete/", follow=True)
    assert "This place is closed (cancelled)" in response.content.decode()


def _views_of(object_type):
    return AuditEvent.objects.filter(action=AuditAction.VIEW, object_type=object_type)


@pytest.fixture
def shared_session(world):
    """A session with a place for an agent of each of the two teams."""
    session = TrainingSessionFactory(course=CourseFactory(), site=world["site"], trainer=world["hr"])
    for who in ("agent", "other_agent"):
        EnrolmentFactory(employee=world[who], course=session.course, session=session)
    return session


def _roster_of(client, session):
    html = client.get(f"/staff/training/sessions/{session.pk}/").content.decode()
    return {e.employee_id for e in session.enrolments.all() if f'enrolment-{e.pk}"' in html}


def test_a_leader_sees_only_their_people_on_a_sessions_roster_and_the_read_is_audited(world, shared_session):
    assert _roster_of(logged_in(world["leader"]), shared_session) == {world["agent"].pk}
    audit = _views_of("staff.trainingsession").get(actor=world["leader"])
    assert audit.object_id == str(shared_session.pk) and audit.detail["employees"] == [world["agent"].pk]


@pytest.mark.parametrize("who", ["hr", "trainer"])
def test_hr_and_the_trainer_see_the_whole_roster(world, shared_session, who):
    if who == "trainer":
        shared_session.trainer = world["far_manager"]
        shared_session.save()
        who = "far_manager"
    assert _roster_of(logged_in(world[who]), shared_session) == {world["agent"].pk, world["other_agent"].pk}


def test_a_roster_showing_only_oneself_is_not_audited(world):
    me = EmployeeFactory(user=world["leader"], job_role=world["job"])
    session = TrainingSessionFactory(course=CourseFactory(), site=world["site"])
    EnrolmentFactory(employee=me, course=session.course, session=session)
    EnrolmentFactory(employee=world["other_agent"], course=session.course, session=session)
    assert _roster_of(logged_in(world["leader"]), session) == {me.pk}
    assert not _views_of("staff.trainingsession").exists()


def test_the_course_pages_enrolments_are_audited_once_per_view(world):
    course = CourseFactory()
    EnrolmentFactory(employee=world["agent"], course=course)
    EnrolmentFactory(employee=world["other_agent"], course=course)
    logged_in(world["leader"]).get(f"/staff/training/courses/{course.pk}/")
    audit = _views_of("staff.course").get()
    assert audit.object_id == str(course.pk) and audit.detail == {"page": 1, "employees": [world["agent"].pk]}
    logged_in(world["other_leader"]).get(f"/staff/training/courses/{CourseFactory().pk}/")
    assert _views_of("staff.course").count() == 1  # nobody shown, nothing read


def test_the_matrix_page_is_audited_with_its_team_but_the_team_chooser_is_not(world):
    client = logged_in(world["leader"])
    client.get("/staff/training/matrix/")
    assert not _views_of("staff.team").exists()
    client.get(f"/staff/training/matrix/?team={world['team'].pk}")
    audit = _views_of("staff.team").get()
    assert audit.object_id == str(world["team"].pk)
    assert audit.detail == {"team": world["team"].pk, "employees": [world["agent"].pk]}


def test_the_needs_list_is_audited_with_its_filters_unless_it_shows_only_oneself(world):
    me = EmployeeFactory(user=world["leader"], job_role=world["job"])
    TrainingNeedFactory(employee=me)
    client = logged_in(world["leader"])
    client.get("/staff/training/needs/")
    assert not _views_of("staff.trainingneed").exists()
    TrainingNeedFactory(employee=world["agent"])
    client.get("/staff/training/needs/?status=open&q=")
    audit = _views_of("staff.trainingneed").get()
    assert audit.detail == {"filters": {"search": "", "status": "open"}, "page": 1, "employees": [world["agent"].pk]}


def test_a_need_the_model_refuses_is_shown_on_the_form_as_a_400(world, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise ValidationError({"description": ["Say more than that."]})

    monkeypatch.setattr(TrainingNeed, "full_clean", refuse)
    response = logged_in(world["leader"]).post(
        "/staff/training/needs/new/", {"employee": world["agent"].pk, "description": "Calls"}
    )
    html = response.content.decode()
    assert response.status_code == 400 and "Say more than that." in html and "Calls</textarea>" in html
    assert not TrainingNeed.objects.exists()


def test_course_and_job_titles_are_shown_in_arabic_to_arabic_readers(world):
    course = CourseFactory(title="Handling distressed callers", title_ar="التعامل مع المتصلين القلقين")
    job = world["job"]
    job.title_ar = "مستشار خدمة العملاء"
    job.save(update_fields=["title_ar"])
    client = logged_in(world["hr"])
    client.cookies["django_language"] = "ar"
    page = client.get(f"/staff/training/courses/{course.pk}/").content.decode()
    assert "التعامل مع المتصلين القلقين" in page and "Handling distressed callers" not in page
    english = logged_in(world["hr"]).get(f"/staff/training/courses/{course.pk}/").content.decode()
    assert "Handling distressed callers" in english
    jobs = client.get("/staff/jobs/").content.decode()
    assert "مستشار خدمة العملاء" in jobs
