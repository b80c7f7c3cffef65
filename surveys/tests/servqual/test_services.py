"""Inviting a SERVQUAL panel: who may be invited (consent, deceased, bereaved, a way to reach them,
the N-day rule), how many, which plan tier or kind of cover, and the audit trail."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from claims.tests.factories import CustomerFactory, PhoneFactory, covered_member, standard_plan
from contactcentre.exceptions import DomainError
from contactcentre.models import AuditEvent
from customers.models import CorporateAccount
from surveys.models import Invitation, SurveyKind
from surveys.services import servqual as services
from surveys.tests.factories import make_invitation, make_survey

pytestmark = pytest.mark.django_db


def member(**kwargs):
    return CustomerFactory(**{"consent_research": True, "email": "member@example.net", **kwargs})


def invite(centre, size=10, **kwargs):
    return services.servqual_invite_panel_explained(actor=centre.manager, survey=centre.survey, size=size, **kwargs)


def invited_members():
    return set(Invitation.objects.values_list("customer_id", flat=True))


def invited_at(customer, survey, days_ago):
    invitation, _token = make_invitation(survey=survey, customer=customer)
    Invitation.objects.filter(pk=invitation.pk).update(created_at=timezone.now() - timedelta(days=days_ago))


def test_the_panel_honours_consent_death_bereavement_reachability_and_the_n_day_rule(centre, settings):
    settings.SURVEY_INTERVAL_DAYS = 30
    post_contact = make_survey(SurveyKind.POST_CONTACT)
    by_email = member()
    by_text = member(email="", consent_sms=True)
    PhoneFactory(customer=by_text, kind="mobile", number="+447700900201")
    invited_long_ago = member()
    invited_at(invited_long_ago, post_contact, days_ago=31)
    member(consent_research=False)
    member(status="deceased")
    member(is_vulnerable=True, vulnerability_category="bereavement")
    member(email="")  # no address, no consent to texts
    no_mobile = member(email="", consent_sms=True)
    PhoneFactory(customer=no_mobile, kind="home", number="+441784000001")
    recently = member()
    invited_at(recently, post_contact, days_ago=29)  # any survey counts

    outcome = invite(centre, size=10)

    assert outcome.invited == 3
    new = Invitation.objects.filter(survey=centre.survey)
    assert {i.customer_id: i.channel for i in new} == {
        by_email.pk: "email", by_text.pk: "sms", invited_long_ago.pk: "email",
    }  # fmt: skip
    assert all(i.contact_id is None for i in new)
    pool = outcome.pool
    assert (pool.in_group, pool.no_consent, pool.deceased, pool.bereaved) == (9, 1, 1, 1)
    assert (pool.no_channel, pool.recently_invited, pool.eligible) == (2, 1, 3)


def test_the_panel_draws_as_many_as_asked_at_random_and_never_the_same_member_twice(centre):
    members = {member().pk for _ in range(5)}
    assert services.servqual_invite_panel(actor=centre.manager, survey=centre.survey, size=2) == 2
    first = invited_members()
    assert len(first) == 2 and first <= members
    # A second panel straight away: the first two were invited within the interval.
    assert services.servqual_invite_panel(actor=centre.manager, survey=centre.survey, size=5) == 3
    assert invited_members() == members
    assert Invitation.objects.count() == 5


def test_the_panel_keeps_to_the_plan_tier_and_kind_of_cover_asked(centre):
    start = timezone.localdate() - timedelta(days=100)
    premier = standard_plan(tier="premier")
    individual_premier = covered_member(plan=premier, start=start, consent_research=True, email="a@example.net")
    company = CorporateAccount.objects.create(account_number="C1", name="Acme", plan=premier)
    corporate_premier = covered_member(plan=premier, start=start, consent_research=True, email="b@example.net")
    corporate_premier.policy.holder, corporate_premier.policy.corporate_account = None, company
    corporate_premier.policy.save(update_fields=["holder", "corporate_account"])
    covered_member(start=start, consent_research=True, email="c@example.net")  # standard
    lapsed = covered_member(plan=premier, start=date(2020, 1, 1), consent_research=True, email="d@example.net")

    assert invite(centre, plan_tier="premier", corporate=True).invited == 1
    assert invited_members() == {corporate_premier.customer_id}
    outcome = invite(centre, plan_tier="premier")
    assert outcome.invited == 1 and outcome.pool.in_group == 2  # the lapsed member's cover ended in 2021
    assert invited_members() == {corporate_premier.customer_id, individual_premier.customer_id}
    assert lapsed.customer_id not in invited_members()


def test_fewer_members_than_asked_says_so_and_is_audited(centre):
    member()
    outcome = invite(centre, size=4)
    assert (outcome.asked, outcome.invited, outcome.pool.eligible) == (4, 1, 1)
    event = AuditEvent.objects.get(object_id=str(centre.survey.pk), summary__startswith="SERVQUAL panel")
    assert event.actor == centre.manager
    assert event.detail["asked"] == 4 and event.detail["invited"] == 1
    assert event.summary == "SERVQUAL panel: 1 of 4 members invited"


@pytest.mark.parametrize(
    ("change", "field"),
    [({"size": 0}, "size"), ({"size": 1001}, "size"), ({"plan_tier": "gold"}, "plan_tier"), ({"post": True}, "survey")],
)
def test_a_panel_needs_an_active_servqual_survey_and_a_sensible_size(centre, change, field):
    member()
    change = dict(change)
    survey = make_survey(SurveyKind.POST_CONTACT) if change.pop("post", False) else centre.survey
    arguments = {"actor": centre.manager, "survey": survey, "size": 3} | change
    with pytest.raises(DomainError) as error:
        services.servqual_invite_panel(**arguments)
    assert field in error.value.fields
    assert not Invitation.objects.exists()


def test_an_inactive_servqual_survey_invites_nobody(centre):
    member()
    centre.survey.is_active = False
    centre.survey.save(update_fields=["is_active"])
    with pytest.raises(DomainError):
        invite(centre)
    assert not Invitation.objects.exists()
