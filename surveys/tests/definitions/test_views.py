"""The definitions pages: the surveys, a new survey, its versions and questions, editing them (the
same version before anyone answers, a new one after), opening and closing it, and sampling rules."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages

from calls.tests.factories import QueueFactory
from contactcentre.models import AuditEvent
from staff.roles import Role
from surveys.forms.definitions import choices_as_lines
from surveys.models import Answer, Question, SamplingRule, Survey, SurveyKind
from surveys.services.responses import response_submit
from surveys.tests.factories import handled_contact, make_survey

pytestmark = pytest.mark.django_db

GOOD = {"csat": 5, "ces": 6, "nps": 9, "comment": "Quick and kind."}


@pytest.fixture
def manager(user_factory):
    return user_factory(role=Role.MANAGER)


@pytest.fixture
def as_manager(client, manager):
    client.force_login(manager)
    return client


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def question_rows(survey: Survey) -> list[dict]:
    """The current questions as the edit form shows them."""
    questions = Question.objects.filter(version_id=survey.current_version_id).order_by("position")
    return [
        {
            "code": q.code,
            "kind": q.kind,
            "text": q.text,
            "text_ar": q.text_ar,
            "required": q.required,
            "choices": choices_as_lines(q.choices),
            "ORDER": position,
        }
        for position, q in enumerate(questions, start=1)
    ]


def formset_data(rows: list[dict], *, initial: int | None = None) -> dict:
    """The edit form's POST for `rows` (a row may carry DELETE or ORDER), the first `initial` of them
    being the stored questions."""
    data = {
        "questions-TOTAL_FORMS": str(len(rows)),
        "questions-INITIAL_FORMS": str(len(rows) if initial is None else initial),
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            if isinstance(value, bool):
                if value:
                    data[f"questions-{index}-{name}"] = "on"
            else:
                data[f"questions-{index}-{name}"] = str(value)
    return data


def _answer(survey, **values):
    return response_submit(survey=survey, values=values or GOOD, source="api", contact=handled_contact())[0]


# --- The list -------------------------------------------------------------------------------------


def test_the_list_shows_each_surveys_kind_version_responses_and_status(as_manager):
    after_call = make_survey(code="after-call", name="After the call")
    _answer(after_call), _answer(after_call)
    closed = make_survey(SurveyKind.MANAGEMENT, code="managers", name="Managers' view")
    Survey.objects.filter(pk=closed.pk).update(is_active=False)
    response = as_manager.get("/surveys/definitions/")
    assert response.status_code == 200
    html = response.content.decode()
    row = html[html.index(f'data-testid="survey-{after_call.pk}"') :].split("</tr>")[0]
    assert "After the call" in row and "Post-contact survey" in row and "Active" in row
    assert '<td class="text-end" data-testid="responses">2</td>' in row
    row = html[html.index(f'data-testid="survey-{closed.pk}"') :].split("</tr>")[0]
    assert "Not active" in row and '<td class="text-end" data-testid="responses">0</td>' in row


def test_the_list_query_count_does_not_grow_with_the_surveys(as_manager, django_assert_max_num_queries):
    for n in range(2):
        make_survey(code=f"survey-{n}")
    as_manager.get("/surveys/definitions/")
    with django_assert_max_num_queries(4):  # session, user, permissions, surveys
        as_manager.get("/surveys/definitions/")
    for n in range(2, 6):
        _answer(make_survey(code=f"survey-{n}"))
    with django_assert_max_num_queries(4):
        assert as_manager.get("/surveys/definitions/").content.decode().count('data-testid="survey-') == 6


def test_team_leaders_and_agents_may_not_open_the_definitions(client, user_factory):
    for role in (Role.TEAM_LEADER, Role.AGENT):
        client.force_login(user_factory(role=role))
        assert client.get("/surveys/definitions/").status_code == 403
        assert client.get("/surveys/sampling/").status_code == 403


# --- A new survey -----------------------------------------------------------------------------------


def test_a_new_post_contact_survey_starts_with_its_standard_questions(as_manager, manager):
    response = as_manager.post(
        "/surveys/definitions/new/",
        {"code": "after-call", "name": "After the call", "name_ar": "بعد المكالمة", "kind": "post_contact",
         "introduction": "Two minutes.", "introduction_ar": "دقيقتان."},
    )  # fmt: skip
    survey = Survey.objects.get(code="after-call")
    assert response.status_code == 302 and response["Location"] == f"/surveys/definitions/{survey.pk}/"
    assert (survey.name_ar, survey.kind, survey.introduction_ar, survey.current_version.number) == (
        "بعد المكالمة", "post_contact", "دقيقتان.", 1,
    )  # fmt: skip
    assert list(survey.current_version.questions.values_list("code", flat=True)) == ["csat", "ces", "nps", "comment"]
    assert survey.current_version.created_by == manager


def test_a_new_servqual_survey_has_the_22_statements_twice_and_the_points(as_manager):
    as_manager.post("/surveys/definitions/new/", {"code": "panel", "name": "Panel", "kind": "servqual"})
    assert Survey.objects.get(code="panel").current_version.questions.count() == 22 * 2 + 5


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"code": "taken", "name": "Again", "kind": "post_contact"}, "code"),
        ({"code": "not a slug", "name": "X", "kind": "post_contact"}, "code"),
        ({"code": "x", "name": "", "kind": "post_contact"}, "name"),
        ({"code": "x", "name": "X", "kind": "poll"}, "kind"),
    ],
)
def test_a_new_survey_with_a_bad_field_is_the_form_again_with_its_error(as_manager, data, field):
    make_survey(code="taken")
    response = as_manager.post("/surveys/definitions/new/", data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert Survey.objects.count() == 1


# --- A survey's page --------------------------------------------------------------------------------


def test_the_page_shows_the_current_questions_in_both_languages_and_the_versions(as_manager):
    survey = make_survey(code="after-call")
    _answer(survey)
    rows = question_rows(survey)[:3]
    rows[0]["text_ar"] = "كيف كانت مكالمتك؟"
    as_manager.post(f"/surveys/definitions/{survey.pk}/edit/", formset_data(rows))
    html = as_manager.get(f"/surveys/definitions/{survey.pk}/").content.decode()
    csat = html[html.index('data-testid="question-csat"') :].split("</tr>")[0]
    assert "How satisfied were you with your call today?" in csat and "كيف كانت مكالمتك؟" in csat
    assert 'data-testid="question-comment"' not in html  # version 2 dropped it
    versions = html[html.index('data-testid="versions"') :]
    assert versions.index('data-testid="version-2"') < versions.index('data-testid="version-1"')
    v1 = versions[versions.index('data-testid="version-1"') :].split("</tr>")[0]
    assert '<td class="text-end">1</td>' in v1  # its one response
    assert 'data-testid="older-version"' not in html


def test_an_older_version_is_shown_read_only_with_the_questions_it_asked(as_manager):
    survey = make_survey(code="after-call")
    _answer(survey)
    as_manager.post(f"/surveys/definitions/{survey.pk}/edit/", formset_data(question_rows(survey)[:3]))
    response = as_manager.get(f"/surveys/definitions/{survey.pk}/?version=1")
    html = response.content.decode()
    assert 'data-testid="older-version"' in html
    assert 'data-testid="question-comment"' in html
    assert [q.code for q in response.context["questions"]] == ["csat", "ces", "nps", "comment"]
    assert as_manager.get(f"/surveys/definitions/{survey.pk}/?version=7").status_code == 404
    assert as_manager.get(f"/surveys/definitions/{survey.pk}/?version=x").status_code == 404


def test_the_page_query_count_does_not_grow_with_versions(as_manager, django_assert_max_num_queries):
    survey = make_survey(code="after-call")
    url = f"/surveys/definitions/{survey.pk}/"
    as_manager.get(url)
    with django_assert_max_num_queries(6):  # session, user, permissions, survey, versions, questions
        as_manager.get(url)
    for n in range(3):
        survey.refresh_from_db()
        _answer(survey)
        rows = question_rows(survey)
        rows[0]["text"] = f"Satisfied? ({n})"
        as_manager.post(f"/surveys/definitions/{survey.pk}/edit/", formset_data(rows))
    with django_assert_max_num_queries(6):
        assert as_manager.get(url).content.decode().count('data-testid="version-') == 4


# --- Editing the questions ----------------------------------------------------------------------------


def test_editing_before_anyone_answers_keeps_the_version(as_manager):
    survey = make_survey(code="after-call")
    rows = question_rows(survey)
    rows[0] |= {"text": "How was your call?", "text_ar": "كيف كانت مكالمتك؟"}
    response = as_manager.post(f"/surveys/definitions/{survey.pk}/edit/", formset_data(rows))
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.current_version.number == 1 and survey.versions.count() == 1
    assert Question.objects.get(version=survey.current_version, code="csat").text_ar == "كيف كانت مكالمتك؟"
    assert "nobody has answered yet" in _messages(response)[0]


def test_editing_after_responses_makes_a_new_version_and_old_answers_keep_their_questions(as_manager):
    survey = make_survey(code="after-call")
    old = _answer(survey)
    rows = question_rows(survey)
    rows[0]["text"] = "How was your call?"
    rows[3]["DELETE"] = True  # drop the comment
    response = as_manager.post(f"/surveys/definitions/{survey.pk}/edit/", formset_data(rows))
    survey.refresh_from_db()
    assert survey.current_version.number == 2
    assert list(survey.current_version.questions.values_list("code", flat=True)) == ["csat", "ces", "nps"]
    message = _messages(response)[0]
    assert "new version, 2" in message and "Earlier responses keep the questions they answered (version 1)" in message
    old.refresh_from_db()
    assert old.version.number == 1
    comment = Answer.objects.get(response=old, question__code="comment")
    assert (comment.question.version, comment.text) == (old.version, "Quick and kind.")
    assert Answer.objects.get(response=old, question__code="csat").question.text != "How was your call?"


def test_questions_can_be_added_removed_and_reordered(as_manager):
    survey = make_survey(code="after-call", kind=SurveyKind.GENERAL)
    rows = question_rows(survey)
    rows[0]["ORDER"] = 5  # csat last
    rows[1]["DELETE"] = True  # no ces
    new = {"code": "reason", "kind": "single_choice", "text": "Why did you call?", "text_ar": "لماذا اتصلت؟",
           "required": True, "ORDER": 2,
           "choices": "claim | A claim | مطالبة\ncover | My cover\n\nother"}  # fmt: skip
    blank = {"code": "", "kind": "", "text": "", "text_ar": "", "required": True, "choices": "", "ORDER": ""}
    response = as_manager.post(
        f"/surveys/definitions/{survey.pk}/edit/", formset_data([*rows, new, blank], initial=len(rows))
    )
    assert response.status_code == 302
    questions = list(survey.current_version.questions.order_by("position"))
    assert [q.code for q in questions] == ["reason", "nps", "comment", "csat"]
    assert questions[0].choices == [
        {"value": "claim", "label": "A claim", "label_ar": "مطالبة"},
        {"value": "cover", "label": "My cover", "label_ar": ""},
        {"value": "other", "label": "other", "label_ar": ""},
    ]
    assert (questions[0].required, questions[0].text_ar) == (True, "لماذا اتصلت؟")


def test_saving_without_a_change_makes_no_version(as_manager):
    survey = make_survey(code="after-call")
    _answer(survey)
    response = as_manager.post(f"/surveys/definitions/{survey.pk}/edit/", formset_data(question_rows(survey)))
    assert _messages(response) == ["Nothing changed."]
    assert survey.versions.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "single_choice", "choices": "only-one"}, "choices"),
        ({"kind": "single_choice", "choices": "a | A\na | Again"}, "choices"),
        ({"kind": "single_choice", "choices": "a | A | ا | extra\nb"}, "choices"),
        ({"choices": "a\nb"}, "choices"),  # a CSAT question has no choices
        ({"code": "Not A Slug"}, "code"),
        ({"text": ""}, "text"),
        ({"kind": "expectation"}, "kind"),  # the instrument's kinds are not for other surveys
    ],
)
def test_a_bad_question_is_a_field_error_and_nothing_changes(as_manager, change, field):
    survey = make_survey(code="after-call")
    rows = question_rows(survey)
    rows[0] |= change
    response = as_manager.post(f"/surveys/definitions/{survey.pk}/edit/", formset_data(rows))
    assert response.status_code == 400
    assert field in response.context["formset"].forms[0].errors
    assert survey.current_version.questions.get(code="csat").kind == "csat"


def test_two_questions_with_one_code_or_no_questions_at_all_are_refused(as_manager):
    survey = make_survey(code="after-call")
    rows = question_rows(survey)
    rows[1]["code"] = "csat"
    response = as_manager.post(f"/surveys/definitions/{survey.pk}/edit/", formset_data(rows))
    assert response.status_code == 400
    assert "csat is used more than once" in response.context["formset"].non_form_errors()[0]
    every = [row | {"DELETE": True} for row in question_rows(survey)]
    response = as_manager.post(f"/surveys/definitions/{survey.pk}/edit/", formset_data(every))
    assert response.status_code == 400
    assert "at least one question" in response.context["formset"].non_form_errors()[0]
    assert survey.current_version.questions.count() == 4


def test_only_the_wording_of_a_servqual_survey_can_change(as_manager):
    survey = make_survey(SurveyKind.SERVQUAL, code="panel")
    rows = question_rows(survey)
    # The code and kind are shown but not taken: a request that changes them changes only the text.
    rows[0] |= {"text": "Excellent insurers answer quickly.", "code": "renamed", "kind": "free_text"}
    response = as_manager.post(f"/surveys/definitions/{survey.pk}/edit/", formset_data(rows))
    assert response.status_code == 302
    first = survey.current_version.questions.order_by("position").first()
    assert (first.code, first.kind, first.servqual_item) == ("e1", "expectation", 1)
    assert first.text == "Excellent insurers answer quickly."
    assert survey.current_version.questions.count() == 49


def test_a_servqual_survey_keeps_all_its_statements(as_manager):
    survey = make_survey(SurveyKind.MANAGEMENT, code="managers")
    rows = question_rows(survey)[:-1]
    response = as_manager.post(f"/surveys/definitions/{survey.pk}/edit/", formset_data(rows))
    assert response.status_code == 400
    assert response.context["formset"].non_form_errors()
    assert survey.current_version.questions.count() == 27


def test_the_edit_page_says_whether_saving_makes_a_new_version(as_manager):
    survey = make_survey(code="after-call")
    url = f"/surveys/definitions/{survey.pk}/edit/"
    assert "saving changes it in place" in as_manager.get(url).content.decode()
    _answer(survey)
    assert "saving makes a new version" in as_manager.get(url).content.decode()


# --- Opening and closing ----------------------------------------------------------------------------------


def test_a_survey_can_be_deactivated_and_activated_again(as_manager, manager):
    survey = make_survey(code="after-call")
    url = f"/surveys/definitions/{survey.pk}/active/"
    assert as_manager.post(url, {"active": "0"}).status_code == 302
    survey.refresh_from_db()
    assert not survey.is_active
    assert AuditEvent.objects.filter(actor=manager, summary="Survey after-call deactivated").exists()
    as_manager.post(url, {"active": "1"})
    survey.refresh_from_db()
    assert survey.is_active
    assert as_manager.post(url, {}).status_code == 400
    assert as_manager.get(url).status_code == 405


# --- Sampling rules -----------------------------------------------------------------------------------------


@pytest.fixture
def after_call(roles):
    return make_survey(code="after-call", name="After the call")


def test_the_sampling_rules_list_shows_queue_or_every_other_queue(as_manager, after_call):
    queue = QueueFactory(name="Claims")
    SamplingRule.objects.create(queue=queue, survey=after_call, percentage=Decimal("12.50"))
    SamplingRule.objects.create(queue=None, survey=after_call, percentage=Decimal("5"), is_active=False)
    html = as_manager.get("/surveys/sampling/").content.decode()
    assert html.index("Claims") < html.index("Every other queue")
    assert "12.50%" in html and "5.00%" in html and "Not active" in html


def test_the_sampling_list_query_count_does_not_grow(as_manager, after_call, django_assert_max_num_queries):
    SamplingRule.objects.create(queue=None, survey=after_call, percentage=Decimal("5"))
    as_manager.get("/surveys/sampling/")
    with django_assert_max_num_queries(4):  # session, user, permissions, rules
        as_manager.get("/surveys/sampling/")
    for _ in range(4):
        SamplingRule.objects.create(queue=QueueFactory(), survey=after_call, percentage=Decimal("5"))
    with django_assert_max_num_queries(4):
        assert as_manager.get("/surveys/sampling/").content.decode().count('data-testid="rule-') == 5


def test_a_rule_is_added_for_a_queue_and_one_for_every_other_queue(as_manager, after_call):
    queue = QueueFactory()
    response = as_manager.post(
        "/surveys/sampling/new/", {"queue": queue.pk, "survey": after_call.pk, "percentage": "12.5", "is_active": "on"}
    )
    assert response.status_code == 302
    as_manager.post("/surveys/sampling/new/", {"queue": "", "survey": after_call.pk, "percentage": "100"})
    rules = {rule.queue_id: (rule.percentage, rule.is_active) for rule in SamplingRule.objects.all()}
    assert rules == {queue.pk: (Decimal("12.50"), True), None: (Decimal("100.00"), False)}


@pytest.mark.parametrize("queue_kind", ["queue", "default"])
def test_a_second_rule_for_a_queue_or_a_second_default_is_a_field_error(as_manager, after_call, queue_kind):
    queue = QueueFactory() if queue_kind == "queue" else None
    SamplingRule.objects.create(queue=queue, survey=after_call, percentage=Decimal("5"))
    response = as_manager.post(
        "/surveys/sampling/new/", {"queue": queue.pk if queue else "", "survey": after_call.pk, "percentage": "10"}
    )
    assert response.status_code == 400
    assert "already" in response.context["form"].errors["queue"][0]
    assert SamplingRule.objects.count() == 1


@pytest.mark.parametrize("percentage", ["100.01", "-1", "12.345", "lots"])
def test_a_percentage_from_0_to_100_with_2_decimals(as_manager, after_call, percentage):
    response = as_manager.post("/surveys/sampling/new/", {"survey": after_call.pk, "percentage": percentage})
    assert response.status_code == 400
    assert "percentage" in response.context["form"].errors
    assert not SamplingRule.objects.exists()


def test_only_post_contact_surveys_can_be_sampled(as_manager, after_call):
    panel = make_survey(SurveyKind.SERVQUAL, code="panel")
    response = as_manager.post("/surveys/sampling/new/", {"survey": panel.pk, "percentage": "10"})
    assert response.status_code == 400
    assert "survey" in response.context["form"].errors
    assert list(response.context["form"].fields["survey"].queryset) == [after_call]


def test_a_rule_is_changed_but_not_onto_a_queue_that_has_one(as_manager, after_call):
    claims, renewals = QueueFactory(), QueueFactory()
    rule = SamplingRule.objects.create(queue=claims, survey=after_call, percentage=Decimal("5"))
    SamplingRule.objects.create(queue=renewals, survey=after_call, percentage=Decimal("5"))
    url = f"/surveys/sampling/{rule.pk}/"
    assert as_manager.get(url).context["form"].initial["percentage"] == Decimal("5")
    response = as_manager.post(
        url, {"queue": claims.pk, "survey": after_call.pk, "percentage": "7.25", "is_active": "on"}
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.percentage, rule.is_active) == (Decimal("7.25"), True)
    response = as_manager.post(url, {"queue": renewals.pk, "survey": after_call.pk, "percentage": "7.25"})
    assert response.status_code == 400
    assert "queue" in response.context["form"].errors
    rule.refresh_from_db()
    assert rule.queue == claims


def test_a_question_given_a_taken_number_moves_into_that_place(as_manager):
    survey = make_survey(code="after-call")
    rows = question_rows(survey)
    rows[2]["ORDER"] = 1  # nps to the top: csat and ces move down
    as_manager.post(f"/surveys/definitions/{survey.pk}/edit/", formset_data(rows))
    codes = list(survey.current_version.questions.order_by("position").values_list("code", flat=True))
    assert codes == ["nps", "csat", "ces", "comment"]
