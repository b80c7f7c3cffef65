"""Themes and their evidence over a period, against the hand-computed figures of conftest.py."""

from datetime import date

import pytest
from django.http import Http404

from surveys.selectors import research as selectors

from .conftest import END, START

pytestmark = pytest.mark.django_db


def by_code(rows):
    return {row.theme.code: row for row in rows}


def test_a_manager_reads_each_themes_complaints_comments_findings_and_scores(lab, evidence):
    rows = selectors.themes_with_evidence(actor=lab.manager, start=START, end=END)
    assert [row.theme.code for row in rows] == ["waiting", "billing", "letters"]  # most evidence first
    figures = {
        row.theme.code: (
            row.complaints,
            row.comments,
            row.findings,
            row.evidence,
            row.csat.responses,
            row.nps.responses,
        )
        for row in rows
    }
    assert figures == {
        "waiting": (3, 4, 2, 9, 3, 3),
        "billing": (1, 2, 1, 4, 2, 2),
        "letters": (0, 0, 0, 0, 0, 0),
    }
    waiting, billing = by_code(rows)["waiting"], by_code(rows)["billing"]
    assert round(waiting.csat_mean, 2) == 2.67 and round(waiting.csat.score, 1) == 33.3
    assert round(waiting.nps.score) == -33
    assert billing.csat_mean == 3.0 and billing.csat.score == 50.0 and billing.nps.score == -50.0
    assert by_code(rows)["letters"].csat_mean is None and by_code(rows)["letters"].nps.score is None


def test_a_team_leader_counts_only_the_comments_and_scores_of_their_teams_responses(lab, evidence):
    rows = by_code(selectors.themes_with_evidence(actor=lab.leader, start=START, end=END))
    waiting = rows["waiting"]
    assert (waiting.complaints, waiting.comments, waiting.findings) == (3, 3, 2)  # r4 is the Claims team's
    assert (waiting.csat_mean, waiting.nps.score) == (3.5, 0.0)
    assert rows["billing"].comments == 2
    other = by_code(selectors.themes_with_evidence(actor=lab.other_leader, start=START, end=END))
    assert (other["waiting"].comments, other["waiting"].csat_mean, other["billing"].comments) == (1, 1.0, 0)


def test_the_period_is_read_in_local_time_with_its_last_day_included(lab, evidence):
    rows = by_code(selectors.themes_with_evidence(actor=lab.manager, start=date(2026, 3, 31), end=date(2026, 4, 1)))
    assert rows["waiting"].complaints == 2  # 31 March 23:30 BST and 1 April 00:30 BST
    assert rows["waiting"].comments == 0
    december = by_code(
        selectors.themes_with_evidence(actor=lab.manager, start=date(2025, 11, 1), end=date(2025, 12, 31))
    )
    assert (december["waiting"].complaints, december["waiting"].comments, december["letters"].findings) == (1, 1, 1)


def test_theme_page_lists_visible_comments_newest_first_findings_and_complaints_per_month(lab, evidence):
    page = selectors.theme_page(actor=lab.leader, theme=lab.waiting, start=START, end=END)
    assert [code.answer_id for code in page.comments] == [evidence.r2_improve.pk, evidence.r2.pk, evidence.r1.pk]
    assert [f.evidence for f in page.findings] == ["Callbacks never came.", "Everyone had waited on hold."]
    assert page.months == [(date(2026, 1, 1), 1), (date(2026, 2, 1), 1), (date(2026, 3, 1), 1)]
    assert selectors.theme_page(actor=lab.leader, theme=lab.letters, start=START, end=END).months == []


def test_a_comment_of_another_teams_response_is_not_found_for_a_team_leader(lab, evidence):
    assert selectors.comment_get_for(lab.leader, evidence.r1.pk) == evidence.r1
    with pytest.raises(Http404):
        selectors.comment_get_for(lab.leader, evidence.r4.pk)
    assert selectors.comment_get_for(lab.manager, evidence.r4.pk) == evidence.r4


def test_only_free_text_answers_can_be_coded(lab, evidence):
    csat = evidence.r1.response.answers.get(question__code="csat")
    with pytest.raises(Http404):
        selectors.comment_get_for(lab.manager, csat.pk)


def test_the_widget_suggests_active_themes_from_english_and_arabic_keywords(lab, evidence):
    from .conftest import respond

    english, _ = respond(lab, agent=lab.agent, when=evidence.r1.response.submitted_at, csat=3, nps=7,
                         comment="I was holding for ages and the premium bill doubled.")  # fmt: skip
    widget = selectors.coding_widget(english)
    assert [t.code for t in widget.suggested] == ["waiting", "billing"]
    arabic, _ = respond(lab, agent=lab.agent, when=evidence.r1.response.submitted_at, csat=3, nps=7,
                        comment="طال الانتظار كثيراً")  # fmt: skip
    assert [t.code for t in selectors.coding_widget(arabic).suggested] == ["waiting"]
    lab.billing.is_active = False
    lab.billing.save(update_fields=["is_active"])
    widget = selectors.coding_widget(english)
    assert [t.code for t in widget.suggested] == ["waiting"]
    assert [t.code for t in widget.available] == ["waiting", "letters"]


def test_complaints_are_counted_in_the_local_month_they_were_received(lab, evidence):
    # 1 April 00:30 BST is 31 March 23:30 UTC: it is April's.
    months = selectors.complaints_per_month(category="service", start=date(2026, 3, 1), end=date(2026, 4, 30))
    assert months == [(date(2026, 3, 1), 1), (date(2026, 4, 1), 1)]
