"""Forms for follow-ups: a new one, and a team leader's reassignment."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers.models import Customer

from ..models import Contact, FollowUpKind

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def datetime_local_widget() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)


def in_an_hour() -> str:
    return (timezone.localtime() + timedelta(hours=1)).replace(second=0, microsecond=0).strftime(DATETIME_LOCAL)


class FollowUpForm(forms.Form):
    FOR_ME = "me"
    FOR_TEAM = "team"

    kind = forms.ChoiceField(label=_("Kind"), choices=FollowUpKind.choices, initial=FollowUpKind.CALLBACK)
    due_at = forms.DateTimeField(label=_("Due"), widget=datetime_local_widget(), initial=in_an_hour)
    assign_to = forms.ChoiceField(
        label=_("For"),
        choices=[(FOR_ME, _("Me")), (FOR_TEAM, _("My team (anyone in it may pick it up)"))],
        initial=FOR_ME,
        widget=forms.RadioSelect,
    )
    phone_number = forms.CharField(
        label=_("Number to call"), max_length=32, required=False, help_text=_("For a callback, e.g. 07700 900123.")
    )
    note = forms.CharField(
        label=_("What to do"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    customer = forms.ModelChoiceField(queryset=Customer.objects.all(), required=False, widget=forms.HiddenInput)
    contact = forms.ModelChoiceField(queryset=Contact.objects.all(), required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.team_id:
            self.fields["assign_to"].choices = self.fields["assign_to"].choices[:1]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        for_team = data["assign_to"] == self.FOR_TEAM
        return {
            "kind": data["kind"],
            "due_at": data["due_at"],
            "owner": None if for_team else self.user,
            "team": self.user.team if for_team else None,
            "customer": data["customer"],
            "contact": data["contact"],
            "note": data["note"],
            "phone_number": data["phone_number"],
        }


class ReassignForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("Give to"), queryset=None, empty_label=_("Choose a person"))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people
