"""The audit trail: written by services, and append-only in the database itself."""

import pytest
from django.db import DatabaseError, transaction

from contactcentre.models import AuditAction, AuditEvent
from contactcentre.services import audit_record
from staff.roles import Role

pytestmark = pytest.mark.django_db


def test_services_record_who_did_what_to_which_record(user_factory):
    person = user_factory(role=Role.ADMINISTRATOR, email="admin@example.org")
    event = audit_record(actor=person, action=AuditAction.VIEW, obj=person, ip_address="192.0.2.1", summary="x")
    assert (event.actor_label, event.object_type, event.object_id) == (
        "admin@example.org",
        "staff.user",
        str(person.pk),
    )


def test_unknown_actions_are_refused():
    with pytest.raises(ValueError):
        audit_record(actor=None, action="peek")


def test_audit_rows_cannot_be_changed_or_deleted(user_factory):
    event = audit_record(actor=user_factory(role=Role.AGENT), action=AuditAction.LOGIN)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(summary="nothing happened")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk, summary="").exists()


def test_people_in_the_trail_cannot_be_deleted_only_deactivated(user_factory):
    from django.db.models import ProtectedError

    person = user_factory(role=Role.AGENT)
    audit_record(actor=person, action=AuditAction.LOGIN)
    with pytest.raises(ProtectedError):
        person.delete()
