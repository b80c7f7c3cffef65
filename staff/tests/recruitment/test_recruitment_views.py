"""The HR pages: vacancies list, new vacancy, the pipeline board (buttons and the drag-and-drop
endpoint), the candidate page with its forms, and the metrics with their CSV. Query counts pinned."""

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from contactcentre.models import AuditEvent
from staff.models import AssessmentScore, Stage, Vacancy
from staff.models.jobs import Assessment
from staff.roles import Role
from staff.services import recruitment as services
from staff.tests.factories import JobRoleFactory, SiteFactory

from .factories import ApplicationFactory, VacancyFactory, person_specification

pytestmark = pytest.mark.django_db
S = Stage


@pytest.fixture
def hr(user_factory):
    return user_factory(role=Role.HR)


@pytest.fixture
def hr_client(hr):
    client = Client()
    client.force_login(hr)
    return client


def test_the_vacancies_list_filters_and_its_query_count_does_not_grow(hr_client, django_assert_max_num_queries):
    manchester = SiteFactory(code="manchester", name="Manchester")
    VacancyFactory(site=manchester)
    staines = VacancyFactory()
    ApplicationFactory.create_batch(3, vacancy=staines)
    with django_assert_max_num_queries(8):
        page = hr_client.get("/staff/recruitment/vacancies/").content.decode()
    assert staines.reference in page
    VacancyFactory.create_batch(10)
    with django_assert_max_num_queries(8):
        page = hr_client.get(f"/staff/recruitment/vacancies/?site={manchester.pk}").content.decode()
    assert staines.reference not in page and "1 vacancy" in page


def test_the_vacancies_list_says_when_nothing_matches(hr_client):
    page = hr_client.get("/staff/recruitment/vacancies/?q=nothing").content.decode()
    assert 'data-testid="empty-state"' in page


def test_a_new_vacancy_with_a_bad_closing_day_keeps_what_was_typed(hr_client):
    job = JobRoleFactory()
    site = SiteFactory()
    data = {"job_role": job.pk, "site": site.pk, "posts": 3, "opened_on": "2026-11-23", "closes_on": "2026-11-01",
            "description": "Evening shifts at Staines"}  # fmt: skip
    response = hr_client.post("/staff/recruitment/vacancies/new/", data)
    page = response.content.decode()
    assert response.status_code == 200 and "cannot close before the vacancy opens" in page
    assert "Evening shifts at Staines" in page
    data["closes_on"] = "2026-12-18"
    response = hr_client.post("/staff/recruitment/vacancies/new/", data)
    vacancy = Vacancy.objects.get()
    assert response["Location"] == f"/staff/recruitment/vacancies/{vacancy.pk}/"


def test_the_board_has_a_column_per_stage_and_its_query_count_does_not_grow(hr_client, django_assert_max_num_queries):
    vacancy = VacancyFactory()
    ApplicationFactory(vacancy=vacancy, full_name="Amira Haddad")
    with django_assert_max_num_queries(8):
        page = hr_client.get(f"/staff/recruitment/vacancies/{vacancy.pk}/").content.decode()
    for stage in Stage.values:
        assert f'data-drop-stage="{stage}"' in page
    assert "Amira Haddad" in page
    ApplicationFactory.create_batch(15, vacancy=vacancy)
    with django_assert_max_num_queries(8):
        hr_client.get(f"/staff/recruitment/vacancies/{vacancy.pk}/")


def test_the_board_names_candidates_so_each_read_is_audited(hr, hr_client):
    vacancy = VacancyFactory()
    ApplicationFactory(vacancy=vacancy)
    hr_client.get(f"/staff/recruitment/vacancies/{vacancy.pk}/", REMOTE_ADDR="198.51.100.7")
    read = AuditEvent.objects.get(action="view", object_type="staff.vacancy", object_id=str(vacancy.pk))
    assert (read.actor, read.ip_address, read.summary) == (hr, "198.51.100.7", f"{vacancy.reference}: applications")


def test_the_board_tells_the_drag_and_drop_what_to_say_when_a_move_fails_in_the_users_language(hr_client, fake_arabic):
    [arabic] = fake_arabic(
        "The move could not be made: your login may have expired, or the server could not answer. "
        "Reload the page and try again."
    )
    hr_client.cookies["django_language"] = "ar"
    page = hr_client.get(f"/staff/recruitment/vacancies/{VacancyFactory().pk}/").content.decode()
    assert f'data-failure-message="{arabic}"' in page


def test_an_anonymised_candidate_shows_under_the_translated_label(hr, hr_client, settings, fake_arabic):
    [arabic] = fake_arabic("Anonymised candidate")
    application = ApplicationFactory()
    long_ago = timezone.now() - timedelta(days=settings.RECRUITMENT_RETENTION_DAYS + 1)
    services.application_move(
        application_id=application.pk, target=S.WITHDRAWN, actor=hr, reason="Moving away", now=long_ago
    )
    services.applications_anonymise()
    hr_client.cookies["django_language"] = "ar"
    board = hr_client.get(f"/staff/recruitment/vacancies/{application.vacancy_id}/").content.decode()
    candidate = hr_client.get(f"/staff/recruitment/applications/{application.pk}/").content.decode()
    for page in (board, candidate):
        assert arabic in page and "Anonymised candidate" not in page
    assert arabic in candidate.split("</title>")[0]  # the page title too
    assert "Moving away" not in candidate


def test_hr_entering_a_repeat_application_is_told_plainly(hr_client):
    application = ApplicationFactory(email="amira@example.net")
    data = {"full_name": "Amira Haddad", "email": "AMIRA@example.net", "source": "job_board"}
    response = hr_client.post(f"/staff/recruitment/vacancies/{application.vacancy_id}/applications/new/", data)
    assert response.status_code == 200
    assert "This email address has already applied for this vacancy." in response.content.decode()


def test_a_board_button_moves_the_card_and_htmx_gets_the_board_back(hr_client):
    application = ApplicationFactory(full_name="Amira Haddad")
    response = hr_client.post(
        f"/staff/recruitment/applications/{application.pk}/move/",
        {"target": S.TELEPHONE_SCREENING},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'id="pipeline-board"' in page
    assert "Amira Haddad moved to Telephone screening" in page
    application.refresh_from_db()
    assert application.stage == S.TELEPHONE_SCREENING


def test_a_drop_on_a_stage_it_cannot_reach_shows_the_refusal_with_the_allowed_stages(hr_client):
    application = ApplicationFactory(full_name="Amira Haddad")
    response = hr_client.post(
        f"/staff/recruitment/applications/{application.pk}/move/", {"target": S.OFFER}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert 'data-testid="board-refusal"' in page
    assert "Allowed next stages: Telephone screening, Rejected, Withdrawn" in page
    application.refresh_from_db()
    assert application.stage == S.APPLIED


def test_a_drop_on_rejected_asks_for_the_reason_on_the_candidate_page(hr_client):
    application = ApplicationFactory()
    page = hr_client.post(
        f"/staff/recruitment/applications/{application.pk}/move/", {"target": S.REJECTED}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Give the reason on the candidate&#x27;s page" in page


def test_a_move_without_htmx_goes_back_to_the_board_or_the_candidate(hr_client):
    application = ApplicationFactory()
    url = f"/staff/recruitment/applications/{application.pk}/move/"
    response = hr_client.post(url, {"target": S.TELEPHONE_SCREENING})
    assert response["Location"] == f"/staff/recruitment/vacancies/{application.vacancy_id}/"
    response = hr_client.post(url, {"target": S.ASSESSMENT_CENTRE, "next": "candidate"})
    assert response["Location"] == f"/staff/recruitment/applications/{application.pk}/"


def test_the_candidate_page_is_audited_and_its_query_count_does_not_grow(hr, hr_client, django_assert_max_num_queries):
    application = ApplicationFactory(full_name="Amira Haddad")
    spec = person_specification(application.vacancy.job_role)
    services.application_move(application_id=application.pk, target=S.TELEPHONE_SCREENING, actor=hr)
    services.score_record(
        application_id=application.pk, competency=spec["empathy"], exercise=Assessment.TELEPHONE_SCREENING,
        score=4, assessor=hr,
    )  # fmt: skip
    services.note_add(application_id=application.pk, author=hr, text="Warm and clear.")
    url = f"/staff/recruitment/applications/{application.pk}/"
    with django_assert_max_num_queries(16):
        page = hr_client.get(url).content.decode()
    assert "Warm and clear." in page and 'data-testid="score-telephone_screening-empathy"' in page
    assert AuditEvent.objects.filter(action="view", object_type="staff.application", object_id=str(application.pk))
    for n in range(5):
        services.note_add(application_id=application.pk, author=hr, text=f"Note {n}")
    services.application_move(application_id=application.pk, target=S.ASSESSMENT_CENTRE, actor=hr)
    with django_assert_max_num_queries(16):
        hr_client.get(url)


def test_a_score_outside_the_scale_is_a_field_error_and_the_form_keeps_what_was_typed(hr_client):
    application = ApplicationFactory()
    spec = person_specification(application.vacancy.job_role)
    response = hr_client.post(
        f"/staff/recruitment/applications/{application.pk}/scores/",
        {"competency": spec["empathy"].pk, "exercise": Assessment.COMPETENCY_INTERVIEW, "score": 7,
         "evidence": "Handled the angry caller role-play well"},
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200
    assert "A score is from 1 to 5." in page and "Handled the angry caller role-play well" in page
    assert not AssessmentScore.objects.exists()


def test_scores_recorded_show_under_their_exercise(hr_client, hr):
    application = ApplicationFactory()
    spec = person_specification(application.vacancy.job_role)
    url = f"/staff/recruitment/applications/{application.pk}/scores/"
    response = hr_client.post(url, {"competency": spec["written-english"].pk, "exercise": Assessment.EMAIL_EXERCISE,
                                    "score": 5, "evidence": "No errors"})  # fmt: skip
    assert response.status_code == 302
    page = hr_client.get(f"/staff/recruitment/applications/{application.pk}/").content.decode()
    row = page.split('data-testid="score-email_exercise-written-english"')[1].split("</tr>")[0]
    assert "<strong>5</strong>" in row and "No errors" in row


def test_rejecting_without_a_reason_keeps_the_decision_and_asks_for_it(hr_client):
    application = ApplicationFactory()
    response = hr_client.post(
        f"/staff/recruitment/applications/{application.pk}/close/", {"target": S.WITHDRAWN, "reason": ""}
    )
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    response = hr_client.post(
        f"/staff/recruitment/applications/{application.pk}/close/",
        {"target": S.WITHDRAWN, "reason": "Took another job"},
    )
    application.refresh_from_db()
    assert response.status_code == 302 and application.stage == S.WITHDRAWN


def test_the_hire_form_shows_only_when_the_offer_is_accepted_and_hires(hr, hr_client):
    application = ApplicationFactory(email="new.starter@example.net")
    url = f"/staff/recruitment/applications/{application.pk}/"
    assert 'data-testid="hire"' not in hr_client.get(url).content.decode()
    for stage in (S.TELEPHONE_SCREENING, S.ASSESSMENT_CENTRE, S.CENTRE_VISIT, S.OFFER, S.ACCEPTED):
        services.application_move(application_id=application.pk, target=stage, actor=hr)
    assert 'data-testid="hire"' in hr_client.get(url).content.decode()
    response = hr_client.post(
        f"{url}hire/", {"employee_number": "E70001", "start_date": "2026-12-07", "contract_hours": "37.5"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.stage == S.HIRED and application.employee.employee_number == "E70001"


def _metrics_data(hr):
    """Two applications at Staines, 20 days ago: the first moves every 2 days (screened on day 2... accepted
    on day 10), the second a day later each time (screened on day 3... declined on day 11). One more at
    Manchester, still applied."""
    start = timezone.now() - timedelta(days=20)
    staines = VacancyFactory(opened_on=timezone.localdate(start))
    for n, last in enumerate((S.ACCEPTED, S.DECLINED)):
        application = ApplicationFactory(vacancy=staines, applied_at=start, stage_entered_at=start)
        for day, stage in enumerate((S.TELEPHONE_SCREENING, S.ASSESSMENT_CENTRE, S.CENTRE_VISIT, S.OFFER, last), 1):
            when = start + timedelta(days=2 * day + n)
            services.application_move(application_id=application.pk, target=stage, actor=hr, now=when)
    ApplicationFactory(vacancy=VacancyFactory(site=SiteFactory(code="manchester", name="Manchester")))
    return staines


def test_the_metrics_page_shows_the_figures_and_a_funnel_chart(hr, hr_client, django_assert_max_num_queries):
    staines = _metrics_data(hr)
    with django_assert_max_num_queries(8):
        page = hr_client.get(f"/staff/recruitment/metrics/?site={staines.site_id}").content.decode()
    assert 'data-testid="applications">2<' in page
    assert 'data-testid="time-to-hire">10.0 days<' in page  # accepted on day 2*5 after applying
    assert 'data-testid="offer-acceptance">50.0%<' in page  # 1 accepted, 1 declined
    assert 'data-chart="funnel-chart"' in page and 'id="funnel-chart"' in page


def test_the_metrics_query_count_does_not_grow_with_applications(hr, hr_client, django_assert_max_num_queries):
    _metrics_data(hr)
    ApplicationFactory.create_batch(20)
    with django_assert_max_num_queries(8):
        hr_client.get("/staff/recruitment/metrics/")


def test_a_manager_sees_the_metrics_of_their_own_site_only(hr, user_factory):
    staines = _metrics_data(hr)
    manager = user_factory(role=Role.MANAGER, site=staines.site)
    client = Client()
    client.force_login(manager)
    manchester = SiteFactory(code="manchester")
    page = client.get(f"/staff/recruitment/metrics/?site={manchester.pk}").content.decode()
    assert 'data-testid="applications">2<' in page


def test_the_metrics_csv_has_a_row_per_stage_and_the_headline_figures(hr, hr_client):
    staines = _metrics_data(hr)
    response = hr_client.get(f"/staff/recruitment/metrics/export.csv?vacancy={staines.reference}")
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert rows[0][0] == "Stage"
    assert rows[1] == ["Applied", "0", "2", "100.0", "2.5"]  # screened after 2 and 3 days
    assert rows[5] == ["Offer", "0", "2", "50.0", "2.0"]
    assert ["Offer acceptance rate (%)", "50.0"] in rows
    assert ["Time to hire (days)", "10.0"] in rows
