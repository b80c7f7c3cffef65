"""The KPI rollups: sums over contacts and agent states, per 15-minute interval and per day, kept
so that a dashboard over a year reads thousands of rows, never millions of contacts.

Every row is recomputed whole from the raw contacts of its day (`services.rollups.day_rollup`),
never adjusted by deltas: an out-of-order event, an edit or a rebuild gives the same numbers.
What each column counts is in docs/kpis.md; `rules.kpis.Measures` turns them into KPIs."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext_lazy as _

from calls.models import AgentState
from claims.models import Tier
from contactcentre.constraints import choices_check

# The sums a rollup row holds, in `rules.kpis.Measures` order. By the interval (or day) the contact
# was OFFERED: contacts, offered .. wait_answered_seconds. By the interval it ENDED: handled ..
# agent_fcr_answered (domain.md: "a contact spanning intervals...").
MEASURE_FIELDS = [
    "contacts",
    "offered",
    "answered",
    "answered_in_threshold",
    "abandoned",
    "abandoned_in_threshold",
    "short_abandoned",
    "wait_answered_seconds",
    "handled",
    "talk_seconds",
    "hold_seconds",
    "wrap_up_seconds",
    "transferred",
    "fcr_eligible",
    "fcr_resolved",
    "agent_fcr_answered",
    "agent_fcr_yes",
]


class Measures(models.Model):
    contacts = models.PositiveIntegerField(_("contacts (all channels)"), default=0)
    offered = models.PositiveIntegerField(_("offered"), default=0)
    answered = models.PositiveIntegerField(_("answered"), default=0)
    answered_in_threshold = models.PositiveIntegerField(_("answered within the threshold"), default=0)
    abandoned = models.PositiveIntegerField(_("abandoned"), default=0)
    abandoned_in_threshold = models.PositiveIntegerField(_("abandoned within the threshold"), default=0)
    short_abandoned = models.PositiveIntegerField(_("short abandons"), default=0)
    wait_answered_seconds = models.PositiveBigIntegerField(_("queue wait of answered calls (s)"), default=0)
    handled = models.PositiveIntegerField(_("handled"), default=0)
    talk_seconds = models.PositiveBigIntegerField(_("talk (s)"), default=0)
    hold_seconds = models.PositiveBigIntegerField(_("hold (s)"), default=0)
    wrap_up_seconds = models.PositiveBigIntegerField(_("wrap-up (s)"), default=0)
    transferred = models.PositiveIntegerField(_("transferred"), default=0)
    fcr_eligible = models.PositiveIntegerField(_("handled for identified members"), default=0)
    fcr_resolved = models.PositiveIntegerField(_("no repeat contact within 7 days"), default=0)
    agent_fcr_answered = models.PositiveIntegerField(_("agent answered 'resolved at first contact'"), default=0)
    agent_fcr_yes = models.PositiveIntegerField(_("agent said resolved at first contact"), default=0)

    class Meta:
        abstract = True


def _key(field: str) -> Coalesce:
    """A nullable key in a unique constraint: NULL compares as 0 (no queue, no site...)."""
    return Coalesce(F(field), Value(0))


class TierKeys(Measures):
    """The keys of the day and month rollups: queue, site, the member's plan tier and corporate flag."""

    queue = models.ForeignKey(
        "calls.Queue", verbose_name=_("queue"), null=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    site = models.ForeignKey(
        "staff.Site", verbose_name=_("site"), null=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    plan_tier = models.CharField(_("plan tier"), max_length=20, choices=Tier.choices, blank=True)
    is_corporate = models.BooleanField(_("corporate member"), null=True)

    class Meta:
        abstract = True


class PersonKeys(models.Model):
    """The keys of the agents' rollups: the agent, and their team and site on the day summed."""

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("agent"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    team = models.ForeignKey(
        "staff.Team", verbose_name=_("team"), null=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    site = models.ForeignKey(
        "staff.Site", verbose_name=_("site"), null=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )

    class Meta:
        abstract = True


class AgentKeys(PersonKeys):
    """An agent's rollups: also the queue."""

    queue = models.ForeignKey(
        "calls.Queue", verbose_name=_("queue"), null=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )

    class Meta:
        abstract = True


class IntervalRollup(Measures):
    """One 15-minute interval of one queue at one site (queue or site unknown: NULL)."""

    start = models.DateTimeField(_("interval start"))
    queue = models.ForeignKey(
        "calls.Queue", verbose_name=_("queue"), null=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    site = models.ForeignKey(
        "staff.Site", verbose_name=_("site"), null=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = _("interval rollup")
        verbose_name_plural = _("interval rollups")
        permissions = [("view_wallboard", _("Can view the wallboard"))]
        constraints = [
            models.UniqueConstraint("start", _key("queue"), _key("site"), name="interval_rollup_unique"),
        ]
        indexes = [models.Index(fields=["start"], name="interval_rollup_start_idx")]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M} {self.queue_id} {self.site_id}"


class DailyRollup(TierKeys):
    """One local day of one queue at one site, for the members of one plan tier, corporate or not
    (the tier and corporate flag of the member's cover on that day; blank / NULL: unidentified
    caller or no cover)."""

    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("daily rollup")
        verbose_name_plural = _("daily rollups")
        constraints = [
            models.UniqueConstraint(
                "day",
                _key("queue"),
                _key("site"),
                "plan_tier",
                Coalesce(Cast("is_corporate", models.IntegerField()), Value(-1)),
                name="daily_rollup_unique",
            ),
            choices_check("plan_tier", Tier, "daily_rollup_tier_valid", blank=True),
        ]
        indexes = [models.Index(fields=["day"], name="daily_rollup_day_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.queue_id} {self.site_id} {self.plan_tier}"


class AgentDailyRollup(Measures, AgentKeys):
    """One local day of one agent on one queue (team and site: the agent's on the day it was built).
    Contacts nobody answered have no agent and are not here: the league tables rank agents."""

    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("agent daily rollup")
        verbose_name_plural = _("agent daily rollups")
        constraints = [
            models.UniqueConstraint("day", "agent", _key("queue"), name="agent_daily_rollup_unique"),
        ]
        indexes = [
            models.Index(fields=["day", "team"], name="agent_rollup_day_team_idx"),
            models.Index(fields=["agent", "day"], name="agent_rollup_agent_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.agent_id} {self.queue_id}"


class AgentStateDaily(PersonKeys):
    """Seconds one agent spent in each state on one local day, from their state timeline."""

    day = models.DateField(_("day"))
    available_seconds = models.PositiveIntegerField(_("available (s)"), default=0)
    on_call_seconds = models.PositiveIntegerField(_("on a call (s)"), default=0)
    wrap_up_seconds = models.PositiveIntegerField(_("wrap-up (s)"), default=0)
    break_seconds = models.PositiveIntegerField(_("break (s)"), default=0)
    training_seconds = models.PositiveIntegerField(_("training (s)"), default=0)

    class Meta:
        verbose_name = _("agent state day")
        verbose_name_plural = _("agent state days")
        constraints = [
            models.UniqueConstraint(fields=["day", "agent"], name="agent_state_daily_unique"),
            models.CheckConstraint(
                condition=Q(
                    available_seconds__lte=86400 + 3600,
                    on_call_seconds__lte=86400 + 3600,
                    wrap_up_seconds__lte=86400 + 3600,
                    break_seconds__lte=86400 + 3600,
                    training_seconds__lte=86400 + 3600,
                ),
                name="agent_state_daily_within_a_day",
            ),
        ]
        indexes = [models.Index(fields=["day", "team"], name="agent_state_day_team_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.agent_id}"


STATE_SECONDS = {
    AgentState.AVAILABLE: "available_seconds",
    AgentState.ON_CALL: "on_call_seconds",
    AgentState.WRAP_UP: "wrap_up_seconds",
    AgentState.BREAK: "break_seconds",
    AgentState.TRAINING: "training_seconds",
}


class RollupMark(models.Model):
    """A local day whose rollups are out of date: written (once per day, however often: each mark
    counts `version` up) when a contact or an agent's state on that day changes;
    `services.rollups.rollups_refresh` rebuilds the marked days and removes the marks whose version
    it read."""

    day = models.DateField(_("day"), primary_key=True)
    marked_at = models.DateTimeField(_("marked at"), auto_now=True)
    version = models.PositiveIntegerField(_("times marked"), default=1)

    class Meta:
        verbose_name = _("rollup mark")
        verbose_name_plural = _("rollup marks")

    def __str__(self) -> str:
        return str(self.day)


# Monthly rollups: the daily rows of a month summed by the same keys (`services.rollups_monthly`),
# so that a year reads twelve months of rows, not 365 days of them. `month` is the month's 1st; a
# month's rows are rebuilt from its daily rows whenever one of its days is.


class MonthlyRollup(TierKeys):
    """`DailyRollup` summed over a month (queue, site, plan tier, corporate)."""

    month = models.DateField(_("month"))

    class Meta:
        verbose_name = _("monthly rollup")
        verbose_name_plural = _("monthly rollups")
        constraints = [
            models.UniqueConstraint(
                "month",
                _key("queue"),
                _key("site"),
                "plan_tier",
                Coalesce(Cast("is_corporate", models.IntegerField()), Value(-1)),
                name="monthly_rollup_unique",
            ),
            choices_check("plan_tier", Tier, "monthly_rollup_tier_valid", blank=True),
        ]
        indexes = [models.Index(fields=["month"], name="monthly_rollup_month_idx")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.queue_id} {self.site_id} {self.plan_tier}"


class AgentMonthlyRollup(Measures, AgentKeys):
    """`AgentDailyRollup` summed over a month (agent, queue, and the team and site of the days summed)."""

    month = models.DateField(_("month"))

    class Meta:
        verbose_name = _("agent monthly rollup")
        verbose_name_plural = _("agent monthly rollups")
        # No unique key: the team and site are SET_NULL, so deleting a team would merge an agent's rows of
        # a month with and without it. The rows are only written whole by `months_rollup`, under its lock.
        indexes = [
            models.Index(fields=["month", "team"], name="agent_monthly_month_team_idx"),
            models.Index(fields=["month", "agent"], name="agent_monthly_month_agent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.agent_id} {self.queue_id}"


class AgentStateMonthly(PersonKeys):
    """`AgentStateDaily` summed over a month (agent, and the team and site of the days summed)."""

    month = models.DateField(_("month"))
    available_seconds = models.PositiveBigIntegerField(_("available (s)"), default=0)
    on_call_seconds = models.PositiveBigIntegerField(_("on a call (s)"), default=0)
    wrap_up_seconds = models.PositiveBigIntegerField(_("wrap-up (s)"), default=0)
    break_seconds = models.PositiveBigIntegerField(_("break (s)"), default=0)
    training_seconds = models.PositiveBigIntegerField(_("training (s)"), default=0)

    class Meta:
        verbose_name = _("agent state month")
        verbose_name_plural = _("agent state months")
        # No unique key, as for AgentMonthlyRollup.
        indexes = [
            models.Index(fields=["month", "team"], name="agent_state_month_team_idx"),
            models.Index(fields=["month", "agent"], name="agent_state_month_agent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.agent_id}"


# Each daily rollup model, its monthly one and the keys a month's rows are grouped by.
MONTHLY = {
    DailyRollup: (MonthlyRollup, ("queue_id", "site_id", "plan_tier", "is_corporate")),
    AgentDailyRollup: (AgentMonthlyRollup, ("agent_id", "queue_id", "team_id", "site_id")),
    AgentStateDaily: (AgentStateMonthly, ("agent_id", "team_id", "site_id")),
}


class AgentIntervalRollup(Measures, AgentKeys):
    """One 15-minute interval of one agent on one queue (team and site: the agent's on the day it was
    built), by the same rule as `IntervalRollup`: what the agent answered where it was offered, what
    they handled where it ended. Summed over a day it is that day's `AgentDailyRollup`. The staffing
    page reads how many agents took each interval's calls."""

    start = models.DateTimeField(_("interval start"))

    class Meta:
        verbose_name = _("agent interval rollup")
        verbose_name_plural = _("agent interval rollups")
        # No unique key, as for AgentMonthlyRollup (team and site are SET_NULL).
        indexes = [
            models.Index(fields=["start", "queue"], name="agent_interval_start_queue_idx"),
            models.Index(fields=["agent", "start"], name="agent_interval_agent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M} {self.agent_id} {self.queue_id}"
