"""Forms for survey definitions: a new survey, its questions (a formset: add, remove, reorder; for
the SERVQUAL instrument and the management study only the texts), and the sampling rules."""

from dataclasses import replace

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from calls.models import Queue
from contactcentre.forms import LocalChoiceField

from ..models import Question, QuestionKind, Survey, SurveyKind
from ..services.definitions import QuestionSpec

CHOICE_KINDS = (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)
# The instrument's scoring needs every statement as it is: only the wording may change.
FIXED_KINDS = (SurveyKind.SERVQUAL, SurveyKind.MANAGEMENT)
# What a question of any other survey may ask (the SERVQUAL kinds belong to the instrument).
OPEN_KINDS = [
    (value, label)
    for value, label in QuestionKind.choices
    if value not in (QuestionKind.EXPECTATION, QuestionKind.PERCEPTION, QuestionKind.IMPORTANCE)
]
MAX_QUESTIONS = 100
MAX_CHOICE_VALUE = 40


class SurveyForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_("Letters, numbers and hyphens; the API and external tools name the survey by it."),
    )
    name = forms.CharField(label=_("Name"), max_length=120)
    name_ar = forms.CharField(label=_("Name in Arabic"), max_length=120, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=SurveyKind.choices,
        help_text=_("The survey starts with the standard questions of its kind; you can edit them afterwards."),
    )
    introduction = forms.CharField(
        label=_("Introduction"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    introduction_ar = forms.CharField(
        label=_("Introduction in Arabic"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "rtl", "lang": "ar"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name_ar"].widget.attrs.update({"dir": "rtl", "lang": "ar"})


# --- Questions ------------------------------------------------------------------------------------


def choices_as_lines(choices: list[dict]) -> str:
    """Stored choices as the form shows them: "value | English label | Arabic label", one a line
    (labels left out where they add nothing)."""
    lines = []
    for choice in choices:
        value, label, label_ar = choice.get("value", ""), choice.get("label", ""), choice.get("label_ar", "")
        parts = [value, "" if label == value else label, label_ar]
        while len(parts) > 1 and not parts[-1]:
            parts.pop()
        lines.append(" | ".join(parts))
    return "\n".join(lines)


def choices_from_lines(text: str) -> list[dict]:
    """The lines "value | English label | Arabic label" as stored choices (a label left out is the
    value); ValidationError naming the line at fault."""
    choices = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) > 3 or not parts[0]:
            raise ValidationError(
                _("Line %(n)s: write value | English label | Arabic label."), params={"n": number}, code="line"
            )
        if len(parts[0]) > MAX_CHOICE_VALUE:
            raise ValidationError(
                _("Line %(n)s: keep the value to %(max)s characters."),
                params={"n": number, "max": MAX_CHOICE_VALUE},
                code="value",
            )
        value, label, label_ar = [*parts, "", ""][:3]
        choices.append({"value": value, "label": label or value, "label_ar": label_ar})
    values = [choice["value"] for choice in choices]
    if len(set(values)) != len(values):
        raise ValidationError(_("Each choice needs its own value."), code="duplicate")
    return choices


def spec_of(question: Question) -> QuestionSpec:
    """A stored question as the service takes it (its choices written as the form would write them)."""
    return QuestionSpec(
        code=question.code,
        kind=question.kind,
        text=question.text,
        text_ar=question.text_ar,
        required=question.required,
        choices=choices_from_lines(choices_as_lines(question.choices)),
        servqual_item=question.servqual_item,
        dimension=question.dimension,
    )


class QuestionForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Choose…")), *OPEN_KINDS])
    text = forms.CharField(label=_("Question"), max_length=300)
    text_ar = forms.CharField(label=_("Question in Arabic"), max_length=300, required=False)
    # Checked on a blank row too, so that an untouched blank row is seen as untouched.
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a choice question, one a line: value | English label | Arabic label"),
    )

    def __init__(self, *args, fixed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text_ar"].widget.attrs.update({"dir": "rtl", "lang": "ar"})
        if fixed:
            self.fields["kind"].choices = QuestionKind.choices
            for name in ("code", "kind", "required", "choices"):
                self.fields[name].disabled = True

    def clean_choices(self) -> list[dict]:
        return choices_from_lines(self.cleaned_data.get("choices") or "")

    def clean(self):
        data = super().clean()
        kind, choices = data.get("kind"), data.get("choices")
        if kind in CHOICE_KINDS and choices is not None and len(choices) < 2:
            self.add_error("choices", _("A choice question needs at least two choices."))
        elif kind and kind not in CHOICE_KINDS and choices:
            self.add_error("choices", _("Only a choice question has choices: leave this empty."))
        return data


class BaseQuestionFormSet(forms.BaseFormSet):
    def __init__(self, *args, fixed: bool = False, **kwargs):
        self.fixed = fixed
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "fixed": self.fixed}

    def kept_forms(self) -> list[QuestionForm]:
        """The questions to keep, in their new order (deleted ones and untouched blank rows left out).
        A row given a number takes that place, before a row that kept the same number; rows without a
        number go last."""
        if self.fixed:
            return list(self.forms)
        kept = [
            (index, form)
            for index, form in enumerate(self.forms)
            if (index < self.initial_form_count() or form.has_changed()) and not form.cleaned_data.get("DELETE")
        ]

        def place(item):
            index, form = item
            order = form.cleaned_data.get("ORDER")
            return (order is None, order or 0, "ORDER" not in form.changed_data, index)

        return [form for _index, form in sorted(kept, key=place)]

    def clean(self):
        super().clean()
        if not self.management_form.is_valid() or any(form.errors for form in self.kept_forms()):
            return
        kept = self.kept_forms()
        if not kept:
            raise ValidationError(_("A survey needs at least one question."))
        codes = [form.cleaned_data["code"] for form in kept]
        repeated = sorted({code for code in codes if codes.count(code) > 1})
        if repeated:
            raise ValidationError(
                _("Each question needs its own code: %(codes)s is used more than once."),
                params={"codes": ", ".join(repeated)},
            )

    def specs(self, questions: list[Question]) -> list[QuestionSpec]:
        """The questions as the service takes them. Fixed: the stored questions, texts as edited."""
        if self.fixed:
            return [
                replace(spec_of(question), text=form.cleaned_data["text"], text_ar=form.cleaned_data["text_ar"])
                for question, form in zip(questions, self.forms, strict=True)
            ]
        return [
            QuestionSpec(
                code=form.cleaned_data["code"],
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                text_ar=form.cleaned_data["text_ar"],
                required=form.cleaned_data["required"],
                choices=form.cleaned_data["choices"],
            )
            for form in self.kept_forms()
        ]


def question_formset(survey: Survey, questions: list[Question], data=None) -> BaseQuestionFormSet:
    """The form to edit a survey's questions: a row per question plus two blank ones (rows can be
    removed and renumbered), or for the SERVQUAL instrument and the management study the texts only."""
    fixed = survey.kind in FIXED_KINDS
    initial = [
        {
            "code": q.code,
            "kind": q.kind,
            "text": q.text,
            "text_ar": q.text_ar,
            "required": q.required,
            "choices": choices_as_lines(q.choices),
            **({} if fixed else {"ORDER": position}),
        }
        for position, q in enumerate(questions, start=1)
    ]
    if fixed:
        # Exactly the stored questions: a request with more or fewer rows is refused.
        count = len(questions)
        formset = forms.formset_factory(
            QuestionForm,
            formset=BaseQuestionFormSet,
            extra=0,
            min_num=count,
            max_num=count,
            absolute_max=count,
            validate_min=True,
            validate_max=True,
        )
    else:
        formset = forms.formset_factory(
            QuestionForm,
            formset=BaseQuestionFormSet,
            extra=2,
            can_order=True,
            can_delete=True,
            max_num=MAX_QUESTIONS,
            absolute_max=MAX_QUESTIONS,
            validate_max=True,
        )
    return formset(data, initial=initial, prefix="questions", fixed=fixed)


# --- Sampling rules -------------------------------------------------------------------------------


class SurveyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, survey) -> str:
        name = (survey.name_ar if get_language() == "ar" else "") or survey.name
        return name if survey.is_active else f"{name} ({_('not active')})"


class SamplingRuleForm(forms.Form):
    queue = LocalChoiceField(
        label=_("Queue"),
        queryset=Queue.objects.none(),
        required=False,
        empty_label=_("Every other queue"),
        help_text=_("One rule per queue; the rule for every other queue serves the queues without one."),
    )
    survey = SurveyChoiceField(
        label=_("Survey"),
        queryset=Survey.objects.none(),
        help_text=_("Only post-contact surveys are sent after contacts."),
    )
    percentage = forms.DecimalField(
        label=_("Percentage of contacts whose member is invited"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "100"}),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["queue"].queryset = Queue.objects.order_by("name")
        self.fields["survey"].queryset = Survey.objects.filter(kind=SurveyKind.POST_CONTACT).order_by("name")
