"""Writes for complaints: log one (its regulatory deadlines fixed at receipt), the state changes
(acknowledge, summary resolution, final response) through one locked transition, and assignment. Each
change is atomic and audited. The deadline sweep (reminders, breaches) is in complaint_sweep."""

import uuid
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext

from contactcentre.exceptions import DomainError, InvalidTransition
from contactcentre.models import AuditAction
from contactcentre.services import audit_record
from staff.models import User

from ..models import Complaint, ComplaintOutcome, ComplaintStatus, Contact, ContactChannel
from ..rules import complaints as rules
from .complaint_sweep import SweepResult, complaint_deadline_sweep

__all__ = [
    "SweepResult",
    "complaint_acknowledge",
    "complaint_assign",
    "complaint_create",
    "complaint_deadline_sweep",
    "complaint_final_response",
    "complaint_list_exported",
    "complaint_record_viewed",
    "complaint_resolve",
    "complaint_transition",
]

# A receipt time this far ahead of the server's clock is still taken (the form's clock, or a few
# seconds between typing "now" and saving).
RECEIPT_GRACE = timedelta(minutes=5)
HANDLE_PERMISSION = "calls.change_complaint"
RESPOND_PERMISSION = "calls.respond_complaint"


def _installation_profile() -> rules.DeadlineProfile:
    try:
        return rules.profile_get(settings.COMPLAINT_PROFILE)
    except ValueError as error:
        raise ImproperlyConfigured(f"COMPLAINT_PROFILE: {error}") from None


def _owner_errors(owner: User | None) -> list[str]:
    if owner is None:
        return []
    if not owner.is_active:
        return [gettext("This person's account is closed.")]
    if not owner.has_perm(HANDLE_PERMISSION):
        return [gettext("This person does not handle complaints.")]
    return []


def complaint_create(
    *,
    actor,
    customer=None,
    channel: str,
    received_at: datetime,
    category: str,
    severity: str,
    summary: str,
    product: str = "",
    owner: User | None = None,
    contact: Contact | None = None,
) -> Complaint:
    """Log a complaint. Its deadlines come from the installation's profile (settings.COMPLAINT_PROFILE)
    and the time of receipt, and never move afterwards; a contact given is linked to it."""
    errors: dict[str, list[str]] = {}
    if timezone.is_naive(received_at):
        received_at = timezone.make_aware(received_at)
    if received_at > timezone.now() + RECEIPT_GRACE:
        errors["received_at"] = [gettext("A complaint cannot be received in the future.")]
    if channel not in ContactChannel.values:
        errors["channel"] = [gettext("Choose how the complaint was received.")]
    if owner_errors := _owner_errors(owner):
        errors["owner"] = owner_errors
    if contact is not None:
        if customer is None:
            customer = contact.customer
        elif contact.customer_id not in (None, customer.pk):
            errors["contact"] = [gettext("This contact is with another member.")]
    profile = _installation_profile()
    deadlines = rules.complaint_deadlines(received_at, profile)
    complaint = Complaint(
        reference=f"TMP{uuid.uuid4().hex[:16]}",
        customer=customer,
        channel=channel,
        received_at=received_at,
        product=product.strip(),
        category=category,
        severity=severity,
        summary=summary.strip(),
        owner=owner,
        profile=profile.code,
        summary_resolution_due=deadlines.summary_resolution_due,
        final_response_due=deadlines.final_response_due,
        created_by=actor,
    )
    try:
        complaint.full_clean(exclude=["reference", "customer", "owner", "created_by"])
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    if errors:
        raise DomainError(gettext("The complaint could not be saved."), fields=errors)
    with transaction.atomic():
        complaint.save()
        complaint.reference = rules.reference_for(complaint.pk, deadlines.received_on)
        complaint.save(update_fields=["reference"])
        if contact is not None:
            # Conditional, so two complaints logged from one contact at once cannot both claim it.
            linked = Contact.objects.filter(pk=contact.pk, complaint__isnull=True).update(
                complaint=complaint, updated_at=timezone.now()
            )
            if not linked:
                message = gettext("This contact already has a complaint.")
                raise DomainError(message, fields={"contact": [message]})
            contact.complaint = complaint
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=complaint,
            summary=complaint.reference,
            detail={
                "profile": profile.code,
                "summary_resolution_due": deadlines.summary_resolution_due.isoformat(),
                "final_response_due": deadlines.final_response_due.isoformat(),
                "contact": contact.pk if contact is not None else None,
            },
        )
    return complaint


def _refused(complaint: Complaint, target: str, reason: str) -> InvalidTransition:
    if reason == rules.SUMMARY_WINDOW_CLOSED:
        due = formats.date_format(timezone.localtime(complaint.summary_resolution_due), "d/m/Y H:i")
        message = gettext("The summary resolution window closed at %(due)s: send a final response instead.") % {
            "due": due
        }
    else:
        message = gettext("This complaint is %(status)s: it cannot become %(target)s.") % {
            "status": complaint.get_status_display().lower(),
            "target": ComplaintStatus(target).label.lower(),
        }
    return InvalidTransition(message, fields={"status": [complaint.status]})


def complaint_transition(
    *,
    complaint_id: int,
    target: str,
    actor,
    now: datetime | None = None,
    outcome: str = "",
    root_cause: str = "",
    redress: Decimal | None = None,
) -> Complaint:
    """The one way a complaint changes state (rules.COMPLAINT_TRANSITIONS): lock, check, write, audit.
    Callers validate the closing details (complaint_resolve, complaint_final_response)."""
    now = now or timezone.now()
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint_id)
        refusal = rules.transition_refusal(
            complaint.status, target, now=now, summary_due=complaint.summary_resolution_due
        )
        if refusal is not None:
            raise _refused(complaint, target, refusal)
        before = complaint.status
        complaint.status = target
        fields = ["status"]
        if target == ComplaintStatus.ACKNOWLEDGED:
            complaint.acknowledged_at = now
            fields.append("acknowledged_at")
        else:
            complaint.outcome = outcome
            complaint.root_cause = root_cause.strip()
            complaint.redress = redress if redress is not None else Decimal("0.00")
            closed_at = "resolved_at" if target == ComplaintStatus.RESOLVED else "final_response_at"
            setattr(complaint, closed_at, now)
            fields += ["outcome", "root_cause", "redress", closed_at]
        complaint.save(update_fields=fields)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=complaint,
            summary=f"{complaint.reference}: {before} -> {target}",
            detail={"from": before, "to": target, "outcome": complaint.outcome, "redress": str(complaint.redress)},
        )
    return complaint


def complaint_acknowledge(*, complaint_id: int, actor, now: datetime | None = None) -> Complaint:
    """The prompt written acknowledgement has been sent (DISP 1.6.1)."""
    return complaint_transition(complaint_id=complaint_id, target=ComplaintStatus.ACKNOWLEDGED, actor=actor, now=now)


def _closing_errors(outcome: str, redress: Decimal | None, root_cause: str | None) -> dict[str, list[str]]:
    errors = {}
    if outcome not in ComplaintOutcome.values:
        errors["outcome"] = [gettext("Choose the outcome.")]
    if redress is not None and redress < 0:
        errors["redress"] = [gettext("Redress cannot be negative.")]
    if root_cause is not None and not root_cause.strip():
        errors["root_cause"] = [gettext("Record the root cause.")]
    return errors


def complaint_resolve(
    *,
    complaint_id: int,
    actor,
    outcome: str,
    redress: Decimal | None = None,
    root_cause: str = "",
    now: datetime | None = None,
) -> Complaint:
    """Summary resolution (DISP 1.5): only by the close of the summary deadline; refused after it."""
    if errors := _closing_errors(outcome, redress, None):
        raise DomainError(gettext("The resolution could not be recorded."), fields=errors)
    return complaint_transition(
        complaint_id=complaint_id,
        target=ComplaintStatus.RESOLVED,
        actor=actor,
        now=now,
        outcome=outcome,
        root_cause=root_cause,
        redress=redress,
    )


def complaint_final_response(
    *,
    complaint_id: int,
    actor,
    outcome: str,
    root_cause: str,
    redress: Decimal,
    now: datetime | None = None,
) -> Complaint:
    """The final response (DISP 1.6.2), by someone holding calls.respond_complaint (views check too)."""
    if not actor.has_perm(RESPOND_PERMISSION):
        raise PermissionDenied(gettext("Only team leaders and managers send final responses."))
    if errors := _closing_errors(outcome, redress, root_cause):
        raise DomainError(gettext("The final response could not be recorded."), fields=errors)
    return complaint_transition(
        complaint_id=complaint_id,
        target=ComplaintStatus.FINAL_RESPONSE,
        actor=actor,
        now=now,
        outcome=outcome,
        root_cause=root_cause,
        redress=redress,
    )


def complaint_assign(*, complaint_id: int, actor, owner: User) -> Complaint:
    """Give an open complaint to a person who handles complaints."""
    if owner_errors := _owner_errors(owner):
        raise DomainError(owner_errors[0], fields={"owner": owner_errors})
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint_id)
        if complaint.status not in rules.OPEN_STATUSES:
            raise InvalidTransition(
                gettext("This complaint is closed (%(status)s).") % {"status": complaint.get_status_display()},
                fields={"status": [complaint.status]},
            )
        before = complaint.owner_id
        complaint.owner = owner
        complaint.save(update_fields=["owner"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=complaint,
            summary=f"{complaint.reference}: assigned",
            detail={"from": before, "to": owner.pk},
        )
    return complaint


def complaint_record_viewed(*, complaint: Complaint, actor, ip_address: str | None = None) -> None:
    """A complaint holds what the member told us, clinical details at times: every opening is audited."""
    audit_record(
        actor=actor, action=AuditAction.VIEW, obj=complaint, ip_address=ip_address, summary=complaint.reference
    )


def complaint_list_exported(*, actor, filters: dict, ip_address: str | None = None) -> None:
    """The CSV export names members: who took one, and of what, is in the audit trail."""
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type="calls.complaint",
        ip_address=ip_address,
        summary="complaints CSV",
        detail={"filters": filters},
    )
