"""The complaint deadline sweep, run by beat every 15 minutes (calls.tasks.complaints): reminders
before each deadline, sent once, and breaches of the final-response deadline, flagged once."""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from contactcentre.models import AuditAction
from contactcentre.services import audit_record
from staff.models import User

from ..models import Complaint
from ..rules import complaints as rules

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SweepResult:
    reminded: int  # complaints whose reminder this run sent
    breached: int  # complaints this run flagged as past their final-response deadline
    emails: int  # one email per person reminded, listing theirs
    without_recipient: int  # reminders due but with nobody to send them to (retried next run)


def _profile_of(complaint: Complaint) -> rules.DeadlineProfile:
    try:
        return rules.profile_get(complaint.profile)
    except ValueError:
        logger.warning(
            "Complaint %s has unknown profile %r: timed as %s", complaint.pk, complaint.profile, rules.DEFAULT_PROFILE
        )
        return rules.PROFILES[rules.DEFAULT_PROFILE]


def _reminder_recipient(complaint: Complaint) -> User | None:
    """The owner; for an unowned complaint, the team leader of whoever logged it."""
    if complaint.owner is not None and complaint.owner.is_active:
        return complaint.owner
    team = complaint.created_by.team
    leader = team.leader if team is not None else None
    return leader if leader is not None and leader.is_active else None


def _sweep_candidates(now: datetime) -> Q:
    """Rows that may need a reminder or a breach flag now (rules.reminder_due and breach_due decide)."""
    profiles = rules.PROFILES.values()
    summary_horizon = rules.reminder_horizon(now, max(p.summary_reminder_business_days for p in profiles))
    final_horizon = rules.reminder_horizon(now, max(p.final_reminder_business_days for p in profiles))
    # A reminder sent after the summary deadline can only have been the final one.
    no_final_reminder = Q(reminder_sent_at__isnull=True) | Q(reminder_sent_at__lte=F("summary_resolution_due"))
    return Q(status__in=rules.OPEN_STATUSES) & (
        Q(reminder_sent_at__isnull=True, summary_resolution_due__gte=now, summary_resolution_due__lte=summary_horizon)
        | (Q(final_response_due__gte=now, final_response_due__lte=final_horizon) & no_final_reminder)
        | Q(final_response_due__lt=now, breached_at__isnull=True)
    )


def complaint_deadline_sweep(*, now: datetime | None = None) -> SweepResult:
    """Send each due reminder once (reminder_sent_at) and flag each breach once (breached_at), with an
    audit row for each; the emails go after commit, one per person. Idempotent: a second run, or one
    running beside it (rows it holds are skipped), finds nothing more to do."""
    now = now or timezone.now()
    by_recipient: dict[int, list[tuple[Complaint, str]]] = defaultdict(list)
    recipients: dict[int, User] = {}
    breached = without_recipient = 0
    with transaction.atomic():
        rows = (
            Complaint.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(_sweep_candidates(now))
            .select_related("owner", "created_by__team__leader")
            .order_by("pk")
        )
        for complaint in rows:
            fields = []
            if rules.breach_due(
                status=complaint.status,
                final_due=complaint.final_response_due,
                breached_at=complaint.breached_at,
                now=now,
            ):
                complaint.breached_at = now
                fields.append("breached_at")
                breached += 1
                audit_record(
                    actor=None,
                    action=AuditAction.UPDATE,
                    obj=complaint,
                    summary=f"{complaint.reference}: final response deadline breached",
                    detail={"final_response_due": complaint.final_response_due.isoformat()},
                )
            kind = rules.reminder_due(
                status=complaint.status,
                summary_due=complaint.summary_resolution_due,
                final_due=complaint.final_response_due,
                reminder_sent_at=complaint.reminder_sent_at,
                now=now,
                profile=_profile_of(complaint),
            )
            recipient = _reminder_recipient(complaint) if kind else None
            if kind and recipient is None:
                without_recipient += 1
            elif kind:
                complaint.reminder_sent_at = now
                fields.append("reminder_sent_at")
                recipients[recipient.pk] = recipient
                by_recipient[recipient.pk].append((complaint, kind))
                audit_record(
                    actor=None,
                    action=AuditAction.UPDATE,
                    obj=complaint,
                    summary=f"{complaint.reference}: {kind} deadline reminder sent",
                    detail={"kind": kind, "to": recipient.pk},
                )
            if fields:
                complaint.save(update_fields=fields)
        for pk, items in by_recipient.items():
            transaction.on_commit(
                lambda person=recipients[pk], items=items: _email_reminder(person, items), robust=True
            )
    if without_recipient:
        logger.warning("%d complaint reminders are due but have no owner or team leader to go to", without_recipient)
    return SweepResult(
        reminded=sum(len(items) for items in by_recipient.values()),
        breached=breached,
        emails=len(by_recipient),
        without_recipient=without_recipient,
    )


def _email_reminder(person: User, items: list[tuple[Complaint, str]]) -> None:
    """References and deadlines only: no member's name or words leave Tawasul by email."""
    if not person.email:
        return
    with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
        subject = translation.ngettext(
            "%(count)d complaint deadline approaching", "%(count)d complaint deadlines approaching", len(items)
        ) % {"count": len(items)}
        lines = []
        for complaint, kind in items:
            due = complaint.summary_resolution_due if kind == "summary" else complaint.final_response_due
            template = (
                gettext("%(reference)s: summary resolution by %(due)s (%(path)s)")
                if kind == "summary"
                else gettext("%(reference)s: final response by %(due)s (%(path)s)")
            )
            lines.append(
                template
                % {
                    "reference": complaint.reference,
                    "due": formats.date_format(timezone.localtime(due), "d/m/Y H:i"),
                    "path": reverse("calls:complaint-detail", args=[complaint.pk]),
                }
            )
        body = "\n".join([gettext("These complaints have a regulatory deadline coming up:"), "", *lines])
    send_mail(subject, body, None, [person.email])
