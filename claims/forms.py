from decimal import Decimal

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from .models import ICD10_REGEX, BenefitCategory, Provider

icd10_validator = RegexValidator(ICD10_REGEX, _("Enter an ICD-10 code such as M17.1."))


def _clean_icd10(value: str) -> str:
    value = (value or "").strip().upper()
    if value:
        icd10_validator(value)
    return value


class ProviderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, provider):
        return f"{provider.name} ({provider.town})" if provider.town else provider.name


class CoverCheckForm(forms.Form):
    category = forms.ChoiceField(label=_("Benefit"), choices=BenefitCategory.choices)
    procedure = forms.CharField(label=_("Procedure"), max_length=200, required=False)
    icd10 = forms.CharField(
        label=_("Diagnosis (ICD-10)"), max_length=8, required=False, help_text=_("Optional, e.g. M17.1.")
    )
    provider = ProviderChoiceField(label=_("Provider"), queryset=Provider.objects.order_by("name"), required=False)
    treatment_date = forms.DateField(label=_("Treatment date"), widget=forms.DateInput(attrs={"type": "date"}))
    estimated_cost = forms.DecimalField(
        label=_("Estimated cost"), max_digits=12, decimal_places=2, min_value=Decimal("0.01")
    )

    def clean_icd10(self) -> str:
        return _clean_icd10(self.cleaned_data["icd10"])


class ClaimForm(forms.Form):
    provider = ProviderChoiceField(label=_("Provider"), queryset=Provider.objects.order_by("name"))
    received_on = forms.DateField(label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}))


class ClaimLineForm(forms.Form):
    category = forms.ChoiceField(label=_("Benefit"), choices=BenefitCategory.choices)
    procedure = forms.CharField(label=_("Procedure"), max_length=200)
    icd10 = forms.CharField(label=_("Diagnosis (ICD-10)"), max_length=8, required=False)
    treatment_date = forms.DateField(label=_("Treatment date"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.DecimalField(label=_("Amount"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"))

    def clean_icd10(self) -> str:
        return _clean_icd10(self.cleaned_data["icd10"])


ClaimLineFormSet = forms.formset_factory(ClaimLineForm, extra=3, min_num=1, validate_min=True, max_num=50)


class ClaimActionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason or note"), max_length=500, required=False, widget=forms.TextInput())
