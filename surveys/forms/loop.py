"""The follow-ups list's filters and the form that closes a follow-up with what was done."""

from django import forms
from django.utils.translation import gettext_lazy as _

from contactcentre.forms import LocalChoiceField
from staff.models import Team

from ..models import LoopOutcome, LoopStatus
from ..services.loop import MAX_NOTE


class LoopFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *LoopStatus.choices], required=False, initial=LoopStatus.OPEN
    )
    team = LocalChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("Any"))
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams

    def selector_arguments(self) -> dict:
        """Open follow-ups until the reader chooses otherwise; a filter that does not validate is left out."""
        if not self.is_bound:
            return {"status": LoopStatus.OPEN, "team_id": None, "overdue": False}
        self.is_valid()
        data = self.cleaned_data
        return {
            "status": data.get("status", ""),
            "team_id": data["team"].pk if data.get("team") else None,
            "overdue": bool(data.get("overdue")),
        }


class LoopCloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("What happened"), choices=LoopOutcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("What was done"),
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who called whom, what was said or agreed, and anything still to do."),
    )
