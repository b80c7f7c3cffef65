"""The results page, its exports, the verbatims and their exports, and one response's page: what a
manager and a team leader see, the files' contents, the audit trail and the query counts."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from contactcentre.models import AuditAction, AuditEvent

from .conftest import END, START

pytestmark = pytest.mark.django_db

PERIOD = {"start": START.isoformat(), "end": END.isoformat()}


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


def number(text: str):
    """A CSV cell's number; csv_cell guards a cell starting with "-" like a formula, negative NPS included."""
    try:
        return float(text.removeprefix("'"))
    except ValueError:
        return text


def as_text(value) -> str:
    return str(float(value)) if isinstance(value, int | float) else str(value)


# Results ----------------------------------------------------------------------------------------------


def test_results_page_shows_the_headline_figures_for_the_period(centre):
    html = client_of(centre.manager).get(reverse("surveys:results"), PERIOD).content.decode()
    # Worked out in test_selectors: CSAT 6/10, NPS 11.1 ± 57.2 on 9, CES 35/9, easy 4/9; 3 of 5
    # invitations answered; 2 of 3 follow-ups closed, one of them on time, one overdue.
    assert 'data-testid="headline-csat">60.0%' in html
    assert 'data-testid="headline-nps">11.1' in html and "± 57.2" in html
    assert 'data-testid="headline-ces">3.89' in html and "44.4% found it easy" in html
    assert 'data-testid="headline-responses">10<' in html
    assert 'data-testid="headline-response-rate">60.0%' in html and "3 of 5 invitations" in html
    assert 'data-testid="headline-loop-rate">66.7%' in html and "50% of them on time" in html
    assert "1 overdue" in html


def test_results_breakdown_by_team_with_n_small_samples_and_a_dash_for_no_answers(centre):
    client = client_of(centre.manager)
    html = client.get(reverse("surveys:results"), PERIOD | {"group_by": "team"}).content.decode()
    cover = centre.teams["cover"].pk
    row = html.split(f'data-testid="row-{cover}"')[1].split("</tr>")[0]
    assert "Cover" in row and '<td class="text-end">6</td>' in row and "50.0%" in row and "65.3" in row
    assert 'data-testid="small-sample"' in row
    tiers = client.get(reverse("surveys:results"), PERIOD | {"group_by": "plan_tier"}).content.decode()
    no_plan = tiers.split('data-testid="row-none"')[1].split("</tr>")[0]
    assert no_plan.count("—") == 2  # nobody without a plan answered the CES question: no mean, no share
    assert 'data-chart="results-trend"' in html and 'id="results-trend"' in html


def test_results_page_for_a_team_leader_shows_only_their_teams(centre):
    html = client_of(centre.leaders["cover"]).get(reverse("surveys:results"), PERIOD | {"group_by": "team"})
    html = html.content.decode()
    assert 'data-testid="headline-responses">6<' in html
    assert f'data-testid="row-{centre.teams["cover"].pk}"' in html
    assert f'data-testid="row-{centre.teams["north"].pk}"' not in html
    # Another team is not among the choices: asking for it is an error, and their own figures stay.
    refused = client_of(centre.leaders["cover"]).get(
        reverse("surveys:results"), PERIOD | {"team": centre.teams["north"].pk}
    )
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()
    assert 'data-testid="headline-responses">6<' in refused.content.decode()


def test_results_page_with_no_responses_says_so(centre):
    html = client_of(centre.manager).get(reverse("surveys:results"), {"start": "2025-01-01", "end": "2025-01-31"})
    html = html.content.decode()
    assert 'data-testid="empty-state"' in html and 'data-testid="breakdown"' not in html
    assert 'data-testid="headline-csat"><span aria-label="no answers">—</span>' in html


def test_results_default_to_the_last_90_days(centre, user_factory):
    response = client_of(centre.manager).get(reverse("surveys:results"))
    assert response.status_code == 200
    filters = response.context["filters"]
    assert (filters.end - filters.start).days == 89


def test_results_page_query_count_is_pinned(centre, django_assert_max_num_queries):
    client = client_of(centre.manager)
    # session and user, permissions; the filter form's choices (survey, site, team, queue, agent);
    # total, breakdown, trend, invitations, follow-ups.
    with django_assert_max_num_queries(14):
        response = client.get(reverse("surveys:results"), PERIOD | {"group_by": "agent"})
    assert response.status_code == 200


def test_results_export_csv_has_the_breakdown_then_the_total(centre):
    response = client_of(centre.manager).get(
        reverse("surveys:results-export", args=["csv"]), PERIOD | {"group_by": "team"}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert rows[0][:5] == ["Team", "Responses", "Small sample", "CSAT answers", "CSAT (%)"]
    body = {row[0]: row for row in rows[1:]}
    assert list(body) == ["Claims", "Cover", "North", "All responses"]
    # Cover: 6 responses, CSAT 3 of 6 answers = 50.0; NPS 2/2/2 of 6 = 0.0 ± 65.3; CES 5 answers, 3.8, 40.0.
    assert body["Cover"] == ["Cover", "6", "Yes", "6", "50.0", "6", "2", "2", "2", "0.0", "65.3", "5", "3.8", "40.0"]
    assert body["All responses"][1:5] == ["10", "Yes", "10", "60.0"]
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=centre.manager, summary__contains="results")


def test_results_export_xlsx_has_the_same_rows_as_numbers(centre):
    client = client_of(centre.manager)
    query = PERIOD | {"group_by": "team"}
    rows = xlsx_rows(client.get(reverse("surveys:results-export", args=["xlsx"]), query))
    as_csv = csv_rows(client.get(reverse("surveys:results-export", args=["csv"]), query))
    assert [[as_text(v) for v in row] for row in rows] == [[as_text(number(v)) for v in row] for row in as_csv]
    cover = next(row for row in rows if row[0] == "Cover")
    assert cover[1] == 6 and cover[10] == 65.3  # numbers, not text


def test_results_export_for_a_team_leader_holds_only_their_teams(centre):
    rows = csv_rows(
        client_of(centre.leaders["cover"]).get(
            reverse("surveys:results-export", args=["csv"]), PERIOD | {"group_by": "agent"}
        )
    )
    assert [row[0] for row in rows[1:]] == ["Amira Agent", "Ben Agent", "All responses"]


def test_an_unknown_export_format_is_not_found(centre):
    assert client_of(centre.manager).get("/surveys/export.pdf").status_code == 404


# Verbatims --------------------------------------------------------------------------------------------


def test_verbatims_page_shows_comments_with_scores_segment_link_and_the_lazy_coding_widget(centre):
    html = client_of(centre.manager).get(reverse("surveys:verbatims"), PERIOD).content.decode()
    response = centre.responses[3]  # #4, "Cut off twice"
    answer = response.answers.get(question__code="comment")
    card = html.split(f'data-testid="verbatim-{answer.pk}"')[1].split("</li>")[0]
    assert "Cut off twice, nobody rang back." in card
    assert "CSAT 2/5" in card and "Recommend 6/10" in card and "Ease 2/7" in card
    assert "Amira Agent" in card and "Cover" in card and "Claims line" in card and "Staines" in card
    assert f'href="{reverse("surveys:response", args=[response.pk])}"' in card
    assert f'hx-get="{reverse("surveys:comment-codes", args=[answer.pk])}" hx-trigger="revealed"' in card
    assert "6 comments" in html


def test_verbatims_filters_and_search(centre):
    client = client_of(centre.manager)
    html = client.get(reverse("surveys:verbatims"), PERIOD | {"band": "promoter"}).content.decode()
    assert "Quick and kind." in html and "Sorted my claim" in html and "Rude and slow." not in html
    html = client.get(
        reverse("surveys:verbatims"), PERIOD | {"q": "wait", "site": centre.manchester.pk}
    ).content.decode()
    assert "Waited forty minutes." in html and "Fine, but a long wait." not in html
    html = client.get(reverse("surveys:verbatims"), PERIOD | {"q": "no such words"}).content.decode()
    assert 'data-testid="empty-state"' in html


def test_verbatims_for_a_team_leader_are_their_teams_only(centre):
    html = client_of(centre.leaders["cover"]).get(reverse("surveys:verbatims"), PERIOD).content.decode()
    assert "Rude and slow." in html and "Waited forty minutes." not in html and "Sorted my claim" not in html


def test_verbatims_are_paginated(centre, monkeypatch):
    monkeypatch.setattr("surveys.views.results.PAGE_SIZE", 4)
    client = client_of(centre.manager)
    first = client.get(reverse("surveys:verbatims"), PERIOD).content.decode()
    assert "Page 1 of 2" in first and "Waited forty minutes." in first and "Quick and kind." not in first
    second = client.get(reverse("surveys:verbatims"), PERIOD | {"page": 2}).content.decode()
    assert "Quick and kind." in second and "Waited forty minutes." not in second


def test_verbatims_page_query_count_is_pinned(centre, django_assert_max_num_queries):
    client = client_of(centre.manager)
    # session and user, permissions; choices (survey, site, team, queue, theme); the count, the page, the audit row.
    with django_assert_max_num_queries(12):
        response = client.get(reverse("surveys:verbatims"), PERIOD)
    assert response.status_code == 200 and len(response.context["page"].object_list) == 6


def test_verbatims_export_csv_and_xlsx_have_the_comments_without_member_names(centre):
    from surveys.models import Answer, CommentCode
    from surveys.tests.factories import ThemeFactory

    waiting = ThemeFactory(code="waiting", name="Waiting")
    CommentCode.objects.create(
        answer=Answer.objects.get(text="Waited forty minutes."), theme=waiting, coded_by=centre.manager
    )
    client = client_of(centre.manager)
    query = PERIOD | {"band": "detractor"}
    rows = csv_rows(client.get(reverse("surveys:verbatims-export", args=["csv"]), query))
    assert rows[0] == [
        "Submitted", "Response", "Survey", "Comment", "CSAT", "NPS", "CES", "Agent", "Team", "Queue", "Site",
        "Plan tier", "Themes",
    ]  # fmt: skip
    assert [row[3] for row in rows[1:]] == [
        "Waited forty minutes.",
        "Rude and slow.",
        "Cut off twice, nobody rang back.",
    ]
    assert rows[1] == [
        "2026-03-13 10:00", str(centre.responses[8].pk), "After your call", "Waited forty minutes.", "2", "3", "2",
        "Dan Agent", "North", "General line", "Manchester", "Essential", "Waiting",
    ]  # fmt: skip
    text = "\n".join(",".join(row) for row in rows)
    for response in centre.responses:
        assert response.customer.last_name not in text
    sheet = xlsx_rows(client.get(reverse("surveys:verbatims-export", args=["xlsx"]), query))
    assert [row[3] for row in sheet[1:]] == [row[3] for row in rows[1:]]
    assert sheet[1][4] == 2 and sheet[1][0].strftime("%Y-%m-%d %H:%M") == "2026-03-13 10:00"
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, summary__contains="verbatims").count() == 2


def test_verbatims_export_for_a_team_leader_holds_only_their_teams(centre):
    rows = csv_rows(client_of(centre.leaders["claims"]).get(reverse("surveys:verbatims-export", args=["csv"]), PERIOD))
    assert [row[3] for row in rows[1:]] == ["Sorted my claim in one call"]


# One response -----------------------------------------------------------------------------------------


def test_response_page_shows_the_answers_in_question_order_with_the_member_and_contact_links(centre):
    response = centre.responses[3]
    html = client_of(centre.manager).get(reverse("surveys:response", args=[response.pk])).content.decode()
    questions = list(response.version.questions.order_by("position"))
    positions = [html.index(f'data-testid="answer-{q.code}"') for q in questions]
    assert positions == sorted(positions)
    assert questions[0].text in html
    assert "2 / 5" in html and "6 / 10" in html and "Cut off twice, nobody rang back." in html
    assert f'href="{reverse("customers:detail", args=[response.customer_id])}"' in html
    assert f'href="{reverse("calls:contact", args=[response.contact_id])}"' in html
    assert "Amira Agent" in html and "Standard" in html and "Individual" in html
    loop = response.loop
    assert f'href="{reverse("surveys:loop", args=[loop.pk])}"' in html and "Called back and resolved" in html
    event = AuditEvent.objects.get(action=AuditAction.VIEW, object_type="surveys.response")
    assert (event.actor, event.object_id) == (centre.manager, str(response.pk))


def test_response_page_asks_the_questions_in_the_readers_language(centre):
    response = centre.responses[0]
    question = response.version.questions.get(code="csat")
    question.text_ar = "ما مدى رضاك؟"
    question.save(update_fields=["text_ar"])
    client = client_of(centre.manager)
    client.cookies["django_language"] = "ar"
    html = client.get(reverse("surveys:response", args=[response.pk]), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "ما مدى رضاك؟" in html


def test_a_response_of_another_team_is_not_found_for_a_team_leader(centre):
    north = centre.responses[8]
    assert client_of(centre.leaders["cover"]).get(reverse("surveys:response", args=[north.pk])).status_code == 404
    assert client_of(centre.leaders["north"]).get(reverse("surveys:response", args=[north.pk])).status_code == 200
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW, actor=centre.leaders["cover"]).exists()


def test_response_page_query_count_is_pinned(centre, django_assert_max_num_queries):
    client = client_of(centre.manager)
    response = centre.responses[3]
    # session and user, permissions; the response with its segment and follow-up; questions; answers; the audit row.
    with django_assert_max_num_queries(8):
        page = client.get(reverse("surveys:response", args=[response.pk]))
    assert page.status_code == 200


def test_a_reader_who_may_not_read_members_or_contacts_sees_neither_name_nor_link(centre, user_factory):
    from django.contrib.auth.models import Permission

    from staff.roles import Role

    analyst = user_factory(role=Role.HR)  # no surveys permission of its own, nor calls'; HR may not read members
    analyst.user_permissions.add(
        Permission.objects.get(codename="view_results", content_type__app_label="surveys"),
        Permission.objects.get(codename="view_management", content_type__app_label="staff"),
    )
    response = centre.responses[3]
    html = client_of(analyst).get(reverse("surveys:response", args=[response.pk])).content.decode()
    member = html.split('data-testid="member">')[1].split("</dd>")[0]
    assert "Name hidden" in member and response.customer.last_name not in html
    assert reverse("calls:contact", args=[response.contact_id]) not in html
    assert f"#{response.contact_id}" in html.split('data-testid="contact">')[1].split("</dd>")[0]


def test_reading_members_comments_is_in_the_audit_trail(centre):
    """Comments can hold health details: the verbatims page records which ones it showed, to whom."""
    response = client_of(centre.manager).get(reverse("surveys:verbatims"), PERIOD)
    shown = sorted(answer.pk for answer in response.context["page"].object_list)
    event = AuditEvent.objects.get(summary="Survey comments viewed: verbatims")
    assert (event.actor, event.action, sorted(event.detail["answers"])) == (centre.manager, AuditAction.VIEW, shown)
