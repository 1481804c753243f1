"""The forum brief (A4 PDF, 2 to 4 pages): headline figures with their definitions, then charts with a sentence each.

fpdf2 with DejaVu embedded (as `exports.factsheet`), texts already translated by the caller;
`lang` only words the brief's own labels (page numbers, headings, dates). Page 1 opens with
the title, the filters in one sentence and the headline figures with their definitions; the
sections (heading, sentence, chart, optional small table) follow, each moved whole to a new
page when it does not fit; "about these figures" (source, protection rule) closes the brief.
Every page ends with the source and its number. Charts read best made with
`exports.images.for_slides` (larger text), as on the slides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from fpdf import FPDF

import i18n
from charts.style import PRIMARY
from exports.deck import png_size

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = "DejaVu"

MARGIN = 15.0
PAGE_WIDTH, PAGE_HEIGHT = 210.0, 297.0
CONTENT = PAGE_WIDTH - 2 * MARGIN
FOOTER_HEIGHT = 16.0
BOTTOM = PAGE_HEIGHT - MARGIN - FOOTER_HEIGHT  # content stops here
MAX_PAGES = 4
IMAGE_WIDTH = CONTENT
IMAGE_MAX_HEIGHT = 84.0
TEXT = (31, 41, 51)
GREY = (95, 103, 112)
CARD_FILL = (234, 241, 242)


@dataclass(frozen=True)
class HeadlineFigure:
    """One headline figure: its label, the value already formatted in the brief's language, its definition."""

    label: str
    value: str
    definition: str


@dataclass(frozen=True)
class BriefSection:
    """A chart with its heading and sentence; `table` is optional rows, the first one the header."""

    heading: str
    sentence: str
    image: bytes | None = None
    table: tuple[tuple[str, ...], ...] = ()


class BriefError(RuntimeError):
    """The brief cannot be built on this machine (fonts missing); the message names the fix."""


class BriefTooLongError(ValueError):
    """The sections do not fit in four pages; the message says how many pages they needed."""


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


class _Brief(FPDF):
    """A4 with the brief's footer on every page."""

    def __init__(self, lang: str, footer_text: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.lang, self.footer_text = lang, footer_text

    def footer(self) -> None:
        self.set_y(PAGE_HEIGHT - MARGIN - FOOTER_HEIGHT + 3)
        self.set_draw_color(200, 205, 210)
        self.line(MARGIN, self.get_y(), PAGE_WIDTH - MARGIN, self.get_y())
        self.ln(1.2)
        self.set_font(FONT, "", 7)
        self.set_text_color(*GREY)
        self.multi_cell(CONTENT - 28, 3.3, self.footer_text, new_x="LMARGIN", new_y="NEXT")
        self.set_xy(PAGE_WIDTH - MARGIN - 28, PAGE_HEIGHT - MARGIN - FOOTER_HEIGHT + 4.2)
        page = i18n.translate("exports.brief.page", self.lang, page=self.page_no(), pages="{nb}")
        self.cell(28, 3.3, page, align="R")


def _pdf(lang: str, footer_text: str) -> _Brief:
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if not (regular.exists() and bold.exists()):
        raise BriefError(f"DejaVu fonts not found in {FONT_DIR}: install fonts-dejavu-core")
    pdf = _Brief(lang, footer_text)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(False)  # pages are decided below, section by section
    pdf.add_font(FONT, "", str(regular))
    pdf.add_font(FONT, "B", str(bold))
    pdf.alias_nb_pages()
    return pdf


def _lines(pdf: FPDF, width: float, text: str) -> int:
    return len(pdf.multi_cell(width, 4, text, dry_run=True, output="LINES"))


def _header(pdf: FPDF, title: str, summary: str) -> None:
    pdf.set_font(FONT, "B", 19)
    title_lines = _lines(pdf, CONTENT, title)
    pdf.set_font(FONT, "", 9.5)
    summary_lines = _lines(pdf, CONTENT, summary)
    height = 12 + 5 + title_lines * 8.5 + summary_lines * 4.6 + 5
    pdf.set_fill_color(*_rgb(PRIMARY))
    pdf.rect(0, 0, PAGE_WIDTH, height, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_xy(MARGIN, 10)
    pdf.set_font(FONT, "", 9)
    pdf.cell(CONTENT, 5, "Conexión territorial", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 19)
    pdf.multi_cell(CONTENT, 8.5, title, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_font(FONT, "", 9.5)
    pdf.multi_cell(CONTENT, 4.6, summary, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(height + 7)
    pdf.set_text_color(*TEXT)


def _heading(pdf: FPDF, text: str, size: float = 12.5) -> None:
    pdf.set_font(FONT, "B", size)
    pdf.set_text_color(*_rgb(PRIMARY))
    pdf.multi_cell(CONTENT, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*TEXT)
    pdf.ln(1.5)


def _card_height(pdf: FPDF, figure: HeadlineFigure, width: float) -> float:
    pdf.set_font(FONT, "B", 9.5)
    label = _lines(pdf, width - 8, figure.label) * 4.4
    pdf.set_font(FONT, "", 7.8)
    definition = _lines(pdf, width - 8, figure.definition) * 3.6
    return 4 + 11 + label + 1.5 + definition + 4


def _cards(pdf: FPDF, headlines: Sequence[HeadlineFigure]) -> None:
    """Headline figures as cards, two per row: big value, label, definition."""
    gap = 5.0
    width = (CONTENT - gap) / 2
    for start in range(0, len(headlines), 2):
        row = headlines[start:start + 2]
        height = max(_card_height(pdf, figure, width) for figure in row)
        top = pdf.get_y()
        for index, figure in enumerate(row):
            x = MARGIN + index * (width + gap)
            pdf.set_fill_color(*CARD_FILL)
            pdf.rect(x, top, width, height, style="F")
            pdf.set_fill_color(*_rgb(PRIMARY))
            pdf.rect(x, top, 1.4, height, style="F")
            pdf.set_xy(x + 5, top + 4)
            pdf.set_font(FONT, "B", 22)
            pdf.set_text_color(*_rgb(PRIMARY))
            pdf.cell(width - 8, 9, figure.value, new_x="LEFT", new_y="NEXT")
            pdf.ln(2)
            pdf.set_x(x + 5)
            pdf.set_font(FONT, "B", 9.5)
            pdf.set_text_color(*TEXT)
            pdf.multi_cell(width - 8, 4.4, figure.label, align="L", new_x="LEFT", new_y="NEXT")
            pdf.ln(1.5)
            pdf.set_x(x + 5)
            pdf.set_font(FONT, "", 7.8)
            pdf.set_text_color(*GREY)
            pdf.multi_cell(width - 8, 3.6, figure.definition, align="L", new_x="LEFT", new_y="NEXT")
        pdf.set_text_color(*TEXT)
        pdf.set_y(top + height + gap)


def _about_texts(lang: str, source: str) -> list[str]:
    note = i18n.hidden_note(lang)
    generated = i18n.translate("exports.brief.generated", lang, date=i18n.format_date(dt.date.today(), lang))
    return [source, note, generated]


def _about_height(pdf: FPDF, lang: str, source: str) -> float:
    pdf.set_font(FONT, "", 8.5)
    return 6 + 1.5 + sum(_lines(pdf, CONTENT, text) * 4.2 + 1 for text in _about_texts(lang, source))


def _about(pdf: FPDF, lang: str, source: str) -> None:
    _heading(pdf, i18n.translate("exports.brief.about", lang), 11)
    pdf.set_font(FONT, "", 8.5)
    for text in _about_texts(lang, source):
        pdf.multi_cell(CONTENT, 4.2, text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)


def _image_size(image: bytes) -> tuple[float, float]:
    pixels_wide, pixels_high = png_size(image)
    width = IMAGE_WIDTH
    height = width * pixels_high / pixels_wide
    if height > IMAGE_MAX_HEIGHT:
        height, width = IMAGE_MAX_HEIGHT, IMAGE_MAX_HEIGHT * pixels_wide / pixels_high
    return width, height


TABLE_ROW = 4.6


def _section_height(pdf: FPDF, section: BriefSection) -> float:
    pdf.set_font(FONT, "B", 12.5)
    height = _lines(pdf, CONTENT, section.heading) * 6.25 + 1.5
    pdf.set_font(FONT, "", 9.5)
    height += _lines(pdf, CONTENT, section.sentence) * 4.6 + 2
    if section.image is not None:
        height += _image_size(section.image)[1] + 3
    if section.table:
        height += 7 + TABLE_ROW * (len(section.table) - 1) + 3
    return height + 6


def _table(pdf: FPDF, rows: tuple[tuple[str, ...], ...]) -> None:
    """A small table: header row shaded, first column left, figures right."""
    header, body = rows[0], rows[1:]
    columns = len(header)
    pdf.set_font(FONT, "B", 8)
    first = min(CONTENT * 0.5, max(pdf.get_string_width(str(r[0])) for r in rows) + 4)
    rest = (CONTENT - first) / max(1, columns - 1)
    widths = [first] + [min(rest, 40.0)] * (columns - 1)
    pdf.set_fill_color(*CARD_FILL)
    pdf.set_x(MARGIN)
    for index, (text, width) in enumerate(zip(header, widths)):
        pdf.cell(width, 7, str(text), align="R" if index else "L", fill=True)
    pdf.ln(7)
    for row in body:
        pdf.set_x(MARGIN)
        for index, (text, width) in enumerate(zip(row, widths)):
            pdf.set_font(FONT, "" if index else "B", 8)
            pdf.cell(width, TABLE_ROW, str(text), align="R" if index else "L")
        pdf.ln(TABLE_ROW)
    pdf.set_draw_color(160, 168, 176)
    pdf.line(MARGIN, pdf.get_y(), MARGIN + sum(widths), pdf.get_y())
    pdf.ln(3)


def _section(pdf: FPDF, section: BriefSection) -> None:
    _heading(pdf, section.heading)
    pdf.set_font(FONT, "", 9.5)
    pdf.multi_cell(CONTENT, 4.6, section.sentence, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    if section.image is not None:
        width, height = _image_size(section.image)
        pdf.image(BytesIO(section.image), x=MARGIN + (CONTENT - width) / 2, y=pdf.get_y(), w=width, h=height)
        pdf.set_y(pdf.get_y() + height + 3)
    if section.table:
        _table(pdf, section.table)
    pdf.ln(6)


def build_brief(title: str, filters_summary: str, headlines: Sequence[HeadlineFigure],
                sections: Sequence[BriefSection], lang: str, source: str) -> bytes:
    """The brief as PDF bytes (A4, at most 4 pages; 2 to 3 for three or four charts).

    `source` names the source and data date (already in `lang`); it closes the brief, with
    the protection rule, and is in every page's footer. Raises BriefTooLongError past four pages.
    """
    lang = i18n.normalise_language(lang)
    if not sections:
        raise ValueError("A brief needs at least one section (a chart with its sentence)")
    pdf = _pdf(lang, source)
    pdf.set_title(title)
    pdf.set_lang(lang)
    pdf.set_creator("Conexión territorial")
    pdf.add_page()
    _header(pdf, title, filters_summary)
    _heading(pdf, i18n.translate("exports.brief.figures", lang))
    _cards(pdf, headlines)
    pdf.ln(2)
    for section in sections:
        _fit(pdf, _section_height(pdf, section))
        _section(pdf, section)
    _fit(pdf, _about_height(pdf, lang, source))
    _about(pdf, lang, source)
    return bytes(pdf.output())


def _fit(pdf: FPDF, height: float) -> None:
    """A new page if `height` mm do not fit under the current position; BriefTooLongError past page 4."""
    if pdf.get_y() + height > BOTTOM:
        pdf.add_page()
    if pdf.page_no() > MAX_PAGES:
        raise BriefTooLongError(f"The brief needs more than {MAX_PAGES} pages; pass fewer sections or smaller tables")
