"""The forum deck (16:9 PPTX, python-pptx): a title slide, then one slide per chart with its headline.

Texts arrive already translated; `lang` marks every run with its language (spell check and
screen readers in PowerPoint) and formats the generation date. Each chart slide has the
title in the slide's title placeholder (outline view, accessibility), the headline sentence,
the picture fitted without distortion, a footer with source and data date, and the speaker
notes (definitions and source).
"""

from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

import i18n
from charts.style import MUTED, PRIMARY, TEXT

SLIDE_WIDTH, SLIDE_HEIGHT = Emu(12192000), Emu(6858000)  # PowerPoint's 16:9, 13.33 x 7.5 in
SIDE = Inches(0.6)
LANGUAGE_IDS = {"es": MSO_LANGUAGE_ID.SPANISH, "en": MSO_LANGUAGE_ID.ENGLISH_US}
TITLE_LAYOUT, TITLE_ONLY_LAYOUT = 0, 5  # in python-pptx's default template
FONT = "Calibri"


@dataclass(frozen=True)
class SlideSpec:
    """One chart slide: title, headline sentence, the chart as PNG bytes, speaker notes (definitions, source)."""

    title: str
    headline: str
    image: bytes
    notes: str = ""


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) in pixels from a PNG's IHDR chunk."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("The slide image is not a PNG")
    return struct.unpack(">II", data[16:24])


def _style(text_frame, size: float, colour: str, lang: str, bold: bool = False,
           align: PP_ALIGN = PP_ALIGN.LEFT) -> None:
    for paragraph in text_frame.paragraphs:
        paragraph.alignment = align
        for run in paragraph.runs:
            run.font.size = Pt(size)
            run.font.bold = bold
            run.font.name = FONT
            run.font.color.rgb = _rgb(colour)
            run.font.language_id = LANGUAGE_IDS[lang]


def _place(shape, left: int, top: int, width: int, height: int) -> None:
    shape.left, shape.top, shape.width, shape.height = Emu(left), Emu(top), Emu(width), Emu(height)


def _text_box(slide, text: str, left: int, top: int, width: int, height: int, size: float, colour: str,
              lang: str, bold: bool = False, align: PP_ALIGN = PP_ALIGN.LEFT,
              anchor: MSO_ANCHOR = MSO_ANCHOR.TOP) -> None:
    box = slide.shapes.add_textbox(Emu(left), Emu(top), Emu(width), Emu(height))
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = 0
    frame.text = text
    _style(frame, size, colour, lang, bold, align)


def _title_slide(deck: Presentation, title: str, subtitle: str, footer: str, lang: str) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_LAYOUT])
    band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, SLIDE_WIDTH, Inches(4.6))
    band.fill.solid()
    band.fill.fore_color.rgb = _rgb(PRIMARY)
    band.line.fill.background()
    slide.shapes._spTree.remove(band._element)  # the band goes behind the placeholders
    slide.shapes._spTree.insert(2, band._element)
    heading, sub = slide.shapes.title, slide.placeholders[1]
    _place(heading, SIDE, Inches(1.5), SLIDE_WIDTH - 2 * SIDE, Inches(2.0))
    heading.text = title
    heading.text_frame.word_wrap = True
    heading.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    _style(heading.text_frame, 40, "#FFFFFF", lang, bold=True)
    _place(sub, SIDE, Inches(4.9), SLIDE_WIDTH - 2 * SIDE, Inches(1.2))
    sub.text = subtitle
    sub.text_frame.word_wrap = True
    _style(sub.text_frame, 20, TEXT, lang)
    generated = i18n.translate("exports.deck.generated", lang, date=i18n.format_date(dt.date.today(), lang))
    _text_box(slide, f"{footer}\n{generated}", SIDE, Inches(6.35), SLIDE_WIDTH - 2 * SIDE, Inches(0.8), 11,
              MUTED, lang)


def _picture(slide, image: bytes, left: int, top: int, width: int, height: int) -> None:
    """The PNG as large as fits in the box, centred, aspect ratio kept."""
    pixels_wide, pixels_high = png_size(image)
    scale = min(width / pixels_wide, height / pixels_high)
    shown_width, shown_height = int(pixels_wide * scale), int(pixels_high * scale)
    slide.shapes.add_picture(BytesIO(image), Emu(left + (width - shown_width) // 2),
                             Emu(top + (height - shown_height) // 2), Emu(shown_width), Emu(shown_height))


def title_size(title: str) -> float:
    """Points for a chart slide's title: 28 on one line; long titles smaller, so two lines fit the box."""
    return 28.0 if len(title) <= 60 else 24.0 if len(title) <= 95 else 20.0


def headline_size(headline: str) -> float:
    """Points for the headline sentence: two lines at most fit above the picture."""
    return 18.0 if len(headline) <= 110 else 16.0 if len(headline) <= 140 else 14.0


def _chart_slide(deck: Presentation, spec: SlideSpec, footer: str, number: int, total: int, lang: str) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY_LAYOUT])
    content = SLIDE_WIDTH - 2 * SIDE
    accent = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, SLIDE_WIDTH, Inches(0.12))
    accent.fill.solid()
    accent.fill.fore_color.rgb = _rgb(PRIMARY)
    accent.line.fill.background()
    heading = slide.shapes.title
    _place(heading, SIDE, Inches(0.3), content, Inches(0.85))
    heading.text = spec.title
    frame = heading.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    _style(frame, title_size(spec.title), PRIMARY, lang, bold=True)
    _text_box(slide, spec.headline, SIDE, Inches(1.25), content, Inches(0.75), headline_size(spec.headline), TEXT,
              lang)
    _picture(slide, spec.image, SIDE, Inches(2.05), content, Inches(4.8))
    line = slide.shapes.add_connector(1, SIDE, Inches(6.95), SLIDE_WIDTH - SIDE, Inches(6.95))
    line.line.color.rgb = _rgb("#D0D5DA")
    line.line.width = Pt(0.75)
    _text_box(slide, footer, SIDE, Inches(7.0), content - Inches(1.0), Inches(0.4), 10, MUTED, lang,
              anchor=MSO_ANCHOR.MIDDLE)
    _text_box(slide, f"{number} / {total}", SLIDE_WIDTH - SIDE - Inches(1.0), Inches(7.0), Inches(1.0),
              Inches(0.4), 10, MUTED, lang, align=PP_ALIGN.RIGHT, anchor=MSO_ANCHOR.MIDDLE)
    notes = slide.notes_slide.notes_text_frame
    notes.text = spec.notes
    _style(notes, 12, TEXT, lang)


def build_deck(title: str, subtitle: str, slides: Sequence[SlideSpec], lang: str, footer: str) -> bytes:
    """A 16:9 deck: title slide (title, subtitle with period and data date, footer), then one slide per spec.

    `footer` (source and data date, in `lang`) goes at the bottom of every slide.
    """
    lang = i18n.normalise_language(lang)
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    deck.core_properties.title = title
    deck.core_properties.subject = subtitle
    deck.core_properties.author = "Conexión territorial"
    deck.core_properties.language = {"es": "es", "en": "en-US"}[lang]
    _title_slide(deck, title, subtitle, footer, lang)
    for number, spec in enumerate(slides, start=2):
        _chart_slide(deck, spec, footer, number, len(slides) + 1, lang)
    buffer = BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
