"""The research pages: themes and a theme's evidence, the theme form, focus groups with their
participants and findings, and the comment-coding widget (HTMX and plain); query counts."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from claims.tests.factories import CustomerFactory
from contactcentre.models import AuditAction, AuditEvent
from surveys.models import CommentCode, FindingTheme, FocusGroup, Participant, Theme

from .conftest import END, START, local, respond, session

pytestmark = pytest.mark.django_db

PERIOD = {"start": START.isoformat(), "end": END.isoformat()}
HTMX = {"HTTP_HX_REQUEST": "true"}


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def codes_url(answer) -> str:
    return reverse("surveys:comment-codes", args=[answer.pk])


def cell(html: str, testid: str) -> str:
    """The text of the element with data-testid=`testid`, up to its closing tag."""
    start = html.index(f'data-testid="{testid}"')
    return html[html.index(">", start) + 1 : html.index("</", start)].strip()


# Themes -------------------------------------------------------------------------------------------------


def test_themes_page_shows_each_themes_evidence_and_scores_for_the_period(lab, evidence):
    html = client_of(lab.manager).get(reverse("surveys:themes"), PERIOD).content.decode()
    assert [cell(html, f"{kind}-waiting") for kind in ("complaints", "comments", "findings")] == ["3", "4", "2"]
    assert [cell(html, f"{kind}-billing") for kind in ("complaints", "comments", "findings")] == ["1", "2", "1"]
    assert cell(html, "csat-waiting").startswith("2.67") and "33% satisfied, n=3" in html
    assert cell(html, "nps-waiting").startswith("-33")
    assert cell(html, "csat-billing").startswith("3.00") and cell(html, "nps-billing").startswith("-50")
    assert html.index('data-testid="theme-waiting"') < html.index('data-testid="theme-billing"')
    assert '"indexAxis": "y"' in html and '"labels": ["Waiting times", "Billing"]' in html  # letters: no evidence
    assert 'data-testid="theme-new"' in html


def test_a_team_leader_sees_their_teams_comments_and_no_theme_editing(lab, evidence):
    html = client_of(lab.leader).get(reverse("surveys:themes"), PERIOD).content.decode()
    assert cell(html, "comments-waiting") == "3"
    assert cell(html, "csat-waiting").startswith("3.50")
    assert 'data-testid="theme-new"' not in html


def test_themes_are_named_in_arabic_for_an_arabic_reader(lab, evidence):
    html = client_of(lab.manager).get(reverse("surveys:themes"), PERIOD, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "أوقات الانتظار" in html


def test_theme_page_shows_the_readers_comments_findings_and_complaints_by_month(lab, evidence):
    url = reverse("surveys:theme", args=[lab.waiting.pk])
    html = client_of(lab.leader).get(url, PERIOD).content.decode()
    assert f'data-testid="comment-{evidence.r1.pk}"' in html and "Long wait on hold." in html
    assert f'data-testid="comment-{evidence.r4.pk}"' not in html and "On hold an hour." not in html
    assert "Everyone had waited on hold." in html and "Callbacks never came." in html
    assert [cell(html, f"month-2026-0{m}") for m in (1, 2, 3)] == ["1", "1", "1"]
    assert html.count('data-testid="month-') == 3 and 'data-chart="theme-months"' in html
    assert cell(html, "complaints") == "3" and cell(html, "comments") == "3"
    manager_html = client_of(lab.manager).get(url, PERIOD).content.decode()
    assert "On hold an hour." in manager_html


def test_a_theme_is_created_with_its_keywords_one_per_line(lab):
    data = {
        "code": "pharmacy", "name": "Pharmacy", "name_ar": "الصيدلية", "complaint_category": "other",
        "keywords": "pharmacy\r\nصيدلية\r\n", "is_active": "on", "position": "4",
    }  # fmt: skip
    response = client_of(lab.manager).post(reverse("surveys:theme-new"), data)
    theme = Theme.objects.get(code="pharmacy")
    assert response["Location"] == reverse("surveys:theme", args=[theme.pk])
    assert (theme.keywords, theme.complaint_category, theme.is_active, theme.position) == (
        "pharmacy\nصيدلية", "other", True, 4,
    )  # fmt: skip


def test_a_theme_with_a_taken_code_is_shown_again_with_the_error(lab):
    data = {"code": "billing", "name": "Waiting again", "position": "0"}
    response = client_of(lab.manager).post(reverse("surveys:theme-edit", args=[lab.waiting.pk]), data)
    assert response.status_code == 400
    assert "Another theme has this code." in response.content.decode()
    assert Theme.objects.get(pk=lab.waiting.pk).name == "Waiting times"


def test_editing_a_theme_can_retire_it(lab):
    data = {"code": "letters", "name": "Letters", "keywords": "letter", "position": "3"}  # is_active unticked
    response = client_of(lab.manager).post(reverse("surveys:theme-edit", args=[lab.letters.pk]), data)
    assert response.status_code == 302
    assert Theme.objects.get(pk=lab.letters.pk).is_active is False


# Focus groups -------------------------------------------------------------------------------------------


def test_a_session_is_created_and_listed_by_kind(lab):
    data = {
        "kind": "panel", "title": "Spring panel", "held_on": "2026-04-02", "facilitator": lab.manager.pk,
        "site": lab.staines.pk, "topic_guide": "1. What made a call easy?", "notes": "",
    }  # fmt: skip
    response = client_of(lab.manager).post(reverse("surveys:focus-group-new"), data)
    panel = FocusGroup.objects.get()
    assert response["Location"] == reverse("surveys:focus-group", args=[panel.pk])
    assert (panel.kind, panel.created_by, panel.site) == ("panel", lab.manager, lab.staines)
    session(lab, date(2026, 2, 1))
    listing = client_of(lab.manager).get(reverse("surveys:focus-groups"), {"kind": "panel"}).content.decode()
    assert "Spring panel" in listing and "Session 01 Feb" not in listing


def test_adding_a_member_who_has_not_consented_shows_why_on_the_page(lab):
    group = session(lab, date(2026, 2, 10))
    member = CustomerFactory(consent_research=False)
    url = reverse("surveys:focus-group-participants", args=[group.pk])
    response = client_of(lab.manager).post(url, {"action": "add", "membership_number": member.membership_number})
    assert response.status_code == 400
    assert "has not consented to surveys and research" in response.content.decode()
    assert not Participant.objects.exists()


def test_participants_are_added_marked_and_removed_from_the_page(lab):
    group = session(lab, date(2026, 2, 10))
    member = CustomerFactory(consent_research=True, first_name="Huda", last_name="Saleh")
    client = client_of(lab.manager)
    url = reverse("surveys:focus-group-participants", args=[group.pk])
    assert client.post(url, {"action": "add", "membership_number": member.membership_number}).status_code == 302
    participant = Participant.objects.get()
    client.post(url, {"action": "absent", "participant": participant.pk})
    assert Participant.objects.get().attended is False
    html = client.get(reverse("surveys:focus-group", args=[group.pk])).content.decode()
    assert f'data-testid="participant-{member.membership_number}"' in html and "Huda Saleh" in html
    client.post(url, {"action": "remove", "participant": participant.pk})
    assert not Participant.objects.exists()


def test_findings_are_recorded_with_what_was_said_and_removed(lab):
    group = session(lab, date(2026, 2, 10))
    client = client_of(lab.manager)
    url = reverse("surveys:focus-group-findings", args=[group.pk])
    said = "Nobody knew their claim had been paid."
    assert client.post(url, {"action": "add", "theme": lab.letters.pk, "evidence": said}).status_code == 302
    finding = FindingTheme.objects.get()
    assert (finding.theme, finding.evidence, finding.coded_by) == (lab.letters, said, lab.manager)
    html = client.get(reverse("surveys:focus-group", args=[group.pk])).content.decode()
    assert 'data-testid="finding-letters"' in html and said in html
    assert client.post(url, {"action": "remove", "finding": finding.pk}).status_code == 302
    assert not FindingTheme.objects.exists()


def test_reading_a_session_page_is_audited(lab):
    group = session(lab, date(2026, 2, 10))
    client_of(lab.manager).get(reverse("surveys:focus-group", args=[group.pk]))
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="surveys.focusgroup").count() == 1


# Comment coding -----------------------------------------------------------------------------------------


def test_the_widget_shows_codes_and_labels_english_and_arabic_suggestions(lab, evidence):
    english, _ = respond(lab, agent=lab.agent, when=local(2026, 2, 6, 9), csat=3, nps=7,
                         comment="Holding for ages, then my premium bill doubled.")  # fmt: skip
    html = client_of(lab.leader).get(codes_url(english), **HTMX).content.decode()
    assert "<html" not in html  # a partial
    assert 'data-testid="suggested-waiting"' in html and 'data-testid="suggested-billing"' in html
    assert "suggested" in html and 'data-testid="suggested-letters"' not in html
    arabic, _ = respond(lab, agent=lab.agent, when=local(2026, 2, 6, 9), csat=3, nps=7, comment="طال الانتظار")
    html = client_of(lab.leader).get(codes_url(arabic), **HTMX).content.decode()
    assert 'data-testid="suggested-waiting"' in html and 'data-testid="suggested-billing"' not in html
    coded = client_of(lab.leader).get(codes_url(evidence.r2_improve), **HTMX).content.decode()
    assert 'data-testid="code-waiting"' in coded and 'data-testid="code-billing"' in coded
    assert 'data-testid="suggested-billing"' not in coded  # applied already


def test_coding_through_htmx_returns_the_widget_with_the_theme_applied(lab, evidence):
    client = client_of(lab.leader)
    response = client.post(codes_url(evidence.r6), {"action": "add", "theme": lab.letters.pk}, **HTMX)
    assert response.status_code == 200
    assert 'data-testid="code-letters"' in response.content.decode()
    client.post(codes_url(evidence.r6), {"action": "add", "theme": lab.letters.pk}, **HTMX)  # again: no change
    assert CommentCode.objects.filter(answer=evidence.r6).count() == 1
    response = client.post(codes_url(evidence.r6), {"action": "remove", "theme": lab.letters.pk}, **HTMX)
    assert 'data-testid="no-codes"' in response.content.decode()
    assert not CommentCode.objects.filter(answer=evidence.r6).exists()


def test_coding_without_javascript_goes_back_to_the_page_it_came_from(lab, evidence):
    verbatims = "http://testserver/surveys/verbatims/?theme=waiting"
    response = client_of(lab.leader).post(
        codes_url(evidence.r6), {"action": "add", "theme": lab.waiting.pk}, HTTP_REFERER=verbatims
    )
    assert (response.status_code, response["Location"]) == (302, verbatims)
    assert CommentCode.objects.filter(answer=evidence.r6, theme=lab.waiting).exists()
    elsewhere = client_of(lab.leader).post(
        codes_url(evidence.r6), {"action": "remove", "theme": lab.waiting.pk}, HTTP_REFERER="https://evil.example/"
    )
    assert "evil.example" not in elsewhere["Location"]


def test_an_unknown_or_retired_theme_is_refused_and_nothing_changes(lab, evidence):
    client = client_of(lab.leader)
    response = client.post(codes_url(evidence.r6), {"action": "add", "theme": 999999})
    assert response.status_code == 400
    lab.letters.is_active = False
    lab.letters.save(update_fields=["is_active"])
    response = client.post(codes_url(evidence.r6), {"action": "add", "theme": lab.letters.pk}, **HTMX)
    assert 'data-testid="coding-error"' in response.content.decode()
    assert not CommentCode.objects.filter(answer=evidence.r6).exists()


def test_a_team_leader_cannot_see_or_code_another_teams_comment(lab, evidence):
    client = client_of(lab.leader)
    assert client.get(codes_url(evidence.r4), **HTMX).status_code == 404
    assert client.post(codes_url(evidence.r4), {"action": "add", "theme": lab.billing.pk}).status_code == 404
    assert client.post(codes_url(evidence.r4), {"action": "remove", "theme": lab.waiting.pk}).status_code == 404
    assert list(CommentCode.objects.filter(answer=evidence.r4).values_list("theme__code", flat=True)) == ["waiting"]
    assert client_of(lab.other_leader).get(codes_url(evidence.r4), **HTMX).status_code == 200


def test_an_agent_may_not_code_comments(lab, evidence):
    assert client_of(lab.agent).get(codes_url(evidence.r1), **HTMX).status_code == 403


# Query counts -------------------------------------------------------------------------------------------


def more_evidence(lab, n: int):
    """n more themes, sessions and coded comments: the pages must not make a query per row."""
    from surveys.services.research import comment_code_add
    from surveys.tests.factories import ThemeFactory

    for i in range(n):
        theme = ThemeFactory(code=f"extra-{i}", name=f"Extra {i}", complaint_category="other")
        answer, _ = respond(lab, agent=lab.agent, when=local(2026, 2, 7, 9 + i), csat=4, nps=9, comment=f"Extra {i}")
        comment_code_add(actor=lab.manager, answer=answer, theme=theme)
        comment_code_add(actor=lab.manager, answer=answer, theme=lab.waiting)
        group = session(lab, date(2026, 2, 11 + i), waiting=f"Said {i}")
        Participant.objects.create(focus_group=group, customer=CustomerFactory(consent_research=True))


@pytest.mark.parametrize("who", ["leader", "manager"])
def test_themes_page_query_count_does_not_grow_with_themes(lab, evidence, who, django_assert_max_num_queries):
    client = client_of(getattr(lab, who))
    with django_assert_max_num_queries(6):
        client.get(reverse("surveys:themes"), PERIOD)
    more_evidence(lab, 4)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("surveys:themes"), PERIOD).status_code == 200


def test_theme_page_query_count_does_not_grow_with_comments(lab, evidence, django_assert_max_num_queries):
    client = client_of(lab.leader)
    url = reverse("surveys:theme", args=[lab.waiting.pk])
    with django_assert_max_num_queries(11):
        client.get(url, PERIOD)
    more_evidence(lab, 4)
    with django_assert_max_num_queries(11):  # with the audit row of the comments shown
        assert client.get(url, PERIOD).status_code == 200


def test_focus_group_pages_query_counts_do_not_grow(lab, django_assert_max_num_queries):
    client = client_of(lab.manager)
    group = session(lab, date(2026, 2, 10), waiting="Long holds.", billing="Bills.")
    for _ in range(5):
        Participant.objects.create(focus_group=group, customer=CustomerFactory(consent_research=True))
    more_evidence(lab, 3)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("surveys:focus-groups")).status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get(reverse("surveys:focus-group", args=[group.pk])).status_code == 200


def test_coding_widget_query_count(lab, evidence, django_assert_max_num_queries):
    client = client_of(lab.leader)
    more_evidence(lab, 3)
    with django_assert_max_num_queries(7):
        assert client.get(codes_url(evidence.r2_improve), **HTMX).status_code == 200
