"""In headless Chromium: a manager opens the dashboard, picks a period, reads a figure against its
standard, clicks a count and sees the contacts behind it, then opens one of them."""

import pytest
from playwright.sync_api import expect

from surveys.tests.results.test_browser import log_in

from .factories import DAY, build_centre

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_manager_picks_a_period_and_opens_the_contacts_behind_a_figure(transactional_db, roles, live_server, page):
    centre = build_centre()
    log_in(page, live_server.url, centre.manager.email)
    page.goto(f"{live_server.url}/performance/")
    expect(page.get_by_test_id("workspace-title")).to_have_text("Performance")

    page.get_by_label("Period", exact=True).select_option("custom")
    page.get_by_label("From", exact=True).fill(DAY.isoformat())
    page.get_by_label("To", exact=True).fill(DAY.isoformat())
    page.get_by_test_id("show").click()

    service_level = page.get_by_test_id("figure-service_level")
    expect(service_level.get_by_test_id("value")).to_have_text("50.0%")
    expect(service_level.get_by_test_id("rag")).to_have_text("Misses the standard")
    expect(service_level.get_by_test_id("variant")).to_contain_text("SL1")
    expect(page.get_by_test_id("count-answered_late")).to_contain_text("1")
    expect(page.locator("canvas[data-chart='dashboard-volume']")).to_have_attribute("data-drawn", "1")
    expect(page.get_by_test_id("agent-league")).to_contain_text("Ann Agent")
    page.screenshot(path="/tmp/performance-dashboard.png", full_page=True)

    page.get_by_test_id("drill-answered_late").click()
    expect(page.get_by_test_id("workspace-title")).to_have_text("Answered after the threshold")
    late = centre.calls[2]
    row = page.get_by_test_id(f"contact-{late.pk}")
    expect(row).to_contain_text("Bob Agent")
    expect(page.get_by_test_id("contacts").locator("tbody tr")).to_have_count(1)
    row.get_by_role("link").click()
    expect(page).to_have_url(f"{live_server.url}/calls/contacts/{late.pk}/")
