"""Follow-ups: callbacks promised and tasks to do, owned by a person or a team, escalated to the
team leader when overdue."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contactcentre.constraints import choices_check


class FollowUpKind(models.TextChoices):
    CALLBACK = "callback", _("Callback")
    TASK = "task", _("Task")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class FollowUp(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=FollowUpKind.choices, default=FollowUpKind.CALLBACK)
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    contact = models.ForeignKey(
        "calls.Contact",
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    team = models.ForeignKey(
        "staff.Team", verbose_name=_("team"), null=True, blank=True, on_delete=models.PROTECT, related_name="follow_ups"
    )
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(_("status"), max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN)
    note = models.TextField(_("what to do"), blank=True)
    phone_number = models.CharField(_("number to call"), max_length=32, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("escalated to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escalated_follow_ups",
    )

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_at", "id"]
        indexes = [
            # The escalation sweep: open, overdue, not yet escalated.
            models.Index(fields=["status", "due_at"], name="follow_up_due_idx"),
            # "My follow-ups".
            models.Index(fields=["owner", "status", "due_at"], name="follow_up_owner_idx"),
        ]
        constraints = [
            choices_check("kind", FollowUpKind, "follow_up_kind_valid"),
            choices_check("status", FollowUpStatus, "follow_up_status_valid"),
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | Q(team__isnull=False), name="follow_up_has_owner_or_team"
            ),
            models.CheckConstraint(
                condition=Q(status="open", completed_at__isnull=True)
                | (~Q(status="open") & Q(completed_at__isnull=False)),
                name="follow_up_completed_iff_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"
