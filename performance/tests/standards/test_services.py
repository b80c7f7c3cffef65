"""Setting, changing and ending standards: never overwritten, the one in force ends the day before,
refusals name the field and write nothing, every write is audited."""

from datetime import date
from decimal import Decimal

import pytest

from calls.tests.factories import QueueFactory
from contactcentre.exceptions import DomainError
from contactcentre.models import AuditEvent
from performance.models import Metric, ServiceStandard
from performance.services.standards import standard_change, standard_retire, standard_set
from staff.roles import Role

from .factories import standard

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(user_factory):
    return user_factory(role=Role.MANAGER)


def test_setting_a_standard_ends_the_one_in_force_the_day_before(manager):
    seeded = ServiceStandard.objects.get(metric=Metric.SERVICE_LEVEL, queue=None, effective_to=None)
    new = standard_set(
        metric=Metric.SERVICE_LEVEL,
        target=Decimal(85),
        warning=Decimal(75),
        effective_from=date(2026, 7, 1),
        note="Members asked for faster answers",
        by=manager,
    )
    seeded.refresh_from_db()
    assert seeded.effective_to == date(2026, 6, 30)
    assert new.replaces == seeded
    assert (new.effective_to, new.changed_by) == (None, manager)
    event = AuditEvent.objects.get(object_type="performance.servicestandard", object_id=str(new.pk))
    assert event.detail["target"] == "85" and event.detail["replaces"] == seeded.pk


def test_change_keeps_the_scope_and_links_the_history(manager):
    queue = QueueFactory()
    first = standard(Metric.ASA, 30, 60, queue=queue, by=manager)
    second = standard_change(
        first, target=Decimal(20), warning=Decimal(40), effective_from=date(2026, 3, 1), by=manager
    )
    first.refresh_from_db()
    assert (second.queue, second.metric, second.replaces) == (queue, Metric.ASA, first)
    assert first.effective_to == date(2026, 2, 28)
    with pytest.raises(DomainError, match="ended"):
        standard_change(first, target=Decimal(25), warning=Decimal(40), effective_from=date(2026, 4, 1), by=manager)


def test_a_new_standard_must_start_after_the_one_in_force(manager):
    current = standard(Metric.FCR, 70, 60, effective_from=date(2026, 5, 1), by=manager)
    with pytest.raises(DomainError) as refused:
        standard_change(current, target=Decimal(75), warning=Decimal(65), effective_from=date(2026, 5, 1), by=manager)
    assert "effective_from" in refused.value.fields
    current.refresh_from_db()
    assert current.effective_to is None  # nothing half-written
    assert ServiceStandard.objects.filter(metric=Metric.FCR).count() == 2  # seeded + current


@pytest.mark.parametrize(
    ("metric", "target", "warning", "field"),
    [
        (Metric.SERVICE_LEVEL, "80", "90", "warning"),  # more is better: the warning must be below
        (Metric.ABANDONMENT_RATE, "5", "3", "warning"),  # less is better: above
        (Metric.CSAT, "101", "90", "target"),
        ("speed", "1", "1", "metric"),
        (Metric.ASA, None, "40", "target"),
    ],
)
def test_bad_thresholds_are_refused_with_the_field_named(manager, metric, target, warning, field):
    before = ServiceStandard.objects.count()
    with pytest.raises(DomainError) as refused:
        standard_set(
            metric=metric,
            target=Decimal(target) if target else None,
            warning=Decimal(warning),
            effective_from=date(2026, 7, 1),
            by=manager,
        )
    assert field in refused.value.fields
    assert ServiceStandard.objects.count() == before
    assert not AuditEvent.objects.filter(object_type="performance.servicestandard").exists()


def test_a_standard_cannot_start_inside_an_ended_one(manager):
    queue = QueueFactory()
    ended = standard(Metric.AHT, 300, 360, queue=queue, effective_from=date(2026, 1, 1), by=manager)
    standard_retire(ended, last_day=date(2026, 6, 30), by=manager)
    with pytest.raises(DomainError) as refused:
        standard(Metric.AHT, 280, 330, queue=queue, effective_from=date(2026, 6, 1), by=manager)
    assert "effective_from" in refused.value.fields
    again = standard(Metric.AHT, 280, 330, queue=queue, effective_from=date(2026, 7, 1), by=manager)
    assert again.replaces is None  # after a gap: a new start, not a change


def test_retiring_ends_a_standard_on_its_last_day_and_is_audited(manager):
    queue = QueueFactory()
    own = standard(Metric.SERVICE_LEVEL, 90, 85, queue=queue, effective_from=date(2026, 1, 1), by=manager)
    with pytest.raises(DomainError) as refused:
        standard_retire(own, last_day=date(2025, 12, 31), by=manager)
    assert "last_day" in refused.value.fields
    standard_retire(own, last_day=date(2026, 3, 31), by=manager)
    own.refresh_from_db()
    assert own.effective_to == date(2026, 3, 31)
    assert AuditEvent.objects.filter(action="update", object_id=str(own.pk)).count() == 1
    with pytest.raises(DomainError, match="already ended"):
        standard_retire(own, last_day=date(2026, 4, 30), by=manager)
