from decimal import Decimal

from django import template
from django.conf import settings

register = template.Library()

SYMBOLS = {"GBP": ("£", ""), "EUR": ("€", ""), "USD": ("$", ""), "SAR": ("", " ر.س")}


def format_money(amount: Decimal | None, currency: str | None = None) -> str:
    """'£1,900.00' in the installation's currency (settings.CURRENCY); '—' for no amount."""
    if amount is None:
        return "—"
    code = currency or settings.CURRENCY
    before, after = SYMBOLS.get(code, ("", f" {code}"))
    sign = "-" if amount < 0 else ""
    return f"{sign}{before}{abs(Decimal(amount)):,.2f}{after}"


@register.filter
def money(amount) -> str:
    return format_money(amount)
