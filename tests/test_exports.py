"""The export library: every file is opened again (PIL, XML, csv, openpyxl, python-pptx, pypdf) and read back."""

from __future__ import annotations

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET

import pandas as pd
import plotly.graph_objects as go
import pytest
from openpyxl import load_workbook
from PIL import Image, ImageStat
from pptx import Presentation
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader

import i18n
from charts.style import PRIMARY
from exports import hxl
from exports.brief import BriefSection, BriefTooLongError, HeadlineFigure, build_brief
from exports.deck import SlideSpec, build_deck, png_size
from exports.tables import TableNotes, csv_bytes, with_hidden, xlsx_bytes
from tests.browser import require_chromium

MARK = i18n.hidden_mark  # what a hidden cell reads: MARK(kind, lang)
DATA_DATE = dt.date(2025, 1, 15)


def _figure(title: str = "Personas atendidas en Totonicapán") -> go.Figure:
    figure = go.Figure(go.Bar(x=["Mujeres", "Hombres", "Otro"], y=[820, 650, 12], marker_color=PRIMARY))
    figure.update_layout(title=title, width=500, height=300)  # the page's size must not shrink the export
    return figure


def _frame() -> pd.DataFrame:
    """A table whose second row is hidden: its count is small, its share hidden to protect it."""
    return with_hidden(pd.DataFrame({
        "country": ["GTM", "GTM", "GTM", "BOL"],
        "municipality_code": ["0801", "0903", "0914", "020801"],
        "municipality_name": ["Totonicapán", "San Juan Ostuncalco", "San Andrés Xecul", "Desaguadero"],
        "sex": ["Mujeres", "Mujeres", "Hombres", "Hombres"],
        "value": pd.array([1470, pd.NA, 12, 0], dtype="Int64"),
        "share": [0.653, float("nan"), 0.5, 0.0],
    }), {"value": [None, "small", None, None], "share": [None, "protecting", None, None]})


def expected_rows(lang: str) -> list[list[object]]:
    """What a person reads in the exported cells: the frame's values, the page's words where hidden."""
    return [
        ["GTM", "0801", "Totonicapán", "Mujeres", 1470, 0.653],
        ["GTM", "0903", "San Juan Ostuncalco", "Mujeres", MARK("small", lang), MARK("protecting", lang)],
        ["GTM", "0914", "San Andrés Xecul", "Hombres", 12, 0.5],
        ["BOL", "020801", "Desaguadero", "Hombres", 0, 0.0],
    ]
HXL_ROW = ["#country+code", "#adm2+code", "#adm2+name", "#sex", "#reached+ind", "#indicator+pct"]


def _notes(lang: str) -> TableNotes:
    return TableNotes("Personas atendidas por municipio", lang, "Registros del programa Conexión", DATA_DATE,
                      definitions=(("Personas atendidas", "Personas distintas con al menos una participación."),))


# --- HXL vocabulary ---------------------------------------------------------------------------

@pytest.mark.parametrize("column, indicator, level, tag", [
    ("country", None, None, "#country+code"),
    ("department_code", None, None, "#adm1+code"),
    ("municipality_code", None, None, "#adm2+code"),
    ("municipality_name", None, None, "#adm2+name"),
    ("code", None, "department", "#adm1+code"),
    ("name", None, "department", "#adm1+name"),
    ("name", None, "municipality", "#adm2+name"),
    ("sex", None, None, "#sex"),
    ("age_group", None, None, "#age+group"),
    ("quarter", None, None, "#date+quarter"),
    ("value", None, None, "#indicator+num"),
    ("value", "people_served", None, "#reached+ind"),
    ("value", "agents_trained", None, "#reached+ind+agents"),
    ("female_18_29", None, None, "#reached+attendances+indirect+f+age18_29"),
    ("male_30_plus", None, None, "#reached+attendances+indirect+m+age30plus"),
    ("suppressed", None, None, "#meta+suppressed"),
    ("something_else", None, None, ""),
])
def test_hxl_tag_of_each_column(column, indicator, level, tag):
    assert hxl.tag_for(column, indicator, level) == tag


def test_hxl_disaggregated_tags_and_overrides():
    assert hxl.disaggregated("#reached+ind", "female", "18_plus") == "#reached+ind+f+age18plus"
    assert hxl.hxl_row(["sex", "value"], "people_served", overrides={"sex": "#sex+code"}) == ["#sex+code",
                                                                                             "#reached+ind"]
    for tag in list(hxl.COLUMN_TAGS.values()) + list(hxl.INDICATOR_TAGS.values()):
        assert tag.startswith("#") and tag == tag.lower() and " " not in tag


# --- CSV -------------------------------------------------------------------------------------

def _read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 byte-order mark, for Excel"
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"))))


@pytest.mark.parametrize("lang, header", [
    ("es", ["País", "Municipio (código)", "Municipio", "Sexo", "Valor", "Proporción"]),
    ("en", ["Country", "Municipality (code)", "Municipality", "Sex", "Value", "Share"]),
])
def test_csv_has_bom_accents_values_and_the_suppression_mark(lang, header):
    rows = _read_csv(csv_bytes(_frame(), lang, indicator="people_served"))
    assert rows[0] == header
    assert rows[1:] == [[str(v) for v in row] for row in expected_rows(lang)]
    # hidden: the words the page reads, never a number
    assert rows[2][4:] == [{"es": "menos de 5", "en": "fewer than 5"}[lang], {"es": "oculta", "en": "hidden"}[lang]]


def test_a_hidden_cell_of_unknown_kind_reads_not_published():
    frame = pd.DataFrame({"sex": ["Mujeres"], "value": pd.array([pd.NA], dtype="Int64")})
    assert _read_csv(csv_bytes(frame, "es"))[1:] == [["Mujeres", "no publicada"]]


def test_csv_hxl_row_only_when_asked_and_page_headers_win():
    plain = _read_csv(csv_bytes(_frame(), "es"))
    tagged = _read_csv(csv_bytes(_frame(), "es", headers={"value": "Personas atendidas"}, hxl=True,
                                 indicator="people_served"))
    assert not any(cell.startswith("#") for cell in plain[1])
    assert tagged[0][4] == "Personas atendidas"
    assert tagged[1] == HXL_ROW
    assert tagged[2:] == plain[1:]


def test_csv_keeps_a_mark_the_page_already_put():
    shown = pd.DataFrame({"sex": ["Mujeres", "Hombres"], "value": ["1.470", MARK("small", "es")]})
    assert _read_csv(csv_bytes(shown, "es"))[1:] == [["Mujeres", "1.470"], ["Hombres", "menos de 5"]]


# --- XLSX ------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang, sheets", [("es", ["Datos", "Notas"]), ("en", ["Data", "Notes"])])
def test_xlsx_header_values_formats_and_notes(lang, sheets):
    book = load_workbook(io.BytesIO(xlsx_bytes(_frame(), _notes(lang), indicator="people_served")))
    assert book.sheetnames == sheets
    data = book[sheets[0]]
    header = [c.value for c in data[1]]
    assert header[0] == i18n.translate("exports.column.country", lang)
    assert all(c.font.b for c in data[1])
    assert {c.fill.fgColor.rgb[-6:] for c in data[1]} == {PRIMARY.lstrip("#").upper()}
    assert data.freeze_panes == "A2"
    values = [[c.value for c in row] for row in data.iter_rows(min_row=2)]
    assert values == expected_rows(lang)
    assert data["E3"].data_type == "s" and data["F3"].data_type == "s"  # the words are text, not a number
    assert data["E2"].number_format == "#,##0" and data["F2"].number_format == "0.0%"
    assert data.column_dimensions["C"].width >= len("San Juan Ostuncalco")
    assert data.column_dimensions["A"].width < data.column_dimensions["C"].width

    notes = {row[0].value: row[1].value for row in book[sheets[1]].iter_rows(min_row=3) if row[0].value}
    label = lambda key: i18n.translate(f"exports.notes.{key}", lang)  # noqa: E731
    assert notes[label("table")] == "Personas atendidas por municipio"
    assert notes["Personas atendidas"] == "Personas distintas con al menos una participación."
    assert notes[label("source")] == "Registros del programa Conexión"
    assert notes[label("data_date")] == i18n.format_date(DATA_DATE, lang)
    assert all(MARK(kind, lang) in notes[label("suppression")] for kind in i18n.HIDDEN_KINDS)
    assert "4" in notes[label("suppression")]
    assert label("hxl") not in notes


def test_xlsx_hxl_row_only_when_asked():
    book = load_workbook(io.BytesIO(xlsx_bytes(_frame(), _notes("en"), hxl=True, indicator="people_served")))
    data = book["Data"]
    assert [c.value for c in data[2]] == HXL_ROW
    assert data.freeze_panes == "A3"
    assert [[c.value for c in row] for row in data.iter_rows(min_row=3)] == expected_rows("en")
    notes = [row[0].value for row in book["Notes"].iter_rows()]
    assert "HXL row" in notes


# --- images ----------------------------------------------------------------------------------

def test_png_is_slide_sized_and_not_blank():
    require_chromium()
    from exports.images import figure_png

    image = Image.open(io.BytesIO(figure_png(_figure())))
    assert image.format == "PNG" and image.size == (1920, 1080)
    grey = ImageStat.Stat(image.convert("L"))
    assert grey.stddev[0] > 10  # not a blank canvas
    bar = tuple(int(PRIMARY[i:i + 2], 16) for i in (1, 3, 5))
    assert bar in {colour for _, colour in image.convert("RGB").getcolors(maxcolors=1_000_000)}


def test_explicit_png_size_still_works_for_the_factsheet():
    require_chromium()
    from exports.images import figure_png

    assert Image.open(io.BytesIO(figure_png(_figure(), 420, 400, 2))).size == (840, 800)


def test_svg_is_xml_with_the_chart_text():
    require_chromium()
    from exports.images import figure_svg

    data = figure_svg(_figure())
    root = ET.fromstring(data)
    assert root.tag.endswith("svg")
    texts = " ".join(node.text or "" for node in root.iter())
    for text in ("Personas atendidas en Totonicapán", "Mujeres", "Hombres"):
        assert text in texts


def test_slide_images_enlarge_text_and_leave_the_page_figure_alone():
    from exports.images import for_slides

    figure = _figure()
    figure.update_layout(font=dict(size=13))
    slide = for_slides(figure)
    assert slide.layout.font.size == 18 and figure.layout.font.size == 13


def test_figure_image_is_cached_by_json():
    require_chromium()
    from exports import images

    figure = _figure("Caché")
    first = images.figure_image(figure.to_json(), "png")
    before = images._cached.cache_info().hits
    assert images.figure_image(figure.to_json(), "png") == first
    assert images._cached.cache_info().hits == before + 1
    assert images.figure_image(figure.to_json(), "svg").lstrip().startswith(b"<svg")


def test_missing_chromium_gives_a_clear_error(monkeypatch):
    from exports import images

    monkeypatch.setattr(images, "_started", False)
    monkeypatch.setattr(images, "chromium_path", lambda: None)
    with pytest.raises(images.ExportUnavailableError, match="apt-get install chromium"):
        images.figure_svg(_figure())


# --- PPTX deck -------------------------------------------------------------------------------

def _png(width: int, height: int, colour=(15, 110, 116)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


DECK_TEXTS = {
    "es": ("Conexión territorial: resultados 2023–2024",
           "Periodo 1 ene 2023 – 31 dic 2024 · datos al 15 ene 2025",
           ["Personas atendidas directamente", "Agentes de prevención formados"],
           "Fuente: registros del programa Conexión, cargados el 15 de enero de 2025."),
    "en": ("Conexión territorial: results 2023–2024",
           "Period Jan 1, 2023 – Dec 31, 2024 · data as of Jan 15, 2025",
           ["People served directly", "Prevention agents trained"],
           "Source: Conexión programme records, loaded on January 15, 2025."),
}


@pytest.mark.parametrize("lang", ["es", "en"])
def test_deck_title_slide_chart_slides_pictures_notes(lang):
    title, subtitle, slide_titles, footer = DECK_TEXTS[lang]
    images = [_png(1920, 1080), _png(1200, 1000, (224, 122, 31))]
    specs = [SlideSpec(t, f"Headline {i}: {t}", image, f"Definition {i}.\n{footer}")
             for i, (t, image) in enumerate(zip(slide_titles, images))]
    deck = Presentation(io.BytesIO(build_deck(title, subtitle, specs, lang, footer)))
    assert len(deck.slides) == 3
    assert deck.slide_width * 9 == deck.slide_height * 16
    first = deck.slides[0]
    assert first.shapes.title.text == title
    assert subtitle in [s.text_frame.text for s in first.placeholders]
    language = {"es": MSO_LANGUAGE_ID.SPANISH, "en": MSO_LANGUAGE_ID.ENGLISH_US}[lang]
    for index, (slide, spec) in enumerate(zip(list(deck.slides)[1:], specs), start=2):
        assert slide.shapes.title.text == spec.title
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        assert spec.headline in texts and footer in texts and f"{index} / 3" in texts
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1 and pictures[0].image.blob == spec.image
        picture = pictures[0]
        width, height = png_size(spec.image)
        assert abs(picture.width / picture.height - width / height) < 0.01  # not distorted
        assert 0 <= picture.left and picture.left + picture.width <= deck.slide_width
        assert picture.top + picture.height <= deck.slide_height
        assert slide.notes_slide.notes_text_frame.text == spec.notes
        assert slide.shapes.title.text_frame.paragraphs[0].runs[0].font.language_id == language


def test_deck_rejects_an_image_that_is_not_a_png():
    with pytest.raises(ValueError, match="PNG"):
        build_deck("T", "S", [SlideSpec("A", "B", b"<svg/>", "")], "es", "F")


# --- PDF brief -------------------------------------------------------------------------------

def _brief(lang: str, sections: int = 3) -> bytes:
    number = lambda v: i18n.format_number(v, lang)  # noqa: E731
    headlines = [
        HeadlineFigure(i18n.translate("indicator.people_served.label", lang), number(1470),
                       i18n.translate("indicator.people_served.definition", lang)),
        HeadlineFigure(i18n.translate("indicator.agents_trained.label", lang), number(512),
                       i18n.translate("indicator.agents_trained.definition", lang)),
        HeadlineFigure(i18n.translate("indicator.people_sensitized.label", lang), number(1530),
                       i18n.translate("indicator.people_sensitized.definition", lang)),
    ]
    table = (("Sexo", "Personas"), ("Mujeres", number(820)), ("Hombres", number(650)), ("Otro", MARK("small", "es")))
    parts = [BriefSection(f"Sección {i + 1}", f"Frase {i + 1} con cifras.", _png(1920, 1080, (10 * i, 110, 116)),
                          table if i == 0 else ())
             for i in range(sections)]
    return build_brief("Conexión territorial 2023–2024", "Periodo 2023–2024 · todos los países", headlines,
                       parts, lang, "Fuente: registros del programa Conexión.")


@pytest.mark.parametrize("lang, figures, page", [
    ("es", ("1.470", "512", "1.530", "820"), "Página 1 de"),
    ("en", ("1,470", "512", "1,530", "820"), "Page 1 of"),
])
def test_brief_pages_and_figures_in_the_language(lang, figures, page):
    reader = PdfReader(io.BytesIO(_brief(lang)))
    assert 2 <= len(reader.pages) <= 4
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    for figure in figures:
        assert figure in text
    assert page in text
    assert i18n.translate("exports.brief.figures", lang) in text
    assert i18n.translate("indicator.people_served.label", lang) in text
    for section in ("Sección 1", "Sección 2", "Sección 3"):
        assert section in text
    assert sum(len(p.images) for p in reader.pages) == 3


def test_brief_refuses_more_than_four_pages():
    with pytest.raises(BriefTooLongError):
        _brief("es", sections=9)


def test_rates_and_their_interval_bounds_are_percentages_in_excel():
    from exports.tables import is_share_column

    assert all(is_share_column(c) for c in ("rate", "employed_rate", "rate_low", "employed_rate_high", "women_share"))
    assert not any(is_share_column(c) for c in ("value", "enrolled", "rate_count"))


def test_slide_copies_leave_room_for_enlarged_tick_labels_but_not_on_maps():
    import plotly.graph_objects as go

    from exports.images import for_slides

    bars = go.Figure(go.Bar(x=["a"], y=[1])).update_layout(margin=dict(l=10, b=10, t=10, r=10))
    slide = for_slides(bars)
    assert slide.layout.margin.l >= 110 and slide.layout.margin.b >= 95
    assert bars.layout.margin.l == 10  # the page's figure is unchanged
    drawing = go.Figure(go.Scatter(x=[0, 1], y=[0, 1])).update_layout(
        xaxis=dict(visible=False), yaxis=dict(visible=False), margin=dict(l=10, b=10))
    assert for_slides(drawing).layout.margin.l == 10
