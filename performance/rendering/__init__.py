"""The scheduled reports' files: one `selectors.reports.ReportContent` drawn as a PDF (reportlab,
with Arabic shaped and laid out right to left) and as an XLSX workbook (openpyxl), in the active
language. `cells.py` says how each kind of figure is shown in both."""

from .pdf import report_pdf
from .xlsx import report_xlsx

__all__ = ["report_pdf", "report_xlsx"]
