"""seed_demo: a coherent demo at a chosen scale, the same for the same seed, never over real data."""

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client

from staff.models import Site, Team, User
from staff.roles import Role

pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, list[tuple]]:
    from claims.models import Claim
    from customers.models import Customer

    return {
        "staff": sorted(
            User.objects.values_list(
                "email",
                "full_name",
                "full_name_ar",
                "preferred_language",
                "site__code",
                "team__name",
                "groups__name",
                "date_joined",
            )
        ),
        "members": sorted(
            Customer.objects.values_list(
                "membership_number", "first_name", "last_name", "date_of_birth", "postcode", "is_vulnerable"
            )
        ),
        "claims": sorted(
            Claim.objects.values_list("customer__membership_number", "status", "claimed_total", "approved_total")
        ),
    }


class Rollback(Exception):
    pass


def seeded_snapshot(settings, seed_value: int) -> dict:
    """Seed inside a savepoint, take the snapshot, roll the savepoint back."""
    try:
        with transaction.atomic():
            seed(settings, scale="small", seed=seed_value)
            taken = snapshot()
            raise Rollback
    except Rollback:
        return taken


def seed(settings, **options):
    settings.DEBUG = True
    call_command("seed_demo", **options)


def test_seeding_builds_sites_teams_and_every_role(settings, roles, capsys):
    seed(settings, scale="small", seed=7)
    out = capsys.readouterr().out
    assert set(Site.objects.values_list("name", flat=True)) == {"Staines", "Manchester"}
    assert Team.objects.filter(leader__isnull=True).count() == 0
    for role in Role.values:
        assert User.objects.filter(groups__name=role).exists(), role
    assert "agent@tawasul.demo" in out and "agent-demo-pass" in out
    assert "API token for telephony@tawasul.demo" in out
    # The nurse line is served from the site its nurses work at; the other queues are shared.
    from calls.models import Queue

    assert dict(Queue.objects.exclude(site=None).values_list("code", "site__name")) == {"nurse": "Staines"}
    # Every team leader leads a team at the site they work at.
    for team in Team.objects.select_related("leader"):
        assert team.leader.site_id == team.site_id


def test_the_same_seed_builds_the_same_data(settings, roles):
    first = seeded_snapshot(settings, 42)
    assert first["members"] and first["claims"]
    assert seeded_snapshot(settings, 42) == first
    assert seeded_snapshot(settings, 43) != first


@pytest.mark.slow
def test_scales_grow(settings, roles):
    seed(settings, scale="medium", seed=1)
    assert User.objects.count() > 200
    assert Team.objects.count() == 17


def test_if_empty_leaves_an_existing_database_alone(settings, roles, user_factory, capsys):
    user_factory(role=Role.AGENT)
    seed(settings, if_empty=True)
    assert "already has data" in capsys.readouterr().out
    assert User.objects.count() == 1
    with pytest.raises(CommandError, match="already has users"):
        seed(settings)


def test_refuses_published_passwords_when_debug_is_off(settings, roles):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_demo_logins_work_and_land_on_their_workspaces(settings, roles):
    seed(settings, scale="small", seed=2026)
    expected = {
        "agent": "/calls/desk/",
        "nurse": "/calls/nurse/",
        "teamleader": "/staff/team/",
        "manager": "/performance/",
        "hr": "/staff/people/",
        "admin": "/system/status/",
        "assessor": "/claims/queue/",
    }
    from staff.demo import DEMO_LOGINS

    for _role, local, *_rest, password in DEMO_LOGINS:
        if not password:
            continue
        client = Client()
        response = client.post("/login/", {"username": f"{local}@tawasul.demo", "password": password})
        assert response.status_code == 302, local
        assert client.get("/")["Location"] == expected[local]
