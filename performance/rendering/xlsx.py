"""A report as an XLSX workbook: a cover sheet, then one sheet per table, numbers kept as numbers
(with a number format), text guarded as in every export (contactcentre/xlsx_export.py). Arabic
reports' sheets read right to left."""

import re
from io import BytesIO

from django.utils import timezone
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from contactcentre.xlsx_export import xlsx_value

from ..selectors.reports import STATUS, ReportContent, Table
from .cells import XLSX_FORMATS, status_label

_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(title: str, taken: set[str]) -> str:
    base = _SHEET_UNSAFE.sub(" ", title)[:28].strip() or "Sheet"
    name, n = base, 2
    while name in taken:
        name, n = f"{base} {n}", n + 1
    taken.add(name)
    return name


def _sheet(workbook: Workbook, title: str, taken: set[str]):
    sheet = workbook.create_sheet(title=_sheet_title(title, taken))
    if get_language_bidi():
        sheet.sheet_view.rightToLeft = True
    return sheet


def _bold_row(sheet, values) -> list:
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=xlsx_value(value))
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def _table(sheet, table: Table) -> None:
    sheet.append(_bold_row(sheet, [table.title]))
    sheet.append(_bold_row(sheet, table.columns))
    for row in table.rows:
        cells = []
        for item in row:
            if item.kind == STATUS:
                cells.append(xlsx_value(item.text or (status_label(item.value) if item.value else "")))
                continue
            cell = WriteOnlyCell(sheet, value=xlsx_value(item.value))
            if item.kind in XLSX_FORMATS and item.value is not None:
                fmt = XLSX_FORMATS[item.kind]
                cell.number_format = f"+{fmt};-{fmt};0" if item.signed else fmt
            cells.append(cell)
        sheet.append(cells)
    if not table.rows and table.empty:
        sheet.append([xlsx_value(table.empty)])
    if table.note:
        sheet.append([])
        sheet.append([xlsx_value(table.note)])


def report_xlsx(content: ReportContent) -> bytes:
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    cover = _sheet(workbook, _("Report"), taken)
    cover.append(_bold_row(cover, [content.title]))
    cover.append([xlsx_value(_("Period")), xlsx_value(content.period_label)])
    cover.append([xlsx_value(_("From")), content.period.first])
    cover.append([xlsx_value(_("To")), content.period.last])
    cover.append([xlsx_value(_("Sites")), xlsx_value(content.scope_label)])
    cover.append([xlsx_value(_("Produced")), xlsx_value(timezone.localtime(content.generated_at))])
    for table in content.tables:
        _table(_sheet(workbook, table.title, taken), table)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
