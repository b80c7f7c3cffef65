"""Seed the default service standards: the recognised benchmarks (performance/rules/standards.py,
BENCHMARKS' `common` figures), for every queue, site and tier, in force from 2020-01-01 so that
history has a standard to be judged against. Managers change them in the app; a change ends the
seeded one and keeps it in the history. Values are written out here, not imported: a migration must
not change when the rules module does."""

import datetime
from decimal import Decimal

from django.db import migrations

SEED_NOTE = "Recognised benchmark (seeded default)"
SEED_FROM = datetime.date(2020, 1, 1)

# metric: (target, warning)
DEFAULTS = {
    "service_level": ("80", "70"),
    "abandonment_rate": ("5", "8"),
    "asa_seconds": ("30", "60"),
    "fcr": ("70", "60"),
    "transfer_rate": ("10", "15"),
    "occupancy": ("80", "70"),
    "csat": ("80", "70"),
    "nps": ("30", "10"),
    "ces": ("5", "4.5"),
    "complaints_3_days": ("60", "50"),
    "complaints_8_weeks": ("100", "95"),
    "claim_turnaround_days": ("5", "10"),
    "callbacks_on_time": ("90", "80"),
}


def _everything(ServiceStandard):
    return ServiceStandard.objects.filter(
        queue__isnull=True, site__isnull=True, plan_tier="", corporate_account__isnull=True
    )


def seed(apps, schema_editor):
    ServiceStandard = apps.get_model("performance", "ServiceStandard")
    present = set(_everything(ServiceStandard).filter(effective_to__isnull=True).values_list("metric", flat=True))
    ServiceStandard.objects.bulk_create(
        [
            ServiceStandard(
                metric=metric,
                target=Decimal(target),
                warning=Decimal(warning),
                effective_from=SEED_FROM,
                note=SEED_NOTE,
            )
            for metric, (target, warning) in DEFAULTS.items()
            if metric not in present
        ]
    )


def unseed(apps, schema_editor):
    ServiceStandard = apps.get_model("performance", "ServiceStandard")
    _everything(ServiceStandard).filter(
        note=SEED_NOTE, effective_from=SEED_FROM, effective_to__isnull=True, changed_by__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("performance", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
