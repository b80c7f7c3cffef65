"""The scheduled reports' forms: "run now" (a schedule and a day in the period wanted) and a
schedule's settings (recipients, language, site, on/off and its timing in local time)."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactcentre.forms import LocalChoiceField
from staff.models import Site

from ..models import ReportKind, ReportSchedule
from ..rules.reports import Timing, timing_for

WEEKDAYS = [
    (1, _("Monday")),
    (2, _("Tuesday")),
    (3, _("Wednesday")),
    (4, _("Thursday")),
    (5, _("Friday")),
    (6, _("Saturday")),
    (0, _("Sunday")),
]


class ScheduleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


class RunNowForm(forms.Form):
    schedule = ScheduleChoiceField(label=_("Report"), queryset=ReportSchedule.objects.none())
    day = forms.DateField(
        label=_("A day in the period"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "The daily report covers that day, the weekly pack its Monday-Sunday week, the board pack its month."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schedule"].queryset = ReportSchedule.objects.select_related("site").order_by("kind", "name")
        if not self.is_bound:
            self.initial.setdefault("day", timezone.localdate() - timedelta(days=1))


class ScheduleForm(forms.Form):
    recipients = forms.CharField(
        label=_("Recipients"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "ltr"}),
        help_text=_("Email addresses, one per line."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    site = LocalChoiceField(label=_("Site"), queryset=Site.objects.none(), required=False, empty_label=_("Every site"))
    is_active = forms.BooleanField(label=_("Send on schedule"), required=False)
    time = forms.TimeField(label=_("Time (UK time)"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    weekday = forms.TypedChoiceField(label=_("Day of the week"), choices=WEEKDAYS, coerce=int, required=False)
    day_of_month = forms.IntegerField(
        label=_("Day of the month"),
        min_value=1,
        max_value=28,
        required=False,
        help_text=_("1 to 28, so that every month has it."),
    )

    def __init__(self, *args, schedule: ReportSchedule, timing: Timing, **kwargs):
        self.schedule = schedule
        kwargs.setdefault(
            "initial",
            {
                "recipients": schedule.recipients,
                "language": schedule.language,
                "site": schedule.site_id,
                "is_active": schedule.is_active,
                "time": f"{timing.hour:02d}:{timing.minute:02d}",
                "weekday": timing.day_of_week if timing.day_of_week is not None else 1,
                "day_of_month": timing.day_of_month or 1,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(is_active=True).order_by("name")
        if schedule.kind != ReportKind.WEEKLY_KPI:
            del self.fields["weekday"]
        if schedule.kind != ReportKind.MONTHLY_BOARD:
            del self.fields["day_of_month"]

    def clean(self):
        data = super().clean()
        if self.schedule.kind == ReportKind.WEEKLY_KPI and data.get("weekday") in (None, ""):
            self.add_error("weekday", _("Choose the day of the week."))
        if (
            self.schedule.kind == ReportKind.MONTHLY_BOARD
            and data.get("day_of_month") is None
            and ("day_of_month" not in self.errors)
        ):
            self.add_error("day_of_month", _("Choose the day of the month."))
        return data

    def timing(self) -> Timing:
        data = self.cleaned_data
        return timing_for(
            self.schedule.kind,
            hour=data["time"].hour,
            minute=data["time"].minute,
            weekday=data.get("weekday"),
            day_of_month=data.get("day_of_month"),
        )
