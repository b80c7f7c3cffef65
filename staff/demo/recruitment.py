"""Demo recruitment: vacancies at Staines and Manchester with candidates in every stage, moved there
through the real services (so every move has its stage change, and the metrics have a history),
assessment scores and interviewers' notes, one filled vacancy with its hire, and an old vacancy whose
candidates are past the retention period and anonymised. Deterministic for a given generator."""

import random
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from ..models import PersonSpecItem, Source, Stage, Team, User
from ..roles import Role
from ..rules import recruitment as rules
from ..selectors.recruitment import SCORED_EXERCISES
from ..services import recruitment as services
from . import DEMO_DOMAIN, FIRST, LAST
from .employees import seed_job_roles

PATHS = {
    stage: list(rules.PIPELINE[1 : rules.PIPELINE.index(stage) + 1])
    for stage in rules.PIPELINE
}  # fmt: skip
PATHS[Stage.DECLINED] = [*PATHS[Stage.OFFER], Stage.DECLINED]
CLOSED_EARLY = {
    Stage.REJECTED: (Stage.TELEPHONE_SCREENING, "Did not meet the essential criteria at the telephone screening."),
    Stage.WITHDRAWN: (Stage.ASSESSMENT_CENTRE, "Accepted a job elsewhere."),
}
COVER_NOTES = [
    "Five years in retail customer service.",
    "Looking for a career helping people with their health.",
    "Worked at a GP surgery's reception.",
    "Returning to work after raising my family.",
]
NOTES = [
    "Warm and clear on the phone; asked good questions about the shift pattern.",
    "Calmed the role-play caller well but missed checking the waiting period.",
    "Strong email: plain words, answered every question the member asked.",
    "Sat with the claims team; picked up the system quickly and asked to come back.",
]


def _stages_for(count: int, rng: random.Random) -> list[str]:
    """Every stage at least once (given enough candidates), the early ones more often (a funnel)."""
    weights = [6, 5, 4, 3, 2, 1, 0, 1, 3, 1]  # one hire per vacancy is plenty
    stages = list(rules.STAGE_ORDER)
    return (stages + rng.choices(stages, weights=weights, k=max(0, count - len(stages))))[:count]


def _walk(application, stage: str, hr: User, applied_at, rng: random.Random, number: str) -> None:
    """Move the application to `stage`, a few days per step, scoring and noting as it goes."""
    when = applied_at
    if stage in CLOSED_EARLY:
        before, _reason = CLOSED_EARLY[stage]
        path = [*PATHS[before], stage]
    else:
        path = PATHS[stage]
    spec = list(
        PersonSpecItem.objects.filter(
            job_role_id=application.vacancy.job_role_id, assessed_by__in=SCORED_EXERCISES
        ).select_related("competency")
    )
    for step in path:
        when += timedelta(days=rng.randint(1, 4), hours=rng.randint(0, 6))
        if step == Stage.HIRED:
            start = timezone.localdate(when) + timedelta(days=28)
            hired = services.application_hire(
                application_id=application.pk,
                actor=hr,
                employee_number=number,
                start_date=start,
                contract_hours=Decimal("37.5"),
                team=Team.objects.filter(site_id=application.vacancy.site_id).order_by("pk").first(),
                now=when,
            )
            # Their account dates from their first day, not from the moment the demo ran (so the
            # same seed builds the same people, whenever it runs on a day).
            user = hired.employee.user
            user.date_joined = datetime.combine(start, time(9), tzinfo=UTC)
            user.save(update_fields=["date_joined"])
            continue
        services.application_move(
            application_id=application.pk,
            target=step,
            actor=hr,
            reason=CLOSED_EARLY[stage][1] if step == stage and stage in CLOSED_EARLY else "",
            now=when,
        )
        if step in (Stage.ASSESSMENT_CENTRE, Stage.CENTRE_VISIT):
            for item in spec:
                services.score_record(
                    application_id=application.pk,
                    competency=item.competency,
                    exercise=item.assessed_by,
                    score=rng.randint(2, 5),
                    assessor=hr,
                    evidence=rng.choice(NOTES),
                    now=when,
                )
            services.note_add(application_id=application.pk, author=hr, text=rng.choice(NOTES))


def seed_recruitment(*, rng: random.Random, people) -> None:
    """A few vacancies per site (people.sites: Staines and Manchester) with their candidates."""
    jobs = seed_job_roles()
    hr = User.objects.get(email=f"hr@{DEMO_DOMAIN}")
    now = timezone.now()
    sites = {site.code: site for site in people.sites}
    plans = [
        # (site, job's access role, posts, opened days ago, applicants, closed)
        ("staines", Role.AGENT, 4, 40, 14, False),
        ("manchester", Role.AGENT, 3, 30, 10, False),
        ("staines", Role.NURSE, 1, 55, 10, False),
        ("manchester", Role.TEAM_LEADER, 1, 70, 4, False),
        ("staines", Role.AGENT, 2, 400, 4, True),  # long closed: its candidates are anonymised
    ]
    hired = 0
    for plan_number, (site_code, role, posts, days_ago, applicants, closed) in enumerate(plans):
        opened = now - timedelta(days=days_ago)
        vacancy = services.vacancy_create(
            actor=hr,
            job_role=jobs[role],
            site=sites[site_code],
            posts=posts,
            opened_on=timezone.localdate(opened),
            description=f"{jobs[role].title} at {sites[site_code].name}: {jobs[role].purpose}",
        )
        stages = (
            [rng.choice([Stage.REJECTED, Stage.WITHDRAWN, Stage.DECLINED]) for _ in range(applicants)]
            if closed
            else _stages_for(applicants, rng)
        )
        # Every application first (a hire may fill the vacancy), then their moves.
        applications = []
        for n, stage in enumerate(stages):
            applied_at = opened + timedelta(days=rng.randint(0, 5), hours=rng.randint(8, 18))
            first, last = rng.choice(FIRST), rng.choice(LAST)
            application = services.application_create(
                vacancy=vacancy,
                full_name=f"{first} {last}",
                email=f"{first}.{last}.{plan_number}.{n}@candidates.example".lower(),
                phone=f"07700 9{rng.randint(0, 99999):05d}",
                cover_note=rng.choice(COVER_NOTES),
                source=rng.choice(Source.values),
                actor=None if n % 2 else hr,
                now=applied_at,
            )
            applications.append((application, stage, applied_at))
        for application, stage, applied_at in applications:
            hired += stage == Stage.HIRED
            _walk(application, stage, hr, applied_at, rng, number=f"R{hired:05d}")
        if closed:
            services.vacancy_close(vacancy_id=vacancy.pk, actor=hr)
    services.applications_anonymise(now=now)
