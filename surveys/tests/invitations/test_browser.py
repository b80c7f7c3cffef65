"""In headless Chromium on a phone-sized screen, a member answers the survey in Arabic: the page reads
right to left, the scales are large enough to tap, an unanswered question is pointed out with the
other answers kept, and the response is stored in Arabic. And the importance points keep a running
total as the member types."""

import pytest
from playwright.sync_api import Page, expect

from staff.services import roles_sync
from surveys.models import Answer, QuestionKind, Response, SurveyKind
from surveys.services.definitions import QuestionSpec

from ..factories import make_invitation, make_survey
from .helpers import closed_contact, member

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
ARABIC = {
    "csat": "ما مدى رضاك عن مكالمتك اليوم؟",
    "ces": "سهّلت شركة التأمين التعامل مع طلبي.",
    "nps": "ما مدى احتمال أن توصي بنا لصديق أو زميل؟",
    "comment": "ما السبب الرئيسي لتقييمك؟",
}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def arabic_invitation(transactional_db):
    roles_sync()
    survey = make_survey(
        code="after-call",
        name="After your call",
        name_ar="استبيان بعد مكالمتك",
        questions=[
            QuestionSpec("csat", QuestionKind.CSAT, "How satisfied were you with your call today?", ARABIC["csat"]),
            QuestionSpec("ces", QuestionKind.CES, "The insurer made it easy to handle my request.", ARABIC["ces"]),
            QuestionSpec("nps", QuestionKind.NPS, "How likely are you to recommend us?", ARABIC["nps"]),
            QuestionSpec("comment", QuestionKind.FREE_TEXT, "Why?", ARABIC["comment"], required=False),
        ],
    )
    customer = member(preferred_language="ar", first_name_ar="ليلى")
    return make_invitation(survey=survey, contact=closed_contact(customer=customer))


def tap_score(page: Page, code: str, score: int) -> None:
    page.locator(f"label[for='id_{code}_{score}']").tap()


def test_a_member_answers_in_arabic_on_a_phone(arabic_invitation, live_server, phone: Page):
    invitation, token = arabic_invitation
    phone.goto(f"{live_server.url}/s/{token}/")
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    expect(phone.locator("html")).to_have_attribute("lang", "ar")
    expect(phone.get_by_role("heading", level=1)).to_have_text("استبيان بعد مكالمتك")
    expect(phone.get_by_test_id("question-csat")).to_contain_text(ARABIC["csat"])
    # Right to left: the scale starts at the right; nothing is wider than the phone.
    one, five = (phone.locator(f"label[for='id_csat_{n}']").bounding_box() for n in (1, 5))
    assert one["x"] > five["x"]
    assert one["height"] >= 44 and one["width"] >= 44
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for n in (0, 10):
        box = phone.locator(f"label[for='id_nps_{n}']").bounding_box()
        assert (
            box["height"] >= 44 and box["width"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        )

    tap_score(phone, "csat", 4)
    tap_score(phone, "ces", 6)
    phone.get_by_label(ARABIC["comment"]).fill("الموظفة كانت لطيفة وسريعة")
    phone.get_by_test_id("submit").tap()
    expect(phone.get_by_test_id("error-nps")).to_be_visible()  # asked for the one left out
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    expect(phone.locator("#id_csat_4")).to_be_checked()
    expect(phone.get_by_label(ARABIC["comment"])).to_have_value("الموظفة كانت لطيفة وسريعة")
    assert not Response.objects.exists()

    tap_score(phone, "nps", 9)
    phone.get_by_test_id("submit").tap()
    expect(phone.get_by_test_id("thank-you")).to_be_visible()
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    response = Response.objects.get(invitation=invitation)
    assert (response.language, response.source, response.csat, response.ces, response.nps) == ("ar", "link", 4, 6, 9)
    assert Answer.objects.get(response=response, question__code="comment").text == "الموظفة كانت لطيفة وسريعة"

    phone.reload()  # a refresh thanks the member again
    expect(phone.get_by_test_id("thank-you")).to_be_visible()
    phone.goto(f"{live_server.url}/s/{token}/")
    expect(phone.get_by_test_id("link-used")).to_be_visible()


def test_the_importance_points_show_a_running_total(transactional_db, live_server, page: Page):
    roles_sync()
    _invitation, token = make_invitation(
        survey=make_survey(SurveyKind.SERVQUAL, code="servqual"), contact=closed_contact(customer=member())
    )
    page.goto(f"{live_server.url}/s/{token}/")
    total = page.locator("[data-points-total]")
    expect(total).to_have_text("0")
    for dimension, points in [("tangibles", 10), ("reliability", 35), ("responsiveness", 25), ("assurance", 20)]:
        page.locator(f"#id_points-{dimension}").fill(str(points))
    expect(total).to_have_text("90")
    expect(total).to_have_class("text-danger")
    page.locator("#id_points-empathy").fill("10")
    expect(total).to_have_text("100")
    expect(total).to_have_class("text-success")
