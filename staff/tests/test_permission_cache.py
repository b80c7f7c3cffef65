"""Permissions are cached between requests, and forgotten as soon as they change."""

import pytest
from django.contrib.auth.models import Group, Permission

from staff.models import User
from staff.roles import Role

pytestmark = pytest.mark.django_db


def fresh(user) -> User:
    return User.objects.get(pk=user.pk)  # a new object: what the next request sees


def test_permissions_are_read_once_then_cached(user_factory, django_assert_num_queries):
    agent = user_factory(role=Role.AGENT)
    assert fresh(agent).has_perm("staff.use_agent_desk")
    person = fresh(agent)
    with django_assert_num_queries(0):
        assert person.has_perm("staff.use_agent_desk")


def test_a_role_taken_away_takes_effect_at_once(user_factory):
    agent = user_factory(role=Role.AGENT)
    assert fresh(agent).has_perm("staff.use_agent_desk")
    agent.groups.remove(Group.objects.get(name=Role.AGENT))
    assert not fresh(agent).has_perm("staff.use_agent_desk")


def test_a_permission_taken_from_a_role_takes_effect_at_once(user_factory):
    agent = user_factory(role=Role.AGENT)
    assert fresh(agent).has_perm("claims.add_claim")
    Group.objects.get(name=Role.AGENT).permissions.remove(Permission.objects.get(codename="add_claim"))
    assert not fresh(agent).has_perm("claims.add_claim")


def test_a_role_given_takes_effect_at_once(user_factory):
    agent = user_factory(role=Role.AGENT)
    assert not fresh(agent).has_perm("staff.manage_people")
    agent.groups.add(Group.objects.get(name=Role.HR))
    assert fresh(agent).has_perm("staff.manage_people")
