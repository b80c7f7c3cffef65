"""Examples for the OpenAPI schema of the cover and claims endpoints (shown in Swagger UI)."""

from drf_spectacular.utils import OpenApiExample

PROVIDER = {
    "id": 7,
    "provider_number": "C0002",
    "name": "Didsbury Physiotherapy Clinic",
    "kind": "clinic",
    "town": "Manchester",
    "postcode": "M20 6RT",
    "recognised": True,
    "direct_settlement": False,
}
POLICY = {
    "id": 3,
    "number": "P00000003",
    "plan": "standard",
    "holder": 42,
    "corporate_account": None,
    "underwriting": "moratorium",
    "status": "active",
    "start_date": "2025-03-01",
    "renewal_date": "2027-03-01",
    "members": [{"customer": 42, "joined_on": "2025-03-01", "covered_from": "2025-03-01", "covered_to": None}],
}
COVER_CHECK = {
    "id": 9,
    "customer": 42,
    "policy": 3,
    "category": "inpatient",
    "procedure": "Knee arthroscopy",
    "icd10": "M23.2",
    "provider": 1,
    "treatment_date": "2026-12-01",
    "estimated_cost": "2900.00",
    "decision": "covered",
    "insurer_pays": "2800.00",
    "member_pays": "100.00",
    "reasons": [
        {"code": "covered", "text": "Covered under the member's plan.", "params": {}},
        {"code": "excess_to_pay", "text": "The member pays £100.00 of excess.", "params": {"amount": "100.00"}},
        {
            "code": "pre_authorisation_required",
            "text": "This treatment needs a pre-authorisation before it takes place.",
            "params": {},
        },
    ],
    "checked_at": "2026-11-23T10:15:00Z",
}
PRE_AUTHORISATION = {
    "id": 4,
    "number": "PA00000009",
    "cover_check": 9,
    "customer": 42,
    "policy": 3,
    "provider": 1,
    "category": "inpatient",
    "procedure": "Knee arthroscopy",
    "amount": "2800.00",
    "valid_from": "2026-11-24",
    "valid_to": "2027-03-01",
    "status": "active",
    "created_at": "2026-11-23T10:16:00Z",
}
CLAIM = {
    "id": 12,
    "number": "CL00000012",
    "customer": 42,
    "policy": 3,
    "provider": 1,
    "pre_authorisation": "PA00000009",
    "status": "approved",
    "received_on": "2026-12-03",
    "claimed_total": "2900.00",
    "approved_total": "2800.00",
    "excess_applied": "100.00",
    "payee": "provider",
    "paid_on": None,
    "turnaround_working_days": None,
    "version": 3,
    "lines": [
        {
            "id": 20,
            "category": "inpatient",
            "procedure": "Knee arthroscopy",
            "icd10": "M23.2",
            "treatment_date": "2026-12-01",
            "amount": "2900.00",
            "approved_amount": "2800.00",
            "reasons": [
                {"code": "excess_to_pay", "text": "The member pays £100.00 of excess.", "params": {"amount": "100.00"}}
            ],
        }
    ],
    "transitions": [
        {
            "from_status": "",
            "to_status": "received",
            "actor": "agent@tawasul.demo",
            "at": "2026-12-03T09:00:00Z",
            "reason": "",
        },
        {
            "from_status": "received",
            "to_status": "assessing",
            "actor": "assessor@tawasul.demo",
            "at": "2026-12-03T11:00:00Z",
            "reason": "",
        },
        {
            "from_status": "assessing",
            "to_status": "approved",
            "actor": "assessor@tawasul.demo",
            "at": "2026-12-03T11:05:00Z",
            "reason": "",
        },
    ],
}
CLAIM_SUMMARY = {
    k: CLAIM[k]
    for k in (
        "id",
        "number",
        "customer",
        "policy",
        "provider",
        "status",
        "received_on",
        "claimed_total",
        "approved_total",
        "paid_on",
        "version",
    )
}
REFUSED = {
    "error": {
        "code": "invalid_transition",
        "message": "A claim that is received cannot become paid.",
        "fields": {"status": ["received"]},
    }
}


def page(item: dict) -> dict:
    return {"count": 1, "next": None, "previous": None, "results": [item]}


def response(name: str, value, status: str = "200") -> OpenApiExample:
    return OpenApiExample(name, value=value, response_only=True, status_codes=[status])


def request(name: str, value) -> OpenApiExample:
    return OpenApiExample(name, value=value, request_only=True)
