"""In headless Chromium: a team leader reads their team's results with the trend chart drawn, then
works their follow-ups list at phone width and closes a detractor's follow-up with the keyboard."""

import pytest
from playwright.sync_api import expect

from contactcentre.tests.browser import log_in
from surveys.models import LoopFollowUp

from .conftest import END, START

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_team_leader_reads_results_and_closes_a_follow_up_on_a_phone(transactional_db, centre, live_server, page):
    leader = centre.leaders["north"]
    log_in(page, live_server.url, leader.email)
    page.goto(f"{live_server.url}/surveys/?start={START}&end={END}&group_by=agent")
    expect(page.get_by_test_id("headline-responses")).to_have_text("2")
    expect(page.get_by_test_id("breakdown")).to_contain_text("Dan Agent")
    expect(page.locator("canvas[data-chart='results-trend']")).to_have_attribute("data-drawn", "1")
    page.screenshot(path="/tmp/results-desktop.png", full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/surveys/follow-ups/")
    follow_up = LoopFollowUp.objects.get(response=centre.responses[8])
    row = page.get_by_test_id(f"loop-{follow_up.pk}")
    expect(row.get_by_test_id("overdue")).to_have_text("Overdue")
    expect(row).to_contain_text("Waited forty minutes.")
    page.screenshot(path="/tmp/loops-phone.png", full_page=True)
    row.get_by_role("link").first.click()

    page.get_by_label("Called back, explained and apologised").focus()
    page.keyboard.press("Space")
    page.get_by_label("What was done").fill("Rang the member; apologised for the wait.")
    page.get_by_label("What was done").press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("outcome")).to_contain_text("Called back, explained and apologised")
    expect(page.get_by_test_id("outcome-note")).to_have_text("Rang the member; apologised for the wait.")
    page.screenshot(path="/tmp/loop-phone.png", full_page=True)
