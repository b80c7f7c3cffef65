"""In headless Chromium, a manager creates a post-contact survey, adds a choice question in English and
Arabic, and after a response edits it again: a new version, the old one still readable. The pages
fit a phone's width."""

import pytest
from playwright.sync_api import Page, expect

from staff.services import roles_sync, user_create
from staff.tests.factories import SiteFactory
from surveys.models import Survey
from surveys.services.responses import response_submit
from surveys.tests.factories import handled_contact

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def manager(transactional_db):
    roles_sync()
    return user_create(
        email="manager@example.org",
        full_name="Sara Mansour",
        role="manager",
        password="manager-pass-1234",
        site=SiteFactory(code="staines"),
    )


def log_in(page: Page, url: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": url}])
    page.goto(f"{url}/login/")
    page.get_by_label("Email address").fill("manager@example.org")
    page.get_by_label("Password").fill("manager-pass-1234")
    page.get_by_role("button", name="Log in").click()


def fits(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_manager_builds_a_survey_and_versions_it(manager, live_server, page: Page):
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/surveys/definitions/")
    page.get_by_role("link", name="New survey").click()
    page.locator("#id_code").fill("after-call")
    page.locator("#id_name").fill("After the call")
    page.locator("#id_name_ar").fill("بعد المكالمة")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_test_id("workspace-title")).to_have_text("After the call")
    expect(page.get_by_test_id("question-csat")).to_be_visible()

    page.get_by_role("link", name="Edit the questions").click()
    expect(page.get_by_test_id("versioning")).to_contain_text("saving changes it in place")
    blank = "#id_questions-4-"
    page.locator(f"{blank}code").fill("reason")
    page.locator(f"{blank}kind").select_option("single_choice")
    page.locator(f"{blank}text").fill("Why did you call?")
    page.locator(f"{blank}text_ar").fill("لماذا اتصلت؟")
    page.locator(f"{blank}choices").fill("claim | A claim | مطالبة\ncover | My cover | تغطيتي")
    page.locator(f"{blank}ORDER").fill("1")
    page.get_by_role("button", name="Save the questions").click()
    expect(page.get_by_role("alert")).to_contain_text("Questions saved in version 1")
    expect(page.get_by_test_id("question-reason")).to_contain_text("لماذا اتصلت؟")

    survey = Survey.objects.get(code="after-call")
    answers = {"reason": "cover", "csat": 4, "ces": 5, "nps": 8}
    response_submit(survey=survey, values=answers, source="api", contact=handled_contact())
    page.get_by_role("link", name="Edit the questions").click()
    expect(page.get_by_test_id("versioning")).to_contain_text("saving makes a new version")
    page.locator("#id_questions-0-DELETE").check()
    page.get_by_role("button", name="Save the questions").click()
    expect(page.get_by_role("alert")).to_contain_text("Saved as a new version, 2")
    expect(page.get_by_test_id("question-reason")).to_have_count(0)

    page.get_by_role("link", name="Version 1").click()
    expect(page.get_by_test_id("older-version")).to_be_visible()
    expect(page.get_by_test_id("question-reason")).to_be_visible()

    page.set_viewport_size({"width": 390, "height": 844})
    for path in (f"/surveys/definitions/{survey.pk}/", f"/surveys/definitions/{survey.pk}/edit/", "/surveys/sampling/"):
        page.goto(f"{live_server.url}{path}")
        assert fits(page), path
