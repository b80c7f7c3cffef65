"""POST /api/v1/surveys/scores/: an SMS or IVR provider's scores for a contact, stored against the survey
the contact's queue samples for; idempotent per contact, under repeats and concurrent calls alike."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from rest_framework.test import APIClient

from calls.tests.factories import QueueFactory
from staff.roles import Role
from staff.services import api_token_create
from surveys.api.responses import SurveyWebhookThrottle
from surveys.models import Answer, Response, SamplingRule
from surveys.services.definitions import QuestionSpec, survey_edit_questions
from surveys.services.responses import response_submit
from surveys.tests.factories import handled_contact, make_survey

pytestmark = pytest.mark.django_db

URL = "/api/v1/surveys/scores/"


@pytest.fixture
def default_survey(roles):
    survey = make_survey(code="after-call")
    SamplingRule.objects.create(queue=None, survey=survey, percentage=Decimal("10"))
    return survey


def _post(client, body):
    return client.post(URL, body, format="json")


def test_scores_are_stored_against_the_default_rules_survey(default_survey, machine):
    contact = handled_contact()
    response = _post(machine, {"contact": contact.pk, "csat": 4, "nps": 10, "ces": 6, "comment": " Lovely. "})
    assert response.status_code == 201
    stored = Response.objects.get()
    assert (stored.survey, stored.source, stored.external_id) == (default_survey, "sms_ivr", f"contact-{contact.pk}")
    assert (stored.contact, stored.team, stored.csat, stored.nps, stored.ces) == (contact, contact.agent.team, 4, 10, 6)
    assert response.json()["answers"] == {"csat": 4, "ces": 6, "nps": 10, "comment": "Lovely."}


def test_the_queues_own_rule_chooses_the_survey(default_survey, machine):
    queue = QueueFactory()
    own = make_survey(code="claims-line")
    SamplingRule.objects.create(queue=queue, survey=own, percentage=Decimal("50"))
    response = _post(machine, {"contact": handled_contact(queue=queue).pk, "nps": 8})
    assert response.json()["survey"] == "claims-line"


def test_an_inactive_queue_rule_leaves_the_default_to_choose(default_survey, machine):
    queue = QueueFactory()
    SamplingRule.objects.create(
        queue=queue, survey=make_survey(code="paused"), percentage=Decimal("50"), is_active=False
    )
    assert _post(machine, {"contact": handled_contact(queue=queue).pk, "nps": 8}).json()["survey"] == "after-call"


def test_only_some_scores_may_be_given(default_survey, machine):
    response = _post(machine, {"contact": handled_contact().pk, "nps": 3})
    assert response.status_code == 201
    assert (response.json()["csat"], response.json()["nps"], response.json()["ces"]) == (None, 3, None)
    assert response.json()["answers"] == {"nps": 3}


def test_a_repeat_for_the_same_contact_returns_the_stored_response_with_200(default_survey, machine):
    contact = handled_contact()
    first = _post(machine, {"contact": contact.pk, "csat": 2})
    repeat = _post(machine, {"contact": contact.pk, "csat": 5, "nps": 10})
    assert (first.status_code, repeat.status_code) == (201, 200)
    assert repeat.json()["id"] == first.json()["id"]
    assert repeat.json()["csat"] == 2
    assert (Response.objects.count(), Answer.objects.count()) == (1, 1)


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_for_one_contact_store_exactly_one_response(user_factory):
    survey = make_survey(code="after-call")
    SamplingRule.objects.create(queue=None, survey=survey, percentage=Decimal("10"))
    contact = handled_contact()
    token = api_token_create(client=user_factory(role=Role.API_CLIENT, email="ivr@example.org")).clear_token
    start, statuses, ids = threading.Barrier(2), [], []

    def post():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        try:
            start.wait(timeout=10)
            response = _post(client, {"contact": contact.pk, "csat": 1, "nps": 2})
            statuses.append(response.status_code)
            ids.append(response.json()["id"])
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(statuses) == [200, 201]
    assert len(set(ids)) == 1
    assert Response.objects.count() == 1
    assert Response.objects.get().loop.trigger == "detractor"  # and one follow-up, not two


def test_a_contact_answered_through_another_channel_is_a_409(default_survey, machine):
    contact = handled_contact()
    response_submit(survey=default_survey, values={"csat": 5, "nps": 9, "ces": 6}, source="link", contact=contact)
    response = _post(machine, {"contact": contact.pk, "csat": 1})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "already_answered"
    assert Response.objects.get().source == "link"


def test_an_unknown_contact_is_a_400_naming_the_contact(default_survey, machine):
    response = _post(machine, {"contact": 999999, "csat": 3})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["contact"]


def test_with_no_post_contact_survey_configured_nothing_is_stored(roles, machine):
    make_survey(code="after-call")  # a survey, but no sampling rule names it
    response = _post(machine, {"contact": handled_contact().pk, "csat": 3})
    assert response.status_code == 400
    assert "No post-contact survey" in response.json()["error"]["fields"]["contact"][0]
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"csat": 6}, "csat"),
        ({"nps": 11}, "nps"),
        ({"ces": 0}, "ces"),
        ({"csat": "good"}, "csat"),
        ({}, "non_field_errors"),
        ({"comment": "   "}, "non_field_errors"),
    ],
)
def test_a_score_out_of_scale_or_nothing_at_all_is_a_field_error(default_survey, machine, body, field):
    response = _post(machine, {"contact": handled_contact().pk} | body)
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]
    assert not Response.objects.exists()


def test_a_score_the_survey_does_not_ask_is_a_field_error(default_survey, machine):
    survey_edit_questions(
        actor=None, survey_id=default_survey.pk, questions=[QuestionSpec("satisfied", "csat", "Satisfied?")]
    )
    response = _post(machine, {"contact": handled_contact().pk, "csat": 4, "ces": 5})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["ces"]
    # The score goes to the question of its kind, whatever its code.
    assert _post(machine, {"contact": handled_contact().pk, "csat": 4}).json()["answers"] == {"satisfied": 4}


def test_only_callers_with_add_response_may_post(default_survey, api_as, user_factory):
    contact = handled_contact()
    for role in (Role.MANAGER, Role.TEAM_LEADER, Role.AGENT):
        assert _post(api_as(user_factory(role=role)), {"contact": contact.pk, "csat": 3}).status_code == 403
    assert _post(APIClient(), {"contact": contact.pk, "csat": 3}).status_code == 401
    assert not Response.objects.exists()


def test_the_provider_is_throttled_at_its_own_rate(default_survey, machine, monkeypatch):
    monkeypatch.setattr(SurveyWebhookThrottle, "rate", "2/minute", raising=False)
    contacts = [handled_contact() for _ in range(3)]
    statuses = [_post(machine, {"contact": contact.pk, "csat": 4}).status_code for contact in contacts]
    assert statuses == [201, 201, 429]
    assert Response.objects.count() == 2


def test_a_member_who_opted_out_is_a_409_and_nothing_is_stored(default_survey, machine):
    contact = handled_contact()
    contact.customer.consent_research = False
    contact.customer.save(update_fields=["consent_research"])
    response = _post(machine, {"contact": contact.pk, "nps": 2})
    assert response.status_code == 409 and response.json()["error"]["code"] == "opted_out"
    assert not Response.objects.exists()


def test_a_contact_that_has_not_ended_or_has_no_member_is_a_400(default_survey, machine):
    live = handled_contact(state="on_call", wrapped_up_at=None)
    anonymous = handled_contact(customer=None)
    for contact in (live, anonymous):
        response = _post(machine, {"contact": contact.pk, "nps": 2})
        assert response.status_code == 400 and "contact" in response.json()["error"]["fields"]
    assert not Response.objects.exists()


def test_scores_answer_the_invitation_sent_about_the_contact(default_survey, machine):
    from surveys.tests.factories import make_invitation

    contact = handled_contact()
    invitation, _token = make_invitation(survey=default_survey, contact=contact)
    assert _post(machine, {"contact": contact.pk, "csat": 4}).status_code == 201
    invitation.refresh_from_db()
    assert invitation.answered_at is not None  # its link now says it has been answered
