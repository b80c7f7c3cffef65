"""The workforce tests' fixed queue: its history, AHT, shrinkage and roster are described in
test_staffing.py's docstring, with the figures they give."""

from datetime import date, timedelta

import pytest
from django.test import Client

from calls.tests.factories import QueueFactory
from staff.roles import Role

from .factories import agent_day, at, handled, offered, shift

DAY = date(2026, 6, 1)  # a Monday


@pytest.fixture
def manager(user_factory):
    client = Client()
    client.force_login(user_factory(role=Role.MANAGER))
    return client


@pytest.fixture
def claims(user_factory):
    queue = QueueFactory(code="claims", name="Claims", answer_threshold_seconds=20, service_level_target=80)
    for week in range(1, 9):
        monday = DAY - timedelta(weeks=week)
        offered(queue, monday, 9, 0, 50)
        offered(queue, monday, 9, 15, 50)
    offered(queue, DAY, 9, 0, 60)
    offered(queue, DAY, 9, 15, 40)
    handled(queue, DAY - timedelta(weeks=1), calls=10, talk=1500, hold=100, wrap_up=200)
    amal, bilal, carys = (user_factory(role=Role.AGENT, full_name=name) for name in ("Amal", "Bilal", "Carys"))
    agent_day(amal, queue, DAY - timedelta(days=3), working=7000, away=3000)
    shift(amal, queue, at(DAY, 8), at(DAY, 10))
    shift(bilal, queue, at(DAY, 9), at(DAY, 9, 10))
    shift(carys, queue, at(DAY, 9, 15), at(DAY, 10))
    return queue
