"""In headless Chromium: a team leader works through an appraisal's page (a rating off the scale is
refused by the field and kept, then corrected), and the appraisee signs; a screenshot of the page is
kept in test-artifacts/."""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from contactcentre.tests.browser import log_in
from staff.services import appraisal as services
from staff.services import roles_sync

from .factories import appraisal_setup

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


def test_a_leader_rates_and_the_appraisee_signs(transactional_db, live_server, page: Page):
    roles_sync()
    scene = appraisal_setup(competencies=1)
    services.self_assessment_submit(appraisal_id=scene.appraisal.pk, actor=scene.agent, text="A good year")
    services.review_update(
        appraisal_id=scene.appraisal.pk, actor=scene.leader, strengths="Calm", weaknesses="Wrap-up", overall_rating=4
    )
    url = f"{live_server.url}/staff/appraisals/{scene.appraisal.pk}/"
    log_in(page, live_server.url, scene.leader.email)
    page.goto(url)
    row = page.get_by_test_id(f"rating-{scene.competencies[0].pk}")
    row.get_by_label("Rating").fill("9")
    row.get_by_label("Comment").fill("Very calm")
    # The browser's own check would stop 9 before it is sent: send it anyway, as an old browser would.
    row.locator("form").evaluate("form => form.noValidate = true")
    row.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("rating-error")).to_have_text("Ensure this value is less than or equal to 5.")
    expect(row.get_by_label("Comment")).to_have_value("Very calm")
    row.get_by_label("Rating").fill("4")
    row.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("appraisal-status")).to_have_text("Reviewed")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "appraisal-reviewed.png"), full_page=True)
    log_in(page, live_server.url, scene.agent.email)
    page.goto(url)
    page.get_by_test_id("sign").click()
    expect(page.get_by_text("Signed.", exact=True)).to_be_visible()
    expect(page.get_by_test_id("sign")).to_have_count(0)


def test_the_board_sees_the_summary_with_small_groups_hidden(transactional_db, live_server, page: Page):
    from staff.models import FeedbackSubject
    from staff.roles import Role
    from staff.services.feedback import upward_feedback_give
    from staff.tests.factories import TeamFactory, UserFactory

    roles_sync()
    scene = appraisal_setup(competencies=1)
    small = TeamFactory(site=scene.site, leader=UserFactory(role=Role.TEAM_LEADER, site=scene.site))
    for team, ratings in ((scene.team, [4, 5, 4, 3, 5, 4]), (small, [2, 1, 2])):
        for rating in ratings:
            person = UserFactory(role=Role.AGENT, site=scene.site, team=team)
            for subject in FeedbackSubject.values:
                upward_feedback_give(
                    actor=person, cycle=scene.cycle, subject=subject, rating=rating, went_well="Huddles"
                )
    scene.cycle.is_open = False  # the summary waits for the cycle to close
    scene.cycle.save(update_fields=["is_open"])
    hr = UserFactory(role=Role.HR, site=scene.site)
    log_in(page, live_server.url, hr.email)
    page.goto(f"{live_server.url}/staff/feedback/summary/?cycle={scene.cycle.pk}")
    table = page.get_by_test_id("summary-manager")
    expect(table.get_by_test_id("hidden")).to_have_count(2)  # the 3, and the 6 that would give them away
    expect(table).to_contain_text("fewer than 5 responses")
    expect(page.locator('canvas[data-chart="feedback-chart-manager"]')).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "upward-feedback-summary.png"), full_page=True)
