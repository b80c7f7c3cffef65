"""The reasons of a cover decision in plain words, in the reader's language (English or Arabic)."""

from datetime import date
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from contactcentre.templatetags.money import format_money

from .models import BenefitCategory
from .rules import Reason


def _date(text: str) -> str:
    return date_format(date.fromisoformat(text), "j F Y")


def describe(reason: str, params: dict[str, str]) -> str:
    labels = dict(BenefitCategory.choices)
    match Reason(reason):
        case Reason.COVERED:
            return _("Covered under the member's plan.")
        case Reason.NO_ACTIVE_POLICY:
            return _("The member has no active policy covering %(date)s.") % {"date": _date(params["date"])}
        case Reason.BENEFIT_NOT_IN_PLAN:
            return _("The member's plan does not include %(benefit)s.") % {
                "benefit": labels.get(params["category"], params["category"])
            }
        case Reason.WAITING_PERIOD:
            return _("The %(days)s-day waiting period for this benefit ends on %(date)s.") % {
                "days": params["days"],
                "date": _date(params["ends"]),
            }
        case Reason.EXCLUDED_CONDITION:
            return _("%(condition)s is excluded from the member's cover.") % {"condition": params["condition"]}
        case Reason.MORATORIUM:
            return _(
                "%(condition)s existed before joining: under the moratorium it is covered from %(date)s, "
                "after two clear years."
            ) % {"condition": params["condition"], "date": _date(params["clear_from"])}
        case Reason.PROVIDER_NOT_RECOGNISED:
            return _("The provider is not recognised by the insurer.")
        case Reason.ANNUAL_LIMIT_REACHED:
            return _("The annual limit of %(limit)s for this benefit has been used up.") % {
                "limit": format_money(Decimal(params["limit"]))
            }
        case Reason.ANNUAL_LIMIT_PARTLY_USED:
            return _("Only %(amount)s of this year's limit remains.") % {
                "amount": format_money(Decimal(params["remaining"]))
            }
        case Reason.PER_EVENT_LIMIT:
            return _("This benefit pays up to %(limit)s per treatment.") % {
                "limit": format_money(Decimal(params["limit"]))
            }
        case Reason.EXCESS_TO_PAY:
            return _("The member pays %(amount)s of excess.") % {"amount": format_money(Decimal(params["amount"]))}
        case Reason.PRE_AUTHORISATION_REQUIRED:
            return _("This treatment needs a pre-authorisation before it takes place.")
        case Reason.PRE_AUTHORISATION_MISSING:
            return _("No valid pre-authorisation matches this treatment.")
        case Reason.DIAGNOSIS_NEEDED:
            return _(
                "Ask for the diagnosis: the member has conditions on file that may not be covered (%(conditions)s)."
            ) % {"conditions": params["conditions"]}
        case Reason.PRE_AUTHORISATION_AMOUNT:
            return _("Paid up to the %(amount)s pre-authorised.") % {"amount": format_money(Decimal(params["amount"]))}
    return reason


def findings_text(findings: list[dict]) -> list[str]:
    return [describe(f["reason"], f.get("params", {})) for f in findings]
