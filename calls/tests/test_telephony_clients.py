"""Telephony clients' signing secrets: the service, the `telephony_client` command, and their
effect on the events API."""

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from calls.models import Queue, TelephonyClient, TelephonyEvent
from calls.services.telephony_clients import telephony_secret_remove, telephony_secret_rotate
from contactcentre.models import AuditAction, AuditEvent
from staff.roles import Role
from staff.services import UnknownRole, api_token_create

pytestmark = pytest.mark.django_db
URL = "/api/v1/telephony/events/"


@pytest.fixture
def platform(user_factory):
    client_user = user_factory(role=Role.API_CLIENT, email="pbx@example.org")
    token = api_token_create(client=client_user).clear_token
    Queue.objects.create(code="claims", name="Claims", opens_at="08:00", closes_at="20:00")
    return client_user, Client(HTTP_AUTHORIZATION=f"Token {token}")


def offered(call: str = "CA1") -> bytes:
    at = (timezone.now() - timedelta(minutes=5)).replace(microsecond=0).isoformat()
    body = {"type": "offered", "provider": "twilio", "event_id": f"{call}-offered", "call_id": call}
    return json.dumps(body | {"occurred_at": at, "queue": "claims"}).encode()


def post(client: Client, raw: bytes, secret: str | None = None):
    headers = {}
    if secret is not None:
        headers["HTTP_X_TAWASUL_SIGNATURE"] = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return client.post(URL, data=raw, content_type="application/json", **headers)


def secret_from_command(capsys, email: str = "pbx@example.org") -> str:
    call_command("telephony_client", "secret", email)
    return capsys.readouterr().out.strip().splitlines()[-1]


def test_a_secret_set_by_the_command_makes_the_events_api_require_its_signature(platform, capsys):
    api = platform[1]
    secret = secret_from_command(capsys)

    assert post(api, offered("CA1"), secret).status_code == 200
    assert post(api, offered("CA2")).status_code == 401
    assert post(api, offered("CA3"), "a-guessed-secret").status_code == 401
    assert list(TelephonyEvent.objects.values_list("external_call_id", flat=True)) == ["CA1"]


def test_a_new_secret_replaces_the_old_one(platform, capsys):
    api = platform[1]
    old = secret_from_command(capsys)
    new = secret_from_command(capsys)

    assert new != old
    assert post(api, offered("CA1"), old).status_code == 401
    assert post(api, offered("CA1"), new).status_code == 200


def test_unsign_lets_the_token_alone_through_again(platform, capsys):
    api = platform[1]
    secret_from_command(capsys)
    assert post(api, offered("CA1")).status_code == 401

    call_command("telephony_client", "unsign", "pbx@example.org")

    assert "Removed the signing secret" in capsys.readouterr().out
    assert post(api, offered("CA1")).status_code == 200


def test_the_audit_trail_records_the_changes_but_never_the_secret(platform):
    client_user = platform[0]
    secret = telephony_secret_rotate(client_user=client_user)
    telephony_secret_rotate(client_user=client_user)
    assert telephony_secret_remove(client_user=client_user) is True
    assert telephony_secret_remove(client_user=client_user) is False  # nothing left: nothing audited

    rows = AuditEvent.objects.filter(object_type="staff.user", object_id=str(client_user.pk)).order_by("id")
    assert [row.summary for row in rows if row.action == AuditAction.UPDATE] == [
        "telephony signing secret set",
        "telephony signing secret replaced",
        "telephony signing secret removed",
    ]
    assert all(secret not in json.dumps(row.detail) + row.summary for row in rows)
    assert TelephonyClient.objects.get(user=client_user).signing_secret == ""


def test_people_who_are_not_api_clients_get_no_secret(user_factory):
    agent = user_factory(role=Role.AGENT, email="agent@example.org")
    with pytest.raises(CommandError, match="API client role"):
        call_command("telephony_client", "secret", "agent@example.org")
    with pytest.raises(UnknownRole):
        telephony_secret_rotate(client_user=agent)
    assert not TelephonyClient.objects.exists()


def test_an_unknown_email_is_an_error(roles):
    with pytest.raises(CommandError, match="No user"):
        call_command("telephony_client", "secret", "nobody@example.org")
