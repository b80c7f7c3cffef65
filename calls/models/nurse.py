"""The 24-hour nurse advice line: the triage record of a nurse's call. Clinical: only nurses
read it, and every read is audited (calls.services.nurse)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from contactcentre.constraints import choices_check


class Disposition(models.TextChoices):
    SELF_CARE = "self_care", _("Self-care")
    PHARMACIST = "pharmacist", _("See a pharmacist")
    GP_ROUTINE = "gp_routine", _("GP (routine)")
    GP_URGENT = "gp_urgent", _("GP (urgent)")
    URGENT_CARE = "urgent_care", _("Urgent care centre")
    EMERGENCY_DEPARTMENT = "emergency_department", _("Emergency department")
    CALL_999 = "call_999", _("Call 999")


class NurseTriage(models.Model):
    contact = models.OneToOneField(
        "calls.Contact", verbose_name=_("call"), on_delete=models.PROTECT, related_name="triage"
    )
    nurse = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("nurse"), on_delete=models.PROTECT, related_name="triages"
    )
    presenting_problem = models.TextField(_("presenting problem"))
    advice_given = models.TextField(_("advice given"))
    disposition = models.CharField(_("disposition"), max_length=24, choices=Disposition.choices)
    safety_netting = models.TextField(_("safety-netting advice"))
    follow_up = models.OneToOneField(
        "calls.FollowUp",
        verbose_name=_("follow-up"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="triage",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("nurse triage")
        verbose_name_plural = _("nurse triages")
        ordering = ["-created_at"]
        constraints = [choices_check("disposition", Disposition, "triage_disposition_valid")]

    def __str__(self) -> str:
        return f"Triage {self.pk}"
