"""Factories for the calls app's records."""

from datetime import timedelta

import factory
from django.utils import timezone

from calls.models import (
    Complaint,
    ComplaintCategory,
    Contact,
    ContactState,
    FollowUp,
    FollowUpKind,
    Queue,
    Severity,
)
from calls.rules.complaints import PROFILES, complaint_deadlines
from claims.tests.factories import CustomerFactory
from staff.tests.factories import UserFactory


class QueueFactory(factory.django.DjangoModelFactory):
    """A queue open 24/7; `nurse_line=True` makes it the nurse advice line."""

    class Meta:
        model = Queue
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"queue-{n}")
    name = factory.Sequence(lambda n: f"Queue {n}")
    open_all_hours = True

    class Params:
        nurse_line = factory.Trait(
            is_nurse_line=True,
            code=factory.Sequence(lambda n: f"nurse-line-{n}"),
            name=factory.Sequence(lambda n: f"Nurse advice line {n}"),
        )


class ContactFactory(factory.django.DjangoModelFactory):
    """An answered inbound call that has ended (pass `agent=`, `queue=`, `customer=` as needed)."""

    class Meta:
        model = Contact

    queue = factory.SubFactory(QueueFactory)
    customer = factory.SubFactory(CustomerFactory)
    caller_number = "+447700900123"
    state = ContactState.CLOSED
    offered_at = factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=10))
    answered_at = factory.LazyAttribute(lambda o: o.offered_at + timedelta(seconds=15))
    ended_at = factory.LazyAttribute(lambda o: o.answered_at + timedelta(minutes=6))


class FollowUpFactory(factory.django.DjangoModelFactory):
    """An open callback, due in an hour, owned by a new agent (who also made it). Needs the role
    groups (the `roles` or `user_factory` fixture)."""

    class Meta:
        model = FollowUp

    kind = FollowUpKind.CALLBACK
    owner = factory.SubFactory(UserFactory)
    team = None
    due_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=1))
    note = "Call back with the claim decision."
    created_by = factory.LazyAttribute(lambda o: o.owner or UserFactory())


def _deadlines(o):
    return complaint_deadlines(o.received_at, PROFILES[o.profile])


class ComplaintFactory(factory.django.DjangoModelFactory):
    """An open complaint from a member, received now and timed by its profile (UK FCA DISP), logged by
    a new agent. Pass `received_at=` to move its clock. Needs the role groups (`roles`/`user_factory`)."""

    class Meta:
        model = Complaint

    reference = factory.Sequence(lambda n: f"C-TEST-{n:06d}")
    customer = factory.SubFactory(CustomerFactory)
    channel = "phone"
    received_at = factory.LazyFunction(timezone.now)
    category = ComplaintCategory.SERVICE
    severity = Severity.MEDIUM
    summary = "Kept on hold for an hour, then cut off."
    profile = "fca_disp"
    summary_resolution_due = factory.LazyAttribute(lambda o: _deadlines(o).summary_resolution_due)
    final_response_due = factory.LazyAttribute(lambda o: _deadlines(o).final_response_due)
    created_by = factory.SubFactory(UserFactory)
