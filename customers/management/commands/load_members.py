"""Load members at scale (PostgreSQL COPY) for capacity tests: 2.3 million, the case study's insurer."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from claims.demo import seed_plans_and_providers
from customers.bulk import load_members
from customers.models import Customer


class Command(BaseCommand):
    help = "Bulk-load members with phones, policies and memberships (PostgreSQL only), then analyse."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=2_300_000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--chunk", type=int, default=100_000)

    def handle(self, *args, count: int, seed: int, chunk: int, **options):
        if connection.vendor != "postgresql":
            raise CommandError("load_members needs PostgreSQL (it uses COPY): set DATABASE_URL.")
        if count < 1:
            raise CommandError("--count must be at least 1.")
        if Customer.objects.exists():
            raise CommandError("The database already has members: load into an empty one.")
        started = time.monotonic()
        plans, _providers = seed_plans_and_providers()

        def progress(counts):
            rate = counts.customers / max(time.monotonic() - started, 0.001)
            self.stdout.write(f"  {counts.customers:>10,} / {count:,} members ({rate:,.0f}/s)")

        with transaction.atomic():
            counts = load_members(
                count=count, seed=seed, plan_ids=[p.pk for p in plans.values()], chunk=chunk, on_progress=progress
            )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE customers_customer, customers_customerphone, claims_policy, claims_policymember")
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {counts.customers:,} members, {counts.phones:,} phones, {counts.policies:,} policies in "
                f"{time.monotonic() - started:,.0f} s."
            )
        )
