"""Service standards (gap 2): a metric, a target and a warning threshold, for a scope, over an
effective period. A change never overwrites: it ends the standard in force and starts a new one
(`services.standards.standard_change`), so the history shows what applied when."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from claims.models import Tier
from contactcentre.constraints import choices_check


class Metric(models.TextChoices):
    """Every KPI a standard can be set on; what each means is in docs/kpis.md."""

    SERVICE_LEVEL = "service_level", _("Service level (%)")
    ABANDONMENT_RATE = "abandonment_rate", _("Abandonment rate (%)")
    ASA = "asa_seconds", _("Average speed of answer (s)")
    AHT = "aht_seconds", _("Average handle time (s)")
    FCR = "fcr", _("First-contact resolution (%)")
    AGENT_FCR = "agent_fcr", _("Agent-reported first-contact resolution (%)")
    TRANSFER_RATE = "transfer_rate", _("Transfer rate (%)")
    OCCUPANCY = "occupancy", _("Occupancy (%)")
    UTILISATION = "utilisation", _("Utilisation (%)")
    CSAT = "csat", _("CSAT (%)")
    NPS = "nps", _("NPS")
    CES = "ces", _("Customer effort (1-7)")
    COMPLAINTS_PER_1000 = "complaints_per_1000", _("Complaints per 1,000 contacts")
    COMPLAINTS_IN_3_DAYS = "complaints_3_days", _("Complaints resolved within 3 business days (%)")
    COMPLAINTS_IN_8_WEEKS = "complaints_8_weeks", _("Complaints answered within 8 weeks (%)")
    CLAIM_TURNAROUND = "claim_turnaround_days", _("Claim turnaround (working days)")
    CALLBACKS_ON_TIME = "callbacks_on_time", _("Callbacks kept on time (%)")


# The contact-centre KPIs that `selectors.kpis.KpiSet` holds as attributes (the others are in `extra`).
TELEPHONY_METRICS = (
    Metric.SERVICE_LEVEL,
    Metric.ABANDONMENT_RATE,
    Metric.ASA,
    Metric.AHT,
    Metric.FCR,
    Metric.AGENT_FCR,
    Metric.TRANSFER_RATE,
    Metric.OCCUPANCY,
    Metric.UTILISATION,
)

# Metrics where less is better; for the others, more is.
LOWER_IS_BETTER = frozenset(
    {
        Metric.ABANDONMENT_RATE,
        Metric.ASA,
        Metric.AHT,
        Metric.TRANSFER_RATE,
        Metric.COMPLAINTS_PER_1000,
        Metric.CLAIM_TURNAROUND,
    }
)


def _key(field: str) -> Coalesce:
    return Coalesce(F(field), Value(0))


class ServiceStandard(models.Model):
    """Green when the figure meets `target`, amber when it misses it but meets `warning`, red beyond.
    For a metric where less is better the warning is at or above the target, otherwise at or below.
    The scope narrows it: blank fields mean "every queue", "every site" and so on; the most
    specific standard in force applies (`selectors.standards.standard_for`)."""

    metric = models.CharField(_("measure"), max_length=30, choices=Metric.choices)
    target = models.DecimalField(_("target"), max_digits=8, decimal_places=2)
    warning = models.DecimalField(_("warning threshold"), max_digits=8, decimal_places=2)
    queue = models.ForeignKey(
        "calls.Queue", verbose_name=_("queue"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    site = models.ForeignKey(
        "staff.Site", verbose_name=_("site"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    plan_tier = models.CharField(_("plan tier"), max_length=20, choices=Tier.choices, blank=True)
    corporate_account = models.ForeignKey(
        "customers.CorporateAccount",
        verbose_name=_("corporate account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True, help_text=_("The last day, included."))
    note = models.CharField(_("why"), max_length=300, blank=True)
    replaces = models.OneToOneField(
        "self", verbose_name=_("replaces"), null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("set by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("set at"), auto_now_add=True)

    class Meta:
        verbose_name = _("service standard")
        verbose_name_plural = _("service standards")
        ordering = ["metric", "-effective_from", "-id"]
        permissions = [("set_standards", _("Can set service standards"))]
        constraints = [
            choices_check("metric", Metric, "standard_metric_valid"),
            choices_check("plan_tier", Tier, "standard_tier_valid", blank=True),
            # One standard in force per metric and scope.
            models.UniqueConstraint(
                "metric",
                _key("queue"),
                _key("site"),
                "plan_tier",
                _key("corporate_account"),
                condition=Q(effective_to__isnull=True),
                name="standard_one_open_per_scope",
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="standard_period_forwards",
            ),
            models.CheckConstraint(
                condition=(Q(metric__in=LOWER_IS_BETTER) & Q(warning__gte=F("target")))
                | (~Q(metric__in=LOWER_IS_BETTER) & Q(warning__lte=F("target"))),
                name="standard_warning_on_the_far_side",
            ),
            models.CheckConstraint(condition=Q(target__gte=-100), name="standard_target_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_metric_display()}: {self.target}"

    @property
    def lower_is_better(self) -> bool:
        return self.metric in LOWER_IS_BETTER
