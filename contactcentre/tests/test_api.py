"""The API shell: authentication, the one error shape, hashed and revocable tokens, throttling, schema."""

import subprocess
import sys

import pytest
from django.conf import settings
from knox.models import AuthToken
from rest_framework.test import APIClient
from rest_framework.throttling import UserRateThrottle

from contactcentre.models import AuditAction, AuditEvent
from staff.roles import Role
from staff.services import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db


def assert_error_shape(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return body["error"]


@pytest.fixture
def api_client_user(user_factory):
    return user_factory(role=Role.API_CLIENT, email="telephony@example.org", password=None)


def test_unauthenticated_call_gets_401_in_the_error_shape():
    response = APIClient().get("/api/v1/me/")
    assert_error_shape(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Token"


def test_token_authenticates_an_api_client(api_client_user):
    issued = api_token_create(client=api_client_user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issued.clear_token}")
    response = client.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["email"] == "telephony@example.org"
    assert response.json()["roles"] == ["api_client"]


def test_tokens_are_stored_as_digests_never_in_clear(api_client_user):
    issued = api_token_create(client=api_client_user)
    stored = AuthToken.objects.get(token_key=issued.token_key)
    assert issued.clear_token not in {stored.digest, stored.token_key}
    assert len(stored.digest) == 128  # SHA-512 hex
    assert AuditEvent.objects.filter(action=AuditAction.TOKEN_CREATED, object_id=str(api_client_user.pk)).exists()


def test_revoked_token_gets_401(api_client_user):
    issued = api_token_create(client=api_client_user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issued.clear_token}")
    assert client.get("/api/v1/me/").status_code == 200

    assert api_token_revoke(token_key=issued.token_key) == 1

    assert_error_shape(client.get("/api/v1/me/"), 401, "authentication_failed")
    assert AuditEvent.objects.filter(action=AuditAction.TOKEN_REVOKED).count() == 1


def test_a_forged_token_gets_401():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 64)
    assert_error_shape(client.get("/api/v1/me/"), 401, "authentication_failed")


def test_tokens_are_issued_only_to_api_clients(user_factory):
    agent = user_factory(role=Role.AGENT)
    with pytest.raises(ValueError):
        api_token_create(client=agent)


def test_unknown_api_url_is_a_json_404(user_factory):
    client = APIClient()
    client.force_authenticate(user_factory(role=Role.AGENT))
    assert_error_shape(client.get("/api/v1/no-such-thing/"), 404, "not_found")
    assert_error_shape(APIClient().get("/api/v1/no-such-thing/"), 404, "not_found")


def test_missing_object_is_a_json_404(user_factory):
    client = APIClient()
    client.force_authenticate(user_factory(role=Role.AGENT))
    assert_error_shape(client.get("/api/v1/sites/999999/"), 404, "not_found")


def test_method_not_allowed_is_405_in_the_error_shape(user_factory):
    client = APIClient()
    client.force_authenticate(user_factory(role=Role.AGENT))
    assert_error_shape(client.post("/api/v1/sites/", {"name": "X"}), 405, "method_not_allowed")


def test_session_user_without_api_permission_gets_403(user_factory, roles):
    from django.contrib.auth.models import Group

    person = user_factory(role=Role.AGENT)
    Group.objects.get(name=Role.AGENT).permissions.remove(
        *Group.objects.get(name=Role.AGENT).permissions.filter(codename="use_api")
    )
    client = APIClient()
    client.force_authenticate(person)
    assert_error_shape(client.get("/api/v1/me/"), 403, "permission_denied")


def test_session_api_writes_need_csrf(user_factory):
    """Browser sessions get CSRF protection in the API too; a JSON 403, not an HTML page."""
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user_factory(role=Role.AGENT))
    response = client.post("/api/v1/sites/", {"name": "X"}, format="json")
    error = assert_error_shape(response, 403, "permission_denied")
    assert "CSRF" in error["message"]


def test_validation_errors_list_their_fields():
    from rest_framework import serializers

    from contactcentre.api_errors import exception_handler

    response = exception_handler(serializers.ValidationError({"email": ["Enter a valid email address."]}), {})
    assert response.status_code == 400
    assert response.data == {
        "error": {
            "code": "invalid",
            "message": "The request has invalid fields.",
            "fields": {"email": ["Enter a valid email address."]},
        }
    }


def test_domain_errors_map_to_their_status():
    from contactcentre.api_errors import exception_handler
    from contactcentre.exceptions import InvalidTransition

    response = exception_handler(InvalidTransition("A paid claim cannot be re-opened."), {})
    assert response.status_code == 409
    assert response.data["error"]["code"] == "invalid_transition"
    assert response.data["error"]["message"] == "A paid claim cannot be re-opened."


def test_throttling_returns_429_with_retry_after(user_factory, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {**UserRateThrottle.THROTTLE_RATES, "user": "3/minute"})
    client = APIClient()
    client.force_authenticate(user_factory(role=Role.AGENT))
    statuses = [client.get("/api/v1/me/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/me/")
    assert_error_shape(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0


def test_anonymous_callers_are_throttled_too(monkeypatch):
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {**AnonRateThrottle.THROTTLE_RATES, "anon": "2/minute"})
    statuses = [APIClient().get("/api/v1/me/").status_code for _ in range(3)]
    assert statuses == [401, 401, 429]


def test_wrong_tokens_are_throttled_per_address(monkeypatch):
    from contactcentre.api import FailedTokenThrottle

    monkeypatch.setattr(FailedTokenThrottle, "THROTTLE_RATES", {"token_failure": "3/minute"})
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "f" * 64)
    statuses = [client.get("/api/v1/me/").status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]


def test_list_endpoints_paginate_and_filter(user_factory):
    from staff.tests.factories import SiteFactory, TeamFactory

    staines = SiteFactory(code="staines", name="Staines")
    manchester = SiteFactory(code="manchester", name="Manchester")
    for i in range(3):
        TeamFactory(site=staines, name=f"S{i}")
    TeamFactory(site=manchester, name="M0")
    client = APIClient()
    client.force_authenticate(user_factory(role=Role.AGENT, site=staines))
    page = client.get("/api/v1/teams/", {"site": "staines", "page_size": 2}).json()
    assert page["count"] == 3
    assert len(page["results"]) == 2
    assert page["next"]
    assert {team["site"] for team in page["results"]} == {"staines"}


def test_schema_generates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    result = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--fail-on-warn", "--validate", "--file", str(out)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stderr and "Error" not in result.stderr, result.stderr
    text = out.read_text()
    import yaml

    schema = yaml.safe_load(text)
    without_examples = [
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if not any(
            "examples" in content
            for answer in operation["responses"].values()
            for content in answer.get("content", {}).values()
        )
    ]
    assert without_examples == [], "every endpoint shows an example answer in the API docs"
    assert "openapi: 3" in text
    assert "/api/v1/me/" in text
    assert "Token" in text  # the token security scheme is described


def test_swagger_ui_is_served_from_our_own_static_files(user_factory):
    from django.test import Client

    client = Client()
    client.force_login(user_factory(role=Role.AGENT))
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn" not in html.lower()


def test_an_address_over_the_wrong_token_limit_is_refused_even_with_the_right_token(api_client_user, monkeypatch):
    from contactcentre.api import FailedTokenThrottle

    monkeypatch.setattr(FailedTokenThrottle, "THROTTLE_RATES", {"token_failure": "2/minute"})
    good = api_token_create(client=api_client_user).clear_token
    guesser = APIClient()
    guesser.credentials(HTTP_AUTHORIZATION="Token " + "e" * 64)
    assert [guesser.get("/api/v1/me/").status_code for _ in range(3)] == [401, 401, 429]
    guesser.credentials(HTTP_AUTHORIZATION=f"Token {good}")
    assert_error_shape(guesser.get("/api/v1/me/"), 429, "throttled")
    # Another address is not affected.
    other = APIClient(REMOTE_ADDR="10.9.8.7")
    other.credentials(HTTP_AUTHORIZATION=f"Token {good}")
    assert other.get("/api/v1/me/").status_code == 200


def test_a_token_that_is_not_text_gets_401_not_500():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=b"Token \xff\xfe".decode("latin-1"))
    assert_error_shape(client.get("/api/v1/me/"), 401, "authentication_failed")


def test_docs_and_schema_refuse_anonymous_callers_in_the_json_error_shape():
    assert_error_shape(APIClient().get("/api/docs/"), 401, "not_authenticated")
    assert_error_shape(APIClient().get("/api/v1/schema/"), 401, "not_authenticated")


def test_writes_to_unknown_api_urls_are_404_not_csrf_failures(api_client_user):
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(client=api_client_user).clear_token}")
    assert_error_shape(client.post("/api/v1/no-such-thing/", {}), 404, "not_found")
    assert_error_shape(client.delete("/api/v1/no-such-thing/"), 404, "not_found")


def test_model_validation_errors_become_400_with_their_fields():
    from django.core.exceptions import ValidationError

    from contactcentre.api_errors import exception_handler

    response = exception_handler(ValidationError({"amount": ["Ensure this value is greater than 0."]}), {})
    assert response.status_code == 400
    assert response.data["error"]["fields"] == {"amount": ["Ensure this value is greater than 0."]}


def test_constraint_violations_become_409_conflicts():
    from django.db import IntegrityError

    from contactcentre.api_errors import exception_handler

    response = exception_handler(IntegrityError("duplicate key value violates unique constraint"), {})
    assert response.status_code == 409
    assert response.data["error"]["code"] == "conflict"
    assert "duplicate key" not in response.data["error"]["message"]  # no database internals leak


def test_a_valid_token_is_remembered_for_a_few_seconds_and_a_refused_one_never(
    api_client_user, settings, django_assert_num_queries, monkeypatch
):
    """API_TOKEN_CACHE_SECONDS: a token revoked by another process (here: deleted behind the
    service's back) still works until the lifetime has passed; then it is refused."""
    from contactcentre import cache as memo_module

    clock = [1000.0]
    monkeypatch.setattr(memo_module.time, "monotonic", lambda: clock[0])
    settings.API_TOKEN_CACHE_SECONDS = 5
    issued = api_token_create(client=api_client_user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issued.clear_token}")
    assert client.get("/api/v1/me/").status_code == 200
    with django_assert_num_queries(1):  # the view's own (the roles it shows): no token or permission query
        assert client.get("/api/v1/me/").status_code == 200

    AuthToken.objects.filter(token_key=issued.token_key).delete()
    clock[0] += 4
    assert client.get("/api/v1/me/").status_code == 200
    clock[0] += 2
    assert client.get("/api/v1/me/").status_code == 401

    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 64)
    assert client.get("/api/v1/me/").status_code == 401
    assert client.get("/api/v1/me/").status_code == 401  # looked up again, not remembered


def test_with_no_token_memory_a_deleted_token_is_refused_at_once(api_client_user, settings):
    settings.API_TOKEN_CACHE_SECONDS = 0
    issued = api_token_create(client=api_client_user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issued.clear_token}")
    assert client.get("/api/v1/me/").status_code == 200
    AuthToken.objects.filter(token_key=issued.token_key).delete()
    assert client.get("/api/v1/me/").status_code == 401


def test_an_address_found_under_the_wrong_token_limit_is_not_looked_up_again_until_it_sends_a_wrong_token(
    api_client_user, monkeypatch
):
    """One round trip to the cache saved on every call: a clean address is remembered per process
    (API_TOKEN_CACHE_SECONDS); its first wrong token makes the process ask again."""
    from contactcentre.api import FailedTokenThrottle

    monkeypatch.setattr(FailedTokenThrottle, "THROTTLE_RATES", {"token_failure": "1/minute"})
    lookups = []
    original = FailedTokenThrottle.blocked
    monkeypatch.setattr(
        FailedTokenThrottle, "blocked", lambda self, request: lookups.append(1) or original(self, request)
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(client=api_client_user).clear_token}")
    assert [client.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 200]
    assert len(lookups) == 1
    client.credentials(HTTP_AUTHORIZATION="Token " + "d" * 64)
    assert client.get("/api/v1/me/").status_code == 401  # counted: the address is now at its limit
    client.credentials(HTTP_AUTHORIZATION="Token " + "d" * 64)
    assert client.get("/api/v1/me/").status_code == 429  # looked up again, not taken from memory
