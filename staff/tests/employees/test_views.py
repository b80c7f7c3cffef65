"""The employees pages: who may open a person's record, what it shows, HR's forms, the list, jobs."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape

from contactcentre.models import AuditAction, AuditEvent
from staff.models import Competency, Employee, PersonSpecItem
from staff.tests.factories import EmployeeFactory, JobRoleFactory

from .factories import NurseRegistrationFactory, QualificationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("hr", 200),
        ("leader_a", 200),  # leads the agent's team
        ("leader_b", 404),  # leads another team
        ("agent", 200),  # the person themselves
        ("other_agent", 404),
        ("manager", 200),  # manager of the agent's site
        ("other_manager", 404),  # manager of another site
    ],
)
def test_who_may_open_an_employees_record(org, login, who, status):
    response = login(getattr(org, who)).get(f"/staff/employees/{org.agent_record.pk}/")
    assert response.status_code == status


def test_opening_a_record_is_audited(org, login):
    login(org.leader_a).get(f"/staff/employees/{org.agent_record.pk}/")
    audit = AuditEvent.objects.get(object_type="staff.employee", action=AuditAction.VIEW)
    assert (audit.actor, audit.object_id) == (org.leader_a, str(org.agent_record.pk))


def test_a_refused_record_is_not_audited_as_read(org, login):
    login(org.other_agent).get(f"/staff/employees/{org.agent_record.pk}/")
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW).exists()


def test_nurse_registration_visible_to_the_nurses_manager_with_expiry_warning(org, login):
    NurseRegistrationFactory(
        employee=org.nurse_record, registration_number="12A3456E", expires_on=timezone.localdate() + timedelta(days=30)
    )
    html = login(org.manager).get(f"/staff/employees/{org.nurse_record.pk}/").content.decode()
    assert "12A3456E" in html
    assert 'data-testid="registration-expiring"' in html
    assert 'data-testid="registration-missing"' not in html


def test_expired_registration_is_flagged(org, login):
    NurseRegistrationFactory(employee=org.nurse_record, expires_on=timezone.localdate() - timedelta(days=1))
    html = login(org.leader_a).get(f"/staff/employees/{org.nurse_record.pk}/").content.decode()
    assert 'data-testid="registration-expired"' in html


def test_nurse_job_without_a_registration_warns(org, login):
    html = login(org.hr).get(f"/staff/employees/{org.nurse_record.pk}/").content.decode()
    assert 'data-testid="registration-missing"' in html


def test_record_shows_job_description_person_spec_skills_and_profit_share(org, login):
    from calls.models import AgentStatus, Skill

    job = org.agent_record.job_role
    empathy = Competency.objects.create(code="empathy", name="Empathy with an anxious caller", kind="behavioural")
    PersonSpecItem.objects.create(job_role=job, competency=empathy, essential=True, assessed_by="competency_interview")
    status = AgentStatus.objects.create(user=org.agent, extension="4101")
    status.skills.add(Skill.objects.create(code="claims", name="Claims routing"))
    Employee.objects.filter(pk=org.agent_record.pk).update(profit_share_eligible_from=date(2026, 1, 6))
    html = login(org.agent).get(f"/staff/employees/{org.agent_record.pk}/").content.decode()
    assert job.responsibilities in html
    assert "Empathy with an anxious caller" in html and "Competency-based interview" in html
    assert "Claims routing" in html
    assert "Eligible from 06/01/2026" in html


def test_record_page_queries_do_not_grow_with_qualifications(org, login, django_assert_max_num_queries):
    client = login(org.hr)
    client.get(f"/staff/employees/{org.agent_record.pk}/")  # warm the session and permission caches
    with django_assert_max_num_queries(14):
        client.get(f"/staff/employees/{org.agent_record.pk}/")
    QualificationFactory.create_batch(5, employee=org.agent_record)
    with django_assert_max_num_queries(14):
        assert client.get(f"/staff/employees/{org.agent_record.pk}/").status_code == 200


def test_my_record_for_the_person_and_an_empty_state_without_one(org, login):
    assert org.agent_record.employee_number in login(org.agent).get("/staff/me/").content.decode()
    html = login(org.hr).get("/staff/me/").content.decode()  # HR has no employment record here
    assert 'data-testid="empty-state"' in html


def test_the_record_links_to_the_persons_training_appraisals_and_evaluations(org, login):
    def links(html: str) -> str:  # the record's own list, not the navigation's "Me" menu
        return html.split('data-testid="person-links"')[1].split("</ul>")[0]

    record = org.agent_record.pk
    html = links(login(org.hr).get(f"/staff/employees/{record}/").content.decode())
    own = links(login(org.agent).get("/staff/me/").content.decode())
    for page in ("training", "appraisals", "evaluations"):
        assert f'href="/staff/employees/{record}/{page}/"' in html
        assert f'href="/staff/me/{page}/"' in own


def test_employee_list_is_for_hr(org, login):
    assert login(org.leader_a).get("/staff/employees/").status_code == 403
    html = login(org.hr).get("/staff/employees/").content.decode()
    assert "Amira Haddad" in html and "Oliver Smith" in html


def test_employee_list_filters_and_search(org, login):
    client = login(org.hr)
    html = client.get("/staff/employees/", {"team": org.team_b.pk}).content.decode()
    assert "Oliver Smith" in html and "Amira Haddad" not in html
    html = client.get("/staff/employees/", {"q": org.agent_record.employee_number}).content.decode()
    assert "Amira Haddad" in html and "Oliver Smith" not in html
    html = client.get("/staff/employees/", {"job": org.nurse_record.job_role_id}).content.decode()
    assert "Grace Okafor" in html and "Amira Haddad" not in html
    assert 'data-testid="empty-state"' in client.get("/staff/employees/", {"status": "left"}).content.decode()


def test_employee_list_paginates_and_its_queries_do_not_grow(org, login, django_assert_max_num_queries):
    client = login(org.hr)
    client.get("/staff/employees/")
    with django_assert_max_num_queries(12):
        client.get("/staff/employees/")
    EmployeeFactory.create_batch(30)
    with django_assert_max_num_queries(12):
        response = client.get("/staff/employees/")
    assert len(response.context["page"].object_list) == 25
    assert response.context["page"].paginator.count == 33


def test_employee_csv_export_is_filtered_and_audited(org, login):
    response = login(org.hr).get("/staff/employees/export.csv", {"team": org.team_a.pk})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "Employee number"
    assert sorted(row[1] for row in rows[1:]) == ["Amira Haddad", "Grace Okafor"]
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="staff.employee").count() == 1


def test_hr_creates_an_employee(org, login):
    job = JobRoleFactory(code="adviser", title="Customer service adviser")
    response = login(org.hr).post(
        "/staff/employees/new/",
        {
            "full_name": "Noah Patel",
            "email": "noah.patel@example.org",
            "employee_number": "E70001",
            "job_role": job.pk,
            "site": org.team_a.site_id,
            "team": org.team_a.pk,
            "start_date": "2026-06-01",
            "contract_hours": "37.5",
        },
    )
    employee = Employee.objects.get(employee_number="E70001")
    assert response["Location"] == f"/staff/employees/{employee.pk}/"
    assert employee.user.team == org.team_a


def test_new_employee_form_keeps_input_when_the_email_is_taken(org, login):
    response = login(org.hr).post(
        "/staff/employees/new/",
        {"full_name": "Someone Else", "email": org.agent.email, "employee_number": "E70002",
         "job_role": org.agent_record.job_role_id, "start_date": "2026-06-01", "contract_hours": "37.5"},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert 'value="Someone Else"' in response.content.decode()
    assert not Employee.objects.filter(employee_number="E70002").exists()


def test_contract_hours_over_48_is_a_field_error(org, login):
    response = login(org.hr).post(
        f"/staff/employees/{org.agent_record.pk}/edit/",
        {"employee_number": "E1", "job_role": org.agent_record.job_role_id, "start_date": "2025-01-06",
         "contract_hours": "60", "status": "active"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "contract_hours" in response.context["form"].errors
    assert 'value="E1"' in response.content.decode()


def test_hr_edits_employment_details(org, login):
    response = login(org.hr).post(
        f"/staff/employees/{org.agent_record.pk}/edit/",
        {"employee_number": "E12345", "job_role": org.agent_record.job_role_id, "site": org.team_b.site_id,
         "team": org.team_b.pk, "start_date": "2025-01-06", "contract_hours": "20", "status": "on_leave"},
    )  # fmt: skip
    assert response.status_code == 302
    employee = Employee.objects.select_related("user").get(pk=org.agent_record.pk)
    assert (employee.employee_number, employee.status, employee.user.team) == ("E12345", "on_leave", org.team_b)


def test_nurse_registration_form_keeps_input_and_names_the_missing_expiry(org, login):
    response = login(org.hr).post(
        f"/staff/employees/{org.nurse_record.pk}/qualifications/new/",
        {"kind": "nurse_registration", "name": "Registered Nurse (Adult)", "registration_number": "12A3456E"},
    )
    assert response.status_code == 200
    assert "expires_on" in response.context["form"].errors
    assert 'value="12A3456E"' in response.content.decode()


def test_hr_adds_and_edits_a_qualification(org, login):
    client = login(org.hr)
    client.post(
        f"/staff/employees/{org.nurse_record.pk}/qualifications/new/",
        {"kind": "nurse_registration", "name": "Registered Nurse", "registration_number": "12A3456E",
         "expires_on": "2027-01-31"},
    )  # fmt: skip
    registration = org.nurse_record.qualifications.get()
    response = client.post(
        f"/staff/employees/{org.nurse_record.pk}/qualifications/{registration.pk}/",
        {"kind": "nurse_registration", "name": "Registered Nurse", "registration_number": "12A3456E",
         "expires_on": "2030-01-31"},
    )  # fmt: skip
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.expires_on == date(2030, 1, 31)


def test_another_persons_qualification_is_not_found(org, login):
    other = QualificationFactory(employee=org.other_record)
    response = login(org.hr).get(f"/staff/employees/{org.agent_record.pk}/qualifications/{other.pk}/")
    assert response.status_code == 404


def test_leaver_recorded_then_refused_the_second_time(org, login):
    client = login(org.hr)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    url = f"/staff/employees/{org.agent_record.pk}/leaver/"
    assert client.post(url, {"left_on": yesterday, "reason": "pay", "note": "Better pay"}).status_code == 302
    again = client.post(url, {"left_on": yesterday, "reason": "career", "note": "Typed again"})
    assert again.status_code == 200
    assert "already recorded as leaving" in str(again.context["form"].non_field_errors())
    assert "Typed again" in again.content.decode()
    employee = Employee.objects.get(pk=org.agent_record.pk)
    assert (employee.status, employee.leaving_reason) == ("left", "pay")


def test_profit_share_page_records_eligibility(org, login):
    url = f"/staff/employees/{org.agent_record.pk}/profit-share/"
    assert login(org.hr).post(url, {"eligible_from": "2026-04-06"}).status_code == 302
    assert Employee.objects.get(pk=org.agent_record.pk).profit_share_eligible_from == date(2026, 4, 6)


@pytest.mark.parametrize(
    "path",
    ["/staff/employees/new/", "/staff/employees/{pk}/edit/", "/staff/employees/{pk}/leaver/",
     "/staff/employees/{pk}/profit-share/", "/staff/employees/{pk}/qualifications/new/"],
)  # fmt: skip
def test_hr_writes_refused_to_team_leaders_and_the_person(org, login, path):
    for person in (org.leader_a, org.agent, org.manager):
        assert login(person).post(path.format(pk=org.agent_record.pk), {}).status_code == 403


def test_job_descriptions_readable_by_everyone(org, login):
    job = org.nurse_record.job_role
    assert job.title in login(org.agent).get("/staff/jobs/").content.decode()
    html = login(org.agent).get(f"/staff/jobs/{job.pk}/").content.decode()
    assert escape(job.purpose) in html


def test_job_page_queries_do_not_grow_with_the_person_spec(org, login, django_assert_max_num_queries):
    job = org.nurse_record.job_role
    client = login(org.agent)
    client.get(f"/staff/jobs/{job.pk}/")
    with django_assert_max_num_queries(8):
        client.get(f"/staff/jobs/{job.pk}/")
    for n in range(6):
        competency = Competency.objects.create(code=f"c{n}", name=f"Competency {n}", kind="technical")
        PersonSpecItem.objects.create(job_role=job, competency=competency, assessed_by="application")
    with django_assert_max_num_queries(8):
        assert client.get(f"/staff/jobs/{job.pk}/").status_code == 200


def test_job_list_queries_do_not_grow_with_jobs(org, login, django_assert_max_num_queries):
    client = login(org.agent)
    client.get("/staff/jobs/")
    with django_assert_max_num_queries(6):
        client.get("/staff/jobs/")
    JobRoleFactory.create_batch(5)
    with django_assert_max_num_queries(6):
        assert client.get("/staff/jobs/").status_code == 200


def test_jobs_empty_state(login, user_factory):
    html = login(user_factory()).get("/staff/jobs/").content.decode()
    assert 'data-testid="empty-state"' in html


def test_retention_names_sites_in_arabic_for_an_arabic_reader(org, login):
    from staff.models import Site

    Site.objects.filter(code="staines").update(name_ar="ستينز")
    client = login(org.hr)
    client.cookies["django_language"] = "ar"
    report = client.get("/staff/retention/", HTTP_ACCEPT_LANGUAGE="ar").context["report"]
    assert [a.key for a in report.by_site] == ["ستينز"]


def test_the_hr_directory_links_each_person_with_an_employment_record_to_it(org, login):
    page = login(org.hr).get("/staff/people/", {"q": "Amira"}).content.decode()
    assert f'href="/staff/employees/{org.agent_record.pk}/"' in page
    hr_page = login(org.hr).get("/staff/people/", {"q": org.hr.full_name}).content.decode()
    assert "/staff/employees/" not in hr_page.split("<tbody>")[1]  # HR has no employment record here
