"""Build a coherent demo data set. Each app contributes its part through its own demo.py."""

import random

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from calls.demo import seed_agents, seed_contacts, seed_queues_and_reasons
from claims.demo import seed_claims, seed_plans_and_providers
from customers.demo import CLAIMS, seed_members
from customers.models import Customer
from performance.demo import seed_performance
from staff.demo import DEMO_DOMAIN, SCALES, seed_people
from staff.demo.appraisal import seed_appraisal
from staff.demo.employees import seed_employees
from staff.demo.quality import seed_quality
from staff.demo.recruitment import seed_recruitment
from staff.demo.training import seed_training
from staff.models import User
from staff.services import api_token_create
from surveys.demo import seed_surveys

CONTACTS = {"small": 400, "medium": 4_000, "large": 20_000}


class Command(BaseCommand):
    help = "Create demo data (sites, teams, staff in every role, demo logins). Deterministic for a given --seed."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when the database already has users.")
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even with DEBUG off (demo accounts have published passwords: never on a live system).",
        )

    def handle(self, *args, scale: str, seed: int, if_empty: bool, allow_production: bool, **options):
        if User.objects.exists():
            if if_empty:
                self.stdout.write("The database already has data; demo data not seeded.")
                return
            raise CommandError("The database already has users. Seed an empty database (or use --if-empty).")
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "DEBUG is off: refusing to create demo accounts with published passwords. "
                "Pass --allow-production if this really is a demo system."
            )
        rng = random.Random(seed)  # noqa: S311 - demo data must be reproducible, not secret
        today = timezone.localdate()
        with transaction.atomic():
            people = seed_people(rng=rng, scale=scale)
            token = api_token_create(client=people.api_client)
            plans, providers = seed_plans_and_providers()
            members = seed_members(rng=rng, scale=scale, plans=plans, today=today)
            claims = seed_claims(
                rng=rng,
                members=members,
                providers=providers,
                today=today,
                count=CLAIMS[scale],
                actor=User.objects.get(email=f"agent@{DEMO_DOMAIN}"),
                assessor=User.objects.get(email=f"assessor@{DEMO_DOMAIN}"),
            )
            queues = seed_queues_and_reasons()
            agents = seed_agents()
            contacts = seed_contacts(rng=rng, agents=agents, count=CONTACTS[scale])
            # The people side: employment records and job descriptions first (the others need them).
            seed_employees(rng=rng, people=people)
            seed_training(rng=rng, people=people)
            seed_recruitment(rng=rng, people=people)
            seed_appraisal(rng=rng, people=people)
            seed_quality(rng=rng, people=people)
            surveys = seed_surveys(rng=rng, sites=people.sites)
            # Last: months of history written in bulk, then the KPI rollups rebuilt from everything.
            performance = seed_performance(rng=rng, scale=scale, today=today, agents=agents)
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded the {scale} demo (seed {seed}): {len(people.sites)} sites, {len(people.teams)} teams, "
                f"{people.staff_count} staff, {len(plans)} plans, {len(providers)} providers, "
                f"{Customer.objects.count()} members, {claims} claims, {len(queues)} queues, {contacts} calls "
                f"(+{performance.contacts} of history, {performance.rollup_days} days of KPI rollups), "
                f"{surveys.responses} survey responses, {surveys.servqual} SERVQUAL responses."
            )
        )
        call_command("demo_logins", stdout=self.stdout)
        self.stdout.write(f"  API token for {people.api_client.email} (shown once): {token.clear_token}")
