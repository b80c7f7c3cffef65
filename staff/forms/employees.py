"""Forms for employment records: the list's filters, a new employee, employment details,
qualifications, a leaver, profit-share eligibility, and the retention report's period."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import EmploymentStatus, JobRole, LeavingReason, QualificationKind, Site, Team

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE, **kwargs)


def _hours_field() -> forms.DecimalField:
    return forms.DecimalField(
        label=_("Contract hours per week"),
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0.5"),
        max_value=Decimal("48"),
        initial=Decimal("37.5"),
        help_text=_("At most 48 (the working time limit)."),
    )


class TeamField(forms.ModelChoiceField):
    def label_from_instance(self, team) -> str:
        return f"{team.name} ({team.site.name})"


def _site_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.filter(is_active=True).order_by("name"), required=False
    )


def _team_field() -> TeamField:
    return TeamField(
        label=_("Team"),
        queryset=Team.objects.filter(is_active=True).select_related("site").order_by("site__name", "name"),
        required=False,
    )


def _job_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Job role"), queryset=JobRole.objects.filter(is_active=True).order_by("title")
    )


class EmployeeFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, email or employee number"), max_length=100, required=False)
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.order_by("name"), required=False, empty_label=_("Any site")
    )
    team = TeamField(
        label=_("Team"),
        queryset=Team.objects.select_related("site").order_by("site__name", "name"),
        required=False,
        empty_label=_("Any team"),
    )
    job = forms.ModelChoiceField(
        label=_("Job role"), queryset=JobRole.objects.order_by("title"), required=False, empty_label=_("Any job")
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *EmploymentStatus.choices], required=False
    )

    def selector_arguments(self) -> dict:
        """The list selector's filters (an invalid value is ignored, as if not given)."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "search": data.get("q", ""),
            "site_id": data["site"].pk if data.get("site") else None,
            "team_id": data["team"].pk if data.get("team") else None,
            "job_role_id": data["job"].pk if data.get("job") else None,
            "status": data.get("status", ""),
        }


class _TeamAtSite:
    def clean(self):
        data = super().clean()
        site, team = data.get("site"), data.get("team")
        if site and team and team.site_id != site.pk:
            self.add_error("team", _("Choose a team at %(site)s.") % {"site": site.name})
        return data


class EmployeeCreateForm(_TeamAtSite, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    full_name_ar = forms.CharField(label=_("Full name in Arabic"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email address"), help_text=_("Their login. They set a password by resetting it."))
    employee_number = forms.CharField(label=_("Employee number"), max_length=20)
    job_role = _job_field()
    site = _site_field()
    team = _team_field()
    start_date = _date_field(_("Start date"), initial=timezone.localdate)
    contract_hours = _hours_field()


class EmploymentForm(_TeamAtSite, forms.Form):
    employee_number = forms.CharField(label=_("Employee number"), max_length=20)
    job_role = _job_field()
    site = _site_field()
    team = _team_field()
    start_date = _date_field(_("Start date"))
    contract_hours = _hours_field()
    status = forms.ChoiceField(
        label=_("Employment status"),
        choices=[(v, label) for v, label in EmploymentStatus.choices if v != EmploymentStatus.LEFT],
    )


class QualificationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=QualificationKind.choices)
    name = forms.CharField(label=_("Name"), max_length=150, help_text=_("E.g. Registered Nurse (Adult)."))
    registration_number = forms.CharField(
        label=_("Registration number"),
        max_length=40,
        required=False,
        help_text=_("Required for a nursing registration (the NMC PIN)."),
    )
    expires_on = _date_field(_("Expires on"), required=False, help_text=_("Required for a nursing registration."))


class LeaverForm(forms.Form):
    left_on = _date_field(_("Last day"))
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "---------"), *LeavingReason.choices])
    note = forms.CharField(label=_("Note"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ProfitShareForm(forms.Form):
    eligible_from = _date_field(
        _("In the profit-share scheme from"),
        required=False,
        help_text=_("Leave empty when they are not (or no longer) eligible."),
    )


class RetentionPeriodForm(forms.Form):
    start = _date_field(_("From"))
    end = _date_field(_("To"))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("Not before the start."))
        return data
