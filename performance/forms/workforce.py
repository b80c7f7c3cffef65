"""The forms of the workforce pages: which queue and day, a shift, copying last week's roster."""

from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from calls.models import Queue
from contactcentre.forms import LocalChoiceField

from ..selectors.workforce import roster_agents, roster_queues

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local", "step": 900}, format="%Y-%m-%dT%H:%M")


class DayForm(forms.Form):
    """A day and, optionally, a queue (the staffing page needs one: the first open queue by default)."""

    day = forms.DateField(label=_("Day"), required=False, widget=DATE)
    queue = LocalChoiceField(
        label=_("Queue"), queryset=Queue.objects.none(), required=False, empty_label=_("Every queue")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["queue"].queryset = roster_queues()

    def day_or_today(self):
        return (self.cleaned_data.get("day") if self.is_valid() else None) or timezone.localdate()

    def queue_or_none(self):
        return self.cleaned_data.get("queue") if self.is_valid() else None


class ShiftForm(forms.Form):
    agent = LocalChoiceField(label=_("Agent"), queryset=Queue.objects.none())
    queue = LocalChoiceField(label=_("Queue"), queryset=Queue.objects.none())
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"])
    ends_at = forms.DateTimeField(
        label=_("Ends"),
        widget=DATETIME,
        input_formats=["%Y-%m-%dT%H:%M"],
        help_text=_("At most 16 hours after the start; breaks are counted in shrinkage, not here."),
    )

    def __init__(self, *args, day=None, queue=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = roster_agents()
        self.fields["queue"].queryset = roster_queues()
        if not self.is_bound:
            day = day or timezone.localdate() + timedelta(days=1)
            self.initial.setdefault("starts_at", datetime.combine(day, time(9)))
            self.initial.setdefault("ends_at", datetime.combine(day, time(17)))
            if queue is not None:
                self.initial.setdefault("queue", queue)


class CopyWeekForm(forms.Form):
    week = forms.DateField(
        label=_("Copy into the week of"),
        required=False,
        widget=DATE,
        help_text=_("Any day of the week; the week before it is copied. Default: this week."),
    )
    queue = LocalChoiceField(
        label=_("Queue"), queryset=Queue.objects.none(), required=False, empty_label=_("Every queue")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["queue"].queryset = roster_queues()
