import factory

from staff.models import Site, Team, User
from staff.roles import Role
from staff.services import user_create

PASSWORD = "correct-horse-battery"


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"site{n}")
    name = factory.LazyAttribute(lambda o: o.code.title())


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    site = factory.SubFactory(SiteFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    """A person in one role (`role=`, default agent), made by the same service as real accounts
    (staff.services.user_create); the role groups must exist (the `roles` fixture)."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    site = factory.SubFactory(SiteFactory)
    password = PASSWORD
    role = Role.AGENT

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return user_create(**kwargs)
