"""Complaint screens in the browser: the list (filters, highlighting, CSV), logging a complaint, its
page and actions, and the report; query counts pinned on the list and the detail page."""

import csv
import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from calls.models import Complaint, ComplaintStatus
from calls.selectors.complaints import complaint_report
from calls.services import complaints as services
from calls.tests.factories import ComplaintFactory, ContactFactory
from claims.tests.factories import CustomerFactory
from contactcentre.models import AuditAction, AuditEvent
from staff.roles import Role

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def agent(user_factory):
    return user_factory(role=Role.AGENT, full_name="Adam Agent")


@pytest.fixture
def leader(user_factory):
    return user_factory(role=Role.TEAM_LEADER, full_name="Tara Leader")


def test_list_highlights_breached_and_overdue_complaints(agent):
    breached = ComplaintFactory(created_by=agent, received_at=timezone.now() - timedelta(weeks=9))
    Complaint.objects.filter(pk=breached.pk).update(breached_at=timezone.now())
    unacknowledged = ComplaintFactory(created_by=agent, received_at=timezone.now() - timedelta(days=8))
    fresh = ComplaintFactory(created_by=agent)
    html = logged_in(agent).get("/calls/complaints/").content.decode()
    row = {
        c.pk: html.split(f'data-testid="complaint-{c.pk}"')[0].rsplit("<tr", 1)[1]
        for c in (breached, unacknowledged, fresh)
    }
    assert "table-danger" in row[breached.pk] and "table-danger" in row[unacknowledged.pk]
    assert "table-danger" not in row[fresh.pk]
    assert 'data-testid="breached"' in html and 'data-testid="overdue"' in html


def test_list_filters_by_status_breach_owner_and_finds_by_reference_or_member_name(agent):
    member = CustomerFactory(first_name="Olivia", last_name="Pemberton")
    mine = ComplaintFactory(created_by=agent, owner=agent, customer=member)
    other = ComplaintFactory(created_by=agent)
    browser = logged_in(agent)

    def listed(query: str) -> set[str]:
        html = browser.get(f"/calls/complaints/?{query}").content.decode()
        return {c.reference for c in (mine, other) if c.reference in html}

    assert listed("") == {mine.reference, other.reference}
    assert listed("owner=mine") == {mine.reference}
    assert listed("owner=unassigned") == {other.reference}
    assert listed(f"q={other.reference}") == {other.reference}
    assert listed("q=olivia+pemberton") == {mine.reference}
    assert listed("q=pemberton") == {mine.reference}
    assert listed("breached=yes") == set()
    assert listed("status=resolved") == set()


def test_list_query_count_does_not_grow_with_the_rows(agent, django_assert_max_num_queries):
    browser = logged_in(agent)
    ComplaintFactory.create_batch(3, created_by=agent, owner=agent)
    browser.get("/calls/complaints/")  # warm the permission cache, so both counts compare
    with django_assert_max_num_queries(6) as small:
        browser.get("/calls/complaints/")
    ComplaintFactory.create_batch(30, created_by=agent, owner=agent)
    with django_assert_max_num_queries(6) as large:
        html = browser.get("/calls/complaints/").content.decode()
    assert len(large.captured_queries) == len(small.captured_queries)
    assert "33 complaints" in html
    assert "Page 1 of 2" in html


def test_csv_export_for_team_leaders_is_audited_and_defuses_formulas(agent, leader):
    ComplaintFactory(created_by=agent, product='=HYPERLINK("http://x")')
    response = logged_in(leader).get("/calls/complaints/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "Reference" and len(rows) == 2
    assert rows[1][7].startswith("'=")
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=leader).count() == 1
    assert logged_in(agent).get("/calls/complaints/export.csv").status_code == 403


def test_new_complaint_from_the_desk_links_the_member_and_the_call(agent):
    contact = ContactFactory(agent=agent)
    browser = logged_in(agent)
    page = browser.get(f"/calls/complaints/new/?customer={contact.customer_id}&contact={contact.pk}")
    assert contact.customer.last_name in page.content.decode()
    response = browser.post(
        "/calls/complaints/new/",
        {
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "channel": "phone",
            "category": "service",
            "severity": "medium",
            "summary": "Transferred four times.",
            "owner": agent.pk,
            "customer": contact.customer_id,
            "contact": contact.pk,
        },
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/calls/complaints/{complaint.pk}/"
    assert (complaint.customer_id, complaint.owner_id, complaint.contacts.get()) == (
        contact.customer_id,
        agent.pk,
        contact,
    )


def test_new_complaint_form_shows_what_is_missing(agent):
    response = logged_in(agent).post("/calls/complaints/new/", {"channel": "phone", "severity": "low"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Complaint.objects.exists()


def test_detail_shows_the_deadlines_time_left_and_the_actions_the_role_may_take(agent, leader):
    complaint = ComplaintFactory(created_by=agent)
    agent_page = logged_in(agent).get(f"/calls/complaints/{complaint.pk}/").content.decode()
    assert 'data-testid="deadlines"' in agent_page and " left" in agent_page
    assert 'data-testid="action-acknowledge"' in agent_page and 'data-testid="action-resolve"' in agent_page
    assert 'data-testid="action-final-response"' not in agent_page
    assert (
        'data-testid="action-final-response"'
        in logged_in(leader).get(f"/calls/complaints/{complaint.pk}/").content.decode()
    )
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(complaint.pk)).count() == 2


def test_detail_query_count_is_bounded(agent, leader, django_assert_max_num_queries):
    complaint = ComplaintFactory(created_by=agent, owner=agent)
    for _ in range(5):
        ContactFactory(agent=agent, complaint=complaint)
    services.complaint_acknowledge(complaint_id=complaint.pk, actor=agent)
    browser = logged_in(leader)
    browser.get(f"/calls/complaints/{complaint.pk}/")
    with django_assert_max_num_queries(9):
        assert browser.get(f"/calls/complaints/{complaint.pk}/").status_code == 200


def test_acknowledge_then_a_refused_resolution_after_the_window_is_explained(agent):
    complaint = ComplaintFactory(created_by=agent, received_at=datetime(2026, 1, 5, 10, 0, tzinfo=LONDON))
    browser = logged_in(agent)
    assert browser.post(f"/calls/complaints/{complaint.pk}/acknowledge/").status_code == 302
    response = browser.post(f"/calls/complaints/{complaint.pk}/resolve/", {"resolve-outcome": "upheld"}, follow=True)
    assert "send a final response instead" in response.content.decode()
    assert Complaint.objects.get(pk=complaint.pk).status == ComplaintStatus.ACKNOWLEDGED


def test_final_response_from_the_page_and_refused_to_agents(agent, leader):
    complaint = ComplaintFactory(created_by=agent)
    url = f"/calls/complaints/{complaint.pk}/final-response/"
    data = {"final-outcome": "not_upheld", "final-root_cause": "Policy wording was clear.", "final-redress": "0"}
    assert logged_in(agent).post(url, data).status_code == 403
    response = logged_in(leader).post(url, data, follow=True)
    assert "Final response recorded." in response.content.decode()
    assert Complaint.objects.get(pk=complaint.pk).status == ComplaintStatus.FINAL_RESPONSE


def test_incomplete_action_form_is_named_in_the_message(leader):
    complaint = ComplaintFactory(created_by=leader)
    response = logged_in(leader).post(f"/calls/complaints/{complaint.pk}/final-response/", {}, follow=True)
    assert "Check the form" in response.content.decode() and "Root cause" in response.content.decode()


def test_assign_and_unknown_actions(agent, leader):
    complaint = ComplaintFactory(created_by=agent)
    browser = logged_in(leader)
    browser.post(f"/calls/complaints/{complaint.pk}/assign/", {"owner": agent.pk})
    assert Complaint.objects.get(pk=complaint.pk).owner == agent
    assert browser.post(f"/calls/complaints/{complaint.pk}/reopen/").status_code == 404
    assert browser.post("/calls/complaints/999999/acknowledge/").status_code == 404


def test_report_counts_rates_and_shares_for_the_period(agent, leader):
    received = datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)  # Monday: summary due Thursday 5 March
    quick, slow, _still_open = (ComplaintFactory(created_by=agent, received_at=received) for _ in range(3))
    services.complaint_resolve(
        complaint_id=quick.pk, actor=agent, outcome="upheld", redress=Decimal("20"), now=received + timedelta(days=1)
    )
    services.complaint_final_response(
        complaint_id=slow.pk,
        actor=leader,
        outcome="not_upheld",
        root_cause="Correct decision.",
        redress=Decimal(0),
        now=received + timedelta(days=20),
    )
    ContactFactory.create_batch(4, agent=agent, offered_at=received)
    report = complaint_report(start=date(2026, 3, 1), end=date(2026, 3, 31))
    assert (report.received, report.contacts, report.per_thousand_contacts) == (3, 4, Decimal("750.0"))
    assert (report.closed, report.upheld_rate, report.redress) == (2, Decimal("50.0"), Decimal("20.00"))
    assert (report.share_within_summary, report.share_within_final) == (Decimal("50.0"), Decimal("100.0"))
    html = logged_in(leader).get("/calls/complaints/report/?start=2026-03-01&end=2026-03-31").content.decode()
    assert "750.0 per 1,000 contacts" in html
