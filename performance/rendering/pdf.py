"""A report as a PDF (reportlab): a header with the report, period and sites, then each table, on
landscape A4 pages numbered in the footer.

Arabic: reportlab draws glyphs left to right as given, so Arabic text is shaped (arabic-reshaper:
the joined letter forms) and put in visual order (python-bidi) before it is drawn, the tables'
columns run right to left and text is right-aligned. The font is DejaVu Sans (Latin and Arabic in
one TTF, vendored from the dejavu-fonts-ttf npm package in static/vendor/), embedded in the file."""

from functools import cache
from io import BytesIO
from xml.sax.saxutils import escape

import arabic_reshaper
from bidi.algorithm import get_display  # the pure-Python algorithm: it mirrors brackets, the Rust one does not
from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..selectors.reports import STATUS, TEXT, ReportContent
from ..selectors.reports import Table as ReportTable
from .cells import cell_text

FONT_DIR = settings.BASE_DIR / "static" / "vendor" / "dejavu-fonts-ttf-2.37.3"
FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
STATUS_COLOURS = {"green": "#d1e7dd", "amber": "#fff3cd", "red": "#f8d7da"}
HEADER_BACKGROUND = "#e9ecef"


@cache
def _fonts() -> None:
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))


def visual(text: str) -> str:
    """Text as reportlab must draw it: Arabic letters joined and the line in visual order (a
    no-op for text without right-to-left letters)."""
    if not any("\u0590" <= char <= "\u08ff" for char in text):
        return text
    return get_display(arabic_reshaper.reshape(text))


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(visual(text)), style)


class _Styles:
    def __init__(self, rtl: bool):
        align = TA_RIGHT if rtl else TA_LEFT
        self.title = ParagraphStyle("title", fontName=BOLD, fontSize=16, leading=20, alignment=align)
        self.heading = ParagraphStyle("heading", fontName=BOLD, fontSize=11, leading=14, alignment=align)
        self.body = ParagraphStyle("body", fontName=FONT, fontSize=8.5, leading=11, alignment=align)
        self.note = ParagraphStyle("note", parent=self.body, fontSize=7.5, textColor=colors.HexColor("#555555"))
        self.cell = ParagraphStyle("cell", fontName=FONT, fontSize=7.5, leading=9.5, alignment=align)
        self.number = ParagraphStyle("number", parent=self.cell, alignment=TA_RIGHT if not rtl else TA_LEFT)
        self.head = ParagraphStyle("head", parent=self.cell, fontName=BOLD)


def _cell_style(cell, styles: _Styles) -> ParagraphStyle:
    return styles.cell if cell.kind in (TEXT, STATUS) else styles.number


def _table(table: ReportTable, styles: _Styles, width: float, rtl: bool) -> list:
    flow = [_para(table.title, styles.heading), Spacer(1, 2 * mm)]
    if not table.rows:
        flow += [_para(table.empty or _("Nothing to show."), styles.body), Spacer(1, 5 * mm)]
        return flow
    header = [_para(column, styles.head) for column in table.columns]
    body = []
    for row in table.rows:
        body.append(
            [_para(cell_text(cell), styles.cell if cell.kind in (TEXT, STATUS) else styles.number) for cell in row]
        )
    data = [header, *body]
    count = len(table.columns)
    if len(table.widths) == count:
        widths = [width * share for share in table.widths]
    else:
        first = width * (0.28 if count > 4 else 0.4)
        widths = [first] + [(width - first) / (count - 1)] * (count - 1)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#bbbbbb")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(HEADER_BACKGROUND)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    for r, row in enumerate(table.rows, start=1):
        for c, cell in enumerate(row):
            if cell.kind == STATUS and cell.value in STATUS_COLOURS:
                style.append(("BACKGROUND", (c, r), (c, r), colors.HexColor(STATUS_COLOURS[cell.value])))
    if rtl:  # columns right to left: mirror each row and the column-indexed styles
        data = [list(reversed(row)) for row in data]
        widths = list(reversed(widths))

        def mirror(column: int) -> int:
            return count - 1 - column % count

        style = [
            (name, (mirror(end[0]), start[1]), (mirror(start[0]), end[1]), *rest) for name, start, end, *rest in style
        ]
    grid = Table(data, colWidths=widths, repeatRows=1, hAlign="RIGHT" if rtl else "LEFT")
    grid.setStyle(TableStyle(style))
    flow += [grid]
    if table.note:
        flow += [Spacer(1, 1.5 * mm), _para(table.note, styles.note)]
    flow.append(Spacer(1, 6 * mm))
    return flow


def report_pdf(content: ReportContent) -> bytes:
    _fonts()
    rtl = get_language_bidi()
    styles = _Styles(rtl)
    buffer = BytesIO()
    page = landscape(A4)
    margin = 12 * mm
    document = SimpleDocTemplate(
        buffer,
        pagesize=page,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin + 4 * mm,
        title=f"{content.title} {content.period.first:%Y-%m-%d}",
        author="Tawasul",
    )
    width = page[0] - 2 * margin
    produced = formats.date_format(timezone.localtime(content.generated_at), "DATETIME_FORMAT")
    flow = [
        _para(content.title, styles.title),
        Spacer(1, 2 * mm),
        _para(f"{_('Period')}: {content.period_label}", styles.body),
        _para(f"{_('Sites')}: {content.scope_label}", styles.body),
        _para(f"{_('Produced')}: {produced}", styles.note),
        Spacer(1, 6 * mm),
    ]
    for table in content.tables:
        flow += _table(table, styles, width, rtl)
    footer = _("Tawasul · %(title)s · %(period)s · page") % {"title": content.title, "period": content.period_label}

    def on_page(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7)
        text = visual(f"{footer} {doc.page}")
        if rtl:
            canvas.drawRightString(page[0] - margin, margin / 2, text)
        else:
            canvas.drawString(margin, margin / 2, text)
        canvas.restoreState()

    document.build(flow, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
