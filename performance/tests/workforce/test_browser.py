"""In headless Chromium: a manager reads the staffing of the fixed queue (conftest.py) with both
charts drawn, goes to the roster, adds a shift for Carys with the keyboard, and sees the interval it
covers less short on the staffing page; then the page in Arabic, right to left."""

import pytest
from playwright.sync_api import expect

from contactcentre.tests.browser import log_in
from performance.models import RosterShift
from staff.roles import Role

from .conftest import DAY

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_manager_reads_the_staffing_and_fills_a_gap_from_the_roster(
    transactional_db, claims, live_server, page, user_factory
):
    boss = user_factory(role=Role.MANAGER)
    log_in(page, live_server.url, boss.email)
    page.goto(f"{live_server.url}/performance/staffing/?queue={claims.pk}&day={DAY.isoformat()}")
    nine = page.get_by_test_id("interval-0900")
    expect(nine.get_by_test_id("rostered-required")).to_have_text("20")
    expect(nine.get_by_test_id("gap")).to_have_text("-18.33")
    expect(page.locator("canvas[data-chart='agents-chart']")).to_have_attribute("data-drawn", "1")
    expect(page.locator("canvas[data-chart='contacts-chart']")).to_have_attribute("data-drawn", "1")
    page.screenshot(path="/tmp/staffing-desktop.png", full_page=True)

    page.get_by_test_id("roster-link").click()
    expect(page.get_by_test_id("shifts")).to_contain_text("Carys")
    page.get_by_test_id("add-shift").click()
    page.get_by_label("Agent").select_option(label="Carys")
    page.get_by_label("Queue").select_option(label="Claims")
    page.get_by_label("Starts").fill(f"{DAY.isoformat()}T09:00")
    page.get_by_label("Ends").fill(f"{DAY.isoformat()}T09:15")  # back to back with her 09:15 shift
    page.get_by_label("Ends").press("Enter")
    expect(page.get_by_test_id("shifts").locator("tbody tr")).to_have_count(4)
    assert RosterShift.objects.filter(agent__full_name="Carys").count() == 2

    page.get_by_test_id("staffing-link").click()
    expect(page.get_by_test_id("interval-0900").get_by_test_id("scheduled")).to_have_text("2.67")

    page.context.add_cookies([{"name": "django_language", "value": "ar", "url": live_server.url}])
    page.goto(f"{live_server.url}/performance/staffing/?queue={claims.pk}&day={DAY.isoformat()}")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_test_id("interval-0900").get_by_test_id("rostered-required")).to_have_text("20")
    page.screenshot(path="/tmp/staffing-arabic.png", full_page=True)
