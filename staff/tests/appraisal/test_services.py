"""Appraisal and upward-feedback services: who may open and change an appraisal, its states, the
refusals (a second signature, a rating off the scale), the action plan, training needs, the audit
trail, and anonymous feedback that stores and audits nobody."""

import hashlib
import hmac
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from contactcentre.exceptions import Conflict, DomainError, InvalidTransition
from contactcentre.models import AuditAction, AuditEvent
from staff.models import AppraisalStatus, FeedbackSubject, NeedSource, UpwardFeedback
from staff.roles import Role
from staff.services import appraisal as services
from staff.services.feedback import upward_feedback_give
from staff.tests.factories import CompetencyFactory, SiteFactory, TeamFactory, UserFactory

from .factories import AppraisalCycleFactory, appraisal_setup

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roles")]


def review_complete(scene):
    for competency in scene.competencies:
        services.rating_set(appraisal_id=scene.appraisal.pk, actor=scene.leader, competency=competency, rating=4)
    return services.review_update(
        appraisal_id=scene.appraisal.pk,
        actor=scene.leader,
        strengths="Calm with anxious callers",
        weaknesses="Wrap-up codes",
        overall_rating=4,
    )


def reviewed(scene):
    services.self_assessment_submit(appraisal_id=scene.appraisal.pk, actor=scene.agent, text="A good year")
    return review_complete(scene)


# --- Cycles and opening an appraisal ------------------------------------------------------------
def test_hr_opens_a_cycle_and_a_team_leader_may_not():
    hr = UserFactory(role=Role.HR)
    cycle = services.cycle_create(actor=hr, name="2026", starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31))
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(cycle.pk)).exists()
    with pytest.raises(PermissionDenied):
        services.cycle_create(
            actor=UserFactory(role=Role.TEAM_LEADER), name="2027", starts_on=date(2027, 1, 1), ends_on=date(2027, 2, 1)
        )


def test_a_cycle_that_ends_before_it_starts_is_a_field_error():
    with pytest.raises(DomainError) as refused:
        services.cycle_create(
            actor=UserFactory(role=Role.HR), name="Odd", starts_on=date(2026, 5, 1), ends_on=date(2026, 4, 1)
        )
    assert "ends_on" in refused.value.fields


def test_a_team_leader_appraises_their_own_team_only():
    scene = appraisal_setup()
    cycle = AppraisalCycleFactory(name="Next")
    appraisal = services.appraisal_create(actor=scene.leader, cycle=cycle, appraisee=scene.agent)
    assert (appraisal.appraiser, appraisal.status) == (scene.leader, AppraisalStatus.DRAFT)
    stranger = UserFactory(role=Role.AGENT, site=scene.site, team=TeamFactory(site=scene.site))
    with pytest.raises(DomainError) as refused:
        services.appraisal_create(actor=scene.leader, cycle=cycle, appraisee=stranger)
    assert "appraisee" in refused.value.fields


def test_a_manager_appraises_anyone_at_their_site_but_not_elsewhere():
    scene = appraisal_setup()
    manager = UserFactory(role=Role.MANAGER, site=scene.site)
    cycle = AppraisalCycleFactory(name="Next")
    assert services.appraisal_create(actor=manager, cycle=cycle, appraisee=scene.leader).appraiser == manager
    elsewhere = UserFactory(role=Role.AGENT, site=SiteFactory())
    with pytest.raises(DomainError):
        services.appraisal_create(actor=manager, cycle=cycle, appraisee=elsewhere)


def test_hr_opens_one_for_anyone_naming_a_leader_or_manager_as_appraiser():
    scene = appraisal_setup()
    hr = UserFactory(role=Role.HR)
    cycle = AppraisalCycleFactory(name="Next")
    with pytest.raises(DomainError) as refused:  # an agent cannot appraise: no agent reads another's appraisal
        services.appraisal_create(actor=hr, cycle=cycle, appraisee=scene.agent, appraiser=UserFactory(role=Role.AGENT))
    assert "appraiser" in refused.value.fields
    appraisal = services.appraisal_create(actor=hr, cycle=cycle, appraisee=scene.agent, appraiser=scene.leader)
    assert appraisal.appraiser == scene.leader


def test_one_appraisal_per_person_per_cycle():
    scene = appraisal_setup()
    with pytest.raises(Conflict, match="already has an appraisal"):
        services.appraisal_create(actor=scene.leader, cycle=scene.cycle, appraisee=scene.agent)


def test_an_agent_cannot_open_an_appraisal():
    scene = appraisal_setup()
    with pytest.raises(PermissionDenied):
        services.appraisal_create(actor=scene.agent, cycle=AppraisalCycleFactory(name="x"), appraisee=scene.leader)


# --- States -----------------------------------------------------------------------------------
def test_an_appraisal_goes_from_draft_to_signed():
    scene = appraisal_setup()
    appraisal = services.self_assessment_submit(appraisal_id=scene.appraisal.pk, actor=scene.agent, text="I did well")
    assert appraisal.status == AppraisalStatus.SELF_ASSESSED
    services.rating_set(
        appraisal_id=appraisal.pk, actor=scene.leader, competency=scene.competencies[0], rating=5, comment="Great"
    )
    services.review_update(
        appraisal_id=appraisal.pk, actor=scene.leader, strengths="s", weaknesses="w", overall_rating=4
    )
    appraisal.refresh_from_db()
    assert appraisal.status == AppraisalStatus.SELF_ASSESSED  # one competency is not rated yet
    services.rating_set(appraisal_id=appraisal.pk, actor=scene.leader, competency=scene.competencies[1], rating=3)
    appraisal.refresh_from_db()
    assert appraisal.status == AppraisalStatus.REVIEWED
    services.appraisal_sign(appraisal_id=appraisal.pk, actor=scene.agent)
    appraisal = services.appraisal_sign(appraisal_id=appraisal.pk, actor=scene.leader)
    assert appraisal.status == AppraisalStatus.SIGNED
    assert appraisal.appraisee_signed_at and appraisal.appraiser_signed_at
    moves = AuditEvent.objects.filter(object_id=str(appraisal.pk), detail__has_key="to").values_list(
        "detail__to", flat=True
    )
    assert list(moves.order_by("pk")) == ["self_assessed", "reviewed", "signed"]


def test_a_review_completed_before_the_self_assessment_moves_straight_to_reviewed():
    scene = appraisal_setup()
    review_complete(scene)
    scene.appraisal.refresh_from_db()
    assert scene.appraisal.status == AppraisalStatus.DRAFT
    appraisal = services.self_assessment_submit(appraisal_id=scene.appraisal.pk, actor=scene.agent, text="Mine")
    assert appraisal.status == AppraisalStatus.REVIEWED


def test_signing_twice_is_refused_with_a_clear_message():
    scene = appraisal_setup()
    reviewed(scene)
    services.appraisal_sign(appraisal_id=scene.appraisal.pk, actor=scene.agent)
    with pytest.raises(InvalidTransition, match="already signed"):
        services.appraisal_sign(appraisal_id=scene.appraisal.pk, actor=scene.agent)


def test_the_appraiser_signs_only_after_the_review():
    scene = appraisal_setup()
    services.self_assessment_submit(appraisal_id=scene.appraisal.pk, actor=scene.agent, text="Mine")
    with pytest.raises(InvalidTransition, match="once it is reviewed"):
        services.appraisal_sign(appraisal_id=scene.appraisal.pk, actor=scene.leader)


def test_a_move_the_state_table_forbids_is_refused_in_words_not_codes(monkeypatch):
    """Guards the state table against facts that would jump (here: self-assessed back to draft)."""
    scene = appraisal_setup()
    services.self_assessment_submit(appraisal_id=scene.appraisal.pk, actor=scene.agent, text="Mine")
    monkeypatch.setattr(services.rules, "status_for", lambda facts: AppraisalStatus.DRAFT)
    with pytest.raises(InvalidTransition) as refused:
        services.rating_set(
            appraisal_id=scene.appraisal.pk, actor=scene.leader, competency=scene.competencies[0], rating=3
        )
    assert str(refused.value) == "This appraisal cannot move from self-assessed to draft."


def test_nothing_signed_can_be_changed():
    scene = appraisal_setup()
    reviewed(scene)
    services.appraisal_sign(appraisal_id=scene.appraisal.pk, actor=scene.agent)
    with pytest.raises(InvalidTransition, match="signed"):
        services.rating_set(
            appraisal_id=scene.appraisal.pk, actor=scene.leader, competency=scene.competencies[0], rating=1
        )
    with pytest.raises(InvalidTransition):
        services.review_update(
            appraisal_id=scene.appraisal.pk, actor=scene.leader, strengths="new", weaknesses="new", overall_rating=1
        )
    with pytest.raises(InvalidTransition):
        services.objective_add(
            appraisal_id=scene.appraisal.pk, actor=scene.leader, title="t", activities="a", measure="m"
        )
    scene.appraisal.refresh_from_db()
    assert scene.appraisal.overall_rating == 4


def test_the_self_assessment_is_the_appraisees_and_is_submitted_once():
    scene = appraisal_setup()
    with pytest.raises(PermissionDenied):
        services.self_assessment_submit(appraisal_id=scene.appraisal.pk, actor=scene.leader, text="For them")
    services.self_assessment_submit(appraisal_id=scene.appraisal.pk, actor=scene.agent, text="Mine")
    with pytest.raises(InvalidTransition, match="already been submitted"):
        services.self_assessment_submit(appraisal_id=scene.appraisal.pk, actor=scene.agent, text="Changed")


@pytest.mark.parametrize("rating", [0, 6, -1])
def test_a_rating_off_the_scale_is_a_field_error(rating):
    scene = appraisal_setup()
    with pytest.raises(DomainError) as refused:
        services.rating_set(
            appraisal_id=scene.appraisal.pk, actor=scene.leader, competency=scene.competencies[0], rating=rating
        )
    assert refused.value.fields == {"rating": ["Give a rating from 1 to 5."]}


def test_an_overall_rating_off_the_scale_is_a_field_error():
    scene = appraisal_setup()
    with pytest.raises(DomainError) as refused:
        services.review_update(
            appraisal_id=scene.appraisal.pk, actor=scene.leader, strengths="", weaknesses="", overall_rating=7
        )
    assert "overall_rating" in refused.value.fields


def test_only_competencies_of_the_person_specification_are_rated():
    scene = appraisal_setup()
    with pytest.raises(DomainError) as refused:
        services.rating_set(
            appraisal_id=scene.appraisal.pk, actor=scene.leader, competency=CompetencyFactory(), rating=3
        )
    assert "competency" in refused.value.fields


def test_the_appraisee_cannot_rate_themselves():
    scene = appraisal_setup()
    with pytest.raises(PermissionDenied):
        services.rating_set(
            appraisal_id=scene.appraisal.pk, actor=scene.agent, competency=scene.competencies[0], rating=5
        )


def test_objectives_are_added_and_updated_with_their_achievement():
    scene = appraisal_setup()
    objective = services.objective_add(
        appraisal_id=scene.appraisal.pk,
        actor=scene.leader,
        title="First-contact resolution",
        activities="Shadow the claims team",
        measure="FCR of 80%",
    )
    updated = services.objective_update(
        objective_id=objective.pk,
        actor=scene.leader,
        title="First-contact resolution",
        activities="Shadow the claims team",
        measure="FCR of 80%",
        achievement="met",
    )
    assert updated.achievement == "met"
    with pytest.raises(DomainError):
        services.objective_update(
            objective_id=objective.pk, actor=scene.leader, title="", activities="", measure="", achievement="bogus"
        )


# --- Action plan and training needs ---------------------------------------------------------------
def test_actions_are_tracked_to_done_with_the_time_even_after_signing():
    scene = appraisal_setup()
    item = services.action_add(
        appraisal_id=scene.appraisal.pk,
        actor=scene.leader,
        description="Complaints course",
        owner=scene.agent,
        due_on=date(2026, 6, 1),
    )
    reviewed(scene)
    services.appraisal_sign(appraisal_id=scene.appraisal.pk, actor=scene.agent)
    services.appraisal_sign(appraisal_id=scene.appraisal.pk, actor=scene.leader)
    done = services.action_done(action_id=item.pk, actor=scene.agent)
    assert done.done_at is not None
    assert services.action_done(action_id=item.pk, actor=scene.leader, done=False).done_at is None


def test_an_action_belongs_to_one_of_the_two():
    scene = appraisal_setup()
    with pytest.raises(DomainError) as refused:
        services.action_add(
            appraisal_id=scene.appraisal.pk,
            actor=scene.leader,
            description="x",
            owner=UserFactory(),
            due_on=date(2026, 6, 1),
        )
    assert "owner" in refused.value.fields


def test_a_training_need_is_raised_from_the_appraisal():
    scene = appraisal_setup()
    need = services.appraisal_training_need_raise(
        appraisal_id=scene.appraisal.pk, actor=scene.leader, description="Handling distressed callers"
    )
    assert (need.source, need.appraisal, need.employee) == (NeedSource.APPRAISAL, scene.appraisal, scene.employee)
    with pytest.raises(PermissionDenied):
        services.appraisal_training_need_raise(appraisal_id=scene.appraisal.pk, actor=scene.agent, description="x")


# --- Upward feedback ------------------------------------------------------------------------------
def test_anonymous_feedback_stores_nobody_and_leaves_no_audit_row(settings):
    """An audit row, even one naming nobody, would carry the exact time and an id in the answers'
    order: with the log-in trail it would point at the writer. So there is none."""
    scene = appraisal_setup()
    before = AuditEvent.objects.count()
    feedback = upward_feedback_give(
        actor=scene.agent, cycle=scene.cycle, subject=FeedbackSubject.MANAGER, rating=4, went_well="Listens"
    )
    assert feedback.respondent is None and feedback.anonymous
    assert (feedback.manager, feedback.team) == (scene.leader, scene.team)
    message = f"upward-feedback:{scene.cycle.pk}:manager:{scene.agent.pk}".encode()
    assert feedback.respondent_key == hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()
    assert AuditEvent.objects.count() == before
    assert feedback.submitted_at.hour == 0 and feedback.submitted_at.minute == 0  # only the day


def test_feedback_given_by_name_names_the_respondent():
    scene = appraisal_setup()
    before = AuditEvent.objects.count()
    feedback = upward_feedback_give(
        actor=scene.agent, cycle=scene.cycle, subject=FeedbackSubject.ORGANISATION, rating=2, anonymous=False
    )
    assert feedback.respondent == scene.agent and feedback.manager is None
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.filter(actor=scene.agent, object_id=str(feedback.pk)).exists()


def test_one_answer_per_person_subject_and_cycle():
    scene = appraisal_setup()
    upward_feedback_give(actor=scene.agent, cycle=scene.cycle, subject=FeedbackSubject.MANAGER, rating=4)
    with pytest.raises(Conflict, match="already given feedback"):
        upward_feedback_give(actor=scene.agent, cycle=scene.cycle, subject=FeedbackSubject.MANAGER, rating=1)
    upward_feedback_give(actor=scene.agent, cycle=scene.cycle, subject=FeedbackSubject.ORGANISATION, rating=1)
    assert UpwardFeedback.objects.count() == 2


def test_feedback_on_a_manager_needs_a_team_leader():
    lonely = UserFactory(role=Role.AGENT, team=None)
    with pytest.raises(DomainError) as refused:
        upward_feedback_give(actor=lonely, cycle=AppraisalCycleFactory(), subject=FeedbackSubject.MANAGER, rating=3)
    assert "subject" in refused.value.fields
    scene = appraisal_setup()
    with pytest.raises(DomainError):  # the leader is in their own team: not about themselves
        upward_feedback_give(actor=scene.leader, cycle=scene.cycle, subject=FeedbackSubject.MANAGER, rating=3)
    scene.leader.team = scene.team
    scene.leader.save(update_fields=["team"])
    with pytest.raises(DomainError, match="lead your own team"):
        upward_feedback_give(actor=scene.leader, cycle=scene.cycle, subject=FeedbackSubject.MANAGER, rating=3)


def test_feedback_rating_off_the_scale_is_a_field_error():
    scene = appraisal_setup()
    with pytest.raises(DomainError) as refused:
        upward_feedback_give(actor=scene.agent, cycle=scene.cycle, subject=FeedbackSubject.MANAGER, rating=9)
    assert "rating" in refused.value.fields


def test_hr_closes_a_cycle_once_and_a_team_leader_may_not():
    scene = appraisal_setup()
    with pytest.raises(PermissionDenied):
        services.cycle_close(actor=scene.leader, cycle_id=scene.cycle.pk)
    hr = UserFactory(role=Role.HR)
    services.cycle_close(actor=hr, cycle_id=scene.cycle.pk)
    scene.cycle.refresh_from_db()
    assert not scene.cycle.is_open
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(scene.cycle.pk), actor=hr).exists()
    with pytest.raises(Conflict, match="already closed"):
        services.cycle_close(actor=hr, cycle_id=scene.cycle.pk)


def test_an_answer_is_refused_once_the_cycle_has_closed_even_from_a_page_read_before():
    """The form was loaded while the cycle was open (the caller's cycle object still says so): the
    answer is checked again under the cycle's lock, so nothing lands after the close."""
    scene = appraisal_setup()
    services.cycle_close(actor=UserFactory(role=Role.HR), cycle_id=scene.cycle.pk)
    assert scene.cycle.is_open  # the stale copy
    with pytest.raises(DomainError) as refused:
        upward_feedback_give(actor=scene.agent, cycle=scene.cycle, subject=FeedbackSubject.MANAGER, rating=4)
    assert "cycle" in refused.value.fields
    assert not UpwardFeedback.objects.exists()
