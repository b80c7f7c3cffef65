"""In headless Chromium, a team leader evaluates a sampled contact (a missed item is shown by the item
and what was ticked stays ticked; a failed critical item fails the evaluation), sees the weekly trend
chart drawn, and the agent reads the evaluation and acknowledges it with a comment."""

import pytest
from playwright.sync_api import Page, expect

from calls.tests.factories import ContactFactory
from contactcentre.tests.browser import log_in
from staff.services import roles_sync, user_create
from staff.tests.factories import SiteFactory, TeamFactory

from .factories import scorecard_with_items

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def team(transactional_db):
    roles_sync()
    site = SiteFactory(code="staines")
    leader = user_create(
        email="leader@example.org",
        full_name="Tom Whitfield",
        role="team_leader",
        password="leader-pass-1234",
        site=site,
    )
    squad = TeamFactory(site=site, leader=leader)
    agent = user_create(
        email="agent@example.org",
        full_name="Amira Haddad",
        role="agent",
        password="agent-pass-1234",
        site=site,
        team=squad,
    )
    scorecard_with_items(name="Health insurance calls")
    return ContactFactory(agent=agent)


def test_leader_evaluates_a_sampled_contact_and_the_agent_acknowledges(team, live_server, page: Page):
    contact = team
    log_in(page, live_server.url, "leader@example.org", "leader-pass-1234")
    page.goto(f"{live_server.url}/staff/quality/")
    page.get_by_test_id(f"evaluate-{contact.pk}").click()

    page.get_by_test_id("item-greeting").get_by_label("4").check()
    page.get_by_test_id("item-compliance").get_by_label("0").check()
    page.get_by_label("Coaching comments").fill("Skipped the data protection check.")
    page.get_by_role("button", name="Save the evaluation").click()
    expect(page.get_by_test_id("error-resolution")).to_have_text("Score this item or mark it not applicable.")
    expect(page.get_by_test_id("item-greeting").get_by_label("4")).to_be_checked()
    expect(page.get_by_label("Coaching comments")).to_have_value("Skipped the data protection check.")

    page.get_by_test_id("item-resolution").get_by_label("3").check()
    page.get_by_role("button", name="Save the evaluation").click()
    expect(page.get_by_test_id("score")).to_have_text("0.0%")
    expect(page.get_by_test_id("critical-failed")).to_be_visible()
    expect(page.get_by_test_id("critical-fail-compliance")).to_be_visible()

    page.goto(f"{live_server.url}/staff/quality/")
    expect(page.locator("canvas[data-chart='quality-trend']")).to_have_attribute("data-drawn", "1")

    log_in(page, live_server.url, "agent@example.org", "agent-pass-1234")
    page.goto(f"{live_server.url}/staff/me/evaluations/")
    page.get_by_test_id("evaluations").get_by_role("link").first.click()
    page.get_by_label("Your comment (optional)").fill("Understood: ID&V first, every call.")
    page.get_by_role("button", name="I have read this evaluation").click()
    expect(page.get_by_test_id("acknowledged")).to_be_visible()
    expect(page.get_by_text("Understood: ID&V first, every call.")).to_be_visible()
