"""The same measures site by site, against each site's standard, with the spread and who is behind.

| site       | offered | answered | within T | abandoned | SL1 | abandonment | SL standard        |
|------------|---------|----------|----------|-----------|-----|-------------|--------------------|
| Manchester | 10      | 8        | 7        | 2         | 70% | 20%         | its own 75/65: amber |
| Staines    | 10      | 10       | 9        | 0         | 90% | 0%          | seeded 80/70: green |

Spread: service level 20 points, Manchester behind; abandonment 20 points, Manchester behind."""

from datetime import date

import pytest

from performance.models import DailyRollup, Metric
from performance.selectors.kpis import Period
from performance.selectors.sites import abandoned_on_shared_queues, site_consistency
from performance.services.rollups_monthly import months_rollup
from staff.models import Site
from staff.tests.factories import SiteFactory

from .factories import standard

pytestmark = pytest.mark.django_db
JUNE = Period(date(2026, 6, 1), date(2026, 6, 30))


@pytest.fixture
def sites():
    Site.objects.update(is_active=False)
    staines = SiteFactory(code="staines-t", name="Staines")
    manchester = SiteFactory(code="manchester-t", name="Manchester")
    SiteFactory(code="closed-t", name="Closed", is_active=False)
    DailyRollup.objects.create(day=date(2026, 6, 3), site=staines, offered=10, answered=10, answered_in_threshold=9)
    DailyRollup.objects.create(
        day=date(2026, 6, 4), site=manchester, offered=10, answered=8, answered_in_threshold=7, abandoned=2
    )
    DailyRollup.objects.create(day=date(2026, 7, 1), site=manchester, offered=50, answered=50)  # outside June
    months_rollup([date(2026, 6, 1), date(2026, 7, 1)])
    standard(Metric.SERVICE_LEVEL, 75, 65, site=manchester)
    return staines, manchester


def test_sites_side_by_side_with_the_spread_and_the_site_behind(sites):
    staines, manchester = sites
    rows = {c.metric: c for c in site_consistency(JUNE, metrics=[Metric.SERVICE_LEVEL, Metric.ABANDONMENT_RATE])}
    sl = rows[Metric.SERVICE_LEVEL]
    assert [(f.site_name, f.value, f.rag) for f in sl.figures] == [
        ("Manchester", 70.0, "amber"),
        ("Staines", 90.0, "green"),
    ]
    assert [f.standard.target for f in sl.figures] == [75, 80]
    assert (sl.spread, sl.behind.site_id, sl.best.site_id) == (20.0, manchester.pk, staines.pk)
    ab = rows[Metric.ABANDONMENT_RATE]
    assert (ab.spread, ab.behind.site_id) == (20.0, manchester.pk)
    assert [f.rag for f in ab.figures] == ["red", "green"]


def test_calls_abandoned_on_shared_queues_are_counted_for_no_site_and_told_apart(sites):
    """Abandons with no site (on a queue several sites share): 3 on 10 June and 2 on 20 June, 4 in
    July (outside); Manchester's 2 belong to it. The sites' figures leave out 5."""
    for day, abandoned in ((date(2026, 6, 10), 3), (date(2026, 6, 20), 2), (date(2026, 7, 2), 4)):
        DailyRollup.objects.create(day=day, site=None, offered=abandoned + 1, answered=1, abandoned=abandoned)
    assert abandoned_on_shared_queues(JUNE) == 5
    assert abandoned_on_shared_queues(Period(date(2026, 5, 1), date(2026, 5, 31))) == 0


def test_level_sites_have_no_one_behind(sites):
    (asa,) = site_consistency(JUNE, metrics=[Metric.ASA])
    assert (asa.spread, asa.behind) == (0.0, None)


def test_the_query_count_grows_with_sites_not_with_days(sites, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    site_consistency(JUNE)
    with CaptureQueriesContext(connection) as month:
        site_consistency(JUNE)
    with CaptureQueriesContext(connection) as year:
        site_consistency(Period(date(2025, 7, 1), date(2026, 6, 30)))
    assert len(year.captured_queries) == len(month.captured_queries)
