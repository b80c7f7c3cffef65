"""Reads for the nurse advice line: a nurse's recent calls, with whether each has its triage."""

from django.db.models import F
from django.shortcuts import get_object_or_404

from ..models import Contact


def nurse_recent_calls(nurse, *, limit: int = 25) -> list[Contact]:
    """The nurse's latest calls on a nurse-line queue, newest first, each with `triage_pk` (None
    until the triage is recorded). Only the id of the triage is read: the list shows no clinical
    text, so listing it is not a read of the record (services.nurse.triage_read is)."""
    return list(
        Contact.objects.filter(agent=nurse, queue__is_nurse_line=True)
        .select_related("queue", "customer")
        .annotate(triage_pk=F("triage__id"))
        .order_by(F("offered_at").desc(nulls_last=True), "-id")[:limit]
    )


def call_for_triage(contact_id: int) -> Contact:
    """A call to record a triage for (whether it may have one is services.nurse.triage_record's rule)."""
    return get_object_or_404(
        Contact.objects.select_related("queue", "customer").annotate(triage_pk=F("triage__id")), pk=contact_id
    )
