"""Queues (where contacts wait), the skills they need, and agents' states with their timeline."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contactcentre.constraints import choices_check

WEEKDAYS = [0, 1, 2, 3, 4]  # Monday to Friday


class Skill(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_ar = models.CharField(_("name in Arabic"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def _weekdays() -> list[int]:
    return list(WEEKDAYS)


class ServiceLevelVariant(models.TextChoices):
    """domain.md, "Contacts and KPIs": which abandons count against the service level."""

    SL1 = "sl1", _("SL1: answered within T / (answered + abandoned)")
    SL2 = "sl2", _("SL2: answered within T / (answered + abandoned after T)")
    SL3 = "sl3", _("SL3: (answered + abandoned within T) / offered")
    SL4 = "sl4", _("SL4: answered within T / answered")


class Queue(models.Model):
    """A queue contacts wait in, with its service level: `service_level_target`% answered within
    `answer_threshold_seconds` (80/20 by default). Abandons within `short_abandon_seconds` are
    short abandons, left out of every KPI (domain.md, "Contacts and KPIs")."""

    code = models.SlugField(_("code"), max_length=40, unique=True, help_text=_("As the telephony platform names it."))
    name = models.CharField(_("name"), max_length=100)
    name_ar = models.CharField(_("name in Arabic"), max_length=100, blank=True)
    answer_threshold_seconds = models.PositiveSmallIntegerField(_("answer threshold (seconds)"), default=20)
    service_level_target = models.PositiveSmallIntegerField(_("service level target (%)"), default=80)
    short_abandon_seconds = models.PositiveSmallIntegerField(_("short abandon threshold (seconds)"), default=5)
    service_level_variant = models.CharField(
        _("service level variant"),
        max_length=3,
        choices=ServiceLevelVariant.choices,
        default=ServiceLevelVariant.SL1,
        help_text=_("SL4 flatters: it ignores abandons. Dashboards show it only beside another."),
    )
    open_all_hours = models.BooleanField(_("open 24/7"), default=False)
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    open_weekdays = models.JSONField(_("open on (0 = Monday)"), default=_weekdays, blank=True)
    skills = models.ManyToManyField(Skill, verbose_name=_("skills needed"), blank=True, related_name="queues")
    is_nurse_line = models.BooleanField(_("nurse advice line"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    # The telephony fold gives a call the site of the agent who answers it; a call nobody answered
    # counts for its queue's site (docs/kpis.md, "Sites").
    site = models.ForeignKey(
        "staff.Site",
        verbose_name=_("served from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="queues",
        help_text=_(
            "The site whose agents take this queue's calls: calls waiting or abandoned in it count for that site. "
            "Blank for a queue several sites share."
        ),
    )

    class Meta:
        verbose_name = _("queue")
        verbose_name_plural = _("queues")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(service_level_target__lte=100), name="queue_target_is_a_percentage"),
            models.CheckConstraint(condition=Q(answer_threshold_seconds__gt=0), name="queue_threshold_positive"),
            choices_check("service_level_variant", ServiceLevelVariant, "queue_sl_variant_valid"),
            models.CheckConstraint(
                condition=Q(open_all_hours=True) | (Q(opens_at__isnull=False) & Q(closes_at__isnull=False)),
                name="queue_has_opening_hours",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AgentState(models.TextChoices):
    AVAILABLE = "available", _("Available")
    ON_CALL = "on_call", _("On a call")
    WRAP_UP = "wrap_up", _("Wrap-up")
    BREAK = "break", _("Break")
    TRAINING = "training", _("Training")
    OFFLINE = "offline", _("Offline")


class StateSource(models.TextChoices):
    TELEPHONY = "telephony", _("Telephony event")
    AGENT = "agent", _("The agent")
    SYSTEM = "system", _("Tawasul")


class AgentStatus(models.Model):
    """An agent's telephony identity (extension), skills, and current state: the newest entry of
    their timeline (`AgentStateChange`), kept here so the desk reads one row."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="agent_status",
    )
    extension = models.CharField(
        _("telephony extension or agent id"), max_length=40, unique=True, null=True, blank=True
    )
    skills = models.ManyToManyField(Skill, verbose_name=_("skills"), blank=True, related_name="agents")
    state = models.CharField(_("state"), max_length=12, choices=AgentState.choices, default=AgentState.OFFLINE)
    since = models.DateTimeField(_("since"), null=True, blank=True)

    class Meta:
        verbose_name = _("agent status")
        verbose_name_plural = _("agent statuses")
        constraints = [choices_check("state", AgentState, "agent_status_state_valid")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.state}"


class AgentStateChange(models.Model):
    """One entry of an agent's state timeline: in `state` from `started_at` until the next entry.
    A telephony event makes at most one entry (the one-to-one `event`), however often it is sent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("agent"), on_delete=models.CASCADE, related_name="state_changes"
    )
    state = models.CharField(_("state"), max_length=12, choices=AgentState.choices)
    started_at = models.DateTimeField(_("from"))
    source = models.CharField(_("source"), max_length=10, choices=StateSource.choices)
    contact = models.ForeignKey(
        "calls.Contact", verbose_name=_("contact"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    event = models.OneToOneField(
        "calls.TelephonyEvent", null=True, blank=True, on_delete=models.CASCADE, related_name="agent_state_change"
    )

    class Meta:
        verbose_name = _("agent state change")
        verbose_name_plural = _("agent state changes")
        ordering = ["user", "started_at", "id"]
        # An agent's timeline over a period (occupancy, adherence).
        indexes = [models.Index(fields=["user", "started_at"], name="agent_state_timeline_idx")]
        constraints = [
            choices_check("state", AgentState, "agent_state_change_state_valid"),
            choices_check("source", StateSource, "agent_state_change_source_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.state} from {self.started_at:%Y-%m-%d %H:%M:%S}"
