"""In headless Chromium, the middle of a typical call: the agent finds the caller by the phone number
they read out (with spaces), opens the member's 360, checks cover for physiotherapy and reads why it
is refused: the waiting period has not ended."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from claims.models import Benefit, BenefitCategory
from claims.tests.factories import PhoneFactory, ProviderFactory, covered_member, standard_plan
from staff.services import roles_sync, user_create

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def call(transactional_db):
    roles_sync()
    user_create(email="agent@example.org", full_name="Amira Haddad", role="agent", password="agent-pass-123")
    today = timezone.localdate()
    plan = standard_plan()
    assert Benefit.objects.get(plan=plan, category=BenefitCategory.THERAPIES).waiting_period_days == 90
    member = covered_member(
        plan=plan,
        start=today - timedelta(days=30),
        first_name="Charlie",
        last_name="Smith",
        is_vulnerable=True,
        vulnerability_category="bereavement",
        vulnerability_note="Partner died last month.",
    )
    PhoneFactory(customer=member.customer, number="+447700900123")
    ProviderFactory(name="Didsbury Physiotherapy Clinic")
    return member, today - timedelta(days=30) + timedelta(days=90)


def test_agent_finds_the_caller_by_phone_and_reads_why_physio_is_not_covered(call, live_server, page: Page):
    _member, waiting_ends = call
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Email address").fill("agent@example.org")
    page.get_by_label("Password").fill("agent-pass-123")
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("link", name="Members", exact=True).click()
    page.get_by_test_id("member-search").fill("07700 900 123")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Charlie Smith").click()

    expect(page.get_by_test_id("customer-name")).to_have_text("Charlie Smith")
    expect(page.get_by_test_id("vulnerability-banner")).to_contain_text("Partner died last month.")
    expect(page.get_by_test_id("cover-table")).to_contain_text("Therapies")

    page.get_by_role("link", name="Check cover").click()
    page.get_by_label("Benefit").select_option(BenefitCategory.THERAPIES.value)
    page.get_by_label("Procedure").fill("Physiotherapy, six sessions")
    page.get_by_label("Provider").select_option(label="Didsbury Physiotherapy Clinic")
    page.get_by_label("Treatment date").fill(timezone.localdate().isoformat())
    page.get_by_label("Estimated cost").fill(str(Decimal("360.00")))
    page.get_by_test_id("run-cover-check").click()

    expect(page.get_by_test_id("cover-decision")).to_contain_text("Not covered")
    expect(page.get_by_test_id("cover-reasons")).to_contain_text(
        f"The 90-day waiting period for this benefit ends on {waiting_ends.day} {waiting_ends:%B %Y}."
    )
