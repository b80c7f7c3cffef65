"""The performance pages' figure formatting: one tag instead of an included template per cell, and
a fixed-point formatter that gives exactly what Django's `floatformat` gives for the figures shown
(half away from zero, no negative zero, the language's decimal separator, no grouping) at a fraction
of its cost: a league table of a few hundred agents has thousands of figures."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.translation import gettext, pgettext

register = template.Library()

_STEPS = {digits: Decimal(1).scaleb(-digits) for digits in range(4)}


def fixed(value: float | int | Decimal, digits: int) -> str:
    """`value` with `digits` decimals (0-3), as `floatformat:digits` shows it."""
    number = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    rounded = number.quantize(_STEPS[digits], rounding=ROUND_HALF_UP)
    if rounded.is_zero():
        rounded = abs(rounded)
    text = f"{rounded:f}"
    separator = get_format("DECIMAL_SEPARATOR")
    return text if separator == "." else text.replace(".", separator)


@register.simple_tag
def kpi_value(value: float | None, digits: int = 1, unit: str = "") -> str:
    """A figure with `digits` decimals and its unit ("s": seconds, "%" or ""); an em dash with a
    spoken "no data" when there is none."""
    if value is None:
        no_data = gettext("no data")
        return format_html('<span title="{}">—<span class="visually-hidden">{}</span></span>', no_data, no_data)
    if unit == "s":
        return format_html("{} {}", fixed(value, digits), pgettext("seconds", "s"))
    return format_html("{}{}", fixed(value, digits), unit)
