"""The database holds the people side's invariants that hold in both directions, whatever writes
the rows (a service, the admin, a script)."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from calls.tests.factories import ContactFactory
from staff.models import EnrolmentStatus, Stage, VacancyStatus
from staff.roles import Role
from staff.tests.quality.factories import EvaluationFactory
from staff.tests.recruitment.factories import ApplicationFactory, VacancyFactory
from staff.tests.training.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


def refused(**make) -> bool:
    factory, fields = make.pop("factory"), make
    try:
        with transaction.atomic():
            factory(**fields)
    except IntegrityError:
        return True
    return False


def test_an_application_in_a_final_stage_has_its_closing_time_and_only_then():
    assert refused(factory=ApplicationFactory, stage=Stage.REJECTED, closed_at=None)
    assert refused(factory=ApplicationFactory, stage=Stage.OFFER, closed_at=timezone.now())
    assert not refused(factory=ApplicationFactory, stage=Stage.REJECTED, closed_at=timezone.now())


def test_a_filled_vacancy_has_its_day_and_only_then():
    assert refused(factory=VacancyFactory, status=VacancyStatus.FILLED, filled_on=None)
    assert refused(factory=VacancyFactory, status=VacancyStatus.CLOSED, filled_on=date(2026, 3, 1))
    assert not refused(factory=VacancyFactory, status=VacancyStatus.FILLED, filled_on=date(2026, 3, 1))


def test_an_evaluation_with_a_failed_critical_item_never_passes(user_factory):
    contact = ContactFactory(agent=user_factory(role=Role.AGENT))
    evaluator = user_factory(role=Role.TEAM_LEADER)
    assert refused(
        factory=EvaluationFactory, contact=contact, evaluator=evaluator, score=0, critical_failed=True, passed=True
    )
    assert not refused(factory=EvaluationFactory, contact=contact, evaluator=evaluator, score=0, critical_failed=True)


def test_a_certificate_never_expires_before_it_was_earned(roles):
    done = {"status": EnrolmentStatus.COMPLETED, "attended": True, "completed_on": date(2026, 3, 1)}
    assert refused(factory=EnrolmentFactory, **done, expires_on=date(2026, 2, 1))
    assert not refused(factory=EnrolmentFactory, **done, expires_on=date(2027, 3, 1))


def test_a_person_has_one_open_renewal_per_course(roles):
    from staff.models import NeedSource, NeedStatus
    from staff.tests.training.factories import CourseFactory, TrainingNeedFactory

    first = TrainingNeedFactory(course=CourseFactory(), source=NeedSource.RENEWAL)
    same = {"factory": TrainingNeedFactory, "employee": first.employee, "course": first.course}
    assert refused(**same, source=NeedSource.RENEWAL)
    assert refused(**same, source=NeedSource.RENEWAL, status=NeedStatus.PLANNED)
    assert not refused(**same, source=NeedSource.MANAGER)  # a leader's own need for it stands beside it
    assert not refused(**same, source=NeedSource.RENEWAL, status=NeedStatus.MET)
