"""The SERVQUAL pages: the scores page (dimensions, statements, segments, gap 1, empty states), its
CSV and XLSX export, inviting a panel, and the management perception study; query counts."""

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from claims.tests.factories import CustomerFactory
from surveys.models import Invitation, Response, SurveyKind
from surveys.tests.factories import make_survey

from .conftest import answer, manager_answers, points, scores

pytestmark = pytest.mark.django_db

SERVQUAL = reverse("surveys:servqual")
INVITE = reverse("surveys:servqual-invite")
STUDY = reverse("surveys:management-study")


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def study_form(expectations=None, allocation=None) -> dict:
    expectations = expectations or scores(6)
    allocation = allocation or points()
    return {f"e{item}": str(score) for item, score in expectations.items()} | {
        f"points-{dimension}": str(value) for dimension, value in allocation.items()
    }


# The scores page -------------------------------------------------------------------------------------


def test_the_page_shows_dimensions_statements_and_overall_gaps(centre, two_members, django_assert_max_num_queries):
    client = client_of(centre.manager)
    with django_assert_max_num_queries(17):
        response = client.get(SERVQUAL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="responses">2<' in html
    assert 'data-testid="unweighted">-0.40<' in html
    assert 'data-testid="weighted">-1.00<' in html
    # Reliability: expectation 5.5, perception 4.5, gap -1, 50 points.
    assert 'data-testid="dimension-reliability"><th scope="row">Reliability</th>' in html
    row = html.split('data-testid="dimension-reliability"')[1].split("</tr>")[0]
    assert ">5.50<" in row and ">4.50<" in row and ">-1.00<" in row and ">50.0<" in row
    statement = html.split('data-testid="statement-5"')[1].split("</tr>")[0]
    assert "When this insurer promises to do something by a certain time, it does so." in statement
    assert ">-1.00<" in statement
    assert 'id="gaps-chart"' in html and 'data-chart="gaps-chart"' in html


def test_the_page_compares_segments_and_says_which_have_no_responses(centre, two_members):
    html = client_of(centre.manager).get(SERVQUAL).content.decode()
    premier = html.split('data-testid="segment-plan_tier-premier"')[1].split("</tr>")[0]
    assert ">-2.00<" in premier and ">-0.40<" in premier  # member A's tangibles gap, unweighted
    essential = html.split('data-testid="segment-plan_tier-essential"')[1].split("</tr>")[0]
    assert "No responses" in essential
    assert "No responses" in html.split('data-testid="segment-site-manchester"')[1].split("</tr>")[0]
    assert 'data-testid="segment-corporate-individual"' in html


def test_the_page_says_where_managers_over_and_underestimate(centre, two_members):
    manager_answers(centre.study, centre.manager, scores(7, tangibles=5, empathy=3), points())
    html = client_of(centre.manager).get(SERVQUAL).content.decode()
    # Customers expect 5.5 everywhere; this manager believes 5 for tangibles, 3 for empathy, 7 elsewhere.
    tangibles = html.split('data-testid="sentence-tangibles"')[1].split("</li>")[0]
    assert "Managers underestimate what members expect of Tangibles" in tangibles and "0.50 lower" in tangibles
    assert "Managers overestimate what members expect of Reliability" in html
    assert 'id="knowledge-chart"' in html


def test_choosing_another_survey_and_period(centre, two_members):
    other = make_survey(SurveyKind.SERVQUAL, code="servqual-2025", name="SERVQUAL 2025")
    answer(other, scores(7), scores(1), points(), submitted_at=timezone.now() - timedelta(days=30))
    start = (timezone.localdate() - timedelta(days=40)).isoformat()
    html = client_of(centre.manager).get(SERVQUAL, {"survey": other.pk, "start": start}).content.decode()
    assert "SERVQUAL 2025" in html and 'data-testid="unweighted">-6.00<' in html
    old = client_of(centre.manager).get(SERVQUAL, {"survey": other.pk, "end": start}).content.decode()
    assert "No answers in this period" in old


def test_no_answers_yet_offers_to_invite_a_panel(centre):
    html = client_of(centre.manager).get(SERVQUAL).content.decode()
    assert 'data-testid="empty-state"' in html and "No answers in this period" in html
    assert f'href="{INVITE}" data-testid="empty-invite"' in html


def test_no_servqual_survey_at_all_is_an_empty_state(user_factory):
    html = client_of(user_factory(role="manager")).get(SERVQUAL).content.decode()
    assert "No SERVQUAL survey yet" in html


# Export -------------------------------------------------------------------------------------------------


def test_the_csv_export_has_the_statement_table_for_everyone_and_each_segment(centre, two_members):
    response = client_of(centre.manager).get(reverse("surveys:servqual-export", args=["csv"]))
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="servqual-servqual-2026-' in response["Content-Disposition"]
    # contactcentre/csv_export.csv_cell quotes any cell starting with "-", negative numbers too.
    text = b"".join(response.streaming_content).decode()
    rows = [[cell.removeprefix("'") for cell in row] for row in csv.reader(io.StringIO(text))]
    assert rows[0][:3] == ["Breakdown", "Segment", "Responses"]
    overall = [row for row in rows if row[0] == "All responses"]
    assert len(overall) == 22
    assert overall[4][2:] == [
        "2", "5", "Reliability", "When this insurer promises to do something by a certain time, it does so.",
        "5.5", "4.5", "-1.0",
    ]  # fmt: skip
    premier = [row for row in rows if row[:2] == ["Plan tier", "Premier"]]
    assert premier[0][2:4] == ["1", "1"] and premier[0][6:] == ["6.0", "4.0", "-2.0"]
    essential = [row for row in rows if row[:2] == ["Plan tier", "Essential"]]
    assert essential[0][2] == "0" and essential[0][6:] == ["", "", ""]


def test_the_xlsx_export_keeps_numbers_as_numbers(centre, two_members):
    response = client_of(centre.manager).get(reverse("surveys:servqual-export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:4] == ("All responses", None, 2, 1) or rows[1][:4] == ("All responses", "", 2, 1)
    assert rows[5][6:] == (5.5, 4.5, -1.0)


# Inviting a panel ---------------------------------------------------------------------------------------


def test_the_invite_page_shows_who_could_be_invited(centre, django_assert_max_num_queries):
    CustomerFactory(consent_research=True, email="a@example.net")
    CustomerFactory(consent_research=False, email="b@example.net")
    client = client_of(centre.manager)
    with django_assert_max_num_queries(7):
        html = client.get(INVITE).content.decode()
    assert 'data-testid="eligible">1<' in html


def test_inviting_a_panel_invites_and_says_how_many(centre):
    members = [CustomerFactory(consent_research=True, email=f"m{n}@example.net") for n in range(3)]
    response = client_of(centre.manager).post(INVITE, {"survey": centre.survey.pk, "size": 2}, follow=True)
    assert response.redirect_chain[-1][0] == INVITE
    assert "2 of the 2 members asked for were invited." in response.content.decode()
    assert Invitation.objects.filter(survey=centre.survey, customer__in=members).count() == 2


def test_inviting_more_than_can_be_says_why_fewer(centre):
    CustomerFactory(consent_research=True, email="a@example.net")
    CustomerFactory(consent_research=False, email="b@example.net")
    html = client_of(centre.manager).post(INVITE, {"survey": centre.survey.pk, "size": 5}, follow=True).content
    html = html.decode()
    assert "1 of the 5 members asked for were invited." in html
    assert "Of the 2 members in the group, 1 have not consented to research" in html


def test_an_invitation_form_with_errors_is_a_400_and_invites_nobody(centre):
    CustomerFactory(consent_research=True, email="a@example.net")
    response = client_of(centre.manager).post(INVITE, {"survey": centre.survey.pk, "size": "0"})
    assert response.status_code == 400
    assert not Invitation.objects.exists()


# The management perception study -----------------------------------------------------------------------


def test_the_study_asks_the_22_expectations_and_the_points(centre, django_assert_max_num_queries):
    client = client_of(centre.manager)
    with django_assert_max_num_queries(7):
        html = client.get(STUDY).content.decode()
    assert html.count('data-testid="statement-') == 22
    assert "Excellent health insurers get cover decisions and claims right the first time." in html
    assert 'name="points-reliability"' in html


def test_a_manager_answers_the_study_and_then_sees_the_comparison(centre, two_members):
    client = client_of(centre.manager)
    response = client.post(STUDY, study_form(scores(7, tangibles=5), points(10, 40, 20, 20, 10)))
    assert response.status_code == 302 and response["Location"] == STUDY
    stored = Response.objects.get(survey=centre.study, respondent=centre.manager)
    assert (stored.source, stored.answers.count()) == ("in_app", 27)
    html = client.get(STUDY).content.decode()
    assert 'data-testid="study-form"' not in html
    yours = html.split('data-testid="yours-tangibles"')[1].split("</tr>")[0]
    assert ">5.00<" in yours and ">10<" in yours
    # Customers expect 5.5: tangibles 5 - 5.5 = -0.5, the rest 7 - 5.5 = +1.5.
    assert "Managers underestimate what members expect of Tangibles" in html
    assert "Managers overestimate what members expect of Empathy" in html


def test_points_that_do_not_add_up_to_100_are_refused_and_the_answers_kept(centre):
    data = study_form(scores(6, items={7: 2}), points(30, 30, 30, 30, 30))
    response = client_of(centre.manager).post(STUDY, data)
    assert response.status_code == 400
    html = response.content.decode()
    points_errors = html.split('data-testid="points-errors"')[1].split("</div>")[0]
    assert "The points must add up to 100; these add up to 150." in points_errors
    assert 'name="e7" id="id_e7_1" value="2" checked' in html
    assert 'name="points-tangibles" value="30"' in html
    assert not Response.objects.exists()


def test_a_missing_statement_is_a_field_error(centre):
    data = study_form()
    del data["e12"]
    html = client_of(centre.manager).post(STUDY, data).content.decode()
    assert 'data-testid="error-e12"' in html and 'data-testid="error-e11"' not in html


def test_the_study_is_answered_once(centre):
    client = client_of(centre.manager)
    client.post(STUDY, study_form(scores(6)))
    response = client.post(STUDY, study_form(scores(2)), follow=True)
    assert "You have already answered this study" in response.content.decode()
    assert Response.objects.filter(survey=centre.study).count() == 1
    kept = Response.objects.get().answers.filter(question__kind="expectation").values_list("number", flat=True)
    assert set(kept) == {6}  # the first answers, not the second


def test_the_answered_study_page_takes_few_queries(centre, two_members, django_assert_max_num_queries):
    manager_answers(centre.study, centre.manager, scores(7), points())
    client = client_of(centre.manager)
    with django_assert_max_num_queries(13):
        response = client.get(STUDY)
    assert 'data-testid="knowledge-gap"' in response.content.decode()


def test_no_active_study_is_an_empty_state(centre):
    centre.study.is_active = False
    centre.study.save(update_fields=["is_active"])
    html = client_of(centre.manager).get(STUDY).content.decode()
    assert "No study open" in html
