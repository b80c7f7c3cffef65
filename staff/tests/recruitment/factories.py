"""Factories for recruitment: a vacancy (with a job whose person specification is scored at the
telephone screening and the assessment centre) and applications to it."""

import factory
from django.utils import timezone

from staff.models import Application, PersonSpecItem, Vacancy
from staff.models.jobs import Assessment
from staff.tests.factories import CompetencyFactory, JobRoleFactory, SiteFactory


class VacancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vacancy

    reference = factory.Sequence(lambda n: f"V-2026-{n + 1:04d}")
    job_role = factory.SubFactory(JobRoleFactory)
    site = factory.SubFactory(SiteFactory, code="staines", name="Staines")
    posts = 1
    opened_on = factory.LazyFunction(timezone.localdate)


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application in `applied` (move it with the service to give it a history)."""

    class Meta:
        model = Application

    vacancy = factory.SubFactory(VacancyFactory)
    full_name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"candidate{n}@example.net")
    phone = "07700 900123"
    cover_note = "I have worked on a busy helpdesk for three years."


def person_specification(job_role, spec=None) -> dict[str, object]:
    """Give `job_role` a person specification: {code: competency}. The default: empathy at the
    telephone screening and the competency interview, written English at the email exercise."""
    spec = spec or [
        ("empathy", Assessment.TELEPHONE_SCREENING),
        ("empathy", Assessment.COMPETENCY_INTERVIEW),
        ("written-english", Assessment.EMAIL_EXERCISE),
    ]
    competencies = {}
    for code, exercise in spec:
        competency = competencies.get(code) or CompetencyFactory(code=code, name=code.replace("-", " ").title())
        competencies[code] = competency
        PersonSpecItem.objects.get_or_create(job_role=job_role, competency=competency, assessed_by=exercise)
    return competencies
