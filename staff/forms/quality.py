"""Forms for quality monitoring: the scorecard (an item per field, 0..top score or not applicable),
the evaluations list's filters, acknowledging, calibration sessions and recognition awards."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from calls.models import Contact

from ..models import RecognitionKind, Scorecard, Team, User
from ..services.quality import item_field

NOT_APPLICABLE = "na"


def default_period() -> tuple:
    """The last four weeks, today included."""
    today = timezone.localdate()
    return today - timedelta(days=27), today


def _period_checked(form: forms.Form, data: dict) -> dict:
    if data.get("start") and data.get("end") and data["end"] < data["start"]:
        form.add_error("end", _("The period ends before it starts."))
    return data


class ScorecardForm(forms.Form):
    """One radio field per scorecard item (named `item_<id>`, the service's name for its errors):
    0..top score, and "not applicable" for the items that may be."""

    comments = forms.CharField(
        label=_("Coaching comments"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, scorecard: Scorecard, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(scorecard.items.all())
        for item in self.items:
            choices = [(str(points), str(points)) for points in range(item.max_points + 1)]
            if not item.critical:
                choices.append((NOT_APPLICABLE, _("n/a")))
            self.fields[item_field(item.pk)] = forms.ChoiceField(
                label=item.label,
                choices=choices,
                widget=forms.RadioSelect,
                help_text=item.guidance,
                error_messages={"required": _("Score this item or mark it not applicable.")},
            )
        self.order_fields([item_field(item.pk) for item in self.items] + ["comments"])

    def item_rows(self):
        """(item, bound field) in the scorecard's order, for the template."""
        return [(item, self[item_field(item.pk)]) for item in self.items]

    def answers(self) -> dict:
        """{item id: points or None}, from cleaned data."""
        return {
            item.pk: None if (value := self.cleaned_data[item_field(item.pk)]) == NOT_APPLICABLE else int(value)
            for item in self.items
        }


class EvaluationForm(ScorecardForm):
    training_need = forms.CharField(
        label=_("Training need (optional)"),
        required=False,
        max_length=2000,
        help_text=_("Raises a training need for the agent from this evaluation."),
    )


class EvaluationFilterForm(forms.Form):
    agent = forms.ModelChoiceField(label=_("Agent"), queryset=User.objects.none(), required=False)
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    passed = forms.TypedChoiceField(
        label=_("Result"),
        required=False,
        choices=[("", _("Any")), ("yes", _("Passed")), ("no", _("Failed"))],
        coerce=lambda v: v == "yes",
        empty_value=None,
    )

    def __init__(self, *args, agents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = agents

    def clean(self):
        return _period_checked(self, super().clean())

    def period(self) -> tuple:
        start, end = default_period()
        if self.is_bound and self.is_valid():
            return self.cleaned_data["start"] or start, self.cleaned_data["end"] or end
        return start, end

    def selector_arguments(self) -> dict:
        start, end = self.period()
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        agent = data.get("agent")
        return {"agent": agent.pk if agent else None, "start": start, "end": end, "passed": data.get("passed")}


class AcknowledgeForm(forms.Form):
    comment = forms.CharField(
        label=_("Your comment (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CalibrationForm(forms.Form):
    contact = forms.IntegerField(
        label=_("Contact number"), min_value=1, help_text=_("A handled contact of someone you lead.")
    )
    scorecard = forms.ModelChoiceField(label=_("Scorecard"), queryset=Scorecard.objects.filter(is_active=True))
    held_on = forms.DateField(
        label=_("Held on"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_contact(self):
        try:
            return Contact.objects.get(pk=self.cleaned_data["contact"])
        except Contact.DoesNotExist:
            raise forms.ValidationError(_("There is no contact with this number.")) from None


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        return _period_checked(self, super().clean())

    def period(self) -> tuple:
        if self.is_bound and self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"]
        return default_period()


class AwardForm(PeriodForm):
    kind = forms.ChoiceField(label=_("Recognition"), choices=RecognitionKind.choices)
    recipient = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none(), required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, people, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = people
        self.fields["team"].queryset = teams
