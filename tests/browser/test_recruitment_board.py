"""In headless Chromium, HR works a vacancy's pipeline: opens the board, drops a candidate on a stage
they cannot reach yet (the board says which stages they can), drags them from telephone screening to
the assessment centre, then records their competency scores on the candidate page, which shows them
under their exercises."""

import pytest
from playwright.sync_api import Page, expect

from staff.models import Stage
from staff.models.jobs import Assessment
from staff.services import recruitment, roles_sync, user_create
from staff.tests.recruitment.factories import ApplicationFactory, VacancyFactory, person_specification

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def pipeline(transactional_db):
    roles_sync()
    hr = user_create(email="hr@example.org", full_name="Hana Rahman", role="hr", password="hr-pass-1234")
    vacancy = VacancyFactory()
    person_specification(
        vacancy.job_role,
        [("empathy", Assessment.COMPETENCY_INTERVIEW), ("written-english", Assessment.EMAIL_EXERCISE)],
    )
    candidate = ApplicationFactory(vacancy=vacancy, full_name="Amira Haddad")
    recruitment.application_move(application_id=candidate.pk, target=Stage.TELEPHONE_SCREENING, actor=hr)
    ApplicationFactory(vacancy=vacancy, full_name="Omar Farouk")
    return vacancy, candidate


def log_in(page: Page, url: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": url}])
    page.goto(f"{url}/login/")
    page.get_by_label("Email address").fill("hr@example.org")
    page.get_by_label("Password").fill("hr-pass-1234")
    page.get_by_role("button", name="Log in").click()


def test_hr_drags_a_candidate_to_the_assessment_centre_and_records_scores(pipeline, live_server, page: Page):
    vacancy, candidate = pipeline
    log_in(page, live_server.url)

    page.goto(f"{live_server.url}/staff/recruitment/vacancies/")
    page.get_by_role("link", name=vacancy.reference).click()
    card = f"[data-testid='card-{candidate.pk}']"
    expect(page.get_by_test_id("column-telephone_screening").locator(card)).to_be_visible()

    # A drop on a stage the candidate cannot reach yet: refused, with the stages they can.
    page.drag_and_drop(card, "[data-testid='column-offer']")
    expect(page.get_by_test_id("board-refusal")).to_contain_text(
        "Allowed next stages: Assessment centre, Rejected, Withdrawn"
    )
    expect(page.get_by_test_id("column-telephone_screening").locator(card)).to_be_visible()

    page.drag_and_drop(card, "[data-testid='column-assessment_centre']")
    expect(page.get_by_test_id("board-done")).to_contain_text("Amira Haddad moved to Assessment centre")
    expect(page.get_by_test_id("column-assessment_centre").locator(card)).to_be_visible()
    # The swapped-in board still works: the other candidate moves with a button (HTMX).
    page.get_by_test_id("column-applied").get_by_role("button", name="Telephone screening").click()
    expect(page.get_by_test_id("column-telephone_screening")).to_contain_text("Omar Farouk")

    page.get_by_role("link", name="Amira Haddad").click()
    expect(page.get_by_test_id("application-stage")).to_have_text("Assessment centre")
    form = page.get_by_test_id("score-form")
    form.get_by_label("Competency").select_option(label="Empathy")
    form.get_by_label("Exercise").select_option(Assessment.COMPETENCY_INTERVIEW.value)
    form.get_by_label("Score (1-5)").fill("4")
    form.get_by_label("Evidence").fill("Calmed the role-play caller")
    form.get_by_role("button", name="Record the score").click()
    page.get_by_test_id("score-form").get_by_label("Competency").select_option(label="Written English")
    page.get_by_test_id("score-form").get_by_label("Exercise").select_option(Assessment.EMAIL_EXERCISE.value)
    page.get_by_test_id("score-form").get_by_label("Score (1-5)").fill("5")
    page.get_by_test_id("score-form").get_by_role("button", name="Record the score").click()

    expect(page.get_by_test_id("score-competency_interview-empathy")).to_contain_text("4")
    expect(page.get_by_test_id("score-competency_interview-empathy")).to_contain_text("Calmed the role-play caller")
    expect(page.get_by_test_id("score-email_exercise-written-english")).to_contain_text("5")
    expect(page.get_by_test_id("score-email_exercise-written-english")).to_contain_text("Hana Rahman")


def test_a_move_that_fails_keeps_the_board_and_says_so(pipeline, live_server, page: Page):
    """An expired login (the session cookie gone: the server answers with the login page) or no answer
    at all: the board stays, with the card where it was, and a message says what to do."""
    vacancy, candidate = pipeline
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/staff/recruitment/vacancies/{vacancy.pk}/")
    card = f"[data-testid='card-{candidate.pk}']"
    failure = "The move could not be made: your login may have expired"

    page.route("**/move/", lambda route: route.abort())
    page.drag_and_drop(card, "[data-testid='column-assessment_centre']")
    expect(page.get_by_test_id("board-failure")).to_contain_text(failure)
    expect(page.get_by_test_id("column-telephone_screening").locator(card)).to_be_visible()
    page.unroute("**/move/")

    page.context.clear_cookies(name="sessionid")
    page.drag_and_drop(card, "[data-testid='column-assessment_centre']")
    expect(page.get_by_test_id("board-failure")).to_contain_text(failure)
    expect(page.get_by_test_id("column-telephone_screening").locator(card)).to_be_visible()
    # The buttons (HTMX) too: the login page the redirect ends on is not swapped in for the board.
    page.get_by_test_id("board-failure").evaluate("node => node.remove()")
    page.get_by_test_id("column-applied").get_by_role("button", name="Telephone screening").click()
    expect(page.get_by_test_id("board-failure")).to_contain_text(failure)
    expect(page.get_by_test_id("column-applied")).to_contain_text("Omar Farouk")
    expect(page.get_by_label("Password")).to_have_count(0)
    candidate.refresh_from_db()
    assert candidate.stage == Stage.TELEPHONE_SCREENING
