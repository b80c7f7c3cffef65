"""Recording, acknowledging and calibrating evaluations, and awarding recognition: the refusals and
what is stored."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from calls.models import ContactState
from calls.tests.factories import ContactFactory
from contactcentre.exceptions import Conflict, DomainError
from contactcentre.models import AuditEvent
from staff.models import Evaluation, NeedSource, Recognition, RecognitionKind, TrainingNeed
from staff.roles import Role
from staff.selectors import quality as selectors
from staff.services import quality as services
from staff.tests.factories import TeamFactory

from .factories import EvaluationFactory, answers_for

pytestmark = pytest.mark.django_db


def record(centre, actor=None, contact=None, **points):
    points = {"greeting": 4, "resolution": 3, "compliance": 1} | points
    return services.evaluation_record(
        actor=actor or centre.leader,
        contact=contact or centre.contact,
        scorecard=centre.card,
        answers=answers_for(centre.card, **points),
        comments="Good empathy.",
    )


def test_recorded_evaluation_stores_the_computed_score(centre):
    # (1*4/4 + 3*3/4 + 2*1/1) / 6 = (1 + 2.25 + 2) / 6 = 87.5
    evaluation = record(centre)
    evaluation.refresh_from_db()
    assert (evaluation.score, evaluation.passed, evaluation.critical_failed) == (Decimal("87.5"), True, False)
    assert evaluation.agent == centre.agent and evaluation.evaluator == centre.leader
    assert sorted(evaluation.answers.values_list("points", flat=True)) == [1, 3, 4]
    assert AuditEvent.objects.filter(object_type="staff.evaluation", object_id=str(evaluation.pk)).exists()


def test_failed_critical_item_stores_a_failed_zero(centre):
    evaluation = record(centre, compliance=0)
    assert (evaluation.score, evaluation.passed, evaluation.critical_failed) == (Decimal("0.0"), False, True)


def test_not_applicable_item_is_stored_without_points(centre):
    evaluation = record(centre, greeting=None)  # (2.25 + 2) / 5 = 85.0
    assert evaluation.score == Decimal("85.0")
    assert evaluation.answers.get(item__code="greeting").points is None


def test_bad_answers_are_refused_per_item(centre):
    greeting = centre.card.items.get(code="greeting")
    compliance = centre.card.items.get(code="compliance")
    with pytest.raises(DomainError) as refused:
        record(centre, greeting=7, compliance=None)
    assert set(refused.value.fields) == {f"item_{greeting.pk}", f"item_{compliance.pk}"}
    assert not Evaluation.objects.exists()


def test_own_contact_is_refused(centre):
    with pytest.raises(DomainError, match="your own contact"):
        record(centre, contact=ContactFactory(agent=centre.leader))


@pytest.mark.parametrize("who", ["other_leader", "far_manager", "hr", "colleague"])
def test_contact_of_someone_not_led_is_refused(centre, who):
    with pytest.raises(PermissionDenied):
        record(centre, actor=getattr(centre, who))


def test_site_manager_may_evaluate(centre):
    assert record(centre, actor=centre.manager).evaluator == centre.manager


def test_second_evaluation_by_the_same_evaluator_is_refused(centre):
    record(centre)
    with pytest.raises(Conflict, match="already evaluated"):
        record(centre)
    assert record(centre, actor=centre.manager)  # another evaluator may


def test_live_contact_cannot_be_evaluated(centre):
    live = ContactFactory(agent=centre.agent, state=ContactState.ON_CALL, ended_at=None)
    with pytest.raises(DomainError, match="handled"):
        record(centre, contact=live)


def test_training_need_is_raised_from_the_evaluation(centre):
    evaluation = services.evaluation_record(
        actor=centre.leader,
        contact=centre.contact,
        scorecard=centre.card,
        answers=answers_for(centre.card, greeting=1, resolution=1, compliance=1),
        training_need="Refresher on explaining excesses",
    )
    need = TrainingNeed.objects.get()
    assert (need.employee, need.source, need.evaluation) == (centre.employee, NeedSource.QUALITY_REVIEW, evaluation)


def test_acknowledgement_by_the_agent_only_and_once(centre):
    evaluation = record(centre)
    with pytest.raises(PermissionDenied):
        services.evaluation_acknowledge(actor=centre.leader, evaluation=evaluation, comment="Seen")
    services.evaluation_acknowledge(actor=centre.agent, evaluation=evaluation, comment="Thanks, noted.")
    evaluation.refresh_from_db()
    assert evaluation.acknowledged_at is not None and evaluation.agent_comment == "Thanks, noted."
    with pytest.raises(Conflict):
        services.evaluation_acknowledge(actor=centre.agent, evaluation=evaluation, comment="Again")


def test_calibration_scorings_are_once_each_and_not_the_agents_results(centre, user_factory):
    session = services.calibration_create(actor=centre.leader, contact=centre.contact, scorecard=centre.card)
    deputy = user_factory(role=Role.MANAGER, site=centre.staines)
    for evaluator, resolution in ((centre.leader, 4), (centre.manager, 2), (deputy, 3)):
        services.calibration_score(
            actor=evaluator,
            session=session,
            answers=answers_for(centre.card, greeting=4, resolution=resolution, compliance=1),
        )
    with pytest.raises(Conflict):
        services.calibration_score(
            actor=centre.manager,
            session=session,
            answers=answers_for(centre.card, greeting=4, resolution=4, compliance=1),
        )
    assert session.evaluations.count() == 3
    assert not selectors.evaluations_of(centre.agent).exists()
    assert selectors.team_overview(actor=centre.leader, start=None, end=None) == []
    # ...and calibrating does not stop the leader's own evaluation of the same contact.
    assert record(centre).calibration is None


def _full_marks(centre):
    return answers_for(centre.card, greeting=4, resolution=4, compliance=1)


def test_calibrations_are_visible_to_who_sees_the_agent_the_facilitator_and_who_scored(centre, user_factory):
    session = services.calibration_create(actor=centre.leader, contact=centre.contact, scorecard=centre.card)

    def sees(user) -> bool:
        return selectors.calibrations_visible_to(user).filter(pk=session.pk).exists()

    assert sees(centre.leader) and sees(centre.manager) and sees(centre.hr)
    assert not sees(centre.other_leader) and not sees(centre.far_manager) and not sees(centre.colleague)
    services.calibration_score(actor=centre.manager, session=session, answers=_full_marks(centre))
    # The agent moves to Manchester: their old leader still facilitates, the manager has scored; another
    # Staines manager who did neither no longer sees it, and the Manchester manager now does.
    centre.agent.team = TeamFactory(site=centre.far_manager.site)
    centre.agent.site = centre.far_manager.site
    centre.agent.save(update_fields=["team", "site"])
    assert sees(centre.leader) and sees(centre.manager) and sees(centre.far_manager)
    assert not sees(user_factory(role=Role.MANAGER, site=centre.staines))


@pytest.mark.parametrize("who", ["other_leader", "far_manager"])
def test_calibration_scoring_is_refused_to_evaluators_who_may_not_see_the_session(centre, who):
    session = services.calibration_create(actor=centre.leader, contact=centre.contact, scorecard=centre.card)
    with pytest.raises(PermissionDenied):
        services.calibration_score(actor=getattr(centre, who), session=session, answers=_full_marks(centre))
    assert not session.evaluations.exists()


def test_calibration_scoring_is_only_shown_to_evaluators_who_may_see_the_session(centre):
    session = services.calibration_create(actor=centre.leader, contact=centre.contact, scorecard=centre.card)
    scoring = services.calibration_score(actor=centre.manager, session=session, answers=_full_marks(centre))
    assert selectors.evaluation_get_for(centre.leader, scoring.pk) == scoring
    for who in (centre.other_leader, centre.far_manager, centre.agent):
        with pytest.raises(Http404):
            selectors.evaluation_get_for(who, scoring.pk)


def test_agent_cannot_score_a_calibration_of_their_own_contact(centre, user_factory):
    session = services.calibration_create(actor=centre.leader, contact=centre.contact, scorecard=centre.card)
    with pytest.raises(PermissionDenied):
        services.calibration_score(
            actor=centre.agent,
            session=session,
            answers=answers_for(centre.card, greeting=4, resolution=4, compliance=1),
        )


def _evaluations(centre, agent, scores, critical=False):
    for score in scores:
        EvaluationFactory(
            contact=ContactFactory(agent=agent),
            evaluator=centre.leader,
            scorecard=centre.card,
            score=0 if critical else score,
            critical_failed=critical,
        )


def award(actor, kind, recipient, reason="Well done.", days=27):
    """`kind` awarded to `recipient` for the last `days` days and today."""
    today = timezone.localdate()
    return services.recognition_award(
        actor=actor,
        kind=kind,
        recipient=recipient,
        period_start=today - timedelta(days=days),
        period_end=today,
        reason=reason,
    )


def test_quality_star_is_awarded_with_its_figures(centre):
    _evaluations(centre, centre.agent, [95, 92, 90, 88])  # average 91.25
    star = award(centre.leader, RecognitionKind.QUALITY, centre.agent, "Consistently excellent calls.")
    assert star.basis["average"] == "91.3" and star.basis["evaluations"] == 4
    assert star.basis["critical_fails"] == 0
    with pytest.raises(Conflict):
        award(centre.manager, RecognitionKind.QUALITY, centre.agent, "Twice")


def test_award_is_refused_when_the_rule_is_not_met(centre):
    _evaluations(centre, centre.agent, [95, 92, 90])
    with pytest.raises(DomainError, match="Fewer than 4"):
        award(centre.leader, RecognitionKind.QUALITY, centre.agent, "Nearly")
    assert not Recognition.objects.exists()


def _survey_answers(agent, csats):
    """Post-contact survey responses about `agent`'s calls, one per CSAT given."""
    from surveys.models import ResponseSource
    from surveys.services.responses import response_submit
    from surveys.tests.factories import make_survey

    survey = make_survey()
    for csat in csats:
        response_submit(
            survey=survey,
            values={"csat": csat, "ces": 6, "nps": 9},
            source=ResponseSource.API,
            contact=ContactFactory(agent=agent),
        )


def test_customers_favourite_is_awarded_on_a_csat_of_90_over_20_responses(centre):
    _survey_answers(centre.agent, [5] * 12 + [4] * 6 + [3] * 2)  # 18 of 20 satisfied: exactly 90%
    recognition = award(centre.leader, RecognitionKind.SATISFACTION, centre.agent, "Lovely feedback")
    assert recognition.basis | {"responses": 20, "satisfied": 18, "csat": "90.0"} == recognition.basis


@pytest.mark.parametrize(
    ("csats", "shortfall"),
    [([5] * 19, "Fewer than 20 survey responses"), ([5] * 17 + [3] * 3, "Customer satisfaction below 90")],
)
def test_customers_favourite_is_refused_below_the_rule(centre, csats, shortfall):
    _survey_answers(centre.agent, csats)
    with pytest.raises(DomainError, match=shortfall):
        award(centre.leader, RecognitionKind.SATISFACTION, centre.agent, "Lovely feedback")
    assert not Recognition.objects.exists()


@pytest.mark.parametrize("who", ["other_leader", "agent"])
def test_spot_award_only_for_people_led(centre, who):
    with pytest.raises(PermissionDenied):
        award(getattr(centre, who), RecognitionKind.SPOT, centre.colleague, "Helped a colleague", days=0)


def test_nobody_recognises_themselves(centre):
    with pytest.raises(DomainError, match="yourself"):
        award(centre.manager, RecognitionKind.SPOT, centre.manager)


def test_first_time_fixer_counts_repeat_contacts_within_seven_days(centre):
    now = timezone.now()
    customers = []
    for n in range(50):
        contact = ContactFactory(agent=centre.agent, offered_at=now - timedelta(days=20, minutes=n))
        customers.append(contact.customer)
    # 9 members call again within 7 days (any agent), 2 more after 8 days (not a repeat): FCR 41/50 = 82%.
    for customer in customers[:9]:
        ContactFactory(agent=centre.stranger, customer=customer, offered_at=now - timedelta(days=16))
    for customer in customers[9:11]:
        ContactFactory(agent=centre.stranger, customer=customer, offered_at=now - timedelta(days=11))
    ContactFactory(agent=centre.agent, customer=None, offered_at=now - timedelta(days=20))  # not identified
    today = timezone.localdate()
    verdict = selectors.person_verdict(
        kind=RecognitionKind.RESOLUTION,
        person=centre.agent,
        start=today - timedelta(days=27),
        end=today - timedelta(days=19),
    )
    assert verdict.basis == {"handled": 50, "resolved": 41, "fcr": "82.0"}
    assert verdict.earned


def test_evaluation_with_every_item_not_applicable_says_so(centre):
    centre.card.items.filter(critical=True).update(critical=False)
    with pytest.raises(DomainError, match="At least one item must apply"):
        record(centre, greeting=None, resolution=None, compliance=None)
