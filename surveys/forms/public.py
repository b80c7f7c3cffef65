"""The member's survey form: the answers to a version's questions, collected as the browser posts them
and shown back, grouped into sections, with the service's errors by each question.

The form checks nothing itself: response_submit checks every answer against its question, so the
link, the API and the SMS provider all get the same rules and the same messages."""

from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext_lazy as _

from contactcentre.exceptions import DomainError

from ..models import Question, QuestionKind
from ..rules import scores, servqual

SCALES = {
    QuestionKind.CSAT: (scores.CSAT_SCALE, _("Very dissatisfied"), _("Very satisfied")),
    QuestionKind.NPS: (scores.NPS_SCALE, _("Not at all likely"), _("Extremely likely")),
    QuestionKind.CES: (scores.CES_SCALE, _("Strongly disagree"), _("Strongly agree")),
    QuestionKind.EXPECTATION: (servqual.SCALE, _("Strongly disagree"), _("Strongly agree")),
    QuestionKind.PERCEPTION: (servqual.SCALE, _("Strongly disagree"), _("Strongly agree")),
}
SECTIONS = {
    QuestionKind.EXPECTATION: (
        _("What an excellent health insurer would do"),
        _(
            "Think of an excellent health insurer's contact centre. How far do you agree with each statement? "
            "1 means strongly disagree and 7 strongly agree."
        ),
    ),
    QuestionKind.PERCEPTION: (
        _("What this insurer does"),
        _("Now think of us. How far do you agree with each statement? 1 means strongly disagree and 7 strongly agree."),
    ),
    QuestionKind.IMPORTANCE: (
        _("How much each matters to you"),
        _(
            "Share 100 points among these five: more points for what matters more to you. "
            "The points must add up to 100."
        ),
    ),
}
POINTS_TOTAL = 100


@dataclass
class Item:
    """One question as the page shows it."""

    code: str
    kind: str
    widget: str  # "scale", "single", "multiple", "text" or "points"
    text: str
    required: bool
    value: object
    errors: list
    options: list[dict] = field(default_factory=list)  # {"value", "label", "checked"}
    low_label: str = ""
    high_label: str = ""


@dataclass
class Section:
    heading: str
    intro: str
    items: list[Item]
    points: bool = False


class _ListField(forms.Field):
    """Every value posted under the name (a multiple choice), unchecked."""

    widget = forms.CheckboxSelectMultiple

    def to_python(self, value):
        return [str(v) for v in value] if value else []


class SurveyAnswersForm(forms.Form):
    def __init__(self, questions: list[Question], language: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.arabic = language == "ar"
        for question in questions:
            if question.kind == QuestionKind.MULTIPLE_CHOICE:
                self.fields[question.code] = _ListField(required=False)
            else:
                self.fields[question.code] = forms.CharField(required=False)

    def values(self) -> dict:
        """The answers for response_submit, keyed by question code (blanks are left out: unanswered)."""
        return {code: value for code, value in self.cleaned_data.items() if value not in ("", [], None)}

    def add_service_errors(self, error: DomainError) -> None:
        """The service's refusal, each message by its question, the rest above the form."""
        for code, messages in error.fields.items():
            for message in messages:
                self.add_error(code if code in self.fields else None, message)
        if not error.fields:
            self.add_error(None, error.message)

    def _text(self, english: str, arabic: str) -> str:
        return arabic if self.arabic and arabic.strip() else english

    def _item(self, question: Question) -> Item:
        bound = self[question.code]
        value = bound.value()
        item = Item(
            code=question.code,
            kind=question.kind,
            widget="text",
            text=self._text(question.text, question.text_ar),
            required=question.required,
            value=value if value is not None else "",
            errors=list(bound.errors),
        )
        chosen = {str(v) for v in value} if isinstance(value, list) else {str(value)}
        if question.kind in SCALES:
            (low, high), low_label, high_label = SCALES[question.kind]
            item.widget, item.low_label, item.high_label = "scale", str(low_label), str(high_label)
            item.options = [
                {"value": str(n), "label": str(n), "checked": str(n) in chosen} for n in range(low, high + 1)
            ]
        elif question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
            item.widget = "single" if question.kind == QuestionKind.SINGLE_CHOICE else "multiple"
            item.options = [
                {
                    "value": choice["value"],
                    "label": self._text(choice.get("label") or choice["value"], choice.get("label_ar", "")),
                    "checked": choice["value"] in chosen,
                }
                for choice in question.choices
            ]
        elif question.kind == QuestionKind.IMPORTANCE:
            item.widget = "points"
        return item

    def sections(self) -> list[Section]:
        """The questions in order; each run of SERVQUAL statements or importance points under its heading."""
        sections: list[Section] = []
        for question in self.questions:
            heading, intro = SECTIONS.get(question.kind, ("", ""))
            if not sections or sections[-1].heading != str(heading):
                sections.append(Section(str(heading), str(intro), [], points=question.kind == QuestionKind.IMPORTANCE))
            sections[-1].items.append(self._item(question))
        return sections
