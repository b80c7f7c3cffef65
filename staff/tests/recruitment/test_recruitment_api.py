"""The careers site's endpoints (no account: open vacancies, applications; validated, rate-limited) and
HR's reads."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from contactcentre.models import AuditEvent
from staff.api.recruitment import CareersThrottle
from staff.models import Application, Stage, StageChange, Vacancy, VacancyStatus
from staff.roles import Role
from staff.services import api_token_create
from staff.services import recruitment as services

from .factories import ApplicationFactory, VacancyFactory

pytestmark = pytest.mark.django_db

APPLY = "/api/v1/careers/applications/"


def application(vacancy, **changes):
    return {"vacancy": vacancy.reference, "full_name": "Amira Haddad", "email": "amira@example.net",
            "phone": "07700 900321", "cover_note": "Three years on a GP's front desk."} | changes  # fmt: skip


def test_the_careers_site_lists_open_vacancies_without_an_account(roles):
    open_one = VacancyFactory(description="Evening shifts")
    VacancyFactory(status=VacancyStatus.CLOSED)
    response = APIClient().get("/api/v1/careers/vacancies/")
    assert response.status_code == 200
    assert [v["reference"] for v in response.json()["results"]] == [open_one.reference]
    assert response.json()["results"][0]["advert"] == "Evening shifts"


def test_an_application_from_the_careers_site_gets_its_reference(roles):
    vacancy = VacancyFactory()
    response = APIClient().post(APPLY, application(vacancy), format="json")
    assert response.status_code == 201
    saved = Application.objects.get()
    assert response.json() == {"reference": f"APP-{saved.pk:06d}", "vacancy": vacancy.reference, "stage": "applied"}
    assert (saved.source, saved.full_name) == ("careers_site", "Amira Haddad")
    assert StageChange.objects.get(application=saved).actor is None


def test_a_session_cookie_is_not_needed_nor_checked_for_csrf(user_factory):
    vacancy = VacancyFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user_factory(role=Role.AGENT))
    response = client.post(APPLY, application(vacancy), content_type="application/json")
    assert response.status_code == 201


def test_bad_fields_get_400_naming_them(roles):
    vacancy = VacancyFactory()
    response = APIClient().post(APPLY, application(vacancy, email="not-an-email", full_name=""), format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and set(error["fields"]) == {"email", "full_name"}
    response = APIClient().post(APPLY, application(vacancy) | {"vacancy": "V-1999-0001"}, format="json")
    assert response.status_code == 400 and "vacancy" in response.json()["error"]["fields"]
    assert not Application.objects.exists()


def test_a_repeat_application_is_answered_like_a_new_one_and_stores_nothing(user_factory):
    """Nobody may learn from the answer whether an address has applied: a repeat gets what a new
    application gets, with the first one's reference and never its later stage."""
    vacancy = VacancyFactory()
    first = APIClient().post(APPLY, application(vacancy), format="json")
    assert first.status_code == 201
    saved = Application.objects.get()
    services.application_move(
        application_id=saved.pk, target=Stage.TELEPHONE_SCREENING, actor=user_factory(role=Role.HR)
    )
    repeat = APIClient().post(
        APPLY, application(vacancy, email="AMIRA@example.net", full_name="Someone Else", cover_note="Mine"),
        format="json",
    )  # fmt: skip
    assert repeat.status_code == first.status_code == 201
    assert repeat.json() == first.json() == {"reference": f"APP-{saved.pk:06d}", "vacancy": vacancy.reference,
                                             "stage": "applied"}  # fmt: skip
    assert Application.objects.count() == 1 and StageChange.objects.count() == 2
    saved.refresh_from_db()
    assert (saved.full_name, saved.cover_note) == ("Amira Haddad", "Three years on a GP's front desk.")


def test_a_repeat_to_a_closed_vacancy_gets_the_closed_vacancys_409_as_a_new_one_would(roles):
    vacancy = VacancyFactory()
    APIClient().post(APPLY, application(vacancy), format="json")
    Vacancy.objects.filter(pk=vacancy.pk).update(status=VacancyStatus.CLOSED)
    repeat = APIClient().post(APPLY, application(vacancy), format="json")
    new = APIClient().post(APPLY, application(vacancy, email="new@example.net"), format="json")
    assert repeat.status_code == new.status_code == 409
    assert repeat.json() == new.json() and "vacancy" in repeat.json()["error"]["fields"]


def test_an_unknown_vacancy_is_named_in_the_callers_language(roles, fake_arabic):
    [arabic] = fake_arabic("No vacancy has this reference.")
    response = APIClient(HTTP_ACCEPT_LANGUAGE="ar").post(
        APPLY, application(VacancyFactory()) | {"vacancy": "V-1999-0001"}, format="json"
    )
    assert response.status_code == 400 and response.json()["error"]["fields"]["vacancy"] == [arabic]


def test_an_anonymised_candidate_is_listed_under_the_translated_label(user_factory, settings, fake_arabic):
    [arabic] = fake_arabic("Anonymised candidate")
    vacancy = VacancyFactory()
    _closed_long_ago(ApplicationFactory(vacancy=vacancy), settings)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="ar")
    client.force_authenticate(user_factory(role=Role.HR))
    [listed] = client.get(f"/api/v1/recruitment/vacancies/{vacancy.pk}/applications/").json()["results"]
    assert (listed["full_name"], listed["anonymised"]) == (arabic, True)


def _closed_long_ago(application, settings):
    Application.objects.filter(pk=application.pk).update(
        stage=Stage.WITHDRAWN,
        closed_at=timezone.now() - timedelta(days=settings.RECRUITMENT_RETENTION_DAYS + 1),
        close_reason="Moving to Leeds",
    )
    services.applications_anonymise()


def test_a_closed_vacancy_gets_409(roles):
    vacancy = VacancyFactory(status=VacancyStatus.FILLED, filled_on="2026-11-01")
    response = APIClient().post(APPLY, application(vacancy), format="json")
    assert response.status_code == 409 and "vacancy" in response.json()["error"]["fields"]


def test_applications_are_rate_limited_per_address_by_their_own_scope(roles, monkeypatch):
    monkeypatch.setattr(CareersThrottle, "THROTTLE_RATES", {"careers": "2/hour"})
    vacancy = VacancyFactory()
    client = APIClient(REMOTE_ADDR="203.0.113.9")
    statuses = [
        client.post(APPLY, application(vacancy, email=f"c{n}@example.net"), format="json").status_code for n in range(3)
    ]
    assert statuses == [201, 201, 429]
    assert APIClient(REMOTE_ADDR="203.0.113.10").post(APPLY, application(vacancy), format="json").status_code == 201
    assert client.get("/api/v1/careers/vacancies/").status_code == 200  # reading is not counted against it


def test_hr_reads_a_vacancys_applications_and_the_read_is_audited(user_factory):
    hr = user_factory(role=Role.HR)
    vacancy = VacancyFactory()
    ApplicationFactory.create_batch(2, vacancy=vacancy)
    client = APIClient()
    client.force_authenticate(hr)
    response = client.get(f"/api/v1/recruitment/vacancies/{vacancy.pk}/applications/")
    assert response.status_code == 200 and response.json()["count"] == 2
    assert AuditEvent.objects.filter(action="view", object_type="staff.vacancy", object_id=str(vacancy.pk)).exists()
    listed = client.get("/api/v1/recruitment/vacancies/?status=open").json()["results"]
    assert [(v["reference"], v["applications"]) for v in listed] == [(vacancy.reference, 2)]


def test_an_api_client_may_not_read_candidates(user_factory):
    machine = user_factory(role=Role.API_CLIENT)
    token = api_token_create(client=machine).clear_token
    response = APIClient().get("/api/v1/recruitment/vacancies/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 403
