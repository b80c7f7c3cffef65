"""XLSX downloads beside the CSV ones (contactcentre/csv_export.py): one sheet, a bold header row,
numbers kept as numbers, and text never read as a formula."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .csv_export import csv_cell

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_value(value):
    """Numbers and dates as they are (a timezone-aware time in local time, which Excel cannot hold
    with its zone); everything else as text, guarded like a CSV cell (openpyxl would store text
    starting with = as a formula)."""
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    if isinstance(value, int | float | Decimal | date):
        if isinstance(value, datetime) and timezone.is_aware(value):
            return timezone.localtime(value).replace(tzinfo=None)
        return value
    return csv_cell(value)


def xlsx_response(rows: Iterable[Iterable], filename: str, *, sheet: str = "Sheet1") -> HttpResponse:
    """A download of `rows` (the first is the header) named `<filename>-<today>.xlsx`. Written in
    openpyxl's write-only mode, row by row."""
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=sheet[:31])
    bold = Font(bold=True)
    for index, row in enumerate(rows):
        if index == 0:
            cells = []
            for value in row:
                cell = WriteOnlyCell(worksheet, value=xlsx_value(value))
                cell.font = bold
                cells.append(cell)
            worksheet.append(cells)
        else:
            worksheet.append([xlsx_value(value) for value in row])
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}-{timezone.localdate():%Y-%m-%d}.xlsx"'
    return response
