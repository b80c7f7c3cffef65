"""Forms for the research pages: the period the themes are read over, a theme, a focus group or
panel (and the list's filter), its participants and findings, and coding a comment."""

from datetime import date, timedelta

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from calls.models import ComplaintCategory
from staff.models import Site, User
from staff.templatetags.staff_tags import local_name

from ..models import SessionKind, Theme
from ..services.research import MAX_KEYWORD

PERIOD_DAYS = 90
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def default_period() -> tuple[date, date]:
    """The last 90 days, today included."""
    today = timezone.localdate()
    return today - timedelta(days=PERIOD_DAYS - 1), today


class LocalNameChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return local_name(obj)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("To"), required=False, widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The period ends before it starts."))
        return data

    def period(self) -> tuple[date, date]:
        """The period asked for; the last 90 days for what is not given (or not valid)."""
        start, end = default_period()
        if self.is_bound and self.is_valid():
            end = self.cleaned_data["end"] or end
            start = self.cleaned_data["start"] or end - timedelta(days=PERIOD_DAYS - 1)
        return start, end


class ThemeForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"), max_length=40, help_text=_("Letters, numbers and hyphens: e.g. waiting-times.")
    )
    name = forms.CharField(label=_("Name"), max_length=120)
    name_ar = forms.CharField(label=_("Name in Arabic"), max_length=120, required=False)
    complaint_category = forms.ChoiceField(
        label=_("Complaint category"),
        choices=[("", _("None")), *ComplaintCategory.choices],
        required=False,
        help_text=_("Complaints in this category are counted as evidence for the theme."),
    )
    keywords = forms.CharField(
        label=_("Keywords"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
        help_text=_(
            "One word or phrase per line, in English or Arabic. A comment that uses one is suggested for this "
            "theme (plurals and Arabic prefixes such as the article are matched too)."
        ),
    )
    is_active = forms.BooleanField(
        label=_("Active"), required=False, initial=True, help_text=_("Only active themes are offered for coding.")
    )
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=32767, initial=0)

    def clean_keywords(self) -> str:
        words = [line.strip() for line in self.cleaned_data["keywords"].splitlines()]
        long = [word for word in words if len(word) > MAX_KEYWORD]
        if long:
            raise forms.ValidationError(
                _("Keep each keyword to %(n)s characters: %(word)s"), params={"n": MAX_KEYWORD, "word": long[0]}
            )
        return self.cleaned_data["keywords"]

    @classmethod
    def initial_of(cls, theme: Theme) -> dict:
        return {name: getattr(theme, name) for name in cls.base_fields}


class FocusGroupForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    facilitator = LocalNameChoiceField(label=_("Facilitator"), queryset=User.objects.none())
    site = LocalNameChoiceField(label=_("Site"), queryset=Site.objects.none(), required=False)
    topic_guide = forms.CharField(
        label=_("Topic guide"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
        help_text=_("The questions and prompts the facilitator works through."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=50000, widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].queryset = (
            User.objects.filter(is_active=True).exclude(groups__name="api_client").order_by("full_name")
        )
        self.fields["site"].queryset = Site.objects.filter(is_active=True).order_by("name")

    @classmethod
    def initial_of(cls, session) -> dict:
        return {name: getattr(session, name) for name in cls.base_fields}


class FocusGroupFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All")), *SessionKind.choices], required=False)

    def kind_chosen(self) -> str:
        return self.cleaned_data["kind"] if self.is_valid() else ""


class ParticipantAddForm(forms.Form):
    membership_number = forms.CharField(
        label=_("Membership number"),
        max_length=9,
        validators=[RegexValidator(r"^[0-9]{9}$", _("A membership number is nine digits."))],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Only members who consent to surveys and research can take part."),
    )


class ParticipantChangeForm(forms.Form):
    """Remove a participant, or record whether they attended."""

    action = forms.ChoiceField(choices=[("remove", "remove"), ("attended", "attended"), ("absent", "absent")])
    participant = forms.IntegerField(min_value=1)


class FindingAddForm(forms.Form):
    theme = LocalNameChoiceField(label=_("Theme"), queryset=Theme.objects.none())
    evidence = forms.CharField(
        label=_("What was said"), max_length=10000, widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"})
    )

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = themes


class FindingRemoveForm(forms.Form):
    finding = forms.IntegerField(min_value=1)


class CommentCodeForm(forms.Form):
    action = forms.ChoiceField(choices=[("add", "add"), ("remove", "remove")])
    theme = forms.ModelChoiceField(
        queryset=Theme.objects.all(), error_messages={"invalid_choice": _("Choose a theme from the list.")}
    )
