"""Fixed data for the five-gap page and the wallboard: two sites, service standards set by hand
(the seeded defaults removed, so each test says which apply), and rollup rows with round figures."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from calls.tests.factories import QueueFactory
from performance.models import DailyRollup, Metric, ServiceStandard
from performance.services.rollups_monthly import months_rollup
from staff.roles import Role
from staff.tests.factories import SiteFactory

FROM = date(2020, 1, 1)


def standard(metric: str, target, warning, **scope) -> ServiceStandard:
    return ServiceStandard.objects.create(
        metric=metric, target=Decimal(str(target)), warning=Decimal(str(warning)), effective_from=FROM, **scope
    )


def day_rollup(day: date, site, queue=None, **sums) -> DailyRollup:
    """A day's sums at a site; `offered` is answered + abandoned unless given."""
    sums.setdefault("offered", sums.get("answered", 0) + sums.get("abandoned", 0))
    sums.setdefault("contacts", sums["offered"])
    row = DailyRollup.objects.create(day=day, site=site, queue=queue, **sums)
    months_rollup([day])
    return row


@pytest.fixture
def no_standards(db):
    ServiceStandard.objects.update(replaces=None)
    ServiceStandard.objects.all().delete()


@pytest.fixture
def centre(user_factory, no_standards):
    staines, manchester = SiteFactory(code="staines", name="Staines"), SiteFactory(code="manchester", name="Manchester")
    return SimpleNamespace(
        staines=staines,
        manchester=manchester,
        queue=QueueFactory(code="claims", name="Claims"),
        manager=user_factory(role=Role.MANAGER, site=staines),
        leader=user_factory(role=Role.TEAM_LEADER, site=manchester),
    )


@pytest.fixture
def telephony_standards(centre):
    """SL 80 (warning 70), abandonment 5 (warning 8), ASA 20 s (warning 30) across the organisation;
    Manchester's own service level standard is 60 (warning 50)."""
    return [
        standard(Metric.SERVICE_LEVEL, 80, 70),
        standard(Metric.ABANDONMENT_RATE, 5, 8),
        standard(Metric.ASA, 20, 30),
        standard(Metric.SERVICE_LEVEL, 60, 50, site=centre.manchester),
    ]
