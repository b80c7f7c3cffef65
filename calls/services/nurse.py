"""The nurse advice line's clinical record: recording a triage and reading one. Only nurses may do
either; every read, and every refused attempt to read, is in the audit trail."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from contactcentre.exceptions import Conflict, DomainError
from contactcentre.models import AuditAction
from contactcentre.services import audit_record
from customers.rules import normalise_phone

from ..models import Contact, FollowUpKind, NurseTriage
from .followups import follow_up_create

VIEW_TRIAGE = "calls.view_nursetriage"
ADD_TRIAGE = "calls.add_nursetriage"


class NotANurseLineCall(DomainError):
    """Only a call on the nurse advice line has a triage record."""

    code = "not_a_nurse_line_call"


def triage_record(
    *,
    nurse,
    contact: Contact,
    presenting_problem: str,
    advice_given: str,
    disposition: str,
    safety_netting: str,
    follow_up_due_at: datetime | None = None,
) -> NurseTriage:
    """Record the triage of a nurse-line call, by the nurse who took it, with a callback to the
    caller when one is promised (owned by the nurse, on the nurse's team)."""
    if not nurse.has_perm(ADD_TRIAGE):
        raise PermissionDenied
    if contact.queue is None or not contact.queue.is_nurse_line:
        raise NotANurseLineCall(gettext("Only a call on the nurse advice line has a triage record."))
    if contact.agent_id is not None and contact.agent_id != nurse.pk:
        raise DomainError(gettext("The triage is recorded by the nurse who took the call."))
    with transaction.atomic():
        contact = Contact.objects.select_for_update(no_key=True).get(pk=contact.pk)
        if NurseTriage.objects.filter(contact=contact).exists():
            raise Conflict(gettext("This call's triage is already recorded."))
        follow_up = None
        if follow_up_due_at is not None:
            follow_up = follow_up_create(
                actor=nurse,
                due_at=follow_up_due_at,
                kind=FollowUpKind.CALLBACK,
                owner=nurse,
                team=nurse.team,
                customer=contact.customer,
                contact=contact,
                # The note is read by whoever works the follow-up: nothing clinical in it.
                note=gettext("Nurse callback after a triage call."),
                phone_number=normalise_phone(contact.caller_number) or "",
            )
        triage = NurseTriage(
            contact=contact,
            nurse=nurse,
            presenting_problem=presenting_problem.strip(),
            advice_given=advice_given.strip(),
            disposition=disposition,
            safety_netting=safety_netting.strip(),
            follow_up=follow_up,
        )
        triage.full_clean(exclude=["contact", "follow_up"])
        triage.save()
        audit_record(
            actor=nurse,
            action=AuditAction.CREATE,
            obj=triage,
            summary=f"triage of contact {contact.pk}",
            detail={"clinical": True, "contact": contact.pk, "follow_up": follow_up.pk if follow_up else None},
        )
    return triage


def triage_read(*, actor, triage_id: int, ip_address: str | None = None, via: str = "web") -> NurseTriage:
    """A triage for a nurse to read, with the read audited. Anyone else is refused, and the attempt
    audited too: asking is checked before the record is looked up, so ids cannot be probed."""
    if not actor.has_perm(VIEW_TRIAGE):
        # Recorded against the note asked for, so "who tried to read this note?" is one query.
        audit_record(
            actor=actor,
            action=AuditAction.DENIED,
            object_type=NurseTriage._meta.label_lower,
            object_id=str(triage_id),
            summary="refused: not a nurse",
            ip_address=ip_address,
            detail={"clinical": True, "refused": True, "via": via},
        )
        raise PermissionDenied(gettext("Only nurses may read triage notes."))
    triage = get_object_or_404(
        NurseTriage.objects.select_related("contact__queue", "contact__customer", "nurse", "follow_up"),
        pk=triage_id,
    )
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        obj=triage,
        summary=f"triage of contact {triage.contact_id}",
        ip_address=ip_address,
        detail={"clinical": True, "via": via},
    )
    return triage
