"""The desk's forms: the wrap-up, and a contact logged by hand."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers.models import Customer
from customers.rules import clean_membership_number

from ..models import AgentState, CallerState, ContactChannel, ContactOutcome, Direction, Queue, ReasonCode
from ..selectors.desk import reason_choices
from ..services.contacts import CHOSEN_STATES, WrapUp

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class ReasonField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, reason: ReasonCode) -> str:
        from staff.templatetags.staff_tags import local_name

        return f"{local_name(reason.parent)} › {local_name(reason)}"


class WrapUpForm(forms.Form):
    reasons = ReasonField(
        label=_("Reasons"),
        queryset=ReasonCode.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one reason.")},
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *ContactOutcome.choices])
    caller_state = forms.ChoiceField(label=_("Caller state"), choices=[("", "—"), *CallerState.choices], required=False)
    resolved_first_contact = forms.ChoiceField(
        label=_("Resolved at first contact?"), choices=YES_NO, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("Notes"),
        widget=forms.Textarea(attrs={"rows": 4, "data-shortcut": "w"}),
        required=False,
        max_length=5000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reasons"].queryset = reason_choices()

    def wrap_up(self) -> WrapUp:
        data = self.cleaned_data
        return WrapUp(
            reasons=list(data["reasons"]),
            outcome=data["outcome"],
            notes=data["notes"],
            caller_state=data["caller_state"],
            resolved_first_contact=data["resolved_first_contact"] == "yes",
        )


class ManualContactForm(WrapUpForm):
    channel = forms.ChoiceField(label=_("Channel"), choices=ContactChannel.choices)
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    occurred_at = forms.DateTimeField(
        label=_("When"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    minutes = forms.IntegerField(label=_("Call length (minutes)"), min_value=0, max_value=600, required=False)
    membership_number = forms.CharField(label=_("Membership number"), max_length=20, required=False)
    queue = forms.ModelChoiceField(label=_("Queue"), queryset=Queue.objects.filter(is_active=True), required=False)
    caller_number = forms.CharField(label=_("Phone number"), max_length=32, required=False)
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)

    field_order = ["channel", "direction", "occurred_at", "minutes", "membership_number", "queue", "caller_number"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_at"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def clean_membership_number(self) -> Customer | None:
        number = clean_membership_number(self.cleaned_data["membership_number"])
        if not number:
            return None
        customer = Customer.objects.filter(membership_number=number).first()
        if customer is None:
            raise forms.ValidationError(_("No member has this membership number."))
        return customer


class AgentStateForm(forms.Form):
    state = forms.ChoiceField(choices=[(value, label) for value, label in AgentState.choices if value in CHOSEN_STATES])
