"""The standards pages as a manager uses them: the list with figures and benchmarks, setting and
changing a standard through the form, its history, ending it; promises and sites; query counts."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from calls.tests.factories import QueueFactory
from claims.models import PromiseMetric, ServicePromise
from claims.tests.factories import PlanFactory
from performance.models import DailyRollup, Metric, ServiceStandard
from performance.services.rollups_monthly import months_rollup
from staff.roles import Role
from staff.tests.factories import SiteFactory

from .factories import standard

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(user_factory, client):
    user = user_factory(role=Role.MANAGER)
    client.force_login(user)
    return user


def test_the_list_shows_each_standard_its_figure_status_and_benchmarks(client, manager):
    today = timezone.localdate()
    DailyRollup.objects.create(day=today, offered=10, answered=10, answered_in_threshold=6)
    months_rollup([today])
    response = client.get(reverse("performance:standards"))
    assert response.status_code == 200
    sl = ServiceStandard.objects.get(metric=Metric.SERVICE_LEVEL, effective_to=None)
    html = response.content.decode()
    row = html[html.index(f'data-testid="standard-{sl.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "60.0%" in row and 'data-rag="red"' in row and "At the common norm" in row
    assert "The 80/20 rule" in html  # the benchmark's source wording
    assert 'href="/performance/standards/new/"' in html


def test_a_manager_sets_a_standard_for_a_queue_through_the_form(client, manager):
    queue = QueueFactory(name="Claims line")
    data = {
        "metric": Metric.ASA,
        "target": "20",
        "warning": "45",
        "queue": queue.pk,
        "effective_from": "2026-07-01",
        "note": "Claims callers wait less",
    }
    response = client.post(reverse("performance:standard-new"), data)
    new = ServiceStandard.objects.get(metric=Metric.ASA, queue=queue)
    assert response.status_code == 302 and response.url == reverse("performance:standard", args=[new.pk])
    assert (new.target, new.warning, new.changed_by) == (Decimal(20), Decimal(45), manager)
    page = client.get(response.url)
    assert "Claims line" in page.content.decode() and "Claims callers wait less" in page.content.decode()


def test_a_bad_standard_comes_back_with_the_field_error_and_nothing_saved(client, manager):
    before = ServiceStandard.objects.count()
    data = {"metric": Metric.SERVICE_LEVEL, "target": "80", "warning": "90", "effective_from": "2026-07-01"}
    response = client.post(reverse("performance:standard-new"), data)
    assert response.status_code == 400
    assert "the warning must be at or below the target" in response.content.decode()
    assert ServiceStandard.objects.count() == before


def test_changing_a_target_keeps_the_old_one_in_the_history(client, manager):
    seeded = ServiceStandard.objects.get(metric=Metric.FCR, effective_to=None, queue=None)
    url = reverse("performance:standard-change", args=[seeded.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"target": "75", "warning": "65", "effective_from": "2026-08-01"})
    new = ServiceStandard.objects.get(replaces=seeded)
    assert response.url == reverse("performance:standard", args=[new.pk])
    page = client.get(response.url).content.decode()
    assert f'data-testid="history-{seeded.pk}"' in page and f'data-testid="history-{new.pk}"' in page
    assert "31/07/2026" in page  # the seeded one's last day
    # The ended one can no longer be changed.
    assert client.get(url).status_code == 302


def test_ending_a_standard_from_its_page(client, manager):
    own = standard(Metric.SERVICE_LEVEL, 90, 85, queue=QueueFactory(), effective_from=date(2026, 1, 1))
    url = reverse("performance:standard-retire", args=[own.pk])
    refused = client.post(url, {"last_day": "2025-12-01"})
    assert refused.status_code == 400 and "cannot end before" in refused.content.decode()
    assert client.post(url, {"last_day": "2026-03-31"}).status_code == 302
    own.refresh_from_db()
    assert own.effective_to == date(2026, 3, 31)


def test_the_list_query_count_does_not_grow_with_standards(client, manager):
    client.get(reverse("performance:standards"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("performance:standards"))
    queue = QueueFactory()
    for metric, target, warning in [(Metric.SERVICE_LEVEL, 85, 75), (Metric.ASA, 20, 40), (Metric.FCR, 75, 65)]:
        standard(metric, target, warning, queue=queue)
    client.get(reverse("performance:standards"))
    with CaptureQueriesContext(connection) as one_more_scope:
        client.get(reverse("performance:standards"))
    site = SiteFactory()
    standard(Metric.CSAT, 85, 75, queue=queue)
    standard(Metric.NPS, 40, 20, queue=queue)
    with CaptureQueriesContext(connection) as more_in_that_scope:
        client.get(reverse("performance:standards"))
    assert len(more_in_that_scope.captured_queries) == len(one_more_scope.captured_queries)
    assert len(one_more_scope.captured_queries) > len(few.captured_queries)  # one scope's KPIs
    assert site.pk


def test_the_history_page_query_count_does_not_grow_with_changes(client, manager):
    first = standard(Metric.ASA, 40, 60, queue=QueueFactory(), effective_from=date(2026, 1, 1))
    url = reverse("performance:standard", args=[first.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for month in (2, 3, 4, 5):
        standard(Metric.ASA, 40 - month, 60, queue=first.queue, effective_from=date(2026, month, 1), by=manager)
    with CaptureQueriesContext(connection) as five:
        client.get(url)
    assert len(five.captured_queries) == len(one.captured_queries)


def test_the_promises_page_shows_each_plans_promises(client, manager):
    plan = PlanFactory(name="Premier", tier="premier")
    ServicePromise.objects.create(
        plan=plan, metric=PromiseMetric.CALL_ANSWERED_SECONDS, target=20, wording="Calls answered within 20 seconds"
    )
    response = client.get(reverse("performance:promises"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Calls answered within 20 seconds" in html and "Nothing to measure in this period" in html


def test_the_promises_page_refuses_a_period_too_long_for_the_calls(client, manager):
    end = timezone.localdate()
    start = end - timedelta(days=200)
    response = client.get(reverse("performance:promises"), {"start": start.isoformat(), "end": end.isoformat()})
    assert response.status_code == 400
    assert "Choose at most 92 days." in response.content.decode()


def test_the_sites_page_compares_the_active_sites(client, manager):
    a, b = SiteFactory(code="aa-site", name="Aa"), SiteFactory(code="bb-site", name="Bb")
    today = timezone.localdate()
    DailyRollup.objects.create(day=today, site=a, offered=10, answered=10, answered_in_threshold=10)
    DailyRollup.objects.create(day=today, site=b, offered=10, answered=10, answered_in_threshold=5)
    months_rollup([today])
    response = client.get(reverse("performance:sites"))
    html = response.content.decode()
    row = html[html.index('data-testid="metric-service_level"') :]
    row = row[: row.index("</tr>")]
    assert "100.0%" in row and "50.0%" in row and "50.0%" in row[row.index('data-testid="spread"') :]
    assert '<span class="text-danger">Bb</span>' in row
    assert 'data-testid="abandoned-without-site"' not in html  # none in the period


def test_the_sites_page_says_how_many_abandoned_calls_count_for_no_site(client, manager):
    site = SiteFactory(code="aa-site", name="Aa")
    today = timezone.localdate()
    DailyRollup.objects.create(day=today, site=site, offered=10, answered=8, abandoned=2)
    DailyRollup.objects.create(day=today, site=None, offered=3, abandoned=3)
    months_rollup([today])
    html = client.get(reverse("performance:sites")).content.decode()
    note = html[html.index('data-testid="abandoned-without-site"') :]
    assert "3 calls abandoned in the period on queues several sites share" in note[: note.index("</p>")]
    client.cookies["django_language"] = "ar"
    arabic = client.get(reverse("performance:sites")).content.decode()
    assert 'data-testid="abandoned-without-site"' in arabic and "queues several sites share" not in arabic
