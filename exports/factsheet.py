"""The one-page municipal factsheet (A4 PDF): sentences, comparison table, locator map, pyramid, components.

fpdf2 with DejaVu embedded (á, ñ, «», — and curly quotes print); charts are PNGs made by
`exports.images` (kaleido + Debian's Chromium). Same figures as the page, in `lang`.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from pathlib import Path

import pandas as pd
from fpdf import FPDF

import i18n
from charts import municipality as municipal_charts
from charts.overview import pyramid
from charts.style import PRIMARY
from exports.images import figure_png
from indicators.municipal import MunicipalProfile, comparison_frame, comparison_title, component_table, \
    has_published_people, sentences

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = "DejaVu"
MARGIN = 12.0
PAGE_WIDTH = 210.0
CONTENT = PAGE_WIDTH - 2 * MARGIN
PRIMARY_RGB = tuple(int(PRIMARY[i:i + 2], 16) for i in (1, 3, 5))
GREY = (95, 103, 112)
LOCATOR_SIZE = (420, 400)  # px of the exported images (x2 for print)
PYRAMID_SIZE = (600, 420)


class FactsheetError(RuntimeError):
    """The factsheet could not be built (fonts missing); the message names the fix."""


def _pdf() -> FPDF:
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if not (regular.exists() and bold.exists()):
        raise FactsheetError(f"DejaVu fonts not found in {FONT_DIR}: install fonts-dejavu-core")
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(False)  # one page, by construction: the layout below is measured
    pdf.add_font(FONT, "", str(regular))
    pdf.add_font(FONT, "B", str(bold))
    pdf.add_page()
    return pdf


def _header(pdf: FPDF, profile: MunicipalProfile, lang: str) -> None:
    place = profile.place
    pdf.set_fill_color(*PRIMARY_RGB)
    pdf.rect(0, 0, PAGE_WIDTH, 26, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_xy(MARGIN, 5)
    pdf.set_font(FONT, "", 9)
    pdf.cell(CONTENT, 4, i18n.translate("municipality.factsheet.kicker", lang), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 18)
    pdf.cell(CONTENT, 9, place.name, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    subtitle = i18n.translate(
        "municipality.factsheet.subtitle", lang, department=place.department_name,
        country=i18n.translate(f"country.{place.country}", lang),
        period=f"{i18n.format_date(profile.start, lang, 'medium')} – {i18n.format_date(profile.end, lang, 'medium')}",
        date=i18n.format_date(profile.data_date, lang) if profile.data_date else "–")
    pdf.cell(CONTENT, 5, subtitle, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(31, 41, 51)
    pdf.set_y(30)


def _heading(pdf: FPDF, text: str) -> None:
    pdf.set_font(FONT, "B", 10.5)
    pdf.set_text_color(*PRIMARY_RGB)
    pdf.cell(CONTENT, 6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(31, 41, 51)


def _sentences(pdf: FPDF, profile: MunicipalProfile, lang: str) -> None:
    _heading(pdf, i18n.translate("municipality.summary", lang))
    pdf.set_font(FONT, "", 9.5)
    for sentence in sentences(profile, lang):
        pdf.multi_cell(CONTENT, 4.6, "• " + sentence, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _widths(pdf: FPDF, frame: pd.DataFrame, width: float) -> list[float]:
    """Label column as wide as its longest label; the figures share the rest."""
    pdf.set_font(FONT, "B", 7.5)
    label = max(pdf.get_string_width(str(v)) for v in [frame.columns[0], *frame.iloc[:, 0]]) + 2
    figures = min(38.0, (width - label) / (len(frame.columns) - 1))
    return [width - figures * (len(frame.columns) - 1)] + [figures] * (len(frame.columns) - 1)


def _table(pdf: FPDF, frame: pd.DataFrame, x: float, width: float, row_height: float = 4.4) -> float:
    """Draw `frame` at (x, current y) in `width` mm with a header row; returns the y below it."""
    widths = _widths(pdf, frame, width)
    pdf.set_font(FONT, "B", 7)
    pdf.set_fill_color(234, 241, 242)
    y = pdf.get_y()
    header_height = 7.0
    pdf.set_xy(x, y)
    pdf.rect(x, y, width, header_height, style="F")
    for column, column_width in zip(frame.columns, widths):
        pdf.set_xy(pdf.get_x(), y + 0.3)
        pdf.multi_cell(column_width, 3.2, str(column), align="L" if column == frame.columns[0] else "R",
                       max_line_height=3.2, new_x="RIGHT", new_y="TOP")
    y += header_height
    for row in frame.itertuples(index=False):
        indented = str(row[0]).startswith(" ")
        pdf.set_xy(x, y)
        for index, (value, column_width) in enumerate(zip(row, widths)):
            pdf.set_font(FONT, "" if indented or index else "B", 7.5)
            text = ("   " + str(value).strip()) if index == 0 and indented else str(value)
            pdf.cell(column_width, row_height, text, align="R" if index else "L")
        y += row_height
    pdf.set_draw_color(160, 168, 176)
    pdf.line(x, y, x + width, y)
    pdf.set_xy(x, y)
    return y


def _image(pdf: FPDF, png: bytes, x: float, y: float, width: float) -> None:
    pdf.image(BytesIO(png), x=x, y=y, w=width)


def _footer(pdf: FPDF, lang: str, data_date: dt.date | None) -> None:
    pdf.set_y(297 - MARGIN - 17)
    pdf.set_draw_color(200, 205, 210)
    pdf.line(MARGIN, pdf.get_y(), PAGE_WIDTH - MARGIN, pdf.get_y())
    pdf.ln(1.2)
    pdf.set_font(FONT, "", 7)
    pdf.set_text_color(*GREY)
    note = i18n.hidden_note(lang)
    source = i18n.translate("source.footer", lang, date=i18n.format_date(data_date, lang) if data_date else "–",
                            attribution=i18n.translate("source.attribution", lang))
    generated = i18n.translate("municipality.factsheet.generated", lang, date=i18n.format_date(dt.date.today(), lang))
    for text in (note, source, generated):
        pdf.multi_cell(CONTENT, 3.3, text, new_x="LMARGIN", new_y="NEXT")


def chart_images(profile: MunicipalProfile, lang: str) -> dict[str, bytes]:
    """The factsheet's PNGs: the locator map and the municipality's pyramid."""
    context, neighbours, selected, bounds = municipal_charts.locator_payload(
        profile.place.country, profile.place.department_code, profile.place.code)
    locator = municipal_charts.locator_figure(context, neighbours, selected, bounds, *LOCATOR_SIZE)
    people = pyramid(profile.pyramid, profile.age_order, lang)
    people.update_layout(width=PYRAMID_SIZE[0], height=PYRAMID_SIZE[1], font=dict(size=15),
                         margin=dict(l=110, r=20, t=40, b=50), yaxis=dict(automargin=True))
    return {"locator": figure_png(locator, *LOCATOR_SIZE), "pyramid": figure_png(people, *PYRAMID_SIZE)}


def build_factsheet(profile: MunicipalProfile, lang: str) -> bytes:
    """The one-page factsheet of `profile` in `lang`, as PDF bytes."""
    images = chart_images(profile, lang)
    pdf = _pdf()
    pdf.set_title(i18n.translate("municipality.factsheet.title", lang, name=profile.place.name))
    pdf.set_creator("Conexión territorial")
    _header(pdf, profile, lang)
    _sentences(pdf, profile, lang)

    _heading_at(pdf, comparison_title(profile, lang), MARGIN, CONTENT)
    _table(pdf, comparison_frame(profile, lang), MARGIN, CONTENT)
    pdf.ln(4)

    top = pdf.get_y()
    half = (CONTENT - 8) / 2
    _heading_at(pdf, i18n.translate("municipality.pyramid", lang, name=profile.place.name), MARGIN, half, top)
    if has_published_people(profile.pyramid):
        _image(pdf, images["pyramid"], MARGIN, pdf.get_y(), half)
    else:
        pdf.set_font(FONT, "", 8.5)
        pdf.multi_cell(half, 4.4, i18n.translate("municipality.pyramid.protected", lang), align="L",
                       new_x="LMARGIN", new_y="NEXT")
    map_x = MARGIN + half + 8
    _heading_at(pdf, i18n.translate("municipality.locator", lang), map_x, half, top)
    map_top = pdf.get_y()
    map_height = half * PYRAMID_SIZE[1] / PYRAMID_SIZE[0]
    map_width = map_height * LOCATOR_SIZE[0] / LOCATOR_SIZE[1]
    _image(pdf, images["locator"], map_x, map_top, map_width)
    pdf.set_draw_color(200, 205, 210)
    pdf.rect(map_x, map_top, map_width, map_height)
    pdf.set_y(map_top + map_height + 7)

    _heading_at(pdf, i18n.translate("municipality.components", lang), MARGIN, CONTENT)
    components = component_table(profile, lang)
    if components.empty:
        pdf.set_font(FONT, "", 8.5)
        pdf.multi_cell(CONTENT, 4.4, i18n.translate("municipality.components.none", lang), align="L",
                       new_x="LMARGIN", new_y="NEXT")
    else:
        _table(pdf, components, MARGIN, CONTENT)
    _footer(pdf, lang, profile.data_date)
    return bytes(pdf.output())


def _heading_at(pdf: FPDF, text: str, x: float, width: float, y: float | None = None) -> None:
    if y is not None:
        pdf.set_y(y)
    pdf.set_x(x)
    pdf.set_font(FONT, "B", 10)
    pdf.set_text_color(*PRIMARY_RGB)
    pdf.multi_cell(width, 4.6, text, align="L", new_x="LEFT", new_y="NEXT")
    pdf.ln(1.5)
    pdf.set_x(x)
    pdf.set_text_color(31, 41, 51)
