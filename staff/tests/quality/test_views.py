"""The quality pages: evaluating a contact, an evaluation's page and its acknowledgement, the team's
list (filters, CSV, the sample), a person's evaluations, calibration and recognition; query counts."""

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from calls.tests.factories import ContactFactory
from contactcentre.models import AuditAction, AuditEvent
from staff.models import CalibrationSession, Evaluation, Recognition, RecognitionKind
from staff.roles import Role
from staff.services import quality as services

from .factories import EvaluationFactory, answers_for

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def item(centre, code):
    return centre.card.items.get(code=code)


def form_data(centre, **points):
    return {f"item_{item(centre, code).pk}": value for code, value in points.items()}


def evaluate_url(contact):
    return reverse("staff:evaluate", args=[contact.pk])


# Evaluating ---------------------------------------------------------------------------------------


def test_evaluation_form_lists_items_with_guidance_and_not_applicable_only_where_allowed(centre):
    greeting = item(centre, "greeting")
    greeting.guidance = "Name, date of birth and postcode before any policy detail."
    greeting.save()
    html = client_of(centre.leader).get(evaluate_url(centre.contact)).content.decode()
    assert "Name, date of birth and postcode" in html
    assert f'name="item_{greeting.pk}" id="id_item_{greeting.pk}_5" value="na"' in html
    compliance = item(centre, "compliance")
    assert f'name="item_{compliance.pk}" id="id_item_{compliance.pk}_2"' not in html  # 0, 1 and no n/a
    assert "Critical: 0 fails the evaluation" in html


def test_evaluation_with_errors_keeps_what_was_typed_and_says_which_item(centre):
    data = form_data(centre, greeting="3", compliance="na") | {"comments": "Warm opening."}
    response = client_of(centre.leader).post(evaluate_url(centre.contact), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="error-resolution"' in html  # not answered
    assert 'data-testid="error-compliance"' in html  # a critical item cannot be not applicable
    assert 'data-testid="error-greeting"' not in html
    assert 'value="3" checked' in html and "Warm opening." in html
    assert not Evaluation.objects.exists()


def test_evaluation_is_saved_and_shown_with_the_failed_critical_item(centre):
    data = form_data(centre, greeting="4", resolution="4", compliance="0") | {"comments": "Missed the DPA check."}
    response = client_of(centre.leader).post(evaluate_url(centre.contact), data)
    evaluation = Evaluation.objects.get()
    assert response["Location"] == reverse("staff:evaluation", args=[evaluation.pk])
    html = client_of(centre.leader).get(response["Location"]).content.decode()
    assert 'data-testid="critical-fail-compliance"' in html
    assert 'data-testid="critical-failed"' in html and "0.0%" in html


def test_second_evaluation_of_a_contact_is_refused_on_the_form(centre):
    data = form_data(centre, greeting="4", resolution="4", compliance="1")
    client = client_of(centre.leader)
    client.post(evaluate_url(centre.contact), data)
    response = client.post(evaluate_url(centre.contact), data)
    assert response.status_code == 200
    assert "You have already evaluated this contact." in response.content.decode()
    assert Evaluation.objects.count() == 1


@pytest.mark.parametrize("who", ["other_leader", "far_manager"])
def test_contacts_of_people_not_led_are_not_found(centre, who):
    assert client_of(getattr(centre, who)).get(evaluate_url(centre.contact)).status_code == 404


def test_own_contact_is_not_offered_for_evaluation(centre):
    own = ContactFactory(agent=centre.leader)
    assert client_of(centre.leader).get(evaluate_url(own)).status_code == 404


# The evaluation's page and acknowledging -----------------------------------------------------------


def _evaluation(centre, **points):
    points = {"greeting": 4, "resolution": 3, "compliance": 1} | points
    return services.evaluation_record(
        actor=centre.leader, contact=centre.contact, scorecard=centre.card, answers=answers_for(centre.card, **points)
    )


def test_agent_acknowledges_once_with_a_comment(centre):
    evaluation = _evaluation(centre)
    client = client_of(centre.agent)
    assert (
        'data-testid="acknowledge-form"'
        in client.get(reverse("staff:evaluation", args=[evaluation.pk])).content.decode()
    )
    url = reverse("staff:evaluation-acknowledge", args=[evaluation.pk])
    client.post(url, {"comment": "I will slow down on the excess."})
    html = client.get(reverse("staff:evaluation", args=[evaluation.pk])).content.decode()
    assert 'data-testid="acknowledged"' in html and "I will slow down on the excess." in html
    response = client.post(url, {"comment": "Twice"}, follow=True)
    assert "You have already acknowledged this evaluation." in response.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.agent_comment == "I will slow down on the excess."


def test_only_the_agent_may_acknowledge(centre):
    evaluation = _evaluation(centre)
    url = reverse("staff:evaluation-acknowledge", args=[evaluation.pk])
    assert client_of(centre.leader).post(url, {"comment": "x"}).status_code == 403
    assert client_of(centre.colleague).post(url, {"comment": "x"}).status_code == 404
    evaluation.refresh_from_db()
    assert evaluation.acknowledged_at is None


def test_evaluation_is_hidden_from_colleagues_and_other_teams(centre):
    url = reverse("staff:evaluation", args=[_evaluation(centre).pk])
    assert client_of(centre.colleague).get(url).status_code == 404
    assert client_of(centre.other_leader).get(url).status_code == 404
    assert client_of(centre.hr).get(url).status_code == 200  # HR may see everyone
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, actor=centre.hr, object_type="staff.evaluation").exists()


def test_evaluation_view_is_audited_with_the_address(centre):
    evaluation = _evaluation(centre)
    client_of(centre.hr).get(reverse("staff:evaluation", args=[evaluation.pk]), REMOTE_ADDR="198.51.100.7")
    viewed = AuditEvent.objects.get(action=AuditAction.VIEW, actor=centre.hr)
    assert (viewed.object_id, viewed.ip_address) == (str(evaluation.pk), "198.51.100.7")


# Lists --------------------------------------------------------------------------------------------


def _many(centre, count, agent=None, **fields):
    return [
        EvaluationFactory(
            contact=ContactFactory(agent=agent or centre.agent),
            evaluator=centre.leader,
            scorecard=centre.card,
            **fields,
        )
        for _ in range(count)
    ]


def test_team_list_filters_by_agent_and_result(centre):
    failed = _many(centre, 1, agent=centre.colleague, score=0, critical_failed=True)[0]
    passed = _many(centre, 1)[0]
    client = client_of(centre.leader)
    html = client.get(reverse("staff:quality"), {"passed": "no"}).content.decode()
    assert f'data-testid="evaluation-{failed.pk}"' in html and f'data-testid="evaluation-{passed.pk}"' not in html
    html = client.get(reverse("staff:quality"), {"agent": centre.agent.pk}).content.decode()
    assert f'data-testid="evaluation-{passed.pk}"' in html and f'data-testid="evaluation-{failed.pk}"' not in html


def test_team_list_shows_no_other_teams_evaluations(centre):
    theirs = EvaluationFactory(
        contact=ContactFactory(agent=centre.stranger), evaluator=centre.other_leader, scorecard=centre.card
    )
    html = client_of(centre.leader).get(reverse("staff:quality")).content.decode()
    assert f'data-testid="evaluation-{theirs.pk}"' not in html


def test_csv_export_has_the_filtered_evaluations_and_is_audited(centre):
    _many(centre, 2, score=95)
    _many(centre, 1, agent=centre.colleague, score=60, passed=False)
    response = client_of(centre.leader).get(reverse("staff:quality-export"), {"passed": "yes"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 3 and {row[1] for row in rows[1:]} == {"Amira Agent"}
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=centre.leader).exists()


def test_sample_is_reproducible_and_leaves_out_evaluated_contacts(centre):
    contacts = [ContactFactory(agent=centre.colleague) for _ in range(15)]
    _evaluation(centre)  # centre.contact is evaluated: never in the sample
    client = client_of(centre.leader)

    def sample(seed):
        html = client.get(reverse("staff:quality"), {"seed": seed}).content.decode()
        return {c.pk for c in [*contacts, centre.contact] if f'data-testid="evaluate-{c.pk}"' in html}

    first = sample(7)
    assert len(first) == 10 and centre.contact.pk not in first
    assert sample(7) == first
    assert sample(8) != first


def test_quality_home_view_is_audited_once_naming_whose_results_were_shown(centre):
    shown = _many(centre, 2)
    response = client_of(centre.leader).get(reverse("staff:quality"), {"passed": "yes"}, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 200 and f'data-testid="evaluation-{shown[0].pk}"' in response.content.decode()
    viewed = AuditEvent.objects.get(action=AuditAction.VIEW, actor=centre.leader)
    assert (viewed.object_type, viewed.ip_address) == ("staff.evaluation", "198.51.100.7")
    assert viewed.detail["agents"] == [centre.agent.pk]


def test_quality_home_is_not_audited_when_it_shows_only_ones_own_results(centre):
    own = EvaluationFactory(
        contact=ContactFactory(agent=centre.leader), evaluator=centre.manager, scorecard=centre.card
    )
    html = client_of(centre.leader).get(reverse("staff:quality")).content.decode()
    assert f'data-testid="evaluation-{own.pk}"' in html
    assert not AuditEvent.objects.filter(actor=centre.leader).exists()


@pytest.mark.parametrize("seed", ["²", "١٢", "-1", "x"])
def test_a_seed_that_is_not_plain_digits_gives_the_default_sample(centre, seed):
    client = client_of(centre.leader)
    default = client.get(reverse("staff:quality")).context["seed"]
    response = client.get(reverse("staff:quality"), {"seed": seed})
    assert response.status_code == 200 and response.context["seed"] == default


def test_a_vacancy_site_that_is_not_plain_digits_is_ignored(centre):
    # staff/api/recruitment.py's ?site= (its one line fixed with this area's ?seed=).
    client = APIClient()
    client.force_authenticate(centre.hr)
    response = client.get("/api/v1/recruitment/vacancies/", {"site": "²"})
    assert response.status_code == 200


def test_team_list_query_count_does_not_grow_with_rows(centre, django_assert_max_num_queries):
    client = client_of(centre.leader)
    _many(centre, 3)
    with django_assert_max_num_queries(12):
        client.get(reverse("staff:quality"))
    _many(centre, 20, agent=centre.colleague)
    [ContactFactory(agent=centre.colleague) for _ in range(20)]
    with django_assert_max_num_queries(12):
        assert client.get(reverse("staff:quality")).status_code == 200


def test_my_evaluations_leave_out_calibration_and_query_count_is_flat(centre, django_assert_max_num_queries):
    session = services.calibration_create(actor=centre.leader, contact=centre.contact, scorecard=centre.card)
    calibrated = services.calibration_score(
        actor=centre.manager, session=session, answers=answers_for(centre.card, greeting=1, resolution=1, compliance=1)
    )
    mine = _many(centre, 2)
    client = client_of(centre.agent)
    with django_assert_max_num_queries(7):
        html = client.get(reverse("staff:my-evaluations")).content.decode()
    assert all(f'data-testid="evaluation-{e.pk}"' in html for e in mine)
    assert f'data-testid="evaluation-{calibrated.pk}"' not in html
    _many(centre, 20)
    with django_assert_max_num_queries(7):
        client.get(reverse("staff:my-evaluations"))


def test_employee_evaluations_for_those_who_may_see_the_person(centre, django_assert_max_num_queries):
    evaluation = _many(centre, 1)[0]
    url = reverse("staff:employee-evaluations", args=[centre.employee.pk])
    client = client_of(centre.manager)
    with django_assert_max_num_queries(8):
        html = client.get(url).content.decode()
    assert f'data-testid="evaluation-{evaluation.pk}"' in html
    assert client_of(centre.other_leader).get(url).status_code == 404
    assert client_of(centre.colleague).get(url).status_code == 404


def test_evaluation_page_query_count(centre, django_assert_max_num_queries):
    evaluation = _evaluation(centre)
    client = client_of(centre.agent)
    with django_assert_max_num_queries(7):
        assert client.get(reverse("staff:evaluation", args=[evaluation.pk])).status_code == 200


def test_evaluate_page_query_count(centre, django_assert_max_num_queries):
    client = client_of(centre.leader)
    with django_assert_max_num_queries(8):
        assert client.get(evaluate_url(centre.contact)).status_code == 200


def test_calibration_list_query_count_does_not_grow(centre, django_assert_max_num_queries):
    client = client_of(centre.leader)
    services.calibration_create(actor=centre.leader, contact=centre.contact, scorecard=centre.card)
    with django_assert_max_num_queries(5):
        client.get(reverse("staff:calibrations"))
    for _ in range(10):
        services.calibration_create(
            actor=centre.leader, contact=ContactFactory(agent=centre.agent), scorecard=centre.card
        )
    with django_assert_max_num_queries(5):
        html = client.get(reverse("staff:calibrations")).content.decode()
    assert html.count('data-testid="calibration-') == 11


# Calibration --------------------------------------------------------------------------------------


def test_calibration_is_set_up_scored_side_by_side_and_wide_spreads_highlighted(
    centre, user_factory, django_assert_max_num_queries
):
    response = client_of(centre.leader).post(
        reverse("staff:calibration-new"),
        {"contact": centre.contact.pk, "scorecard": centre.card.pk, "held_on": timezone.localdate().isoformat()},
    )
    session = CalibrationSession.objects.get()
    assert response["Location"] == reverse("staff:calibration", args=[session.pk])
    score_url = reverse("staff:calibration-score", args=[session.pk])
    client_of(centre.leader).post(score_url, form_data(centre, greeting="4", resolution="4", compliance="1"))
    client_of(centre.manager).post(score_url, form_data(centre, greeting="4", resolution="1", compliance="1"))
    client = client_of(user_factory(role=Role.MANAGER, site=centre.staines))  # a third who may see the agent
    with django_assert_max_num_queries(10):
        html = client.get(reverse("staff:calibration", args=[session.pk])).content.decode()
    assert 'data-testid="wide-resolution"' in html  # 4 and 1 of 4: range 3
    assert 'data-testid="wide-greeting"' not in html
    assert 'data-testid="overall-wide"' in html  # 100 and 62.5
    assert 'data-testid="calibration-form"' in html  # the third evaluator has yet to score
    response = client.post(score_url, form_data(centre, greeting="9"))
    assert response.status_code == 200 and 'data-testid="error-greeting"' in response.content.decode()


def test_calibration_list_page_and_scoring_are_only_for_those_who_may_see_the_session(centre):
    ours = services.calibration_create(actor=centre.leader, contact=centre.contact, scorecard=centre.card)
    theirs = services.calibration_create(
        actor=centre.other_leader, contact=ContactFactory(agent=centre.stranger), scorecard=centre.card
    )
    for who, shown, hidden in ((centre.leader, ours, theirs), (centre.other_leader, theirs, ours)):
        client = client_of(who)
        html = client.get(reverse("staff:calibrations")).content.decode()
        assert f'data-testid="calibration-{shown.pk}"' in html and f'data-testid="calibration-{hidden.pk}"' not in html
        assert client.get(reverse("staff:calibration", args=[hidden.pk])).status_code == 404
        score = form_data(centre, greeting="4", resolution="4", compliance="1")
        assert client.post(reverse("staff:calibration-score", args=[hidden.pk]), score).status_code == 404
    assert not Evaluation.objects.filter(calibration__isnull=False).exists()
    html = client_of(centre.manager).get(reverse("staff:calibrations")).content.decode()
    assert f'data-testid="calibration-{ours.pk}"' in html and f'data-testid="calibration-{theirs.pk}"' in html
    assert client_of(centre.far_manager).get(reverse("staff:calibration", args=[ours.pk])).status_code == 404


def test_calibration_page_view_is_audited_with_the_address(centre):
    session = services.calibration_create(actor=centre.leader, contact=centre.contact, scorecard=centre.card)
    response = client_of(centre.manager).get(
        reverse("staff:calibration", args=[session.pk]), REMOTE_ADDR="198.51.100.7"
    )
    assert response.status_code == 200
    viewed = AuditEvent.objects.get(action=AuditAction.VIEW, actor=centre.manager)
    assert (viewed.object_type, viewed.object_id) == ("staff.calibrationsession", str(session.pk))
    assert viewed.ip_address == "198.51.100.7" and viewed.detail == {"agent": centre.agent.pk}


# Recognition --------------------------------------------------------------------------------------


def test_recognition_page_shows_the_rules_to_everyone_without_nominations(centre):
    html = client_of(centre.agent).get(reverse("staff:recognition")).content.decode()
    assert "Quality star" in html and "Customer satisfaction (CSAT) of 90" in html
    assert 'data-testid="nominations"' not in html and "recognition/award/" not in html


def quality_star_for(person, reason: str) -> dict:
    """The award form's data: a quality star for the last four weeks."""
    today = timezone.localdate()
    start = (today - timedelta(days=27)).isoformat()
    return {"kind": "quality", "recipient": person.pk, "start": start, "end": today.isoformat(), "reason": reason}


def test_nominations_are_awarded_once_with_their_figures(centre, user_factory, django_assert_max_num_queries):
    _many(centre, 4, score=95)
    _many(centre, 4, agent=centre.colleague, score=70, passed=False)
    client = client_of(centre.leader)
    with django_assert_max_num_queries(15):  # one aggregate per measured kind
        html = client.get(reverse("staff:recognition")).content.decode()
    assert f'data-testid="nomination-quality-{centre.agent.pk}"' in html
    assert f'data-testid="nomination-quality-{centre.colleague.pk}"' not in html
    more = [user_factory(role=Role.AGENT, site=centre.staines, team=centre.team) for _ in range(5)]
    for agent in more:
        _many(centre, 4, agent=agent, score=98)
    with django_assert_max_num_queries(15):  # no more queries for more nominations
        html = client.get(reverse("staff:recognition")).content.decode()
    assert all(f'data-testid="nomination-quality-{agent.pk}"' in html for agent in more)
    data = quality_star_for(centre.agent, "Met the published rule for the period.")
    client.post(reverse("staff:recognition-award"), data)
    award = Recognition.objects.get()
    assert (award.kind, award.recipient, award.basis["average"]) == (RecognitionKind.QUALITY, centre.agent, "95.0")
    response = client.post(reverse("staff:recognition-award"), data, follow=True)
    assert "already been awarded" in response.content.decode()
    assert Recognition.objects.count() == 1
    html = client_of(centre.agent).get(reverse("staff:recognition")).content.decode()
    assert 'data-testid="wall"' in html and "Met the published rule" in html


def test_items_are_named_in_arabic_for_arabic_readers(centre):
    from django.conf import settings

    greeting = item(centre, "greeting")
    greeting.label_ar = "الترحيب والتحقق من الهوية"
    greeting.save()
    client = client_of(centre.leader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    assert "الترحيب والتحقق من الهوية" in client.get(evaluate_url(centre.contact)).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "الترحيب والتحقق من الهوية" not in client.get(evaluate_url(centre.contact)).content.decode()


def test_refused_award_shows_the_form_again_as_typed(centre):
    data = quality_star_for(centre.agent, "Trying without the figures")
    response = client_of(centre.leader).post(reverse("staff:recognition-award"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fewer than 4 evaluations." in html and "Trying without the figures" in html
    assert f'<option value="{centre.agent.pk}" selected>' in html
    assert not Recognition.objects.exists()
