"""Reads of complaints: the work list (filters, search, the overdue flag), one complaint with its
history, a member's complaints for the 360, who complaints may be given to, and the regulatory report
for a period (domain.md "Complaints")."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import Permission
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from contactcentre.models import AuditAction, AuditEvent
from staff.models import User

from ..models import Complaint, ComplaintCategory, ComplaintOutcome, ComplaintStatus, Contact
from ..rules import complaints as rules


def _overdue(now: datetime) -> ExpressionWrapper:
    """rules.is_overdue, in SQL: not acknowledged by the summary deadline, or past the final one."""
    return ExpressionWrapper(
        Q(status=ComplaintStatus.OPEN, summary_resolution_due__lt=now)
        | Q(status__in=rules.OPEN_STATUSES, final_response_due__lt=now),
        output_field=BooleanField(),
    )


def complaint_list(
    *,
    now: datetime | None = None,
    status: str = "",
    breached: bool | None = None,
    owner_id: int | None = None,
    unowned: bool = False,
    search: str = "",
) -> QuerySet[Complaint]:
    """Open complaints first, the nearest final deadline first; closed ones after, latest first. Each
    row has `is_overdue` and `next_due` (the deadline to show; None once closed). `search` is a
    reference, a membership number, or part of a member's name (read without an index: the complaints
    table is small beside the members')."""
    now = now or timezone.now()
    complaints = Complaint.objects.select_related("customer", "owner")
    if status:
        complaints = complaints.filter(status=status)
    if breached is not None:
        complaints = complaints.filter(breached_at__isnull=not breached)
    if owner_id is not None:
        complaints = complaints.filter(owner_id=owner_id)
    elif unowned:
        complaints = complaints.filter(owner__isnull=True)
    search = search.strip()
    if search:
        complaints = complaints.filter(
            Q(reference__iexact=search)
            | Q(customer__membership_number=search)
            | Q(customer__search_name__contains=" ".join(search.lower().split()))
        )
    return complaints.annotate(
        is_overdue=_overdue(now),
        open_first=Case(
            When(status__in=rules.OPEN_STATUSES, then=Value(0)), default=Value(1), output_field=IntegerField()
        ),
        open_due=Case(When(status__in=rules.OPEN_STATUSES, then=F("final_response_due")), default=None),
        # The deadline the list shows: the summary one while it is ahead, then the final one.
        next_due=Case(
            When(status__in=rules.OPEN_STATUSES, summary_resolution_due__gte=now, then=F("summary_resolution_due")),
            When(status__in=rules.OPEN_STATUSES, then=F("final_response_due")),
            default=None,
        ),
    ).order_by("open_first", "open_due", "-received_at", "-id")


def complaint_detail(pk: int) -> Complaint:
    return get_object_or_404(
        Complaint.objects.select_related("customer", "owner", "created_by__team").prefetch_related("contacts"), pk=pk
    )


def complaint_get(pk: int) -> Complaint:
    return get_object_or_404(Complaint.objects.only("id", "status"), pk=pk)


def complaint_history(complaint_id: int, *, limit: int = 50) -> list[AuditEvent]:
    """What was done to the complaint, oldest first, from the audit trail (openings left out)."""
    return list(
        AuditEvent.objects.filter(object_type="calls.complaint", object_id=str(complaint_id))
        .exclude(action=AuditAction.VIEW)
        .select_related("actor")
        .order_by("at", "id")[:limit]
    )


def complaints_for_customer(customer_id: int, limit: int = 5) -> list[Complaint]:
    """A member's complaints for the 360: open ones first, then the latest."""
    return list(complaint_list().filter(customer_id=customer_id).order_by("open_first", "-received_at", "-id")[:limit])


def complaint_handlers() -> QuerySet[User]:
    """Active people who may handle complaints (hold calls.change_complaint, through a role or directly)."""
    permission = Permission.objects.filter(content_type__app_label="calls", codename="change_complaint")
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__permissions__in=permission) | Q(user_permissions__in=permission))
        .distinct()
        .order_by("full_name", "id")
    )


@dataclass(frozen=True)
class ComplaintReport:
    start: date
    end: date  # inclusive
    received: int
    contacts: int  # contacts offered in the period (calls, letters, emails)
    per_thousand_contacts: Decimal | None
    breached: int  # flagged as past the final-response deadline during the period
    closed: int  # closed in the period (summary resolution or final response)
    upheld: int
    partly_upheld: int
    not_upheld: int
    upheld_rate: Decimal | None  # % of those closed upheld in full or in part (as the FCA return counts)
    within_summary: int  # closed by the close of the 3rd business day
    within_final: int  # closed within 8 weeks (including those in 3 days)
    share_within_summary: Decimal | None
    share_within_final: Decimal | None
    redress: Decimal
    by_category: list[tuple[str, int]]  # (label, received)


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = timezone.get_default_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


# A complaint is closed by its final response, or by its summary resolution when it had none; its
# deadlines are kept if it closed by them. One rule for this report and the performance dashboard.
WITHIN_SUMMARY = Q(closed_at__lte=F("summary_resolution_due"))
WITHIN_FINAL = Q(closed_at__lte=F("final_response_due"))


def complaints_with_closing() -> QuerySet[Complaint]:
    """Complaints with `closed_at`: when each was closed (None while open)."""
    return Complaint.objects.annotate(closed_at=Coalesce("final_response_at", "resolved_at"))


def complaint_report(*, start: date, end: date) -> ComplaintReport:
    """The figures for complaints received, and closed, between `start` and `end` (inclusive)."""
    since, until = _bounds(start, end)
    in_period = {"received_at__gte": since, "received_at__lt": until}
    counts = Complaint.objects.aggregate(
        received=Count("id", filter=Q(**in_period)),
        breached=Count("id", filter=Q(breached_at__gte=since, breached_at__lt=until)),
    )
    closed = (
        complaints_with_closing()
        .filter(closed_at__gte=since, closed_at__lt=until)
        .aggregate(
            closed=Count("id"),
            upheld=Count("id", filter=Q(outcome=ComplaintOutcome.UPHELD)),
            partly_upheld=Count("id", filter=Q(outcome=ComplaintOutcome.PARTLY_UPHELD)),
            not_upheld=Count("id", filter=Q(outcome=ComplaintOutcome.NOT_UPHELD)),
            within_summary=Count("id", filter=WITHIN_SUMMARY),
            within_final=Count("id", filter=WITHIN_FINAL),
            redress=Sum("redress", default=Decimal("0.00")),
        )
    )
    contacts = Contact.objects.filter(offered_at__gte=since, offered_at__lt=until).count()
    per_category = dict(
        Complaint.objects.filter(**in_period).values_list("category").annotate(n=Count("id")).order_by()
    )
    return ComplaintReport(
        start=start,
        end=end,
        received=counts["received"],
        contacts=contacts,
        per_thousand_contacts=rules.per_thousand(counts["received"], contacts),
        breached=counts["breached"],
        closed=closed["closed"],
        upheld=closed["upheld"],
        partly_upheld=closed["partly_upheld"],
        not_upheld=closed["not_upheld"],
        upheld_rate=rules.percentage(closed["upheld"] + closed["partly_upheld"], closed["closed"]),
        within_summary=closed["within_summary"],
        within_final=closed["within_final"],
        share_within_summary=rules.percentage(closed["within_summary"], closed["closed"]),
        share_within_final=rules.percentage(closed["within_final"], closed["closed"]),
        redress=closed["redress"],
        by_category=[(label, per_category.get(value, 0)) for value, label in ComplaintCategory.choices],
    )
