"""The simple shift roster the staffing page compares with the agents required."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

MAX_SHIFT = timedelta(hours=16)


class RosterShift(models.Model):
    """An agent rostered on a queue from `starts_at` to `ends_at` (breaks are shrinkage)."""

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("agent"), on_delete=models.CASCADE, related_name="shifts"
    )
    queue = models.ForeignKey("calls.Queue", verbose_name=_("queue"), on_delete=models.PROTECT, related_name="shifts")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        verbose_name = _("rostered shift")
        verbose_name_plural = _("rostered shifts")
        ordering = ["starts_at", "agent"]
        permissions = [("view_staffing", _("Can view staffing: forecasts, Erlang C, roster gaps"))]
        indexes = [models.Index(fields=["queue", "starts_at"], name="shift_queue_start_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="shift_ends_after_start"),
            models.CheckConstraint(
                condition=Q(ends_at__lte=F("starts_at") + models.Value(MAX_SHIFT)),
                name="shift_at_most_16_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.queue_id} {self.starts_at:%Y-%m-%d %H:%M}"
