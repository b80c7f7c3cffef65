"""The monthly rollups: a month's daily rollup rows summed by the same keys (models.rollups.MONTHLY),
rebuilt whole from them whenever a day of the month is rebuilt (`services.rollups` calls
`months_rollup` after its days), so that they can never differ from the days they sum."""

from collections.abc import Iterable, Sequence
from datetime import date

from django.db import connection, models, transaction
from django.db.models import Sum

from ..models.rollups import MONTHLY
from ..rules.rollups import month_last, month_of

_LOCK_NAMESPACE = 7008  # pg_advisory_xact_lock(namespace, month): one rebuild of a month at a time
# (daily model, monthly model, the keys both share): the running models, or a migration's.
Pairs = Sequence[tuple[type[models.Model], type[models.Model], Sequence[str]]]


def summed_fields(monthly: type[models.Model], keys: Sequence[str]) -> list[str]:
    """The columns a monthly model sums: all but its id, month and keys."""
    return [f.attname for f in monthly._meta.concrete_fields if f.attname not in {"id", "month", *keys}]


def months_rollup(days: Iterable[date], *, pairs: Pairs | None = None) -> int:
    """Rebuild the monthly rows of the months holding these days from their daily rows, a month per
    transaction; returns how many months."""
    if pairs is None:
        pairs = [(daily, monthly, keys) for daily, (monthly, keys) in MONTHLY.items()]
    months = sorted({month_of(day) for day in days})
    for month in months:
        last = month_last(month)
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, month.toordinal()])
            for daily, monthly, keys in pairs:
                sums = summed_fields(monthly, keys)
                monthly.objects.filter(month=month).delete()
                rows = (
                    daily.objects.filter(day__gte=month, day__lte=last)
                    .values(*keys)
                    .annotate(**{name: Sum(name) for name in sums})
                    .order_by()
                )
                monthly.objects.bulk_create((monthly(month=month, **row) for row in rows), batch_size=2000)
    return len(months)


__all__ = ["months_rollup", "summed_fields"]
