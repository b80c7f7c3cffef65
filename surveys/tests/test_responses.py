"""Recording responses: answers checked against the version's questions, the segment kept, single use."""

import pytest

from contactcentre.exceptions import DomainError
from surveys.exceptions import AlreadyAnswered, LinkUnusable
from surveys.models import Answer, LoopFollowUp, Response, ResponseSource, SurveyKind
from surveys.services.definitions import standard_questions, survey_edit_questions
from surveys.services.responses import response_submit

from .factories import handled_contact, make_invitation, make_survey

pytestmark = pytest.mark.django_db

GOOD = {"csat": 5, "ces": 6, "nps": 9, "comment": "Quick and kind."}


def test_a_response_keeps_the_contacts_segment_and_its_headline_scores(roles):
    survey = make_survey()
    contact = handled_contact()
    response, created = response_submit(survey=survey, values=GOOD, source=ResponseSource.API, contact=contact)
    assert created
    assert (response.csat, response.nps, response.ces) == (5, 9, 6)
    assert (response.agent, response.team, response.queue, response.site) == (
        contact.agent, contact.agent.team, contact.queue, contact.site,
    )  # fmt: skip
    assert response.customer_id == contact.customer_id
    assert Answer.objects.get(response=response, question__code="comment").text == "Quick and kind."


@pytest.mark.parametrize(
    ("values", "field"),
    [({**GOOD, "csat": 6}, "csat"), ({**GOOD, "nps": -1}, "nps"), ({**GOOD, "ces": 0}, "ces"),
     ({**GOOD, "ces": "seven"}, "ces"), ({"nps": 9, "ces": 6}, "csat"), ({**GOOD, "colour": "red"}, "colour")],
)  # fmt: skip
def test_an_answer_out_of_scale_missing_or_unknown_is_a_field_error_and_nothing_is_stored(roles, values, field):
    with pytest.raises(DomainError) as error:
        response_submit(survey=make_survey(), values=values, source=ResponseSource.API, contact=handled_contact())
    assert field in error.value.fields
    assert not Response.objects.exists()


def test_an_invitation_is_answered_once(roles):
    survey = make_survey()
    invitation, _token = make_invitation(survey=survey, contact=handled_contact())
    response_submit(survey=survey, values=GOOD, source=ResponseSource.LINK, invitation=invitation)
    with pytest.raises(LinkUnusable) as error:
        response_submit(survey=survey, values=GOOD, source=ResponseSource.LINK, invitation=invitation)
    assert error.value.reason == "used"
    assert Response.objects.count() == 1


def test_an_expired_invitation_stores_nothing(roles):
    survey = make_survey()
    invitation, _token = make_invitation(survey=survey, contact=handled_contact(), expired=True)
    with pytest.raises(LinkUnusable) as error:
        response_submit(survey=survey, values=GOOD, source=ResponseSource.LINK, invitation=invitation)
    assert error.value.reason == "expired"
    assert not Response.objects.exists()


def test_a_retry_with_the_same_external_reference_is_the_same_response(roles):
    survey, contact = make_survey(), handled_contact()
    first, created = response_submit(survey=survey, values=GOOD, source="api", contact=contact, external_id="x1")
    again, created_again = response_submit(survey=survey, values=GOOD, source="api", contact=contact, external_id="x1")
    assert (created, created_again, again.pk) == (True, False, first.pk)


def test_a_contact_has_one_response_whichever_channel_brings_it(roles):
    survey, contact = make_survey(), handled_contact()
    response_submit(survey=survey, values=GOOD, source=ResponseSource.LINK, contact=contact)
    with pytest.raises(AlreadyAnswered):
        response_submit(survey=survey, values=GOOD, source=ResponseSource.SMS_IVR, contact=contact)


def test_a_detractor_response_opens_a_follow_up_for_the_agents_team_leader(user_factory):
    leader = user_factory(role="team_leader")
    contact = handled_contact(leader=leader)
    response, _ = response_submit(
        survey=make_survey(), values={**GOOD, "nps": 3, "comment": "Cut off twice."}, source="api", contact=contact
    )
    loop = LoopFollowUp.objects.get(response=response)
    assert (loop.owner, loop.trigger, loop.status) == (leader, "detractor", "open")
    assert loop.due_at > response.submitted_at


def test_a_satisfied_response_opens_no_follow_up(roles):
    response_submit(survey=make_survey(), values=GOOD, source="api", contact=handled_contact())
    assert not LoopFollowUp.objects.exists()


def test_editing_a_survey_after_responses_makes_a_new_version_and_keeps_the_old_answers(roles):
    survey = make_survey()
    old, _ = response_submit(survey=survey, values=GOOD, source="api", contact=handled_contact())
    questions = standard_questions(SurveyKind.POST_CONTACT)[:3]  # drop the comment
    version = survey_edit_questions(actor=None, survey_id=survey.pk, questions=questions)
    survey.refresh_from_db()
    assert version.number == 2 and survey.current_version == version
    assert old.version.number == 1 and old.version.questions.count() == 4
    assert Answer.objects.filter(response=old, question__code="comment").exists()


def test_editing_a_survey_nobody_has_answered_keeps_its_version(roles):
    survey = make_survey()
    version = survey_edit_questions(
        actor=None, survey_id=survey.pk, questions=standard_questions(SurveyKind.POST_CONTACT)[:2]
    )
    assert version.number == 1 and version.questions.count() == 2


def test_servqual_points_that_do_not_add_up_to_100_are_refused(roles):
    survey = make_survey(SurveyKind.MANAGEMENT)
    values = {f"e{item}": 6 for item in range(1, 23)} | {
        f"points-{d}": 25 for d in ("tangibles", "reliability", "responsiveness", "assurance", "empathy")
    }
    with pytest.raises(DomainError) as error:
        response_submit(survey=survey, values=values, source=ResponseSource.IN_APP)
    assert "__all__" in error.value.fields


def test_a_response_without_a_contact_takes_the_site_of_the_members_latest_call(roles):
    from datetime import timedelta

    from django.utils import timezone

    from staff.tests.factories import SiteFactory

    older, newer = SiteFactory(code="staines"), SiteFactory(code="manchester")
    latest = handled_contact(site=newer)
    handled_contact(customer=latest.customer, site=older, offered_at=timezone.now() - timedelta(days=3))
    survey = make_survey(SurveyKind.SERVQUAL)
    values = {f"e{i}": 6 for i in range(1, 23)} | {f"p{i}": 5 for i in range(1, 23)}
    values |= {f"points-{d}": 20 for d in ("tangibles", "reliability", "responsiveness", "assurance", "empathy")}
    invitation, _token = make_invitation(survey=survey, customer=latest.customer)
    response, _ = response_submit(survey=survey, values=values, source=ResponseSource.LINK, invitation=invitation)
    assert (response.site, response.contact, response.agent) == (newer, None, None)


def test_a_closed_survey_takes_no_answers_through_its_links_or_the_api(roles):
    from surveys.services.definitions import survey_set_active

    survey = make_survey()
    invitation, _token = make_invitation(survey=survey, contact=handled_contact())
    survey_set_active(actor=None, survey_id=survey.pk, active=False)
    with pytest.raises(LinkUnusable) as error:
        response_submit(survey=survey, values=GOOD, source=ResponseSource.LINK, invitation=invitation)
    assert error.value.reason == "closed"
    with pytest.raises(DomainError) as error:
        response_submit(survey=survey, values=GOOD, source=ResponseSource.API, contact=handled_contact())
    assert "survey" in error.value.fields
    assert not Response.objects.exists()


def test_a_malformed_multiple_choice_answer_is_a_field_error(roles):
    from surveys.services.definitions import QuestionSpec

    survey = make_survey(
        SurveyKind.GENERAL,
        questions=[
            QuestionSpec(
                "topics", "multiple_choice", "What was it about?",
                choices=[{"value": "claim", "label": "A claim"}, {"value": "cover", "label": "Cover"}],
            )
        ],
    )  # fmt: skip
    for bad in ([{"v": 1}], [1, 2], "nonsense", []):
        with pytest.raises(DomainError) as error:
            response_submit(survey=survey, values={"topics": bad}, source=ResponseSource.API)
        assert "topics" in error.value.fields
    response, _ = response_submit(survey=survey, values={"topics": ["cover", "claim"]}, source=ResponseSource.API)
    assert response.answers.get().choices == ["claim", "cover"]  # in the question's order
