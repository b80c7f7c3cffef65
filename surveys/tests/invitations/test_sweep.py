"""The post-contact sweep: the sampling rules applied to closed contacts on fixed dates, one decision
per contact however often the sweep runs."""

from datetime import timedelta
from decimal import Decimal

import pytest

from calls.models import ReasonCode
from calls.tests.factories import ComplaintFactory, QueueFactory
from claims.tests.factories import PhoneFactory
from surveys.models import Invitation, SamplingDecision, SamplingRule
from surveys.services.invitations import invitations_sweep

from ..factories import make_invitation, make_survey
from .helpers import NOW, closed_contact, member, mobile_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(roles):
    return make_survey(code="after-call")


@pytest.fixture
def default_rule(survey):
    return SamplingRule.objects.create(queue=None, survey=survey, percentage=Decimal(100))


def decision(contact) -> SamplingDecision:
    return SamplingDecision.objects.select_related("invitation").get(contact=contact)


def test_a_consenting_member_is_invited_by_email_in_their_language_to_the_rules_survey(default_rule, survey):
    contact = closed_contact(customer=member(preferred_language="ar"))
    assert invitations_sweep(now=NOW) == 1
    invitation = decision(contact).invitation
    assert (invitation.survey, invitation.customer, invitation.contact) == (survey, contact.customer, contact)
    assert (invitation.channel, invitation.language, invitation.sent_at) == ("email", "ar", None)
    assert abs(invitation.expires_at - invitation.created_at - timedelta(days=7)) < timedelta(seconds=1)
    assert len(invitation.token_hash) == 64


@pytest.mark.parametrize(
    ("invited_before", "invited_again"),
    [
        (timedelta(days=30), True),  # exactly N days ago: N days have passed
        (timedelta(days=30) - timedelta(seconds=1), False),  # a second short of N days
        (timedelta(days=3), False),
    ],
)
def test_a_member_is_not_invited_twice_within_the_interval(default_rule, survey, invited_before, invited_again):
    customer = member()
    earlier, _token = make_invitation(survey=survey, customer=customer)
    Invitation.objects.filter(pk=earlier.pk).update(created_at=NOW - invited_before)
    contact = closed_contact(customer=customer)
    invitations_sweep(now=NOW)
    assert decision(contact).skip_reason == ("" if invited_again else "recently_invited")
    assert Invitation.objects.filter(customer=customer).count() == (2 if invited_again else 1)


def test_the_interval_comes_from_the_setting(default_rule, survey, settings):
    settings.SURVEY_INTERVAL_DAYS = 7
    customer = member()
    earlier, _token = make_invitation(survey=survey, customer=customer)
    Invitation.objects.filter(pk=earlier.pk).update(created_at=NOW - timedelta(days=8))
    contact = closed_contact(customer=customer)
    invitations_sweep(now=NOW)
    assert decision(contact).invitation is not None


def test_two_contacts_of_one_member_in_one_sweep_invite_them_once(default_rule):
    customer = member()
    first = closed_contact(customer=customer, wrapped_up_at=NOW - timedelta(hours=3))
    second = closed_contact(customer=customer, wrapped_up_at=NOW - timedelta(hours=2))
    assert invitations_sweep(now=NOW) == 1
    assert decision(first).invitation is not None
    assert decision(second).skip_reason == "recently_invited"


def test_a_member_who_opted_out_is_not_invited(default_rule):
    contact = closed_contact(customer=member(consent_research=False))
    assert invitations_sweep(now=NOW) == 0
    assert decision(contact).skip_reason == "opted_out"
    assert not Invitation.objects.exists()


def _reason(code: str, category: str) -> ReasonCode:
    parent, _ = ReasonCode.objects.get_or_create(code=category, defaults={"name": category.title()})
    return ReasonCode.objects.create(code=code, name=code.title(), parent=parent)


@pytest.mark.parametrize("how", ["complaint attached", "outcome", "reason", "member's open complaint"])
def test_no_survey_after_a_complaint(default_rule, how):
    customer = member()
    contact = closed_contact(
        customer=customer,
        outcome="complaint_logged" if how == "outcome" else "information_given",
        complaint=ComplaintFactory(customer=customer) if how == "complaint attached" else None,
    )
    if how == "reason":
        contact.reasons.add(_reason("complaint", "feedback"))
    if how == "member's open complaint":
        ComplaintFactory(customer=customer)  # about something else, still open
    invitations_sweep(now=NOW)
    assert decision(contact).skip_reason == "complaint"
    assert not Invitation.objects.exists()


def test_a_closed_complaint_of_the_member_does_not_stop_a_survey_about_another_call(default_rule):
    customer = member()
    ComplaintFactory(
        customer=customer,
        status="final_response",
        outcome="not_upheld",
        final_response_at=NOW - timedelta(days=40),
        received_at=NOW - timedelta(days=60),
    )
    contact = closed_contact(customer=customer)
    invitations_sweep(now=NOW)
    assert decision(contact).invitation is not None


@pytest.mark.parametrize("how", ["member flagged bereaved", "reason"])
def test_no_survey_after_a_bereavement(default_rule, how):
    bereaved = {"is_vulnerable": True, "vulnerability_category": "bereavement"} if how != "reason" else {}
    contact = closed_contact(customer=member(**bereaved))
    if how == "reason":
        contact.reasons.add(_reason("bereavement", "membership"))
    invitations_sweep(now=NOW)
    assert decision(contact).skip_reason == "bereavement"


def test_a_reason_within_an_excluded_category_excludes_the_contact(default_rule, settings):
    settings.SURVEY_EXCLUDED_REASONS = ["feedback"]
    contact = closed_contact(customer=member())
    contact.reasons.add(_reason("compliment", "feedback"))
    invitations_sweep(now=NOW)
    assert decision(contact).skip_reason == "complaint"


def test_another_vulnerability_does_not_stop_a_survey(default_rule):
    contact = closed_contact(customer=member(is_vulnerable=True, vulnerability_category="financial"))
    invitations_sweep(now=NOW)
    assert decision(contact).invitation is not None


def test_a_deceased_member_is_never_invited(default_rule):
    contact = closed_contact(customer=member(status="deceased"))
    invitations_sweep(now=NOW)
    assert decision(contact).skip_reason == "deceased"


def test_the_queues_own_percentage_decides_before_the_default_rule(survey):
    none_queue, all_queue, other_queue = QueueFactory(), QueueFactory(), QueueFactory()
    queue_survey = make_survey(code="claims-calls")
    SamplingRule.objects.create(queue=None, survey=survey, percentage=Decimal(100))
    SamplingRule.objects.create(queue=none_queue, survey=survey, percentage=Decimal(0))
    SamplingRule.objects.create(queue=all_queue, survey=queue_survey, percentage=Decimal(100))
    skipped = [closed_contact(customer=member(), queue=none_queue) for _ in range(5)]
    sampled = closed_contact(customer=member(), queue=all_queue)
    by_default = closed_contact(customer=member(), queue=other_queue)
    assert invitations_sweep(now=NOW) == 2
    assert {decision(contact).skip_reason for contact in skipped} == {"not_sampled"}
    assert decision(sampled).invitation.survey == queue_survey
    assert decision(by_default).invitation.survey == survey


def test_a_queue_rule_switched_off_leaves_the_queue_to_the_default_rule(survey):
    queue = QueueFactory()
    SamplingRule.objects.create(queue=None, survey=survey, percentage=Decimal(100))
    SamplingRule.objects.create(queue=queue, survey=make_survey(code="old"), percentage=Decimal(0), is_active=False)
    contact = closed_contact(customer=member(), queue=queue)
    invitations_sweep(now=NOW)
    assert decision(contact).invitation.survey == survey


def test_with_no_rule_for_the_queue_and_no_default_nobody_is_invited(survey):
    other = QueueFactory()
    SamplingRule.objects.create(queue=other, survey=survey, percentage=Decimal(100))
    contact = closed_contact(customer=member())
    assert invitations_sweep(now=NOW) == 0
    assert decision(contact).skip_reason == "no_rule"


def test_a_member_without_an_email_is_texted_if_they_consent_to_texts(default_rule):
    contact = closed_contact(customer=mobile_member())
    invitations_sweep(now=NOW)
    assert decision(contact).invitation.channel == "sms"


@pytest.mark.parametrize("phone", ["home phone only", "mobile but no consent to texts", "nothing"])
def test_a_member_with_no_address_to_reach_is_not_invited(default_rule, phone):
    customer = member(email="", consent_sms=phone == "home phone only")
    if phone != "nothing":
        PhoneFactory(customer=customer, kind="home" if phone == "home phone only" else "mobile")
    contact = closed_contact(customer=customer)
    invitations_sweep(now=NOW)
    assert decision(contact).skip_reason == "no_address"


def test_only_closed_contacts_with_a_member_wrapped_up_within_the_lookback_are_decided(default_rule):
    in_window = closed_contact(customer=member(), wrapped_up_at=NOW - timedelta(hours=47, minutes=59))
    closed_contact(customer=member(), wrapped_up_at=NOW - timedelta(hours=48, minutes=1))
    closed_contact(customer=member(), wrapped_up_at=NOW + timedelta(minutes=1))  # after the sweep's now
    closed_contact(customer=None)
    closed_contact(customer=member(), state="wrap_up")
    assert invitations_sweep(now=NOW) == 1
    assert list(SamplingDecision.objects.values_list("contact", flat=True)) == [in_window.pk]


def test_the_sweep_run_twice_decides_each_contact_once(default_rule):
    invited = closed_contact(customer=member())
    skipped = closed_contact(customer=member(consent_research=False))
    assert invitations_sweep(now=NOW) == 1
    assert invitations_sweep(now=NOW) == 0
    assert SamplingDecision.objects.count() == 2 and Invitation.objects.count() == 1
    assert decision(invited).invitation is not None and decision(skipped).skip_reason == "opted_out"


def test_the_sweep_goes_through_every_batch(default_rule, monkeypatch):
    from surveys.services import invitations

    monkeypatch.setattr(invitations, "BATCH_SIZE", 2)
    contacts = [closed_contact(customer=member()) for _ in range(5)]
    assert invitations_sweep(now=NOW) == 5
    assert SamplingDecision.objects.filter(contact__in=contacts).count() == 5


def test_the_sweeps_queries_grow_by_four_per_invited_contact(default_rule, django_assert_max_num_queries):
    """Per contact: lock the member, read the facts, insert the invitation and the decision (plus the
    test transaction's savepoint and its release); once: the rules; per batch: the contacts and their
    reasons."""
    for _ in range(10):
        closed_contact(customer=member())
    with django_assert_max_num_queries(3 + 10 * (4 + 2)):
        assert invitations_sweep(now=NOW) == 10
