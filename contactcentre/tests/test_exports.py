"""The shared CSV and XLSX download helpers: text is never run as a formula, numbers stay numbers."""

import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from contactcentre.csv_export import csv_cell
from contactcentre.xlsx_export import XLSX_TYPE, xlsx_response


def test_csv_text_that_a_spreadsheet_would_run_is_quoted_but_numbers_are_not():
    assert csv_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert csv_cell("-2+3") == "'-2+3"
    assert csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert (csv_cell(-40.0), csv_cell(-3), csv_cell(Decimal("-0.68"))) == ("-40.0", "-3", "-0.68")
    assert csv_cell(None) == "" and csv_cell(True) == "True"


def test_xlsx_keeps_numbers_and_dates_and_guards_formulas():
    response = xlsx_response([["Name", "NPS", "Day"], ["=1+1", -40.5, date(2026, 11, 2)]], "results", sheet="NPS")
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"].startswith('attachment; filename="results-')
    sheet = load_workbook(io.BytesIO(response.content))["NPS"]
    rows = list(sheet.values)
    assert rows[0] == ("Name", "NPS", "Day")
    assert rows[1][0] == "'=1+1" and rows[1][1] == -40.5 and rows[1][2].date() == date(2026, 11, 2)
