"""Closing the loop: a detractor's or a dissatisfied member's response gives the agent's team
leader a follow-up, due within one business day, whose outcome is recorded."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contactcentre.constraints import choices_check


class LoopTrigger(models.TextChoices):
    DETRACTOR = "detractor", _("Detractor (0-6 likely to recommend)")
    DISSATISFIED = "dissatisfied", _("Dissatisfied (CSAT 1-2)")


class LoopStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class LoopOutcome(models.TextChoices):
    RESOLVED = "resolved", _("Called back and resolved")
    EXPLAINED = "explained", _("Called back, explained and apologised")
    COMPLAINT = "complaint", _("Logged as a complaint")
    COACHING = "coaching", _("Agent coached; member not contacted")
    NO_ANSWER = "no_answer", _("Member could not be reached")
    NO_ACTION = "no_action", _("No action needed")


class LoopFollowUp(models.Model):
    response = models.OneToOneField(
        "surveys.Response", verbose_name=_("response"), on_delete=models.CASCADE, related_name="loop"
    )
    trigger = models.CharField(_("why"), max_length=20, choices=LoopTrigger.choices)
    team = models.ForeignKey(
        "staff.Team", verbose_name=_("team"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_loops",
    )
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(_("status"), max_length=10, choices=LoopStatus.choices, default=LoopStatus.OPEN)
    outcome = models.CharField(_("outcome"), max_length=20, choices=LoopOutcome.choices, blank=True)
    outcome_note = models.TextField(_("what was done"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("closing-the-loop follow-up")
        verbose_name_plural = _("closing-the-loop follow-ups")
        ordering = ["status", "due_at", "id"]
        indexes = [models.Index(fields=["owner", "status", "due_at"], name="loop_owner_open_idx")]  # the leader's list
        constraints = [
            choices_check("trigger", LoopTrigger, "loop_trigger_valid"),
            choices_check("status", LoopStatus, "loop_status_valid"),
            choices_check("outcome", LoopOutcome, "loop_outcome_valid", blank=True),
            # Closed iff it has an outcome and a time.
            models.CheckConstraint(
                condition=(Q(status="open") & Q(outcome="") & Q(closed_at__isnull=True))
                | (Q(status="closed") & ~Q(outcome="") & Q(closed_at__isnull=False)),
                name="loop_closed_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_trigger_display()} ({self.get_status_display()})"
