"""Rebuild the KPI rollups from the raw contacts and agent states (the same code that keeps them
up to date, so the numbers are identical)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from performance.services.rollups import rollups_rebuild


class Command(BaseCommand):
    help = "Rebuild the KPI rollups from raw contacts and agent states, day by day."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", help="First day (YYYY-MM-DD); default: the earliest data.")
        parser.add_argument("--to", dest="last", help="Last day (YYYY-MM-DD), included; default: today.")

    def handle(self, *args, first=None, last=None, verbosity=1, **options):
        try:
            first_day = date.fromisoformat(first) if first else None
            last_day = date.fromisoformat(last) if last else None
        except ValueError as error:
            raise CommandError(f"Dates are YYYY-MM-DD: {error}") from error
        if first_day and last_day and last_day < first_day:
            raise CommandError("--to is before --from.")

        def progress(day: date, done: int, total: int) -> None:
            if verbosity >= 1 and (done == total or done % 30 == 0):
                self.stdout.write(f"{done}/{total} days ({day})")

        days = rollups_rebuild(first=first_day, last=last_day, progress=progress)
        self.stdout.write(self.style.SUCCESS(f"Rebuilt the rollups of {days} days."))
