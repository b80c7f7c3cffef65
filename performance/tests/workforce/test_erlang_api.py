"""GET /api/v1/performance/erlang-c/: domain.md's reference figures, each refusal a 400 in the one
JSON error shape naming its field, who may call it, and its place in the OpenAPI schema.

Reference (domain.md, "Erlang C"): 100 contacts in 30 minutes, AHT 180 s, 80% in 20 s: A = 10;
N = 14 gives P(wait) 0.1741, SL 0.8884, ASA 7.84 s, occupancy 0.7143; with 30% shrinkage 20 rostered."""

import pytest
from rest_framework.test import APIClient

from staff.roles import Role
from staff.services import api_token_create

pytestmark = pytest.mark.django_db

URL = "/api/v1/performance/erlang-c/"
REFERENCE = {
    "contacts": "100",
    "interval_seconds": "1800",
    "aht_seconds": "180",
    "threshold_seconds": "20",
    "target": "0.8",
    "shrinkage": "0.3",
}


@pytest.fixture
def workforce_tool(user_factory):
    client = APIClient()
    machine = user_factory(role=Role.API_CLIENT, email="wfm@example.org")
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(client=machine).clear_token}")
    return client


def test_the_reference_example_gives_14_agents_and_20_rostered(workforce_tool):
    response = workforce_tool.get(URL, REFERENCE)
    assert response.status_code == 200
    body = response.json()
    assert body["traffic_erlangs"] == pytest.approx(10.0)
    assert (body["agents"], body["rostered"]) == (14, 20)
    assert body["p_wait"] == pytest.approx(0.1741, abs=5e-5)
    assert body["service_level"] == pytest.approx(0.8884, abs=5e-5)
    assert body["asa_seconds"] == pytest.approx(7.84, abs=5e-3)
    assert body["occupancy"] == pytest.approx(0.7143, abs=5e-5)


def test_a_lower_target_is_met_with_13_agents_as_in_the_reference(workforce_tool):
    """N = 13 gives SL 0.7956: a 79% target is met with it, 80% is not."""
    body = workforce_tool.get(URL, REFERENCE | {"target": "0.79"}).json()
    assert body["agents"] == 13
    assert body["service_level"] == pytest.approx(0.7956, abs=5e-5)
    assert body["p_wait"] == pytest.approx(0.2853, abs=5e-5)
    assert body["asa_seconds"] == pytest.approx(17.12, abs=5e-3)


def test_shrinkage_is_optional_and_zero_rosters_the_agents_required(workforce_tool):
    params = {k: v for k, v in REFERENCE.items() if k != "shrinkage"}
    body = workforce_tool.get(URL, params).json()
    assert (body["agents"], body["rostered"]) == (14, 14)


def test_no_contacts_need_no_agents(workforce_tool):
    body = workforce_tool.get(URL, REFERENCE | {"contacts": "0"}).json()
    assert body == {
        "traffic_erlangs": 0.0,
        "agents": 0,
        "rostered": 0,
        "p_wait": 0.0,
        "service_level": 1.0,
        "asa_seconds": 0.0,
        "occupancy": 0.0,
    }


def test_large_traffic_is_staffed_without_overflow(workforce_tool):
    """5,000 erlangs: A^N / N! would overflow a float; the recursion does not."""
    body = workforce_tool.get(URL, REFERENCE | {"contacts": "50000"}).json()
    assert body["traffic_erlangs"] == pytest.approx(5000.0)
    assert 5000 < body["agents"] < 5100
    assert body["service_level"] >= 0.8


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"interval_seconds": "0"}, "interval_seconds"),
        ({"interval_seconds": "-900"}, "interval_seconds"),
        ({"aht_seconds": "-1"}, "aht_seconds"),
        ({"aht_seconds": "0"}, "aht_seconds"),
        ({"target": "0"}, "target"),
        ({"target": "1"}, "target"),
        ({"target": "80"}, "target"),
        ({"target": "-0.2"}, "target"),
        ({"shrinkage": "1"}, "shrinkage"),
        ({"shrinkage": "-0.1"}, "shrinkage"),
        ({"contacts": "-5"}, "contacts"),
        ({"threshold_seconds": "-20"}, "threshold_seconds"),
        ({"contacts": "lots"}, "contacts"),
        ({"aht_seconds": "NaN"}, "aht_seconds"),
        ({"target": "inf"}, "target"),
        ({"contacts": "1e12"}, "contacts"),  # more erlangs than any centre: refused, not computed
    ],
)
def test_impossible_or_malformed_inputs_are_a_400_naming_the_field(workforce_tool, change, field):
    response = workforce_tool.get(URL, REFERENCE | change)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert list(error["fields"]) == [field]
    assert error["fields"][field][0]


def test_every_missing_input_is_named(workforce_tool):
    response = workforce_tool.get(URL)
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {
        "contacts",
        "interval_seconds",
        "aht_seconds",
        "threshold_seconds",
        "target",
    }


@pytest.mark.parametrize(("role", "status"), [(Role.MANAGER, 200), (Role.TEAM_LEADER, 403), (Role.AGENT, 403)])
def test_only_those_who_plan_staffing_may_call_it(user_factory, role, status):
    client = APIClient()
    client.force_authenticate(user_factory(role=role))
    assert client.get(URL, REFERENCE).status_code == status


def test_anonymous_callers_are_refused_in_the_error_shape():
    response = APIClient().get(URL, REFERENCE)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_the_endpoint_is_in_the_openapi_schema(workforce_tool):
    schema = workforce_tool.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/performance/erlang-c/"]["get"]
    assert operation["operationId"] == "performance_erlang_c"
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert names == {"contacts", "interval_seconds", "aht_seconds", "threshold_seconds", "target", "shrinkage"}
    assert {"200", "400"} <= set(operation["responses"])
