"""Complaints: any expression of dissatisfaction, from any channel, with the regulatory deadlines
of the installation's profile (UK FCA DISP by default: calls.rules.complaint_deadlines)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from contactcentre.constraints import choices_check, not_negative


class ComplaintCategory(models.TextChoices):
    CLAIMS_HANDLING = "claims_handling", _("Claims handling")
    COVER_DECISION = "cover_decision", _("Cover decision")
    SERVICE = "service", _("Customer service")
    BILLING = "billing", _("Premiums and billing")
    CLINICAL_ADVICE = "clinical_advice", _("Clinical advice")
    COMMUNICATION = "communication", _("Communication")
    OTHER = "other", _("Other")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved (summary resolution)")
    FINAL_RESPONSE = "final_response", _("Final response sent")


class ComplaintOutcome(models.TextChoices):
    UPHELD = "upheld", _("Upheld")
    PARTLY_UPHELD = "partly_upheld", _("Partly upheld")
    NOT_UPHELD = "not_upheld", _("Not upheld")


class Complaint(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    channel = models.CharField(_("received by"), max_length=10, default="phone")
    received_at = models.DateTimeField(_("received at"))
    product = models.CharField(_("product"), max_length=100, blank=True)
    category = models.CharField(_("cause category"), max_length=20, choices=ComplaintCategory.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM)
    summary = models.TextField(_("what the member told us"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints_owned",
    )
    status = models.CharField(_("status"), max_length=16, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN)
    root_cause = models.TextField(_("root cause"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=ComplaintOutcome.choices, blank=True)
    redress = models.DecimalField(_("redress paid"), max_digits=12, decimal_places=2, default=0)
    # The regulatory clock (rules.complaint_deadlines), fixed at receipt.
    profile = models.CharField(_("regulatory profile"), max_length=20, default="fca_disp")
    summary_resolution_due = models.DateTimeField(_("summary resolution by"))
    final_response_due = models.DateTimeField(_("final response by"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    final_response_at = models.DateTimeField(_("final response at"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    breached_at = models.DateTimeField(_("deadline breached at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("logged by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at", "-id"]
        permissions = [("respond_complaint", _("Can send a complaint's final response"))]
        indexes = [
            # The deadline sweep: complaints still open, by their final deadline.
            models.Index(fields=["status", "final_response_due"], name="complaint_deadline_idx"),
            models.Index(fields=["customer", "-received_at"], name="complaint_customer_idx"),
        ]
        constraints = [
            choices_check("category", ComplaintCategory, "complaint_category_valid"),
            choices_check("severity", Severity, "complaint_severity_valid"),
            choices_check("status", ComplaintStatus, "complaint_status_valid"),
            choices_check("outcome", ComplaintOutcome, "complaint_outcome_valid", blank=True),
            not_negative("redress", "complaint_redress_not_negative"),
            # A closed complaint has its outcome; an open one has none yet.
            models.CheckConstraint(
                condition=Q(status__in=["open", "acknowledged"], outcome="")
                | (Q(status__in=["resolved", "final_response"]) & ~Q(outcome="")),
                name="complaint_outcome_when_closed",
            ),
            # A summary resolution is only for a complaint resolved by its summary deadline (DISP 1.5);
            # later, only a final response closes it.
            models.CheckConstraint(
                condition=~Q(status="resolved")
                | Q(resolved_at__isnull=False, resolved_at__lte=F("summary_resolution_due")),
                name="complaint_summary_resolution_in_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="final_response") | Q(final_response_at__isnull=False),
                name="complaint_final_response_dated",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_closed(self) -> bool:
        return self.status in {ComplaintStatus.RESOLVED, ComplaintStatus.FINAL_RESPONSE}

    @property
    def is_breached(self) -> bool:
        return self.breached_at is not None
