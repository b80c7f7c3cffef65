"""The five-gap page and the prescriptions as a manager reads them, in English and Arabic."""

import pytest
from django.test import Client
from django.utils import translation
from django.utils.html import escape

from performance.rules.gaps import PRESCRIPTIONS

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(centre) -> Client:
    client = Client()
    client.force_login(centre.manager)
    return client


def test_the_page_has_a_card_per_gap_with_its_trend_evidence_and_prescriptions(manager_client, telephony_standards):
    response = manager_client.get("/performance/gaps/")
    assert response.status_code == 200
    html = response.content.decode()
    for number in range(1, 6):
        assert f'data-testid="gap-{number}"' in html
        assert f'href="/performance/gaps/{number}/"' in html
        assert f'id="gap-{number}-trend"' in html  # the chart's data
    for evidence in ("/surveys/servqual/management-study/", "/performance/standards/", "/performance/promises/",
                     "/performance/sites/", "/surveys/servqual/"):  # fmt: skip
        assert f'href="{evidence}"' in html
    assert "Not measured yet" in html  # no surveys, no calls
    assert "Measures with a service standard" in html


@pytest.mark.parametrize("number", [1, 2, 3, 4, 5])
def test_each_gaps_prescriptions_are_listed(manager_client, number):
    response = manager_client.get(f"/performance/gaps/{number}/")
    assert response.status_code == 200
    assert list(response.context["prescriptions"]) == PRESCRIPTIONS[number]
    assert escape(str(PRESCRIPTIONS[number][0])) in response.content.decode()


def test_the_gap_model_has_no_sixth_gap(manager_client):
    assert manager_client.get("/performance/gaps/6/").status_code == 404


def test_the_page_reads_right_to_left_in_arabic(manager_client):
    manager_client.cookies["django_language"] = "ar"
    response = manager_client.get("/performance/gaps/")
    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()
    translation.activate("en")
