"""Forms for recruitment: the vacancies list's filters, a new vacancy, an application entered by HR,
the candidate page's actions (move, reject or withdraw with a reason, score, note, hire) and the
metrics' filters."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Competency, JobRole, Site, Stage, Team, VacancyStatus
from ..models.jobs import Assessment
from ..models.recruitment import SCORE_MAX, SCORE_MIN, Source
from ..selectors.recruitment import SCORED_EXERCISES

DATE = forms.DateInput(attrs={"type": "date"})


class VacancyFilterForm(forms.Form):
    q = forms.CharField(label=_("Reference or job"), max_length=60, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *VacancyStatus.choices], required=False
    )
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.all(), required=False, empty_label=_("Any site")
    )
    job_role = forms.ModelChoiceField(
        label=_("Job"), queryset=JobRole.objects.all(), required=False, empty_label=_("Any job")
    )

    def selector_arguments(self) -> dict:
        """The list selector's filters (an invalid value is ignored, as if not given)."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "search": data.get("q", ""),
            "status": data.get("status", ""),
            "site_id": data["site"].pk if data.get("site") else None,
            "job_role_id": data["job_role"].pk if data.get("job_role") else None,
        }


class VacancyForm(forms.Form):
    job_role = forms.ModelChoiceField(
        label=_("Job"),
        queryset=JobRole.objects.filter(is_active=True),
        help_text=_("The vacancy is measured against this job's person specification."),
    )
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.all())
    posts = forms.IntegerField(label=_("Number of posts"), min_value=1, max_value=500, initial=1)
    opened_on = forms.DateField(label=_("Opened on"), widget=DATE, initial=timezone.localdate)
    closes_on = forms.DateField(
        label=_("Applications close on"), widget=DATE, required=False, help_text=_("Empty: open until closed.")
    )
    description = forms.CharField(
        label=_("Advert"), max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )


class ApplicationForm(forms.Form):
    """An application HR enters (from a job board, an agency, a referral...)."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("Email address"), required=False)
    phone = forms.CharField(label=_("Telephone"), max_length=32, required=False)
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices, initial=Source.JOB_BOARD)
    cover_note = forms.CharField(
        label=_("Why this job"), max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class MoveForm(forms.Form):
    target = forms.ChoiceField(label=_("Move to"), choices=Stage.choices)
    reason = forms.CharField(
        label=_("Reason"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CloseForm(forms.Form):
    """Reject or withdraw, with the reason."""

    target = forms.ChoiceField(
        label=_("Decision"), choices=[(s, Stage(s).label) for s in (Stage.REJECTED, Stage.WITHDRAWN)]
    )
    reason = forms.CharField(label=_("Reason"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))


class ScoreForm(forms.Form):
    competency = forms.ModelChoiceField(label=_("Competency"), queryset=Competency.objects.none())
    exercise = forms.ChoiceField(label=_("Exercise"), choices=[(e, Assessment(e).label) for e in SCORED_EXERCISES])
    # Not bounded here: the service gives the out-of-scale message, on this field.
    score = forms.IntegerField(
        label=_("Score (%(low)s-%(high)s)") % {"low": SCORE_MIN, "high": SCORE_MAX},
        widget=forms.NumberInput(attrs={"min": SCORE_MIN, "max": SCORE_MAX}),
    )
    evidence = forms.CharField(
        label=_("Evidence"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, job_role_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].queryset = Competency.objects.filter(
            spec_items__job_role_id=job_role_id, spec_items__assessed_by__in=SCORED_EXERCISES
        ).distinct()


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), max_length=10000, widget=forms.Textarea(attrs={"rows": 3}))


class HireForm(forms.Form):
    employee_number = forms.CharField(label=_("Employee number"), max_length=20)
    start_date = forms.DateField(label=_("Start date"), widget=DATE)
    contract_hours = forms.DecimalField(
        label=_("Contract hours per week"),
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("1"),
        max_value=Decimal("48"),
        initial=Decimal("37.5"),
    )
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)

    def __init__(self, *args, site_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(site_id=site_id)


class MetricsFilterForm(forms.Form):
    vacancy = forms.CharField(label=_("Vacancy reference"), max_length=20, required=False)
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.all(), required=False, empty_label=_("Any site")
    )
    start = forms.DateField(label=_("Applied from"), widget=DATE, required=False)
    end = forms.DateField(label=_("Applied to"), widget=DATE, required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("Not before the start."))
        return data
