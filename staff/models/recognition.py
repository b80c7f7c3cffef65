"""Recognition and reward tied to quality results: individual and team recognition for a period.
What earns each kind is in staff.rules.recognition, which the staff page shows."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactcentre.constraints import choices_check

from .people import Team


class RecognitionKind(models.TextChoices):
    QUALITY = "quality", _("Quality star")
    SATISFACTION = "satisfaction", _("Customers' favourite")
    RESOLUTION = "resolution", _("First-time fixer")
    TEAM = "team", _("Team of the month")
    SPOT = "spot", _("Spot award")


class Recognition(models.Model):
    """Recognition of a person or a team for a period, tied to their quality results (the rules that
    earn each kind are in staff.rules.recognition and shown to staff); `basis` keeps the figures it
    was given for."""

    kind = models.CharField(_("kind"), max_length=12, choices=RecognitionKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recognitions",
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.PROTECT, related_name="recognitions"
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    reason = models.TextField(_("reason"))
    basis = models.JSONField(_("figures"), default=dict, blank=True)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("awarded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    awarded_at = models.DateTimeField(_("awarded at"), default=timezone.now)

    class Meta:
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        ordering = ["-awarded_at"]
        constraints = [
            choices_check("kind", RecognitionKind, "recognition_kind_valid"),
            models.CheckConstraint(
                condition=Q(recipient__isnull=False, team__isnull=True) | Q(recipient__isnull=True, team__isnull=False),
                name="recognition_person_or_team",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="recognition_period_ordered"
            ),
            # Awarding the same thing twice for one period is a mistake.
            models.UniqueConstraint(
                fields=["kind", "recipient", "period_start"],
                condition=Q(recipient__isnull=False),
                name="recognition_person_once",
            ),
            models.UniqueConstraint(
                fields=["kind", "team", "period_start"], condition=Q(team__isnull=False), name="recognition_team_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.period_start})"
