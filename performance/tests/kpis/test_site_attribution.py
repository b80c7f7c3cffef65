"""A call counts for the site that answered it; a call nobody answered (abandoned, short abandon),
for the site its queue is served from (`Queue.site`); on a queue several sites share, for no site.

Day D = Tuesday 10 November 2026 (GMT). The nurse line (T = 20 s) is served from Staines; the
claims queue (T = 20 s) is shared. X works at Staines, Y at Manchester.

| call | queue  | offered | wait | outcome                 | contact's site | counts for |
|------|--------|---------|------|-------------------------|----------------|------------|
| n1   | nurse  | 09:00   | 10   | answered by X (in T)    | Staines        | Staines    |
| n2   | nurse  | 09:10   | 40   | abandoned (after T)     | -              | Staines    |
| n3   | nurse  | 09:20   | 30   | answered by Y (late)    | Manchester     | Manchester |
| c1   | claims | 09:30   | 5    | answered by X (in T)    | Staines        | Staines    |
| c2   | claims | 09:40   | 50   | abandoned (after T)     | -              | no site    |
| c3   | claims | 09:50   | 2    | short abandon           | -              | no site    |

Staines: offered 3 (n1 n2 c1), answered 2, within T 2, abandoned 1: SL1 = 2 / 3 = 66.67 %,
abandonment = 1 / 3 = 33.33 % (before the fix n2 counted nowhere: SL1 100 %, abandonment 0 %).
Manchester: offered 1 (n3), answered 1, within T 0: SL1 0 %, abandonment 0 %.
No site: c2 (offered 1, abandoned 1) and c3 (short). Organisation: offered 5, abandoned 2."""

import pytest

from calls.tests.factories import QueueFactory
from performance.models import DailyRollup, IntervalRollup
from performance.selectors import naive
from performance.selectors.drilldown import drilldown_contacts
from performance.selectors.kpis import Scope, kpi_set
from performance.selectors.sites import abandoned_on_shared_queues
from performance.services.rollups import rollups_rebuild
from staff.tests.factories import SiteFactory

from .factories import call
from .test_fixed_data import DAY, D, at


@pytest.fixture
def data(user_factory):
    staines, manchester = SiteFactory(code="staines-k", name="Staines"), SiteFactory(code="manchester-k")
    nurse = QueueFactory(code="nurse-k", answer_threshold_seconds=20, site=staines)
    claims = QueueFactory(code="claims-k", answer_threshold_seconds=20, short_abandon_seconds=5)
    x, y = user_factory(site=staines), user_factory(site=manchester)
    calls = {
        "n1": call(nurse, at(9, 0), wait=10, talk=100, agent=x, site=staines),
        "n2": call(nurse, at(9, 10), wait=40, abandoned=True),
        "n3": call(nurse, at(9, 20), wait=30, talk=200, agent=y, site=manchester),
        "c1": call(claims, at(9, 30), wait=5, talk=60, agent=x, site=staines),
        "c2": call(claims, at(9, 40), wait=50, abandoned=True),
        "c3": call(claims, at(9, 50), wait=2, abandoned=True, short=True),
    }
    rollups_rebuild(first=D, last=D)
    return {"staines": staines, "manchester": manchester, "nurse": nurse, "claims": claims, "calls": calls}


def test_a_call_abandoned_on_a_sites_queue_counts_against_that_site(data):
    staines = kpi_set(DAY, Scope(site_id=data["staines"].pk))
    m = staines.measures
    assert (m.offered, m.answered, m.answered_in_threshold, m.abandoned) == (3, 2, 2, 1)
    assert staines.service_level == pytest.approx(200 / 3)
    assert staines.abandonment_rate == pytest.approx(100 / 3)


def test_a_call_answered_at_another_site_counts_where_it_was_answered(data):
    manchester = kpi_set(DAY, Scope(site_id=data["manchester"].pk))
    m = manchester.measures
    assert (m.offered, m.answered, m.answered_in_threshold, m.abandoned) == (1, 1, 0, 0)
    assert (manchester.service_level, manchester.abandonment_rate) == (0.0, 0.0)


def test_abandons_on_a_shared_queue_count_for_no_site_and_are_told_apart(data):
    nowhere = DailyRollup.objects.get(day=D, site=None)
    assert (nowhere.offered, nowhere.abandoned, nowhere.short_abandoned) == (1, 1, 1)  # c2; c3 short
    assert abandoned_on_shared_queues(DAY) == 1
    everything = kpi_set(DAY).measures
    assert (everything.offered, everything.abandoned) == (5, 2)


def test_the_interval_of_an_abandoned_call_carries_its_queues_site(data):
    row = IntervalRollup.objects.get(start=at(9, 0), queue=data["nurse"], site=data["staines"])
    assert (row.offered, row.answered, row.abandoned) == (2, 1, 1)  # n1 and n2


@pytest.mark.parametrize("scope", ["staines", "manchester", "nurse", "everything"])
def test_the_rollups_equal_the_naive_computation_for_each_site(data, scope):
    scopes = {
        "staines": Scope(site_id=data["staines"].pk),
        "manchester": Scope(site_id=data["manchester"].pk),
        "nurse": Scope(queue_id=data["nurse"].pk),
        "everything": Scope(),
    }
    assert naive.kpi_set(DAY, scopes[scope]) == kpi_set(DAY, scopes[scope], with_extra=False)


def test_a_sites_drilldown_lists_the_calls_abandoned_on_its_queues(data):
    staines, calls = Scope(site_id=data["staines"].pk), data["calls"]
    assert list(drilldown_contacts("abandoned", DAY, staines)) == [calls["n2"]]
    assert set(drilldown_contacts("offered", DAY, staines)) == {calls["n1"], calls["n2"], calls["c1"]}
    assert list(drilldown_contacts("answered", DAY, Scope(site_id=data["manchester"].pk))) == [calls["n3"]]
