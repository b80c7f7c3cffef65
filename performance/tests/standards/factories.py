"""Standards for the tests. The data migration seeds a standard for every queue, site and tier on
most measures (in force since 2020-01-01); `standard()` goes through the service, so a standard for
the same measure and scope replaces the one in force, as in the app."""

from datetime import date
from decimal import Decimal

from performance.models import ServiceStandard
from performance.services.standards import standard_set


def standard(
    metric: str,
    target,
    warning,
    *,
    effective_from: date = date(2021, 1, 1),
    by=None,
    **scope,
) -> ServiceStandard:
    return standard_set(
        metric=metric,
        target=Decimal(str(target)),
        warning=Decimal(str(warning)),
        effective_from=effective_from,
        by=by,
        **scope,
    )


def no_standards() -> None:
    """Start from nothing (the seeded defaults removed), for tests about fallbacks and coverage."""
    ServiceStandard.objects.update(replaces=None)
    ServiceStandard.objects.all().delete()
