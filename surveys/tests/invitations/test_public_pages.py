"""The member's survey page and opting out: no login, the link's token as the key; the current version's
questions in the invitation's language; forged, expired and used links refused with nothing stored."""

import re

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone
from django.utils.translation import get_language_info, gettext, override

from contactcentre.models import AuditEvent
from surveys.models import Invitation, QuestionKind, Response, SurveyKind
from surveys.rules.tokens import _SALT
from surveys.services.definitions import QuestionSpec, standard_questions, survey_edit_questions
from surveys.services.responses import response_submit
from surveys.views import public

from ..factories import make_invitation, make_survey
from .helpers import closed_contact, member

pytestmark = pytest.mark.django_db

GOOD = {"csat": "5", "ces": "6", "nps": "9", "comment": "Quick and kind."}
ARABIC_CSAT = "ما مدى رضاك عن مكالمتك اليوم؟"


@pytest.fixture
def survey(roles):
    questions = standard_questions(SurveyKind.POST_CONTACT)
    questions[0] = QuestionSpec("csat", QuestionKind.CSAT, "How satisfied were you with your call today?", ARABIC_CSAT)
    questions[1] = QuestionSpec("ces", QuestionKind.CES, "The insurer made it easy to handle my request.", "")
    return make_survey(code="after-call", name="After your call", name_ar="بعد مكالمتك", questions=questions)


def invite(survey, *, language="en", **kwargs) -> tuple[Invitation, str]:
    customer = member(preferred_language=language)
    return make_invitation(survey=survey, contact=closed_contact(customer=customer), **kwargs)


def url(token: str, suffix: str = "") -> str:
    return f"/s/{token}/{suffix}"


def checked(html: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}" id="[^"]+" value="([^"]+)" autocomplete="off" checked', html)


def test_the_page_asks_the_current_versions_questions_on_scales_with_their_end_labels(survey, client):
    invitation, token = invite(survey)
    page = client.get(url(token))
    html = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="en" dir="ltr">' in html and "bootstrap.min.css" in html
    assert "How satisfied were you with your call today?" in html
    for code, low, high, ends in [
        ("csat", 1, 5, ("Very dissatisfied", "Very satisfied")),
        ("ces", 1, 7, ("Strongly disagree", "Strongly agree")),
        ("nps", 0, 10, ("Not at all likely", "Extremely likely")),
    ]:
        values = re.findall(rf'type="radio" class="btn-check" name="{code}" id="[^"]+" value="(\d+)"', html)
        assert values == [str(n) for n in range(low, high + 1)]
        assert f'<span>{ends[0]}</span><span class="text-end">{ends[1]}</span>' in html
    assert '<textarea class="form-control" id="id_comment" name="comment"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert f'href="/s/{token}/?lang=ar"' in html  # the other language
    assert "Log out" not in html and "navbar-nav" not in html  # no staff navigation
    invitation.refresh_from_db()
    assert invitation.opened_at is not None


def test_the_page_shows_the_survey_as_it_is_now_not_as_it_was(survey, client):
    response_submit(
        survey=survey, values={"csat": 4, "ces": 5, "nps": 8}, source="api", contact=closed_contact(customer=member())
    )
    colours = [{"value": "blue", "label": "Blue", "label_ar": "أزرق"}, {"value": "red", "label": "Red"}]
    survey_edit_questions(
        actor=None,
        survey_id=survey.pk,
        questions=[
            QuestionSpec("csat", QuestionKind.CSAT, "Rate us"),
            QuestionSpec("colour", QuestionKind.SINGLE_CHOICE, "Pick a colour", choices=colours),
        ],
    )
    _invitation, token = invite(survey)
    html = client.get(url(token)).content.decode()
    assert "Rate us" in html and 'name="colour"' in html
    assert 'name="nps"' not in html and 'name="comment"' not in html


def test_opened_is_recorded_on_the_first_visit_only(survey, client):
    invitation, token = invite(survey)
    client.get(url(token))
    invitation.refresh_from_db()
    first = invitation.opened_at
    client.get(url(token))
    invitation.refresh_from_db()
    assert first is not None and invitation.opened_at == first


def test_in_arabic_the_page_is_right_to_left_with_the_arabic_texts_and_offers_english(survey, client):
    _invitation, token = invite(survey, language="ar")
    html = client.get(url(token)).content.decode()
    assert '<html lang="ar" dir="rtl">' in html and "bootstrap.rtl.min.css" in html
    assert ARABIC_CSAT in html and "بعد مكالمتك" in html
    assert "The insurer made it easy to handle my request." in html  # no Arabic text: the English one
    assert f'href="/s/{token}/?lang=en"' in html and ">English</a>" in html
    assert f'action="/s/{token}/"' in html


def test_a_member_may_switch_to_the_other_language(survey, client):
    _invitation, token = invite(survey, language="en")
    html = client.get(url(token) + "?lang=ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in html and ARABIC_CSAT in html
    assert f'action="/s/{token}/?lang=ar"' in html  # the answers are sent in the language shown
    assert ">English</a>" in html and f">{get_language_info('ar')['name_local']}</a>" not in html


def test_choice_and_free_text_questions_are_rendered_in_the_language_shown(roles, client):
    survey = make_survey(
        SurveyKind.GENERAL,
        code="channels",
        questions=[
            QuestionSpec(
                "channel", QuestionKind.SINGLE_CHOICE, "How did you reach us?",
                choices=[{"value": "phone", "label": "Phone", "label_ar": "الهاتف"},
                         {"value": "email", "label": "Email"}],
            ),
            QuestionSpec(
                "topics", QuestionKind.MULTIPLE_CHOICE, "What was it about?",
                choices=[{"value": "claim", "label": "A claim"}, {"value": "cover", "label": "Cover"}],
            ),
            QuestionSpec("more", QuestionKind.FREE_TEXT, "Anything else?", required=False),
        ],
    )  # fmt: skip
    _invitation, token = invite(survey, language="ar")
    html = client.get(url(token)).content.decode()
    assert re.search(r'type="radio" name="channel" id="id_channel_1" value="phone"', html)
    assert re.search(r'type="checkbox" name="topics" id="id_topics_2" value="cover"', html)
    assert ">الهاتف</label>" in html and ">Email</label>" in html  # no Arabic label: the English one
    with override("ar"):
        optional = gettext("optional")
    assert optional != "optional"
    assert 'name="more"' in html and f"({optional})" in html


def test_a_servqual_survey_groups_its_44_statements_and_asks_for_100_points(roles, client):
    _invitation, token = invite(make_survey(SurveyKind.SERVQUAL, code="servqual"))
    html = client.get(url(token)).content.decode()
    assert len(re.findall(r'name="e\d+" id="id_e\d+_1"', html)) == 22
    assert len(re.findall(r'name="p\d+" id="id_p\d+_1"', html)) == 22
    headings = re.findall(r'data-testid="section-heading">([^<]+)<', html)
    assert headings == [
        "What an excellent health insurer would do",
        "What this insurer does",
        "How much each matters to you",
    ]
    assert html.index("What this insurer does") < html.index('name="p1"') and html.index('name="e22"') < html.index(
        "What this insurer does"
    )
    assert len(re.findall(r'type="number"[^>]+name="points-\w+"', html.replace("\n", " "))) == 5
    assert 'data-points-group="100"' in html and "<output data-points-total>0</output> / 100" in html
    assert "js/survey-points.js" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # no inline script
    assert not re.search(r"\son[a-z]+=", html)  # no inline handlers


def test_answering_stores_the_response_in_the_language_shown_and_thanks_the_member(survey, client):
    invitation, token = invite(survey, language="en")
    page = client.post(url(token) + "?lang=ar", GOOD)
    assert page.status_code == 302 and page["Location"] == f"/s/{token}/thanks/?lang=ar"
    response = Response.objects.get(invitation=invitation)
    assert (response.source, response.language, response.csat, response.nps, response.ces) == ("link", "ar", 5, 9, 6)
    assert response.contact == invitation.contact and response.customer == invitation.customer
    thanks = client.get(page["Location"])
    assert thanks.status_code == 200 and 'data-testid="thank-you"' in thanks.content.decode()
    assert client.get(page["Location"]).status_code == 200  # a refresh shows the same


def test_an_out_of_scale_answer_is_shown_by_its_question_with_the_answers_kept(survey, client):
    invitation, token = invite(survey)
    page = client.post(url(token), {**GOOD, "csat": "6"})
    html = page.content.decode()
    assert page.status_code == 400
    assert re.search(r'data-testid="error-csat">Choose a score from 1 to 5.<', html)
    assert 'data-testid="error-nps"' not in html
    assert checked(html, "nps") == ["9"] and checked(html, "ces") == ["6"]
    assert ">Quick and kind.</textarea>" in html
    assert not Response.objects.exists()
    invitation.refresh_from_db()
    assert invitation.answered_at is None


def test_unanswered_required_questions_are_each_asked_for(survey, client):
    page = client.post(url(invite(survey)[1]), {"comment": "Nothing to add"})
    html = page.content.decode()
    assert page.status_code == 400
    assert {code for code in ("csat", "ces", "nps") if f'data-testid="error-{code}"' in html} == {"csat", "ces", "nps"}
    assert not Response.objects.exists()


def test_points_that_do_not_add_up_to_100_are_refused_above_the_form(roles, client):
    _invitation, token = invite(make_survey(SurveyKind.SERVQUAL, code="servqual"))
    values = {f"{part}{item}": "5" for part in "ep" for item in range(1, 23)}
    values |= {f"points-{d}": "30" for d in ("tangibles", "reliability", "responsiveness", "assurance", "empathy")}
    page = client.post(url(token), values)
    assert page.status_code == 400 and 'data-testid="error-all"' in page.content.decode()
    assert not Response.objects.exists()


def _forged_tokens(token: str) -> list[str]:
    return [
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # a changed signature
        "not-a-token",
        signing.Signer(salt=_SALT).sign("a-nonce-we-never-issued"),  # signed right, but never issued
    ]


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_link_is_a_clear_404_and_stores_nothing(survey, client, method):
    _invitation, token = invite(survey)
    for forged in _forged_tokens(token):
        page = getattr(client, method)(url(forged), GOOD)
        assert page.status_code == 404
        assert "This survey link is not valid" in page.content.decode()
        assert client.get(url(forged, "opt-out/")).status_code == 404
        assert client.post(url(forged, "opt-out/")).status_code == 404
    assert not Response.objects.exists()
    assert not Invitation.objects.filter(opened_at__isnull=False).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_expired_link_is_410_and_stores_nothing(survey, client, method):
    invitation, token = invite(survey, expired=True)
    page = getattr(client, method)(url(token), GOOD)
    html = page.content.decode()
    assert page.status_code == 410 and "This survey link has expired." in html
    assert f'href="/s/{token}/opt-out/"' in html  # opting out still works
    invitation.refresh_from_db()
    assert invitation.opened_at is None and not Response.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_used_link_is_410_with_thanks_and_stores_nothing_more(survey, client, method):
    _invitation, token = invite(survey)
    client.post(url(token), GOOD)
    page = getattr(client, method)(url(token), {**GOOD, "csat": "1"})
    html = page.content.decode()
    assert page.status_code == 410
    assert "Thank you, you have already answered" in html
    assert "This survey has already been answered. Thank you for your feedback." in html
    assert Response.objects.get().csat == 5


def test_the_thank_you_page_of_an_unanswered_link_leads_to_the_survey(survey, client):
    _invitation, token = invite(survey)
    page = client.get(url(token, "thanks/"))
    assert page.status_code == 302 and page["Location"] == f"/s/{token}/"


def test_opting_out_withdraws_consent_to_surveys_and_is_audited(survey, client):
    invitation, token = invite(survey)
    confirm = client.get(url(token, "opt-out/"))
    html = confirm.content.decode()
    assert confirm.status_code == 200 and 'data-testid="opt-out"' in html
    assert "even if the survey has expired or you have already answered it" in html
    assert client.post(url(token, "opt-out/")).status_code == 302
    invitation.customer.refresh_from_db()
    assert invitation.customer.consent_research is False
    event = AuditEvent.objects.get(object_type="customers.customer", object_id=str(invitation.customer_id))
    assert event.summary == "Opted out of surveys and research (survey link)" and event.actor is None
    assert 'data-testid="opted-out"' in client.get(url(token, "opt-out/")).content.decode()
    client.post(url(token, "opt-out/"))  # again: nothing more changes
    assert AuditEvent.objects.filter(object_type="customers.customer").count() == 1


@pytest.mark.parametrize("state", ["used", "expired"])
def test_a_used_or_expired_link_still_opts_out(survey, client, state):
    invitation, token = invite(survey, expired=state == "expired")
    if state == "used":
        Invitation.objects.filter(pk=invitation.pk).update(answered_at=timezone.now())
    assert client.get(url(token, "opt-out/")).status_code == 200
    client.post(url(token, "opt-out/"))
    invitation.customer.refresh_from_db()
    assert invitation.customer.consent_research is False


def test_posts_need_the_csrf_token(survey):
    _invitation, token = invite(survey)
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(url(token), GOOD).status_code == 403
    assert strict.post(url(token, "opt-out/")).status_code == 403
    assert not Response.objects.exists()


def test_posts_from_one_address_are_throttled(survey, client, monkeypatch):
    monkeypatch.setattr(public, "POSTS_PER_WINDOW", 3)
    _invitation, token = invite(survey)
    statuses = [client.post(url(token), {"csat": "9"}).status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]
    assert client.post(url(token, "opt-out/")).status_code == 429
    assert client.get(url(token)).status_code == 200  # reading is not counted
    other = Client(REMOTE_ADDR="203.0.113.9")
    assert other.post(url(token), {"csat": "9"}).status_code == 400


def test_the_pages_query_counts(survey, client, django_assert_max_num_queries):
    _invitation, token = invite(survey)
    with django_assert_max_num_queries(3):  # the invitation, opened, the questions
        client.get(url(token))
    # The page's invitation and questions, then response_submit's own (a savepoint, the invitation
    # locked, its contact, the one-response check, the survey held and re-read, the version and its
    # questions, the rollback).
    with django_assert_max_num_queries(12):
        assert client.post(url(token), {"csat": "9"}).status_code == 400
    with django_assert_max_num_queries(1):
        client.get(url(token, "opt-out/"))
