"""In headless Chromium: a team leader's wallboard shows a call the moment the telephony platform
offers it, by polling its live fragment, without reloading the page; then the five-gap page draws
its trend charts for a manager."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from calls.models import Queue
from calls.rules.telephony import Event
from calls.services.telephony import events_ingest
from calls.services.telephony_fold import contacts_fold_pending
from contactcentre.tests.browser import log_in
from staff.roles import Role
from staff.tests.factories import SiteFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_wallboard_shows_a_new_call_without_reloading(transactional_db, user_factory, live_server, page):
    site = SiteFactory(code="staines", name="Staines")
    Queue.objects.create(code="claims", name="Claims", open_all_hours=True)
    leader = user_factory(role=Role.TEAM_LEADER, site=site, email="lead@example.org")
    log_in(page, live_server.url, leader.email)
    page.goto(f"{live_server.url}/performance/wallboard/?site={site.pk}")
    expect(page.get_by_test_id("waiting")).to_have_text("0")
    page.evaluate("window.notReloaded = true")

    offered = timezone.now() - timedelta(seconds=40)
    event = Event("offered", "twilio", "CA9-o", "CA9", offered, queue="claims", caller_number="+447700900555")
    events_ingest([(0, event)])
    contacts_fold_pending()

    expect(page.get_by_test_id("waiting")).to_have_text("1", timeout=15_000)
    expect(page.get_by_test_id("queue-claims")).to_contain_text("Claims")
    assert page.evaluate("window.notReloaded") is True
    page.screenshot(path="/tmp/wallboard.png", full_page=True)


def test_the_five_gap_page_draws_each_trend(transactional_db, user_factory, live_server, page):
    manager = user_factory(role=Role.MANAGER, email="boss@example.org")
    log_in(page, live_server.url, manager.email)
    page.goto(f"{live_server.url}/performance/gaps/")
    for number in range(1, 6):
        expect(page.locator(f"canvas[data-chart='gap-{number}-trend']")).to_have_attribute("data-drawn", "1")
    page.get_by_test_id("gap-3").get_by_test_id("prescriptions-link").click()
    expect(page.get_by_test_id("prescriptions")).to_contain_text("Clarify staff roles.")
    page.goto(f"{live_server.url}/performance/gaps/")
    page.screenshot(path="/tmp/gaps.png", full_page=True)
