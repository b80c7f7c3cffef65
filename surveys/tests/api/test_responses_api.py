"""/api/v1/surveys/responses/: reading responses (scoped by role, filtered, paginated, audited) and an
external survey tool posting them (idempotent by its id; field errors per question; 409 for a contact
already answered)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from contactcentre.models import AuditAction, AuditEvent
from staff.roles import Role
from staff.services import api_token_create
from staff.tests.factories import TeamFactory, UserFactory
from surveys.models import Answer, LoopFollowUp, Response, ResponseSource, SurveyKind
from surveys.services.definitions import QuestionSpec, survey_edit_questions
from surveys.services.responses import response_submit
from surveys.tests.factories import handled_contact, make_survey

pytestmark = pytest.mark.django_db

URL = "/api/v1/surveys/responses/"
GOOD = {"csat": 5, "ces": 6, "nps": 9, "comment": "Quick and kind."}


@pytest.fixture
def survey(roles):
    return make_survey(code="after-call")


def _post(client, body):
    return client.post(URL, body, format="json")


def _body(contact=None, **extra) -> dict:
    body = {"survey": "after-call", "external_id": "qx-1", "answers": GOOD}
    if contact is not None:
        body["contact"] = contact.pk
    return body | extra


# --- Reading -------------------------------------------------------------------------------------


def test_a_response_reads_with_its_segment_and_answers_by_question_code(survey, machine):
    contact = handled_contact()
    stored, _ = response_submit(
        survey=survey, values=GOOD, source=ResponseSource.API, contact=contact, external_id="qx-7", language="ar"
    )
    response = machine.get(URL)
    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert response.json()["results"][0] == {
        "id": stored.pk,
        "survey": "after-call",
        "version": 1,
        "source": "api",
        "external_id": "qx-7",
        "contact": contact.pk,
        "language": "ar",
        "submitted_at": stored.submitted_at.isoformat().replace("+00:00", "Z"),
        "csat": 5,
        "nps": 9,
        "ces": 6,
        "agent": contact.agent_id,
        "team": contact.agent.team_id,
        "queue": contact.queue_id,
        "site": contact.site_id,
        "plan_tier": "",
        "corporate": None,
        "answers": {"csat": 5, "ces": 6, "nps": 9, "comment": "Quick and kind."},
    }


def test_choice_answers_read_as_their_values(roles, machine):
    questions = [
        QuestionSpec("csat", "csat", "Satisfied?"),
        QuestionSpec("reason", "single_choice", "Why?", choices=[{"value": "claim"}, {"value": "cover"}]),
        QuestionSpec("topics", "multiple_choice", "What?", choices=[{"value": "a"}, {"value": "b"}, {"value": "c"}]),
    ]
    survey = make_survey(SurveyKind.GENERAL, code="general", questions=questions)
    response_submit(survey=survey, values={"csat": 3, "reason": "cover", "topics": ["c", "a"]}, source="api")
    (row,) = machine.get(URL).json()["results"]
    answers = row["answers"]
    assert (answers["csat"], answers["reason"], sorted(answers["topics"])) == (3, "cover", ["a", "c"])


def test_a_team_leader_reads_the_responses_of_their_teams_only(survey, api_as, user_factory):
    leader = user_factory(role=Role.TEAM_LEADER)
    mine = response_submit(survey=survey, values=GOOD, source="api", contact=handled_contact(leader=leader))[0]
    response_submit(survey=survey, values=GOOD, source="api", contact=handled_contact())
    assert [row["id"] for row in api_as(leader).get(URL).json()["results"]] == [mine.pk]
    assert api_as(user_factory(role=Role.MANAGER)).get(URL).json()["count"] == 2


def test_filters_by_period_survey_and_contact(survey, machine):
    other = make_survey(code="other")
    old_contact, new_contact = handled_contact(), handled_contact()
    old = response_submit(
        survey=survey, values=GOOD, source="api", contact=old_contact, submitted_at=timezone.now() - timedelta(days=10)
    )[0]
    new = response_submit(survey=survey, values=GOOD, source="api", contact=new_contact)[0]
    elsewhere = response_submit(survey=other, values=GOOD, source="api", contact=handled_contact())[0]
    today = timezone.localdate()

    def ids(**params):
        return [row["id"] for row in machine.get(URL, params).json()["results"]]

    assert ids() == [elsewhere.pk, new.pk, old.pk]
    assert ids(**{"from": today.isoformat()}) == [elsewhere.pk, new.pk]
    assert ids(to=(today - timedelta(days=10)).isoformat()) == [old.pk]
    assert ids(survey="other") == [elsewhere.pk]
    assert ids(contact=old_contact.pk) == [old.pk]


def test_the_list_is_paginated(survey, machine):
    for _ in range(3):
        response_submit(survey=survey, values=GOOD, source="api", contact=handled_contact())
    body = machine.get(URL, {"page_size": 2}).json()
    assert (body["count"], len(body["results"]), body["next"] is not None) == (3, 2, True)


@pytest.mark.parametrize(
    ("params", "field"),
    [({"from": "2026-03-02", "to": "2026-03-01"}, "to"), ({"from": "soon"}, "from"), ({"contact": "x"}, "contact")],
)
def test_bad_filters_are_field_errors(roles, machine, params, field):
    response = machine.get(URL, params)
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]


def test_each_read_is_in_the_audit_trail(survey, machine, machine_user):
    stored = response_submit(survey=survey, values=GOOD, source="api", contact=handled_contact())[0]
    machine.get(URL, {"survey": "after-call"})
    event = AuditEvent.objects.get(action=AuditAction.VIEW, object_type="surveys.response")
    assert event.actor == machine_user
    assert event.detail == {"filters": {"survey": "after-call"}, "responses": [stored.pk]}


def test_the_query_count_does_not_grow_with_the_page(survey, machine, django_assert_max_num_queries):
    def add(count):
        for _ in range(count):
            response_submit(survey=survey, values=GOOD, source="api", contact=handled_contact())

    add(2)
    machine.get(URL)  # the token and the permissions are remembered after the first call
    # count, page, answers with their questions, the audit row
    with django_assert_max_num_queries(4):
        assert len(machine.get(URL).json()["results"]) == 2
    add(8)
    with django_assert_max_num_queries(4):
        assert len(machine.get(URL).json()["results"]) == 10


def test_people_without_view_results_cannot_read_responses(api_as, user_factory):
    assert api_as(user_factory(role=Role.AGENT)).get(URL).status_code == 403
    assert api_as(user_factory(role=Role.NURSE)).get(URL).status_code == 403


# --- Posting from an external survey tool --------------------------------------------------------


def test_a_new_response_is_stored_with_201(survey, machine):
    contact = handled_contact()
    answered = (timezone.now() - timedelta(minutes=1)).replace(microsecond=0)
    response = _post(machine, _body(contact, language="ar", submitted_at=answered.isoformat()))
    assert response.status_code == 201
    stored = Response.objects.get()
    assert (stored.source, stored.external_id, stored.contact, stored.language) == ("api", "qx-1", contact, "ar")
    assert stored.submitted_at == answered
    assert (stored.team, stored.csat) == (contact.agent.team, 5)
    assert response.json()["id"] == stored.pk
    assert response.json()["answers"] == GOOD


def test_the_language_defaults_to_the_members_preference(survey, machine):
    contact = handled_contact()
    contact.customer.preferred_language = "ar"
    contact.customer.save(update_fields=["preferred_language"])
    assert _post(machine, _body(contact)).json()["language"] == "ar"


def test_a_retry_with_the_same_external_id_returns_the_stored_response_with_200(survey, machine):
    contact = handled_contact()
    first = _post(machine, _body(contact))
    again = _post(machine, _body(contact, answers={**GOOD, "csat": 1}))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert Response.objects.count() == 1
    assert Answer.objects.count() == 4


def test_another_tools_same_external_id_is_another_response(survey, machine, machine_user, user_factory):
    other = APIClient()
    other_tool = user_factory(role=Role.API_CLIENT, email="other-tool@example.org")
    other.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(client=other_tool).clear_token}")
    first = _post(machine, _body(handled_contact()))
    second = _post(other, _body(handled_contact(), answers={**GOOD, "csat": 1}))
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] != second.json()["id"]
    assert sorted(Response.objects.values_list("submitted_by__email", "csat")) == [
        ("other-tool@example.org", 1),
        ("survey-tool@example.org", 5),
    ]


def test_a_response_without_a_contact_is_stored(survey, machine):
    response = _post(machine, _body())
    assert response.status_code == 201
    assert response.json()["contact"] is None


def test_a_detractor_from_the_tool_opens_a_follow_up(survey, machine):
    _post(machine, _body(handled_contact(), answers={**GOOD, "nps": 2}))
    assert LoopFollowUp.objects.get().trigger == "detractor"


@pytest.mark.parametrize(
    ("answers", "code"),
    [
        ({**GOOD, "csat": 6}, "csat"),
        ({**GOOD, "nps": 11}, "nps"),
        ({**GOOD, "ces": "seven"}, "ces"),
        ({"nps": 9, "ces": 6}, "csat"),
        ({**GOOD, "colour": "red"}, "colour"),
    ],
)
def test_an_answer_out_of_scale_missing_or_unknown_names_its_question_and_stores_nothing(
    survey, machine, answers, code
):
    response = _post(machine, _body(handled_contact(), answers=answers))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert list(error["fields"]) == ["answers"]
    assert list(error["fields"]["answers"]) == [code]
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"survey": "no-such-survey"}, "survey"),
        ({"contact": 999999}, "contact"),
        ({"external_id": ""}, "external_id"),
        ({"answers": {}}, "answers"),
        ({"answers": "5"}, "answers"),
        ({"language": "fr"}, "language"),
        ({"submitted_at": "2099-01-01T00:00:00Z"}, "submitted_at"),
    ],
)
def test_a_bad_field_is_a_400_naming_it_and_stores_nothing(survey, machine, change, field):
    response = _post(machine, _body(handled_contact()) | change)
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]
    assert not Response.objects.exists()


def test_a_survey_that_is_not_active_takes_no_responses(survey, machine):
    survey.is_active = False
    survey.save(update_fields=["is_active"])
    response = _post(machine, _body())
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["survey"]


def test_a_contact_answered_through_another_channel_is_a_409(survey, machine):
    contact = handled_contact()
    response_submit(survey=survey, values=GOOD, source=ResponseSource.LINK, contact=contact)
    response = _post(machine, _body(contact))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "already_answered"
    assert Response.objects.count() == 1


def test_answers_go_to_the_current_version_and_old_answers_keep_theirs(survey, machine):
    _post(machine, _body(handled_contact()))
    questions = [QuestionSpec("csat", "csat", "How satisfied are you?"), QuestionSpec("nps", "nps", "Recommend?")]
    survey_edit_questions(actor=None, survey_id=survey.pk, questions=questions)
    response = _post(machine, _body(handled_contact(), external_id="qx-2", answers={"csat": 4, "nps": 8}))
    assert (response.status_code, response.json()["version"]) == (201, 2)
    versions = {row["external_id"]: (row["version"], row["answers"]) for row in machine.get(URL).json()["results"]}
    assert versions == {"qx-1": (1, GOOD), "qx-2": (2, {"csat": 4, "nps": 8})}


def test_only_callers_with_add_response_may_post(survey, api_as, user_factory):
    for role in (Role.MANAGER, Role.TEAM_LEADER, Role.AGENT):
        assert _post(api_as(user_factory(role=role)), _body()).status_code == 403
    assert not Response.objects.exists()


def test_posting_needs_credentials(survey):
    from rest_framework.test import APIClient

    assert _post(APIClient(), _body()).status_code == 401


def test_the_tools_posts_are_not_mixed_up_with_other_teams(roles, machine):
    """The segment is the contact's: an agent's team, queue and site as they were."""
    make_survey(code="after-call")
    team = TeamFactory(name="Claims")
    agent = UserFactory(role=Role.AGENT, team=team, site=team.site)
    contact = handled_contact(agent=agent)
    body = _post(machine, _body(contact)).json()
    assert (body["agent"], body["team"], body["site"], body["queue"]) == (
        agent.pk,
        team.pk,
        team.site_id,
        contact.queue_id,
    )


@pytest.mark.parametrize(
    ("when", "message"),
    [(timedelta(days=8), "more than 7 days ago"), (timedelta(minutes=30), "before the contact ended")],
)
def test_a_response_cannot_be_backdated(survey, machine, when, message):
    contact = handled_contact()  # ended about four minutes ago
    response = _post(machine, _body(contact, submitted_at=(timezone.now() - when).isoformat()))
    assert response.status_code == 400
    assert message in response.json()["error"]["fields"]["submitted_at"][0]
    assert not Response.objects.exists()
