"""The cover and claims API: decisions with reasons, one endpoint per transition, and bad input
answered in the one error shape."""

from datetime import date
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from claims.models import Claim, Payment
from claims.tests.factories import PhoneFactory, ProviderFactory, covered_member
from contactcentre.models import AuditAction, AuditEvent
from contactcentre.tests.test_api import assert_error_shape
from staff.roles import Role
from staff.services import api_token_create

pytestmark = pytest.mark.django_db


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def new_claim(client, member, amount="50", **extra) -> dict:
    """A one-line out-patient claim entered over the API."""
    return client.post(
        "/api/v1/claims/",
        {
            "customer": member.customer_id,
            "provider": extra.pop("provider", None) or ProviderFactory().pk,
            "lines": [{"category": "outpatient", "procedure": "x", "treatment_date": "2026-03-01", "amount": amount}],
            **extra,
        },
        format="json",
    ).json()


@pytest.fixture
def agent(user_factory):
    return api_as(user_factory(role=Role.AGENT))


@pytest.fixture
def assessor(user_factory):
    return api_as(user_factory(role=Role.CLAIMS_ASSESSOR))


def test_telephony_screen_pop_finds_the_member_by_the_callers_number(user_factory):
    member = covered_member(first_name="Amira", last_name="Haddad")
    PhoneFactory(customer=member.customer, number="+447700900321")
    pbx = user_factory(role=Role.API_CLIENT, password=None)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(client=pbx).clear_token}")
    found = client.get("/api/v1/customers/", {"q": "+44 7700 900321"}).json()
    assert [(r["customer"]["last_name"], r["matched_on"]) for r in found] == [("Haddad", "phone")]


def test_search_needs_something_to_search_for(agent):
    assert_error_shape(agent.get("/api/v1/customers/"), 400)["fields"]["q"]


def test_reading_a_member_is_audited_and_an_unknown_member_is_404(agent):
    member = covered_member()
    assert agent.get(f"/api/v1/customers/{member.customer_id}/").json()["membership_number"]
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, object_id=str(member.customer_id), detail__via="api"
    ).exists()
    assert_error_shape(agent.get("/api/v1/customers/999999/"), 404, "not_found")


def test_cover_check_returns_the_decision_and_every_reason(agent):
    member = covered_member(start=date(2026, 1, 1))
    response = agent.post(
        "/api/v1/cover-checks/",
        {
            "customer": member.customer_id,
            "category": "therapies",
            "treatment_date": "2026-02-01",
            "estimated_cost": "300.00",
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["decision"] == "not_covered"
    assert body["reasons"][0]["code"] == "waiting_period"
    assert body["reasons"][0]["text"] == "The 90-day waiting period for this benefit ends on 1 April 2026."


def test_cover_check_for_an_unknown_member_is_404(agent):
    response = agent.post(
        "/api/v1/cover-checks/",
        {"customer": 999999, "category": "outpatient", "treatment_date": "2026-02-01", "estimated_cost": "10"},
    )
    assert_error_shape(response, 404, "not_found")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("estimated_cost", "-1"),
        ("estimated_cost", "12.345"),
        ("estimated_cost", "lots"),
        ("treatment_date", "2026-02-30"),
        ("category", "dental"),
        ("icd10", "XYZ-1"),
    ],
)
def test_bad_cover_check_input_is_400_naming_the_field(agent, field, value):
    member = covered_member()
    data = {
        "customer": member.customer_id,
        "category": "outpatient",
        "treatment_date": "2026-02-01",
        "estimated_cost": "100.00",
        field: value,
    }
    error = assert_error_shape(agent.post("/api/v1/cover-checks/", data), 400, "invalid")
    assert list(error["fields"]) == [field]


def test_claim_lifecycle_over_the_api_with_one_endpoint_per_transition(agent, assessor):
    member = covered_member(start=date(2026, 1, 1))
    provider = ProviderFactory()
    created = agent.post(
        "/api/v1/claims/",
        {
            "customer": member.customer_id,
            "provider": provider.pk,
            "received_on": "2026-03-05",
            "lines": [
                {
                    "category": "outpatient",
                    "procedure": "Consultation",
                    "treatment_date": "2026-03-01",
                    "amount": "200.00",
                }
            ],
        },
        format="json",
    )
    assert created.status_code == 201
    claim = created.json()
    assert claim["status"] == "received" and claim["number"].startswith("CL")
    for step, status in [
        ("start", "assessing"),
        ("assess", "approved"),
        ("schedule-payment", "payment_scheduled"),
        ("pay", "paid"),
    ]:
        response = assessor.post(f"/api/v1/claims/{claim['id']}/{step}/", {"version": claim["version"]})
        assert response.status_code == 200, response.json()
        claim = response.json()
        assert claim["status"] == status
    assert claim["approved_total"] == "100.00" and claim["excess_applied"] == "100.00"
    assert [t["to_status"] for t in claim["transitions"]] == [
        "received",
        "assessing",
        "approved",
        "payment_scheduled",
        "paid",
    ]


def test_a_refused_transition_is_409_naming_the_current_state(agent, assessor):
    member = covered_member(start=date(2026, 1, 1))
    claim = new_claim(agent, member, "50")
    error = assert_error_shape(assessor.post(f"/api/v1/claims/{claim['id']}/pay/", {}), 409, "invalid_transition")
    assert error["fields"]["status"] == ["received"] and "received" in error["message"]


def test_a_concurrent_edit_is_refused_not_overwritten(agent, assessor):
    member = covered_member(start=date(2026, 1, 1))
    claim = new_claim(agent, member, "50")
    assert assessor.post(f"/api/v1/claims/{claim['id']}/start/", {"version": claim["version"]}).status_code == 200
    late = agent.post(f"/api/v1/claims/{claim['id']}/withdraw/", {"version": claim["version"]})
    assert_error_shape(late, 409, "conflict")
    assert Claim.objects.get(pk=claim["id"]).status == "assessing"


def test_paying_twice_over_the_api_is_409_and_one_payment(agent, assessor):
    member = covered_member(start=date(2026, 1, 1))
    claim = new_claim(agent, member, "500")
    for step in ("start", "assess", "schedule-payment", "pay"):
        assessor.post(f"/api/v1/claims/{claim['id']}/{step}/", {})
    assert_error_shape(assessor.post(f"/api/v1/claims/{claim['id']}/pay/", {}), 409, "already_paid")
    assert Payment.objects.filter(claim_id=claim["id"]).count() == 1


def test_bad_claim_lines_are_400_naming_the_line_field(agent):
    member = covered_member()
    response = agent.post(
        "/api/v1/claims/",
        {
            "customer": member.customer_id,
            "provider": ProviderFactory().pk,
            "lines": [{"category": "outpatient", "procedure": "x", "treatment_date": "2026-03-01", "amount": "0"}],
        },
        format="json",
    )
    error = assert_error_shape(response, 400, "invalid")
    assert "amount" in error["fields"]["lines"]["0"]  # the first line's amount
    assert_error_shape(
        agent.post("/api/v1/claims/", {"customer": member.customer_id, "provider": 1, "lines": []}, format="json"), 400
    )


def test_claim_list_filters_and_paginates(agent):
    member = covered_member(start=date(2026, 1, 1))
    provider = ProviderFactory()
    for day in range(1, 4):
        agent.post(
            "/api/v1/claims/",
            {
                "customer": member.customer_id,
                "provider": provider.pk,
                "received_on": f"2026-03-0{day}",
                "lines": [{"category": "outpatient", "procedure": "x", "treatment_date": "2026-03-01", "amount": "5"}],
            },
            format="json",
        )
    page = agent.get("/api/v1/claims/", {"received_after": "2026-03-02", "status": "received"}).json()
    assert page["count"] == 2


def test_pre_authorisation_from_a_passing_check(agent):
    member = covered_member(start=date(2026, 1, 1))
    check = agent.post(
        "/api/v1/cover-checks/",
        {
            "customer": member.customer_id,
            "category": "inpatient",
            "treatment_date": "2026-05-01",
            "estimated_cost": "5000",
            "provider": ProviderFactory().pk,
        },
    ).json()
    response = agent.post("/api/v1/pre-authorisations/", {"cover_check": check["id"]})
    assert response.status_code == 201
    assert response.json()["amount"] == str(Decimal("4900.00"))


def test_reading_a_claim_is_audited(agent):
    member = covered_member(start=date(2026, 1, 1))
    claim = new_claim(agent, member)
    agent.get(f"/api/v1/claims/{claim['id']}/")
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, object_type="claims.claim", object_id=str(claim["id"]), detail__via="api"
    ).exists()


def test_the_telephony_client_may_search_but_not_read_records(user_factory):
    member = covered_member()
    PhoneFactory(customer=member.customer, number="+447700900999")
    pbx = user_factory(role=Role.API_CLIENT, password=None)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(client=pbx).clear_token}")
    assert client.get("/api/v1/customers/", {"q": "07700900999"}).status_code == 200
    assert_error_shape(client.get(f"/api/v1/customers/{member.customer_id}/"), 403, "permission_denied")
