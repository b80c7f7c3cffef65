import pytest
from django.core.management import CommandError, call_command
from knox.models import AuthToken
from rest_framework.test import APIClient

from staff.roles import Role

pytestmark = pytest.mark.django_db


def test_create_prints_a_working_token_once_and_revoke_ends_it(roles, capsys):
    call_command("api_token", "create", "pbx@example.org", "--new-client", "Staines PBX")
    token = capsys.readouterr().out.strip().splitlines()[-1]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/me/").json()["roles"] == [Role.API_CLIENT]

    key = AuthToken.objects.get().token_key
    call_command("api_token", "revoke", key)
    assert client.get("/api/v1/me/").status_code == 401


def test_create_refuses_people_who_are_not_api_clients(user_factory):
    user_factory(role=Role.AGENT, email="agent@example.org")
    with pytest.raises(CommandError, match="API client role"):
        call_command("api_token", "create", "agent@example.org")


def test_revoking_an_unknown_key_is_an_error(roles):
    with pytest.raises(CommandError, match="No token"):
        call_command("api_token", "revoke", "nope")
