"""Load past calls at scale (PostgreSQL COPY) for capacity tests: 10 million over two years."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from calls.bulk import contact_centre_ensure, load_contacts
from calls.models import Contact
from customers.models import Customer


class Command(BaseCommand):
    help = "Bulk-load closed and abandoned calls from members' and other numbers (PostgreSQL only), then analyse."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=10_000_000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--chunk", type=int, default=100_000)
        parser.add_argument("--years", type=int, default=2)
        parser.add_argument("--agents", type=int, default=240, help="agents to create if fewer have extensions")

    def handle(self, *args, count: int, seed: int, chunk: int, years: int, agents: int, **options):
        if connection.vendor != "postgresql":
            raise CommandError("load_contacts needs PostgreSQL (it uses COPY): set DATABASE_URL.")
        if count < 1 or years < 1:
            raise CommandError("--count and --years must be at least 1.")
        if Contact.objects.exists():
            raise CommandError("The database already has contacts: load into a database without any.")
        if not Customer.objects.exists():
            raise CommandError("No members to call from: run load_members first.")
        started = time.monotonic()
        centre = contact_centre_ensure(agents=agents)

        def progress(step, counts):
            elapsed = time.monotonic() - started
            if step == "copied":
                rate = counts.contacts / max(elapsed, 0.001)
                self.stdout.write(f"  {counts.contacts:>11,} / {count:,} contacts ({rate:,.0f}/s)")
            else:
                self.stdout.write(f"  {step} at {elapsed:,.0f} s")

        counts = load_contacts(count=count, seed=seed, centre=centre, years=years, chunk=chunk, on_progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {counts.contacts:,} contacts ({counts.linked:,} from members, {counts.unknown_numbers:,} "
                f"from other numbers, {counts.abandoned:,} abandoned) in {time.monotonic() - started:,.0f} s."
            )
        )
