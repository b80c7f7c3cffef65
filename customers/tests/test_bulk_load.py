"""The bulk loader (COPY) writes rows the application reads like any other."""

import pytest
from django.core.management import CommandError, call_command

from claims.models import Policy, PolicyMember
from customers.models import Customer
from customers.rules import membership_number_valid, soundex
from customers.selectors import customer_search

pytestmark = pytest.mark.django_db


def test_load_members_writes_members_phones_policies_and_search_keys(capsys):
    call_command("load_members", count=500, chunk=200, seed=1)
    assert Customer.objects.count() == 500
    assert PolicyMember.objects.count() == 500 and Policy.objects.count() > 100
    member = Customer.objects.order_by("id").first()
    assert membership_number_valid(member.membership_number)
    assert member.search_name == f"{member.first_name} {member.last_name}".lower()
    assert member.last_name_key == soundex(member.last_name)
    phone = str(member.phones.get().number)
    assert member in [r.customer for r in customer_search(phone)]
    assert member in [r.customer for r in customer_search(f"{member.first_name} {member.last_name}", limit=50)]
    assert "Loaded 500 members" in capsys.readouterr().out


def test_load_members_refuses_a_database_that_already_has_members():
    call_command("load_members", count=5)
    with pytest.raises(CommandError, match="already has members"):
        call_command("load_members", count=5)
