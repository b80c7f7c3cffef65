"""CSV downloads, one way for every list: streamed row by row (a long export never sits in memory),
UTF-8, and safe to open in a spreadsheet."""

import csv
from collections.abc import Iterable
from decimal import Decimal

from django.http import StreamingHttpResponse
from django.utils import timezone


class _Echo:
    """A file-like object whose write hands the line back, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


def csv_cell(value) -> str:
    """A spreadsheet runs a cell starting with = + - @ (or a tab or carriage return) as a formula:
    such text is quoted with a leading apostrophe (OWASP, "CSV injection"). A number is a number,
    not a formula: a negative NPS stays -40.0."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_response(rows: Iterable[Iterable], filename: str) -> StreamingHttpResponse:
    """A download of `rows` (the first is the header) named `<filename>-<today>.csv`; every cell goes
    through csv_cell."""
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow([csv_cell(value) for value in row]) for row in rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}-{timezone.localdate():%Y-%m-%d}.csv"'
    return response
