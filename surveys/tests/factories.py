"""Factories for the surveys app. Surveys are made through the service (with the kind's standard
questions) so that every test answers the questions the product asks."""

from datetime import timedelta

import factory
from django.utils import timezone

from calls.tests.factories import ContactFactory
from claims.tests.factories import CustomerFactory
from staff.tests.factories import TeamFactory, UserFactory
from surveys.models import Invitation, InvitationChannel, Survey, SurveyKind, Theme
from surveys.rules.tokens import token_new
from surveys.services.definitions import survey_create


def make_survey(kind: str = SurveyKind.POST_CONTACT, code: str | None = None, **kwargs) -> Survey:
    code = code or f"{kind.replace('_', '-')}-{Survey.objects.count() + 1}"
    return survey_create(actor=None, code=code, name=kwargs.pop("name", code.title()), kind=kind, **kwargs)


def handled_contact(*, leader=None, **kwargs):
    """A closed, wrapped-up call answered by an agent of a team (led by `leader`, or a new team leader),
    from a member who consents to surveys (unless `customer` is given)."""
    team = kwargs.pop("team", None) or TeamFactory(leader=leader or UserFactory(role="team_leader"))
    agent = kwargs.pop("agent", None) or UserFactory(role="agent", team=team, site=team.site)
    defaults = {"agent": agent, "site": agent.site, "outcome": "information_given", "wrapped_up_at": timezone.now()}
    if "customer" not in kwargs:
        defaults["customer"] = CustomerFactory(consent_research=True)  # who may be asked at all
    return ContactFactory(**{**defaults, **kwargs})


def make_invitation(*, survey: Survey, contact=None, customer=None, expired: bool = False, **kwargs):
    """(invitation, token): an invitation as the sweep would send it, with its link's token; `expired`
    dates it eight days back, a day past its expiry."""
    token, digest, salt = token_new()
    customer = customer or contact.customer
    invitation = Invitation.objects.create(
        survey=survey,
        customer=customer,
        contact=contact,
        channel=kwargs.pop("channel", InvitationChannel.EMAIL),
        language=kwargs.pop("language", customer.preferred_language),
        token_salt=salt,
        token_hash=digest,
        expires_at=timezone.now() + timedelta(days=7),
        **kwargs,
    )
    if expired:
        created = timezone.now() - timedelta(days=8)
        Invitation.objects.filter(pk=invitation.pk).update(created_at=created, expires_at=created + timedelta(days=7))
        invitation.refresh_from_db()
    return invitation, token


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"theme-{n}")
    name = factory.Sequence(lambda n: f"Theme {n}")
