"""Form pieces every app's forms share."""

from django import forms
from django.utils.translation import gettext_lazy as _

from claims.models import Tier
from staff.templatetags.staff_tags import local_name


class LocalChoiceField(forms.ModelChoiceField):
    """A choice of sites, teams, queues, people...: each named in the reader's language."""

    def label_from_instance(self, obj) -> str:
        return local_name(obj)


def valid_data(form: forms.Form) -> dict:
    """What a filter form's fields validated to (nothing, unbound: its defaults apply); a field that
    did not validate is left out and shown with its error, so a bad query string never fails a page."""
    if not form.is_bound:
        return {}
    form.is_valid()
    return form.cleaned_data


def plan_tier_filter() -> forms.ChoiceField:
    """A filter on the members' plan tier (blank: any)."""
    return forms.ChoiceField(label=_("Plan tier"), choices=[("", _("Any")), *Tier.choices], required=False)


def corporate_filter() -> forms.TypedChoiceField:
    """A filter on corporate or individual members: True, False, or None for either."""
    return forms.TypedChoiceField(
        label=_("Corporate or individual"),
        choices=[("", _("Any")), ("yes", _("Corporate")), ("no", _("Individual"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
    )
