"""In headless Chromium, a call from the telephony to the member's record: the platform sends
`offered` and `answered` for the logged-in agent over the REST API, a real Celery worker folds them
into the contact, the desk pops the caller within two seconds of the send, the agent verifies them,
wraps up with reasons (a first try without reasons keeps the notes), becomes available, and the
contact shows on the member's 360."""

import json
import urllib.request
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from calls.models import AgentStatus, Queue, ReasonCode
from claims.tests.factories import PhoneFactory, ProviderFactory, covered_member
from staff.services import api_token_create, roles_sync, user_create

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def setting(transactional_db):
    roles_sync()
    agent = user_create(email="agent@example.org", full_name="Amal Saleh", role="agent", password="agent-pass-123")
    AgentStatus.objects.create(user=agent, extension="4021", state="available")
    platform = user_create(email="pbx@example.org", full_name="Telephony", role="api_client")
    Queue.objects.create(code="claims", name="Claims", open_all_hours=True)
    claims = ReasonCode.objects.create(code="claims", name="Claims")
    ReasonCode.objects.create(code="claim-status", name="Claim status", parent=claims)
    member = covered_member(first_name="Charlie", last_name="Smith", postcode="TW18 3HA")
    ProviderFactory(name="Staines Clinic")
    PhoneFactory(customer=member.customer, number="+447700900123")
    return member, api_token_create(client=platform).clear_token


@pytest.fixture
def fold_worker(setting, settings, tmp_path):
    """A real worker on Redis for the telephony fold the API queues, ready before the test goes on."""
    from contactcentre.models import Heartbeat
    from contactcentre.tasks import heartbeat
    from contactcentre.tests.celery_worker import celery_worker, wait_until

    log = tmp_path / "worker.log"
    with celery_worker(broker_env={"REDIS_URL": settings.REDIS_URL}, log_path=log, beat=False) as queue:
        settings.CELERY_TELEPHONY_QUEUE = queue
        heartbeat.apply_async(queue=queue)
        wait_until(lambda: Heartbeat.objects.exists(), timeout=60, log_path=log, what="the worker started")
        yield


def send(live_server, token: str, events: list[dict]) -> dict:
    request = urllib.request.Request(
        f"{live_server.url}/api/v1/telephony/events/",
        data=json.dumps(events).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def event(kind: str, seconds_ago: int, **fields) -> dict:
    at = timezone.now() - timedelta(seconds=seconds_ago)
    return {
        "type": kind,
        "provider": "twilio",
        "event_id": f"CA9-{kind}",
        "call_id": "CA9",
        "occurred_at": at.isoformat(),
    } | fields


def test_a_call_pops_on_the_desk_is_wrapped_up_and_shows_on_the_360(setting, fold_worker, live_server, page: Page):
    member, token = setting
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Email address").fill("agent@example.org")
    page.get_by_label("Password").fill("agent-pass-123")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("workspace-title")).to_have_text("Agent desk")
    expect(page.get_by_test_id("empty-state").first).to_be_visible()

    result = send(
        live_server,
        token,
        [
            event("offered", 20, queue="claims", caller_number="07700 900123"),
            event("answered", 5, agent="4021"),
        ],
    )
    assert result["accepted"] == 2

    # The screen-pop, within two seconds (the desk polls every second).
    expect(page.get_by_test_id("popped-member")).to_have_text("Charlie Smith", timeout=2000)
    expect(page.get_by_test_id("contact-state")).to_have_text("On the call")
    expect(page.get_by_test_id("agent-state-now")).to_have_text("On a call")

    # Verify the caller on the contact, from the desk.
    page.get_by_label("Date of birth").fill(member.customer.date_of_birth.isoformat())
    page.get_by_label("Postcode").fill("tw18 3ha")
    page.get_by_role("button", name="Verify", exact=True).click()
    expect(page.get_by_text("Caller verified.")).to_be_visible()

    # A quick action opens in place, in the desk's panel.
    page.get_by_role("link", name="Check cover").click()
    panel = page.locator("#desk-panel")
    panel.get_by_label("Benefit").select_option("outpatient")
    panel.get_by_label("Procedure").fill("Dermatology consultation")
    panel.get_by_label("Provider").select_option(label="Staines Clinic")
    panel.get_by_label("Treatment date").fill(timezone.localdate().isoformat())
    panel.get_by_label("Estimated cost").fill("180.00")
    panel.get_by_test_id("run-cover-check").click()
    expect(panel.get_by_test_id("cover-decision")).to_be_visible()
    assert page.url == f"{live_server.url}/calls/desk/"  # the agent never left the desk

    send(live_server, token, [event("ended", 1, cause="caller")])
    expect(page.get_by_test_id("contact-state")).to_have_text("Wrap-up", timeout=2000)

    # A wrap-up without reasons is refused, and the notes survive.
    page.get_by_label("Outcome").select_option("information_given")
    page.get_by_label("Yes").check()
    page.get_by_label("Notes").fill("Told Charlie the claim is being assessed.")
    page.get_by_test_id("wrap-up-submit").click()
    expect(page.get_by_text("Choose at least one reason.").first).to_be_visible()
    expect(page.get_by_label("Notes")).to_have_value("Told Charlie the claim is being assessed.")

    page.get_by_label("Claims › Claim status").check()
    page.get_by_test_id("wrap-up-submit").click()
    expect(page.get_by_text("Wrapped up. You are available for the next call.")).to_be_visible()
    expect(page.get_by_test_id("agent-state-now")).to_have_text("Available")

    page.goto(f"{live_server.url}/members/{member.customer_id}/")
    row = page.get_by_test_id("contact-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Claim status")
    expect(row).to_contain_text("Verified")
