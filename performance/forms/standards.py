"""Forms for the standards pages: a new standard, a change of target, ending one, and the period
the promises and sites pages read."""

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from calls.models import Queue
from claims.models import Tier
from contactcentre.forms import LocalChoiceField
from customers.models import CorporateAccount
from staff.models import Site

from ..models import Metric

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PERIOD_DAYS = 30


def _threshold(label, help_text=""):
    return forms.DecimalField(label=label, max_digits=8, decimal_places=2, help_text=help_text)


class StandardChangeForm(forms.Form):
    target = _threshold(_("Target"), _("Green when the figure meets this."))
    warning = _threshold(
        _("Warning threshold"),
        _("Amber between the target and this; red beyond. Above the target where less is better, below otherwise."),
    )
    effective_from = forms.DateField(label=_("In force from"), widget=DATE)
    note = forms.CharField(label=_("Why"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_from"].initial = timezone.localdate()


class StandardForm(StandardChangeForm):
    metric = forms.ChoiceField(label=_("Measure"), choices=Metric.choices)
    queue = LocalChoiceField(
        label=_("Queue"), queryset=Queue.objects.order_by("name"), required=False, empty_label=_("Every queue")
    )
    site = LocalChoiceField(
        label=_("Site"), queryset=Site.objects.filter(is_active=True), required=False, empty_label=_("Every site")
    )
    plan_tier = forms.ChoiceField(label=_("Plan tier"), choices=[("", _("Every tier")), *Tier.choices], required=False)
    corporate_account = forms.ModelChoiceField(
        label=_("Corporate account"),
        queryset=CorporateAccount.objects.order_by("name"),
        required=False,
        empty_label=_("Every member"),
    )

    field_order = [
        "metric",
        "target",
        "warning",
        "queue",
        "site",
        "plan_tier",
        "corporate_account",
        "effective_from",
        "note",
    ]


class StandardRetireForm(forms.Form):
    last_day = forms.DateField(label=_("Last day in force"), widget=DATE)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("To"), required=False, widget=DATE)

    def __init__(self, *args, max_days: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_days = max_days

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The period ends before it starts."))
        elif start and end and self.max_days and (end - start).days + 1 > self.max_days:
            self.add_error("start", _("Choose at most %(days)s days.") % {"days": self.max_days})
        return data

    def period(self) -> tuple[date, date]:
        """The period asked for; the last 30 days for what is not given (or not valid)."""
        end = timezone.localdate()
        start = end - timedelta(days=PERIOD_DAYS - 1)
        if self.is_bound and self.is_valid():
            end = self.cleaned_data["end"] or end
            start = self.cleaned_data["start"] or end - timedelta(days=PERIOD_DAYS - 1)
        return start, end
