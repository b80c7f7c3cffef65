"""calls.bulk.load_contacts and `manage.py load_contacts`: past calls by COPY, at a small size,
against the real PostgreSQL (the loader drops and rebuilds the table's indexes and foreign keys)."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F
from django.utils import timezone

from calls.bulk import contact_centre_ensure, load_contacts
from calls.models import Contact, ContactState, TelephonyEvent
from claims.demo import seed_plans_and_providers
from customers.bulk import load_members
from customers.models import CustomerPhone

pytestmark = pytest.mark.django_db


@pytest.fixture
def members(db):
    plans, _providers = seed_plans_and_providers()
    load_members(count=600, seed=5, plan_ids=[p.pk for p in plans.values()], chunk=250)


def _table_shape() -> tuple[set, set]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'calls_contact'")
        indexes = set(cursor.fetchall())
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid), convalidated FROM pg_constraint "
            "WHERE conrelid = 'calls_contact'::regclass"
        )
        constraints = set(cursor.fetchall())
    return indexes, constraints


def test_loads_the_calls_and_leaves_the_table_with_all_its_indexes_and_constraints(members):
    before = _table_shape()
    centre = contact_centre_ensure(agents=12)
    counts = load_contacts(count=2_000, seed=3, centre=centre, chunk=700)  # three chunks

    assert Contact.objects.count() == counts.contacts == 2_000
    assert _table_shape() == before  # every index and foreign key rebuilt, every constraint validated
    assert len(before[0]) == 12 and any(name == "contact_caller_recent_idx" for name, _sql in before[0])
    assert not TelephonyEvent.objects.exists()
    assert 0.6 < counts.linked / counts.contacts < 0.8
    assert Contact.objects.filter(customer__isnull=False).count() == counts.linked
    assert Contact.objects.filter(customer__isnull=True).count() == counts.unknown_numbers


def test_each_call_is_finished_and_its_timing_is_what_the_fold_would_derive(members):
    load_contacts(count=2_000, seed=3, centre=contact_centre_ensure(agents=12), chunk=700)
    calls = Contact.objects.all()

    assert set(calls.values_list("state", flat=True)) == {ContactState.CLOSED, ContactState.ABANDONED}
    abandoned = calls.filter(state=ContactState.ABANDONED)
    assert 0.1 < abandoned.count() / 2_000 < 0.2
    assert not abandoned.exclude(is_abandoned=True, answered_at__isnull=True, ended_at__isnull=False).exists()
    assert abandoned.filter(is_short_abandon=True).exists()
    assert not abandoned.filter(is_short_abandon=True, wait_seconds__gt=5).exists()
    closed = calls.filter(state=ContactState.CLOSED)
    assert not closed.filter(agent__isnull=True).exists()
    assert not closed.filter(wrap_up_ended_at__isnull=True).exists()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM calls_contact WHERE
              wait_seconds <> extract(epoch FROM coalesce(answered_at, ended_at) - offered_at)
              OR (state = 'closed' AND (
                ring_seconds <> extract(epoch FROM answered_at - ringing_at)
                OR talk_seconds + hold_seconds <> extract(epoch FROM ended_at - answered_at)
                OR wrap_up_seconds <> extract(epoch FROM wrap_up_ended_at - ended_at)))
            """
        )
        assert cursor.fetchone()[0] == 0
    now = timezone.now()
    assert not calls.filter(offered_at__lt=now - timedelta(days=731)).exists()
    assert not calls.filter(wrap_up_ended_at__gt=now + timedelta(hours=3)).exists()


def test_members_call_from_their_own_or_their_policy_holders_phone_and_others_from_numbers_no_member_has(members):
    load_contacts(count=2_000, seed=3, centre=contact_centre_ensure(agents=12), chunk=700)
    member_numbers = {str(n) for n in CustomerPhone.objects.values_list("number", flat=True)}
    linked = Contact.objects.filter(customer__isnull=False)
    own = linked.filter(customer__phones__number=F("caller_number")).count()

    assert 0 < own < linked.count()  # some called about a dependant from the holder's phone
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM calls_contact c WHERE c.customer_id IS NOT NULL AND NOT EXISTS (
              SELECT 1 FROM claims_policymember pm JOIN claims_policy p ON p.id = pm.policy_id
              JOIN customers_customerphone ph ON ph.customer_id IN (pm.customer_id, p.holder_id)
              WHERE pm.customer_id = c.customer_id AND ph.number = c.caller_number)
            """
        )
        assert cursor.fetchone()[0] == 0
    others = set(Contact.objects.filter(customer__isnull=True).values_list("caller_number", flat=True))
    assert others and not others & member_numbers
    repeats = (
        Contact.objects.exclude(caller_number="withheld")
        .values("caller_number")
        .order_by()
        .annotate(calls=Count("id"))
        .filter(calls__gte=3)
    )
    assert repeats.exists()  # some numbers have a history


def test_the_command_reports_what_it_loaded_and_refuses_a_database_with_contacts(members):
    out = io.StringIO()
    call_command("load_contacts", count=500, chunk=200, agents=5, stdout=out)

    assert "Loaded 500 contacts" in out.getvalue()
    assert Contact.objects.count() == 500
    with pytest.raises(CommandError, match="already has contacts"):
        call_command("load_contacts", count=10, stdout=io.StringIO())


def test_the_loader_needs_members_to_call_from(db):
    with pytest.raises(ValueError, match="No members"):
        load_contacts(count=10, seed=1, centre=contact_centre_ensure(agents=2))
