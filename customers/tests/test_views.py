"""The agent's member screens: search, the 360 (its query count bounded whatever the history),
identification and verification."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from calls.models import ReasonCode
from calls.services.complaints import complaint_create
from calls.tests.factories import ContactFactory, FollowUpFactory
from claims import services
from claims.tests.factories import PhoneFactory, ProviderFactory, covered_member
from contactcentre.models import AuditAction, AuditEvent
from customers.models import Household, HouseholdMember
from staff.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(user_factory):
    return user_factory(role=Role.AGENT)


@pytest.fixture
def browser(agent):
    client = Client()
    client.force_login(agent)
    return client


def add_history(member, agent, claims: int) -> None:
    """Claims and cover checks, and as many contacts (with reasons), complaints and follow-ups."""
    provider = ProviderFactory()
    reason = ReasonCode.objects.get_or_create(code="claim-status", defaults={"name": "Claim status"})[0]
    for i in range(claims):
        contact = ContactFactory(customer=member.customer, agent=agent, outcome="information_given")
        contact.reasons.add(reason)
        complaint_create(
            actor=agent,
            customer=member.customer,
            channel="phone",
            received_at=timezone.now(),
            category="service",
            severity="low",
            summary=f"Complaint {i}",
            contact=contact,
        )
        FollowUpFactory(customer=member.customer, contact=contact, owner=agent, created_by=agent)
        services.cover_check_run(
            customer=member.customer,
            category="outpatient",
            treatment_date=date(2026, 2, 1),
            estimated_cost=Decimal("100"),
            actor=agent,
            provider=provider,
        )
        services.claim_create(
            customer=member.customer,
            provider=provider,
            actor=agent,
            received_on=date(2026, 3, 1),
            lines=[services.LineInput("outpatient", f"Visit {i}", date(2026, 2, 1), Decimal("90"))],
        )


def test_search_page_finds_a_member_by_phone_typed_with_spaces(browser):
    member = covered_member(first_name="Charlie", last_name="Smith")
    PhoneFactory(customer=member.customer, number="+447700900123")
    html = browser.get("/members/", {"q": "07700 900 123"}).content.decode()
    assert "Charlie Smith" in html and f"/members/{member.customer_id}/" in html


def test_search_page_says_when_nobody_matches(browser):
    assert 'data-testid="empty-state"' in browser.get("/members/", {"q": "Nobody Atall"}).content.decode()


def test_the_360_shows_cover_remaining_claims_and_the_vulnerability_banner(browser, agent):
    member = covered_member(
        is_vulnerable=True, vulnerability_category="bereavement", vulnerability_note="Partner died last month."
    )
    add_history(member, agent, 1)
    html = browser.get(f"/members/{member.customer_id}/").content.decode()
    assert 'data-testid="vulnerability-banner"' in html and "Partner died last month." in html
    assert "£1,000.00" in html  # the out-patient annual limit, none used yet (the claim is only received)
    assert "CL" in html and "Received" in html


def test_opening_the_360_is_audited(browser, agent):
    member = covered_member()
    browser.get(f"/members/{member.customer_id}/")
    event = AuditEvent.objects.get(action=AuditAction.VIEW, object_type="customers.customer")
    assert (event.actor, event.object_id) == (agent, str(member.customer_id))


def test_the_360_query_count_does_not_grow_with_history(browser, agent, django_assert_max_num_queries):
    member = covered_member()
    household = Household.objects.create(holder=member.customer)
    HouseholdMember.objects.create(household=household, customer=member.customer, relationship="holder")
    add_history(member, agent, 2)
    browser.get(f"/members/{member.customer_id}/")  # warm the permission cache, so both counts compare
    with django_assert_max_num_queries(30) as small:
        browser.get(f"/members/{member.customer_id}/")
    add_history(member, agent, 25)
    with django_assert_max_num_queries(30) as large:
        browser.get(f"/members/{member.customer_id}/")
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_360_shows_the_members_contacts_complaints_and_follow_ups(browser, agent):
    member = covered_member()
    add_history(member, agent, 2)
    html = browser.get(f"/members/{member.customer_id}/").content.decode()
    assert html.count('data-testid="contact-row"') == 2
    assert "Claim status" in html
    assert html.count('data-testid="complaint-row"') == 2
    assert html.count('data-testid="follow-up-row"') == 2


def test_the_360_says_when_there_are_no_contacts_yet(browser):
    member = covered_member()
    html = browser.get(f"/members/{member.customer_id}/").content.decode()
    assert "No contacts recorded for this member yet." in html
    assert "No complaints." in html and "No follow-ups." in html


def test_verification_passes_and_fails_in_the_agents_words(browser):
    member = covered_member(date_of_birth=date(1962, 3, 14), postcode="TW18 3HA")
    url = f"/members/{member.customer_id}/verify/"
    passed = browser.post(url, {"date_of_birth": "1962-03-14", "postcode": "tw18 3ha"}, follow=True)
    assert "Caller verified." in passed.content.decode()
    failed = browser.post(url, {"date_of_birth": "1962-03-15", "postcode": "TW18 3HA"}, follow=True)
    assert "Not verified" in failed.content.decode()
    one_item = browser.post(url, {"postcode": "TW18 3HA"}, follow=True)
    assert "Ask the caller for two items" in one_item.content.decode()


def test_an_unknown_member_is_a_404(browser):
    assert browser.get("/members/999999/").status_code == 404
