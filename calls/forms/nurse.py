"""The nurse's triage form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Disposition
from .followups import datetime_local_widget


class TriageForm(forms.Form):
    presenting_problem = forms.CharField(
        label=_("Presenting problem"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    advice_given = forms.CharField(label=_("Advice given"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    disposition = forms.ChoiceField(label=_("Disposition"), choices=[("", "---------"), *Disposition.choices])
    safety_netting = forms.CharField(
        label=_("Safety-netting advice"),
        max_length=4000,
        help_text=_("What to watch for, and when to call back or seek urgent help."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    follow_up_due_at = forms.DateTimeField(
        label=_("Call the caller back at"),
        required=False,
        widget=datetime_local_widget(),
        help_text=_("Optional: a callback on your follow-ups list."),
    )
