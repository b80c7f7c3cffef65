"""The definitions services added for the pages: opening and closing a survey, and sampling rules
(one per queue and one default, held by the database when two managers save at once)."""

from decimal import Decimal

import pytest

from calls.tests.factories import QueueFactory
from contactcentre.exceptions import DomainError
from contactcentre.models import AuditEvent
from surveys.models import SamplingRule, SurveyKind
from surveys.services import definitions as services
from surveys.tests.factories import make_survey

pytestmark = pytest.mark.django_db


def test_closing_a_closed_survey_writes_nothing(roles):
    survey = make_survey(code="after-call")
    services.survey_set_active(actor=None, survey_id=survey.pk, active=False)
    services.survey_set_active(actor=None, survey_id=survey.pk, active=False)
    survey.refresh_from_db()
    assert not survey.is_active
    assert AuditEvent.objects.filter(summary="Survey after-call deactivated").count() == 1


def test_the_database_keeps_one_rule_per_queue_when_the_check_is_raced(roles, monkeypatch):
    survey, queue = make_survey(code="after-call"), QueueFactory()
    services.sampling_rule_create(actor=None, queue=queue, survey=survey, percentage=Decimal("5"))
    services.sampling_rule_create(actor=None, queue=None, survey=survey, percentage=Decimal("5"))
    # As if a second manager's check ran before the first one's save committed.
    monkeypatch.setattr(services, "_rule_check", lambda **kwargs: None)
    for same in (queue, None):
        with pytest.raises(DomainError) as error:
            services.sampling_rule_create(actor=None, queue=same, survey=survey, percentage=Decimal("9"))
        assert "already" in error.value.fields["queue"][0]
    assert SamplingRule.objects.count() == 2


def test_a_rule_names_a_post_contact_survey_only(roles):
    with pytest.raises(DomainError) as error:
        services.sampling_rule_create(
            actor=None, queue=None, survey=make_survey(SurveyKind.SERVQUAL, code="panel"), percentage=Decimal("5")
        )
    assert list(error.value.fields) == ["survey"]
    assert not SamplingRule.objects.exists()


def test_a_rule_keeps_its_place_when_it_is_saved_unchanged(roles):
    survey = make_survey(code="after-call")
    rule = services.sampling_rule_create(actor=None, queue=None, survey=survey, percentage=Decimal("5"))
    services.sampling_rule_update(
        actor=None, rule_id=rule.pk, queue=None, survey=survey, percentage=Decimal("6.5"), is_active=False
    )
    rule.refresh_from_db()
    assert (rule.queue, rule.percentage, rule.is_active) == (None, Decimal("6.50"), False)
