"""Forms for SERVQUAL: choosing the survey and period of the scores page, inviting a panel, and the
management perception study (the 22 expectations, 1-7, and 100 points over the five dimensions)."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from claims.models import Tier
from staff.templatetags.staff_tags import local_name

from ..models import Dimension, Question, QuestionKind, Survey
from ..rules import servqual as rules
from ..selectors.servqual import default_period, servqual_surveys

CORPORATE = {"": None, "corporate": True, "individual": False}


class ServqualFilterForm(forms.Form):
    survey = forms.ChoiceField(label=_("SERVQUAL survey"), required=False)
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        start, end = default_period()
        kwargs.setdefault("initial", {"start": start, "end": end})
        super().__init__(*args, **kwargs)
        # Read once: the page lists and chooses from the same surveys without asking again.
        self.surveys = list(servqual_surveys())
        self.fields["survey"].choices = [(str(s.pk), local_name(s)) for s in self.surveys]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The period ends before it starts."))
        return data

    def arguments(self) -> dict:
        """{"survey", "start", "end"}: what was asked, or the newest survey and the last twelve
        months for anything missing or not valid."""
        start, end = default_period()
        survey = self.surveys[0] if self.surveys else None
        if self.is_bound and self.is_valid():
            chosen = self.cleaned_data["survey"]
            survey = next((s for s in self.surveys if str(s.pk) == chosen), survey)
            start, end = self.cleaned_data["start"] or start, self.cleaned_data["end"] or end
        return {"survey": survey, "start": start, "end": end}


class PanelInviteForm(forms.Form):
    survey = forms.ModelChoiceField(label=_("SERVQUAL survey"), queryset=Survey.objects.none())
    size = forms.IntegerField(
        label=_("How many members"), min_value=1, max_value=1000, help_text=_("Drawn at random from those who may be.")
    )
    plan_tier = forms.ChoiceField(
        label=_("Plan tier"), required=False, choices=[("", _("Any plan tier")), *Tier.choices]
    )
    membership = forms.ChoiceField(
        label=_("Corporate or individual"),
        required=False,
        choices=[("", _("Either")), ("corporate", _("Corporate members")), ("individual", _("Individual members"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survey"].queryset = servqual_surveys().filter(is_active=True)

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "survey": data["survey"],
            "size": data["size"],
            "plan_tier": data["plan_tier"],
            "corporate": CORPORATE[data["membership"]],
        }


SCALE = [(str(value), str(value)) for value in range(rules.SCALE[0], rules.SCALE[1] + 1)]


def question_text(question: Question) -> str:
    """The question in the reader's language."""
    return (question.text_ar if get_language() == "ar" else "") or question.text


class ManagementStudyForm(forms.Form):
    """The study's expectation statements (a field per question, named by its code, 1-7) and its
    importance points (a field per dimension, `points-<dimension>`), as the survey's version asks
    them, so that the service's errors, keyed by question code, land on their fields."""

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.statements = [q for q in questions if q.kind == QuestionKind.EXPECTATION]
        self.importance = [q for q in questions if q.kind == QuestionKind.IMPORTANCE]
        for question in self.statements:
            self.fields[question.code] = forms.TypedChoiceField(
                label=question_text(question),
                choices=SCALE,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose from 1 (strongly disagree) to 7 (strongly agree).")},
            )
        for question in self.importance:
            self.fields[question.code] = forms.IntegerField(
                label=Dimension(question.dimension).label,
                help_text=rules.DESCRIPTIONS[question.dimension],
                min_value=0,
                max_value=100,
                error_messages={"required": _("Give this dimension some points, or 0.")},
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "points"}),
            )

    def clean(self):
        data = super().clean()
        points = {q.dimension: data.get(q.code) for q in self.importance}
        if self.importance and all(value is not None for value in points.values()):
            for dimension, message in rules.points_errors(points).items():
                self.add_error(None if dimension == "__all__" else f"points-{dimension}", message)
        return data

    def statement_rows(self):
        """(dimension label, [(statement number, bound field)]) in the instrument's order."""
        by_dimension: dict[str, list] = {}
        for question in self.statements:
            dimension = rules.DIMENSION_OF[question.servqual_item]
            by_dimension.setdefault(dimension, []).append((question.servqual_item, self[question.code]))
        return [(Dimension(d).label, by_dimension[d]) for d in rules.DIMENSIONS if d in by_dimension]

    def point_fields(self):
        return [self[question.code] for question in self.importance]

    def values(self) -> dict:
        """The answers by question code, for response_submit."""
        return {code: value for code, value in self.cleaned_data.items() if value is not None}
