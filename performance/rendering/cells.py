"""How a report's cells read: the one formatting of figures the PDF uses (the XLSX keeps numbers
as numbers, with these number formats), in the active language."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ..selectors.reports import COUNT, NUMBER, PERCENT, SECONDS, STATUS, Cell

MISSING = "–"  # no figure: nothing to measure (never shown as 0)

# Number formats of the XLSX cells by kind.
XLSX_FORMATS = {COUNT: "#,##0", PERCENT: "0.0", SECONDS: "0", NUMBER: "0.0"}
_DIGITS = {COUNT: 0, PERCENT: 1, SECONDS: 0, NUMBER: 1}


def status_label(status: str | None) -> str:
    """A red/amber/green status as words (colour is never the only sign)."""
    labels = {"green": _("On target"), "amber": _("Near target"), "red": _("Off target")}
    if not status:
        return MISSING
    return str(labels.get(str(status), status))


def cell_text(cell: Cell) -> str:
    if cell.kind == STATUS:
        return cell.text or status_label(cell.value)
    if cell.value is None:
        return MISSING
    if cell.kind in _DIGITS:
        digits = _DIGITS[cell.kind]
        value = round(float(cell.value), digits) if digits else round(float(cell.value))
        if digits == 0:
            value = int(value)
        text = number_format(value, decimal_pos=digits or None, use_l10n=True, force_grouping=cell.kind == COUNT)
        if cell.signed and float(cell.value) > 0:
            text = f"+{text}"
        if cell.kind == PERCENT:
            text = f"{text}%"
        return text
    return str(cell.value)
