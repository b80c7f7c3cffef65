"""In headless Chromium: each demo role logs in through the real form and lands on its workspace;
the Arabic interface is right to left (with a screenshot kept in test-artifacts/)."""

import random
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from staff.demo import DEMO_LOGINS, seed_people
from staff.services import roles_sync

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"

WORKSPACES = {
    "agent": ("/calls/desk/", "Agent desk"),
    "nurse": ("/calls/nurse/", "Nurse advice line"),
    "teamleader": ("/staff/team/", "My team"),
    "manager": ("/performance/", "Performance"),
    "hr": ("/staff/people/", "People"),
    "admin": ("/system/status/", "System status"),
    "assessor": ("/claims/queue/", "Claims work queue"),
}
PASSWORDS = {local: password for _role, local, *_rest, password in DEMO_LOGINS if password}


@pytest.fixture
def demo(transactional_db):
    roles_sync()
    seed_people(rng=random.Random(2026), scale="small")


def log_in(page: Page, base: str, local: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label(re.compile("email", re.I)).fill(f"{local}@tawasul.demo")
    page.get_by_label(re.compile("password", re.I)).fill(PASSWORDS[local])
    page.get_by_role("button", name="Log in").click()


@pytest.mark.parametrize("local", list(WORKSPACES))
def test_each_demo_role_lands_on_its_workspace(demo, live_server, page: Page, local):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    log_in(page, live_server.url, local)
    # Some demo people prefer Arabic: their login switches the interface; switch back to compare titles.
    if page.locator("html").get_attribute("lang") == "ar":
        page.get_by_test_id("language-en").click()
    path, title = WORKSPACES[local]
    expect(page).to_have_url(f"{live_server.url}{path}")
    expect(page.get_by_test_id("workspace-title")).to_have_text(title)
    expect(page.get_by_test_id("current-user")).to_be_visible()


def test_arabic_home_page_is_right_to_left(demo, live_server, page: Page):
    ARTIFACTS.mkdir(exist_ok=True)
    log_in(page, live_server.url, "agent")  # Amira prefers Arabic: her login opens the Arabic interface
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_test_id("workspace-title")).to_have_text("مكتب الموظف")
    # The RTL stylesheet really applies: the brand sits at the right-hand edge of the navigation bar.
    brand = page.locator(".navbar-brand").bounding_box()
    assert brand["x"] > page.viewport_size["width"] / 2
    page.screenshot(path=str(ARTIFACTS / "home-arabic.png"), full_page=True)
    assert (ARTIFACTS / "home-arabic.png").stat().st_size > 10_000


def test_language_switcher_turns_the_interface_to_arabic_and_back(demo, live_server, page: Page):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    log_in(page, live_server.url, "manager")
    page.get_by_test_id("language-ar").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_test_id("workspace-title")).to_have_text("الأداء")
    page.get_by_test_id("language-en").click()
    expect(page.locator("html")).to_have_attribute("dir", "ltr")


def test_manager_lands_on_a_dashboard_that_says_what_to_do_without_calls(demo, live_server, page: Page):
    """A new installation has no calls yet: the manager's dashboard says so and how to get some (its
    charts are drawn once there are calls: performance/tests/dashboard/test_browser.py)."""
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    log_in(page, live_server.url, "manager")
    expect(page.get_by_text("No calls in this period")).to_be_visible()
