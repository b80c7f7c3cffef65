"""The filters of the results and verbatims pages. A filter that does not validate (a team the
reader may not choose, a period that ends before it starts) is shown with its error and left out;
the others still apply, and the selectors scope everything to what the reader may see anyway."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from calls.models import Queue
from contactcentre.forms import LocalChoiceField, corporate_filter, plan_tier_filter, valid_data
from staff.models import Site, Team, User

from ..models import Survey, SurveyKind, Theme
from ..selectors.results import GROUPS, ResultFilters, teams_for_filter
from ..selectors.visibility import sees_all_responses

DEFAULT_DAYS = 90
GROUP_LABELS = {
    "agent": _("Agent"),
    "team": _("Team"),
    "queue": _("Queue"),
    "site": _("Site"),
    "plan_tier": _("Plan tier"),
    "corporate": _("Corporate or individual"),
    "week": _("Week"),
    "month": _("Month"),
}
BAND_CHOICES = [
    ("", _("Any score")),
    ("detractor", _("Detractors (0-6 likely to recommend)")),
    ("passive", _("Passives (7-8)")),
    ("promoter", _("Promoters (9-10)")),
    ("dissatisfied", _("Dissatisfied (CSAT 1-2)")),
]


def default_period() -> tuple:
    """The last 90 days, today included."""
    today = timezone.localdate()
    return today - timedelta(days=DEFAULT_DAYS - 1), today


def _date_field(label):
    return forms.DateField(label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ScopeForm(forms.Form):
    """Period, survey and where: what the results and the verbatims pages share."""

    start = _date_field(_("From"))
    end = _date_field(_("To"))
    survey = LocalChoiceField(
        label=_("Survey"), queryset=Survey.objects.none(), required=False, empty_label=_("Every post-contact survey")
    )
    site = LocalChoiceField(label=_("Site"), queryset=Site.objects.none(), required=False, empty_label=_("Any"))
    team = LocalChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("Any"))
    queue = LocalChoiceField(label=_("Queue"), queryset=Queue.objects.none(), required=False, empty_label=_("Any"))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        start, end = default_period()
        self.fields["start"].widget.attrs["placeholder"] = start.isoformat()
        self.fields["end"].widget.attrs["placeholder"] = end.isoformat()
        self.fields["survey"].queryset = Survey.objects.filter(
            kind__in=[SurveyKind.POST_CONTACT, SurveyKind.GENERAL]
        ).order_by("name")
        self.fields["site"].queryset = Site.objects.order_by("name")
        self.fields["team"].queryset = teams_for_filter(actor)
        self.fields["queue"].queryset = Queue.objects.order_by("name")
        if not self.is_bound:
            self.initial.setdefault("start", start)
            self.initial.setdefault("end", end)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The period ends before it starts."))
        return data

    def filters(self) -> ResultFilters:
        data = valid_data(self)
        start, end = default_period()
        if "end" in self.errors:
            data = {**data, "start": None, "end": None}
        pk = {name: (data[name].pk if data.get(name) else None) for name in ("survey", "site", "team", "queue")}
        return ResultFilters(
            start=data.get("start") or start,
            end=data.get("end") or end,
            survey_id=pk["survey"],
            site_id=pk["site"],
            team_id=pk["team"],
            queue_id=pk["queue"],
            agent_id=data["agent"].pk if data.get("agent") else None,
            plan_tier=data.get("plan_tier") or "",
            corporate=data.get("corporate"),
        )

    def as_text(self) -> dict:
        """The filters as chosen, for the audit trail."""
        return {name: str(value) for name, value in valid_data(self).items() if value not in (None, "")}


class ResultFilterForm(ScopeForm):
    agent = LocalChoiceField(label=_("Agent"), queryset=User.objects.none(), required=False, empty_label=_("Any"))
    plan_tier = plan_tier_filter()
    corporate = corporate_filter()
    group_by = forms.ChoiceField(
        label=_("Break down by"), choices=[(g, GROUP_LABELS[g]) for g in GROUPS], required=False
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        self.fields["agent"].queryset = User.objects.filter(
            team__in=self.fields["team"].queryset.values("pk")
        ).order_by("full_name")
        self.default_group = "team" if sees_all_responses(actor) else "agent"
        self.fields["group_by"].initial = self.default_group

    def grouping(self) -> str:
        return valid_data(self).get("group_by") or self.default_group


class VerbatimFilterForm(ScopeForm):
    band = forms.ChoiceField(label=_("Score"), choices=BAND_CHOICES, required=False)
    theme = LocalChoiceField(label=_("Theme"), queryset=Theme.objects.none(), required=False, empty_label=_("Any"))
    q = forms.CharField(label=_("Words in the comment"), max_length=100, required=False, strip=True)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        self.fields["theme"].queryset = Theme.objects.filter(is_active=True)

    def selector_arguments(self) -> dict:
        data = valid_data(self)
        return {
            "filters": self.filters(),
            "band": data.get("band") or "",
            "theme_id": data["theme"].pk if data.get("theme") else None,
            "search": data.get("q") or "",
        }
