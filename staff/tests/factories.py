import factory
from django.contrib.auth.models import Group

from staff.models import Site, Team, User
from staff.roles import Role

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
    """A person in one role (`role=`, default agent); the role groups must exist (the `roles` fixture)."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    site = factory.SubFactory(SiteFactory)
    password = factory.django.Password(PASSWORD)
    role = Role.AGENT

    @classmethod
    def _create(cls, model_class, *args, role=Role.AGENT, **kwargs):
        kwargs.setdefault("is_staff", role == Role.ADMINISTRATOR)  # as staff.services.user_create does
        user = super()._create(model_class, *args, **kwargs)
        user.groups.add(Group.objects.get(name=role))
        return user
