"""Which standard applies (the most specific in force on the day), what is in force, the history
of one, and the overview's figures against them."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from calls.tests.factories import QueueFactory
from claims.models import Tier
from performance.models import DailyRollup, Metric, ServiceStandard
from performance.selectors.kpis import Scope
from performance.selectors.standards import (
    standard_for,
    standard_history,
    standards_coverage,
    standards_for,
    standards_in_force,
    standards_overview,
)
from performance.services.rollups_monthly import months_rollup
from staff.tests.factories import SiteFactory

from .factories import no_standards, standard

pytestmark = pytest.mark.django_db
DAY = date(2026, 6, 15)


def test_the_seeded_defaults_are_in_force_for_every_scope():
    found = standard_for(Metric.SERVICE_LEVEL, Scope(), DAY)
    assert (found.target, found.warning) == (Decimal("80.00"), Decimal("70.00"))
    assert standard_for(Metric.ABANDONMENT_RATE, Scope(queue_id=123), DAY).target == Decimal("5.00")
    assert standard_for(Metric.AHT, Scope(), DAY) is None  # no recognised figure, nothing seeded


def test_the_most_specific_standard_in_force_wins():
    queue, other_queue = QueueFactory(), QueueFactory()
    site = SiteFactory()
    standard(Metric.SERVICE_LEVEL, 85, 75, queue=queue)
    standard(Metric.SERVICE_LEVEL, 82, 72, site=site)
    standard(Metric.SERVICE_LEVEL, 90, 80, queue=queue, plan_tier=Tier.PREMIER)

    def target(**scope):
        return standard_for(Metric.SERVICE_LEVEL, Scope(**scope), DAY).target

    assert target() == 80  # the seeded one: a queue's standard never judges every queue
    assert target(queue_id=other_queue.pk) == 80
    assert target(queue_id=queue.pk) == 85
    assert target(site_id=site.pk) == 82
    # One field each: the queue outranks the site.
    assert target(queue_id=queue.pk, site_id=site.pk) == 85
    # Two fields beat one.
    assert target(queue_id=queue.pk, plan_tier=Tier.PREMIER, site_id=site.pk) == 90
    assert target(queue_id=queue.pk, plan_tier=Tier.ESSENTIAL) == 85


def test_a_standard_applies_only_between_its_dates():
    no_standards()
    old = standard(Metric.ASA, 40, 60, effective_from=date(2026, 1, 1))
    new = standard(Metric.ASA, 30, 60, effective_from=date(2026, 6, 1))
    assert standard_for(Metric.ASA, Scope(), date(2025, 12, 31)) is None
    assert standard_for(Metric.ASA, Scope(), date(2026, 5, 31)) == old
    assert standard_for(Metric.ASA, Scope(), date(2026, 6, 1)) == new
    assert list(standards_in_force(date(2026, 5, 31))) == [old]


def test_standards_for_reads_every_metric_in_one_query(django_assert_num_queries):
    queue = QueueFactory()
    standard(Metric.SERVICE_LEVEL, 85, 75, queue=queue)
    with django_assert_num_queries(1):
        found = standards_for(Scope(queue_id=queue.pk), DAY)
    assert found[Metric.SERVICE_LEVEL].target == 85
    assert found[Metric.ABANDONMENT_RATE].target == 5


def test_history_lists_every_standard_of_the_metric_and_scope_latest_first():
    queue = QueueFactory()
    first = standard(Metric.FCR, 70, 60, queue=queue, effective_from=date(2026, 1, 1))
    second = standard(Metric.FCR, 75, 65, queue=queue, effective_from=date(2026, 3, 1))
    standard(Metric.FCR, 72, 60, effective_from=date(2026, 2, 1))  # another scope: not in it
    assert list(standard_history(first)) == [second, first]


def _rollup(day: date, **sums) -> DailyRollup:
    row = DailyRollup.objects.create(day=day, **sums)
    months_rollup([day])
    return row


def test_the_overview_judges_each_standard_on_the_last_30_days_of_its_own_scope():
    today = timezone.localdate()
    queue = QueueFactory()
    standard(Metric.SERVICE_LEVEL, 90, 85, queue=queue)
    # Everywhere: 16 of 20 within the threshold = 80% (green against 80); the queue: 8 of 10 = 80%
    # (red against 90 with an 85 warning). The 31st day back is outside the window.
    _rollup(today, queue=queue, offered=10, answered=10, answered_in_threshold=8)
    _rollup(today - timedelta(days=29), offered=10, answered=10, answered_in_threshold=8)
    _rollup(today - timedelta(days=30), offered=100, answered=100, answered_in_threshold=0)
    period, rows = standards_overview(today)
    assert period.days == 30
    by_scope = {(r.standard.metric, r.standard.queue_id): r for r in rows}
    everywhere = by_scope[(Metric.SERVICE_LEVEL, None)]
    assert (everywhere.value, everywhere.rag, everywhere.challenge) == (80.0, "green", "common")
    own = by_scope[(Metric.SERVICE_LEVEL, queue.pk)]
    assert (own.value, own.rag, own.challenge) == (80.0, "red", "best")


def test_the_overview_reads_kpis_once_per_scope_not_per_standard():
    today = timezone.localdate()
    queue = QueueFactory()
    standard(Metric.SERVICE_LEVEL, 85, 75, queue=queue)
    standards_overview(today)  # warm the caches (content types)
    with CaptureQueriesContext(connection) as one:
        standards_overview(today)
    standard(Metric.ASA, 20, 40, queue=queue)
    standard(Metric.FCR, 75, 65, queue=queue)
    standard(Metric.CSAT, 85, 75, queue=queue)
    with CaptureQueriesContext(connection) as four:
        _period, rows = standards_overview(today)
    assert len(rows) == 17
    assert len(four.captured_queries) == len(one.captured_queries)


def test_coverage_counts_queues_with_service_level_and_abandonment_standards():
    no_standards()
    covered, uncovered = QueueFactory(), QueueFactory()
    standard(Metric.SERVICE_LEVEL, 80, 70, queue=covered)
    standard(Metric.ABANDONMENT_RATE, 5, 8, queue=covered)
    standard(Metric.SERVICE_LEVEL, 95, 90, queue=uncovered)
    result = standards_coverage(DAY)
    assert (result.queues, result.queues_with_standards) == (2, 1)
    assert result.challenge_counts == {"common": 2, "best": 1}
    assert ServiceStandard.objects.count() == 3
