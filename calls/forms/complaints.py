"""Forms for complaints: log one, the detail page's actions, the list's filters and the report's period."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers.models import Customer

from ..models import ComplaintCategory, ComplaintOutcome, ComplaintStatus, Contact, ContactChannel, Severity

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def _now_local() -> str:
    return timezone.localtime().strftime(DATETIME_LOCAL)


class OwnerField(forms.ModelChoiceField):
    def label_from_instance(self, person) -> str:
        from staff.templatetags.staff_tags import local_name

        return local_name(person)


class ComplaintForm(forms.Form):
    received_at = forms.DateTimeField(
        label=_("Received at"),
        initial=_now_local,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        help_text=_("When the member first expressed dissatisfaction: the deadlines run from this day."),
    )
    channel = forms.ChoiceField(label=_("Received by"), choices=ContactChannel.choices, initial=ContactChannel.PHONE)
    category = forms.ChoiceField(label=_("Cause category"), choices=[("", "---------"), *ComplaintCategory.choices])
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, initial=Severity.MEDIUM)
    product = forms.CharField(label=_("Product"), max_length=100, required=False)
    summary = forms.CharField(
        label=_("What the member told us"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )
    owner = OwnerField(
        label=_("Owner"),
        queryset=None,
        required=False,
        empty_label=_("Nobody yet"),
        help_text=_("Reminders go to the owner; while there is none, to your team leader."),
    )
    customer = forms.ModelChoiceField(queryset=Customer.objects.all(), required=False, widget=forms.HiddenInput)
    contact = forms.ModelChoiceField(queryset=Contact.objects.all(), required=False, widget=forms.HiddenInput)

    def __init__(self, *args, handlers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = handlers


def _redress_field(*, required: bool) -> forms.DecimalField:
    return forms.DecimalField(
        label=_("Redress paid"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        initial=Decimal("0.00"),
        required=required,
    )


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "---------"), *ComplaintOutcome.choices])
    redress = _redress_field(required=False)
    root_cause = forms.CharField(
        label=_("Root cause"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FinalResponseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "---------"), *ComplaintOutcome.choices])
    root_cause = forms.CharField(label=_("Root cause"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    redress = _redress_field(required=True)


class AssignForm(forms.Form):
    owner = OwnerField(label=_("Give to"), queryset=None, empty_label=_("Choose a person"))

    def __init__(self, *args, handlers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = handlers


class ComplaintFilterForm(forms.Form):
    MINE, UNASSIGNED = "mine", "unassigned"
    YES, NO = "yes", "no"

    q = forms.CharField(label=_("Reference, membership number or name"), max_length=60, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *ComplaintStatus.choices], required=False
    )
    breached = forms.ChoiceField(
        label=_("Deadline"),
        choices=[("", _("Breached or not")), (YES, _("Breached")), (NO, _("Not breached"))],
        required=False,
    )
    owner = forms.ChoiceField(
        label=_("Owner"),
        choices=[("", _("Anyone")), (MINE, _("Mine")), (UNASSIGNED, _("Nobody yet"))],
        required=False,
    )

    def selector_arguments(self, user) -> dict:
        """The list selector's filters (an invalid value is ignored, as if not given)."""
        data = self.cleaned_data if self.is_valid() else {}
        breached = data.get("breached", "")
        return {
            "search": data.get("q", ""),
            "status": data.get("status", ""),
            "breached": None if not breached else breached == self.YES,
            "owner_id": user.pk if data.get("owner") == self.MINE else None,
            "unowned": data.get("owner") == self.UNASSIGNED,
        }


class ReportPeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("Not before the start."))
        return data
