"""Forms for appraisals (cycles, opening one, the appraisal page's parts, the list's filters) and for
upward feedback."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Achievement, AppraisalCycle, AppraisalStatus, Competency, Course, FeedbackSubject, User
from ..models.appraisal import RATING_MAX, RATING_MIN

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
RATINGS = [(n, str(n)) for n in range(RATING_MIN, RATING_MAX + 1)]


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, person) -> str:
        from staff.templatetags.staff_tags import local_name

        return local_name(person)


def _rating_field(label, *, required: bool = True) -> forms.IntegerField:
    # A number box, not a list: a value outside the scale is a field error by the field, not a lost choice.
    return forms.IntegerField(
        label=label,
        min_value=RATING_MIN,
        max_value=RATING_MAX,
        required=required,
        help_text=_("1 (well below) to 5 (well above what is expected)."),
        widget=forms.NumberInput(attrs={"min": RATING_MIN, "max": RATING_MAX}),
    )


class CycleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    is_open = forms.BooleanField(label=_("Open"), required=False, initial=True)


class AppraisalFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or email"), required=False)
    cycle = forms.ModelChoiceField(label=_("Cycle"), queryset=AppraisalCycle.objects.all(), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Any")), *AppraisalStatus.choices], required=False)

    def selector_arguments(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"cycle_id": data["cycle"].pk if data["cycle"] else None, "status": data["status"], "search": data["q"]}


class AppraisalCreateForm(forms.Form):
    cycle = forms.ModelChoiceField(label=_("Cycle"), queryset=AppraisalCycle.objects.none())
    appraisee = PersonField(label=_("Appraisee"), queryset=User.objects.none())
    appraiser = PersonField(label=_("Appraiser"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, cycles, appraisees, appraisers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = cycles
        self.fields["appraisee"].queryset = appraisees
        if appraisers is None:
            del self.fields["appraiser"]
        else:
            self.fields["appraiser"].queryset = appraisers
            self.fields["appraiser"].required = True


class ObjectiveForm(forms.Form):
    title = forms.CharField(label=_("Objective"), max_length=200)
    activities = forms.CharField(label=_("Activities"), widget=forms.Textarea(attrs={"rows": 2}))
    measure = forms.CharField(label=_("Measure"), max_length=200)
    achievement = forms.ChoiceField(
        label=_("Achievement"), choices=[("", _("Not assessed yet")), *Achievement.choices], required=False
    )
    objective = forms.IntegerField(required=False, widget=forms.HiddenInput)


class RatingForm(forms.Form):
    competency = forms.ModelChoiceField(label=_("Competency"), queryset=Competency.objects.none())
    rating = _rating_field(_("Rating"))
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 1}))

    def __init__(self, *args, competencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].queryset = competencies


class ReviewForm(forms.Form):
    strengths = forms.CharField(label=_("Strengths"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    weaknesses = forms.CharField(label=_("Areas to develop"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    overall_rating = _rating_field(_("Overall rating"), required=False)


class SelfAssessmentForm(forms.Form):
    self_assessment = forms.CharField(label=_("Your self-assessment"), widget=forms.Textarea(attrs={"rows": 5}))


class ActionForm(forms.Form):
    description = forms.CharField(label=_("Action"), max_length=250)
    owner = PersonField(label=_("Owner"), queryset=User.objects.none())
    due_on = forms.DateField(label=_("Due on"), widget=DATE)

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class ActionDoneForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    done = forms.BooleanField(required=False, widget=forms.HiddenInput)


class TrainingNeedForm(forms.Form):
    description = forms.CharField(label=_("What is needed"), widget=forms.Textarea(attrs={"rows": 2}))
    course = forms.ModelChoiceField(
        label=_("Course that would meet it"),
        queryset=Course.objects.filter(is_active=True),
        required=False,
        empty_label=_("None chosen yet"),
    )


class FeedbackForm(forms.Form):
    cycle = forms.ModelChoiceField(label=_("Cycle"), queryset=AppraisalCycle.objects.none())
    subject = forms.ChoiceField(label=_("About"), choices=FeedbackSubject.choices, widget=forms.RadioSelect)
    rating = _rating_field(_("Rating"))
    went_well = forms.CharField(label=_("What works well"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    to_improve = forms.CharField(
        label=_("What could be better"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    anonymous = forms.BooleanField(
        label=_("Give this anonymously"),
        required=False,
        initial=True,
        help_text=_(
            "Anonymous feedback stores nothing that names you. Results are shown only for groups of at least "
            "5 responses."
        ),
    )

    def __init__(self, *args, cycles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = cycles


class SummaryCycleForm(forms.Form):
    cycle = forms.ModelChoiceField(label=_("Cycle"), queryset=AppraisalCycle.objects.all(), required=False)
