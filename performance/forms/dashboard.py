"""The manager dashboard's choices: a period (a preset or from-to), a comparison, a scope and a
league-table order. A choice that does not validate is shown with its error and left out (the
period falls back to this month); the page never fails on a bad query string.

A team's figures come from the agents' rollups, which record no plan tier or corporate account, so
a tier or corporate choice beside a team is refused and left out rather than silently ignored."""

from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from calls.models import Queue
from contactcentre.forms import LocalChoiceField, corporate_filter, plan_tier_filter, valid_data
from staff.models import Site, Team

from ..selectors import dashboard as selectors
from ..selectors.drilldown import FIGURES
from ..selectors.kpis import Period, Scope
from ..selectors.league import DEFAULT_SORT, sort_key

DEFAULT_PRESET = selectors.THIS_MONTH
MAX_DAYS = 3 * 366  # a custom period of at most three years
MEMBER_FILTERS = ("plan_tier", "corporate")  # what the agents' rollups cannot narrow


@dataclass(frozen=True)
class DashboardChoice:
    preset: str
    period: Period
    compare: str
    comparison: Period | None
    scope: Scope
    sort: str


class DashboardForm(forms.Form):
    preset = forms.ChoiceField(label=_("Period"), choices=selectors.PRESETS, required=False)
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    compare = forms.ChoiceField(label=_("Compare with"), choices=selectors.COMPARISONS, required=False)
    queue = LocalChoiceField(label=_("Queue"), queryset=Queue.objects.none(), required=False, empty_label=_("Any"))
    site = LocalChoiceField(label=_("Site"), queryset=Site.objects.none(), required=False, empty_label=_("Any"))
    team = LocalChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("Any"))
    plan_tier = plan_tier_filter()
    corporate = corporate_filter()
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["queue"].queryset = Queue.objects.order_by("name")
        self.fields["site"].queryset = Site.objects.order_by("name")
        self.fields["team"].queryset = Team.objects.select_related("site").order_by("site__name", "name")
        if not self.is_bound:
            self.initial.update(preset=DEFAULT_PRESET, compare=selectors.PREVIOUS)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        preset = data.get("preset") or (selectors.CUSTOM if start or end else DEFAULT_PRESET)
        if preset == selectors.CUSTOM:
            if not start:
                self.add_error("start", _("Give the first day of a custom period."))
            if not end:
                self.add_error("end", _("Give the last day of a custom period."))
            if start and end and end < start:
                self.add_error("end", _("The period ends before it starts."))
            elif start and end and (end - start).days >= MAX_DAYS:
                self.add_error("end", _("Choose at most three years."))
        if data.get("team") and any(data.get(name) not in (None, "") for name in MEMBER_FILTERS):
            self.add_error(
                None,
                _(
                    "A team's figures cannot be split by plan tier or by corporate and individual members (they "
                    "count the calls its agents answered), so those choices were left out. To compare plans, "
                    "choose a site or a queue instead."
                ),
            )
            for name in MEMBER_FILTERS:
                data.pop(name, None)
        data["preset"] = preset
        return data

    def choice(self) -> DashboardChoice:
        data = valid_data(self)
        preset = data.get("preset") or DEFAULT_PRESET
        if preset == selectors.CUSTOM and ({"start", "end"} & set(self.errors)):
            preset = DEFAULT_PRESET
        period = selectors.preset_period(preset, timezone.localdate(), data.get("start"), data.get("end"))
        compare = data.get("compare") or selectors.PREVIOUS
        pk = {name: data[name].pk if data.get(name) else None for name in ("queue", "site", "team")}
        scope = Scope(
            queue_id=pk["queue"],
            site_id=pk["site"],
            team_id=pk["team"],
            plan_tier=data.get("plan_tier") or "",
            is_corporate=data.get("corporate"),
        )
        return DashboardChoice(
            preset=preset,
            period=period,
            compare=compare,
            comparison=selectors.comparison_period(period, preset, compare),
            scope=scope,
            sort=sort_key(data.get("sort") or DEFAULT_SORT),
        )

    def as_text(self) -> dict:
        """The choices as made, for the audit trail of an export."""
        return {name: str(value) for name, value in valid_data(self).items() if value not in (None, "")}


class DrilldownForm(DashboardForm):
    figure = forms.ChoiceField(label=_("Figure"), choices=[(name, name) for name in FIGURES], required=False)
    which = forms.ChoiceField(
        label=_("Of"), choices=[("period", _("The period")), ("comparison", _("The comparison period"))], required=False
    )

    def figure_name(self) -> str:
        return valid_data(self).get("figure") or "offered"

    def drilled_period(self, choice: DashboardChoice) -> Period:
        """The period or, when asked and there is one, the comparison period."""
        if valid_data(self).get("which") == "comparison" and choice.comparison is not None:
            return choice.comparison
        return choice.period
