"""Callers of the surveys API: an API client with its token, and people logged in to the API."""

import pytest
from rest_framework.test import APIClient

from staff.roles import Role
from staff.services import api_token_create


@pytest.fixture
def machine_user(user_factory):
    return user_factory(role=Role.API_CLIENT, email="survey-tool@example.org")


@pytest.fixture
def machine(machine_user):
    """An external survey tool or SMS/IVR provider, calling with its token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(client=machine_user).clear_token}")
    return client


@pytest.fixture
def api_as():
    def as_(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return as_
