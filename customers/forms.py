from django import forms
from django.utils.translation import gettext_lazy as _

from .rules import clean_membership_number


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search members"),
        max_length=100,
        required=False,
        help_text=_("Membership number, phone number, name, date of birth (dd/mm/yyyy) or postcode."),
    )


class IdentityCheckForm(forms.Form):
    """What the caller says; two items are needed (date of birth + postcode, or membership number + one)."""

    membership_number = forms.CharField(label=_("Membership number"), max_length=20, required=False)
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    first_line_of_address = forms.CharField(label=_("First line of address"), max_length=200, required=False)

    def clean_membership_number(self) -> str:
        return clean_membership_number(self.cleaned_data["membership_number"])

    def clean(self):
        data = super().clean()
        given = [name for name in self.fields if data.get(name)]
        if len(given) < 2:
            raise forms.ValidationError(
                _("Ask the caller for two items: date of birth and postcode, or the membership number and one more.")
            )
        return data
