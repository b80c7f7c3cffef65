"""Cover check, claim intake, claim detail and actions, and the assessors' queue in the browser."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from claims import services
from claims.models import Claim, ClaimStatus
from claims.tests.factories import ProviderFactory, covered_member
from staff.roles import Role

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_cover_check_form_shows_the_refusal_and_its_reason_in_plain_words(user_factory):
    agent = logged_in(user_factory(role=Role.AGENT))
    member = covered_member(start=date(2026, 1, 1))
    response = agent.post(
        f"/claims/cover-check/{member.customer_id}/",
        {"category": "therapies", "treatment_date": "2026-02-01", "estimated_cost": "300", "procedure": "Physio"},
    )
    html = response.content.decode()
    assert "Not covered" in html
    assert "The 90-day waiting period for this benefit ends on 1 April 2026." in html


def test_cover_check_reasons_are_in_arabic_for_arabic_readers(user_factory):
    agent = logged_in(user_factory(role=Role.AGENT))
    agent.cookies["django_language"] = "ar"
    member = covered_member(start=date(2026, 1, 1))
    html = agent.post(
        f"/claims/cover-check/{member.customer_id}/",
        {"category": "therapies", "treatment_date": "2026-02-01", "estimated_cost": "300"},
    ).content.decode()
    assert "فترة الانتظار" in html


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("estimated_cost", "-5"),
        ("estimated_cost", "abc"),
        ("treatment_date", "2026-02-31"),
        ("category", "dental"),
        ("icd10", "not-a-code"),
    ],
)
def test_cover_check_form_names_the_bad_field(user_factory, field, value):
    agent = logged_in(user_factory(role=Role.AGENT))
    member = covered_member()
    data = {"category": "outpatient", "treatment_date": "2026-02-01", "estimated_cost": "300", field: value}
    response = agent.post(f"/claims/cover-check/{member.customer_id}/", data)
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert response.context["check"] is None


def test_an_agent_enters_a_claim_and_an_assessor_takes_it_to_payment(user_factory):
    agent_user, assessor_user = user_factory(role=Role.AGENT), user_factory(role=Role.CLAIMS_ASSESSOR)
    member = covered_member(start=date(2026, 1, 1))
    provider = ProviderFactory()
    response = logged_in(agent_user).post(
        f"/claims/new/{member.customer_id}/",
        {
            "provider": provider.pk,
            "received_on": "2026-03-05",
            "lines-TOTAL_FORMS": "3",
            "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "1",
            "lines-MAX_NUM_FORMS": "50",
            "lines-0-category": "outpatient",
            "lines-0-procedure": "Consultation",
            "lines-0-treatment_date": "2026-03-01",
            "lines-0-amount": "200.00",
        },
    )
    claim = Claim.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/claims/{claim.pk}/"
    assessor = logged_in(assessor_user)
    for action in ("start", "assess", "schedule-payment", "pay"):
        claim.refresh_from_db()
        assessor.post(f"/claims/{claim.pk}/{action}/", {"version": claim.version})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PAID and claim.approved_total == Decimal("100.00")
    html = assessor.get(f"/claims/{claim.pk}/").content.decode()
    assert "Paid" in html and "The member pays £100.00 of excess." in html


def test_a_stale_form_is_refused_with_a_message(user_factory):
    agent_user, assessor_user = user_factory(role=Role.AGENT), user_factory(role=Role.CLAIMS_ASSESSOR)
    member = covered_member(start=date(2026, 1, 1))
    claim = services.claim_create(
        customer=member.customer,
        provider=ProviderFactory(),
        actor=agent_user,
        lines=[services.LineInput("outpatient", "x", date(2026, 3, 1), Decimal("100"))],
    )
    assessor = logged_in(assessor_user)
    assessor.post(f"/claims/{claim.pk}/start/", {"version": claim.version})
    response = assessor.post(f"/claims/{claim.pk}/withdraw/", {"version": claim.version}, follow=True)
    assert "Someone else changed this claim meanwhile" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.ASSESSING


def test_claim_intake_refuses_a_date_without_cover(user_factory):
    agent = logged_in(user_factory(role=Role.AGENT))
    member = covered_member(start=date(2026, 1, 1))
    response = agent.post(
        f"/claims/new/{member.customer_id}/",
        {
            "provider": ProviderFactory().pk,
            "received_on": "2026-03-05",
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "1",
            "lines-MAX_NUM_FORMS": "50",
            "lines-0-category": "outpatient",
            "lines-0-procedure": "Consultation",
            "lines-0-treatment_date": "2025-03-01",
            "lines-0-amount": "200.00",
        },
    )
    assert response.status_code == 200
    assert "no policy covering the treatment date" in response.content.decode()
    assert not Claim.objects.exists()


def test_the_queue_lists_open_claims_oldest_first_with_bounded_queries(user_factory, django_assert_max_num_queries):
    agent_user = user_factory(role=Role.AGENT)
    assessor = logged_in(user_factory(role=Role.CLAIMS_ASSESSOR))
    member = covered_member(start=date(2026, 1, 1))
    provider = ProviderFactory()

    def add(n):
        for i in range(n):
            services.claim_create(
                customer=member.customer,
                provider=provider,
                actor=agent_user,
                received_on=date(2026, 3, 1 + i % 20),
                lines=[services.LineInput("outpatient", "x", date(2026, 2, 1), Decimal("100"))],
            )

    add(3)
    assessor.get("/claims/queue/")  # warm the permission cache, so both counts compare
    with django_assert_max_num_queries(12) as small:
        assessor.get("/claims/queue/")
    add(30)
    with django_assert_max_num_queries(12) as large:
        html = assessor.get("/claims/queue/").content.decode()
    assert len(large.captured_queries) == len(small.captured_queries)
    assert "33 claims" in html


def test_claim_detail_query_count_is_bounded(user_factory, django_assert_max_num_queries):
    agent_user = user_factory(role=Role.AGENT)
    member = covered_member(start=date(2026, 1, 1))
    lines = [services.LineInput("outpatient", f"Visit {i}", date(2026, 2, 1 + i), Decimal("10")) for i in range(20)]
    claim = services.claim_create(customer=member.customer, provider=ProviderFactory(), actor=agent_user, lines=lines)
    browser = logged_in(agent_user)
    with django_assert_max_num_queries(10):
        assert browser.get(f"/claims/{claim.pk}/").status_code == 200


def test_an_action_on_an_unknown_claim_is_404(user_factory):
    assessor = logged_in(user_factory(role=Role.CLAIMS_ASSESSOR))
    assert assessor.post("/claims/999999/start/", {"version": 1}).status_code == 404
