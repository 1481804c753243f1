"""Prevention network page for forums (AppTest): PNG/SVG under every chart (the maps through a static
Plotly figure of the same content), CSV/Excel under every table carrying what the page shows, and one
headline sentence per chart whose figures equal those recomputed from sample_data with pandas."""

from __future__ import annotations

import io
import math

import pandas as pd
import plotly.graph_objects as go
import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

import i18n
from charts.style import ACCENT
from tests.signed_in import APP, run_dashboard
from tests.test_page_exports import _button, _csv, _file, _xlsx, files  # noqa: F401  (files: a fixture)
from tests.test_prevention_network import PAGE, START, END, _read, expected
from tests.tables import shown as shown_cells

MARKS = i18n.hidden_marks()  # how a hidden figure reads ('menos de 5', 'oculta', 'no publicada', es and en)
CHARTS = ("map", "close_up", "graph", "cumulative", "municipalities", "agents_sex_age", "people_sex_age", "topics",
          "audiences")
TABLES = ("top", "by_country", "institutions")
SENTENCES = 10  # the headline figures and one per chart (the close-up has its own)


@pytest.fixture
def figures(monkeypatch) -> dict:
    """file name -> the figure behind its PNG/SVG buttons, as the page passed it."""
    import ui.prevention

    made: dict = {}
    original = ui.prevention.chart_downloads

    def record(figure, name, key=None):
        made[name] = figure if isinstance(figure, go.Figure) else figure()  # a map's static twin is built on click
        return original(figure, name, key=key)

    monkeypatch.setattr(ui.prevention, "chart_downloads", record)
    return made


def _page(lang: str = "es") -> AppTest:
    app = run_dashboard("liderazgo", page=PAGE, lang=lang)
    assert not app.exception, app.exception
    return app


def _sentences(app: AppTest) -> list[str]:
    import html
    import re

    return [html.unescape(re.sub(r"<[^>]+>", "", m.value)) for m in app.markdown
            if 'data-testid="chart-headline"' in m.value]


def _frame(app: AppTest, first_header: str) -> pd.DataFrame:
    frames = [shown_cells(d) for d in app.dataframe if list(shown_cells(d).columns)[0] == first_header]
    assert len(frames) == 1, [list(shown_cells(d).columns) for d in app.dataframe]
    return frames[0]


def _same_cells(page: pd.DataFrame, rows: list[list[object]], lang: str) -> None:
    """Header and every cell of the file equal the page's: a number as the page writes it (1.550; 2,9),
    a text as it is, '·' where the page shows '·'."""
    assert [str(c) for c in rows[0]] == [str(c) for c in page.columns]
    assert len(rows) - 1 == len(page)

    def written(cell: object) -> set[str]:
        text = str(cell).strip()
        forms = {text}
        try:
            number = float(text)
        except ValueError:
            return forms
        if number.is_integer():
            forms.add(i18n.format_number(int(number), lang))
        forms.add(i18n.format_number(number, lang, 1))
        return forms

    mismatches = [(cell, seen) for row, (_, page_row) in zip(rows[1:], page.iterrows())
                  for cell, seen in zip(row, page_row, strict=True) if str(seen).strip() not in written(cell)]
    assert mismatches == []


def _files(app: AppTest, made: dict, part: str) -> tuple[list[list[str]], list[list[object]]]:
    key = f"network.export.{part}"
    return _csv(_file(app, made, f"{key}.csv")), _xlsx(_file(app, made, f"{key}.xlsx"))


def _people_by_institution() -> dict[str, int]:
    sessions = _read("awareness_sessions", ("date",))
    sessions = sessions[sessions["date"].between(START, END)]
    counts = [c for c in sessions.columns if c.startswith(("female_", "male_"))]
    return sessions[counts].astype(int).sum(axis=1).groupby(sessions["institution_id"]).sum().astype(int).to_dict()


# --- buttons and files ----------------------------------------------------------------------------

def test_buttons_under_every_chart_and_table(fresh_caches, files):  # noqa: F811
    app = _page()
    assert len(app.get("plotly_chart")) == 7 and len(app.get("deck_gl_json_chart")) == 2
    for chart in CHARTS:
        for kind in ("png", "svg"):
            assert _button(app, f"network.export.{chart}.{kind}").label == i18n.translate(f"exports.chart.{kind}", "es")
    for table in TABLES:
        for kind in ("csv", "xlsx"):
            assert _button(app, f"network.export.{table}.{kind}")
    # The top five: the full names (a static table, names wrap), the same in the files.
    top = app.table[0].value
    rows_csv, rows_xlsx = _files(app, files, "top")
    _same_cells(top, rows_csv, "es")
    _same_cells(top, rows_xlsx, "es")


@pytest.mark.parametrize("lang", ["es", "en"])
def test_country_and_institution_files_equal_the_page_and_the_sample(fresh_caches, files, lang):  # noqa: F811
    app = _page(lang)
    by_country = _frame(app, i18n.translate("chart.country", lang))
    rows_csv, rows_xlsx = _files(app, files, "by_country")
    _same_cells(by_country, rows_csv, lang)
    _same_cells(by_country, rows_xlsx, lang)
    for country in ("BOL", "PER"):  # agents and attendances per side, recomputed with pandas
        figures = expected(countries=(country,))
        row = next(r for r in rows_xlsx if r[0] == i18n.translate(f"country.{country}", lang))
        assert row[1:3] == [figures["agents"], figures["people"]]
        assert row[3] == round(figures["people"] / figures["agents"], 1)

    institutions = _frame(app, i18n.translate("network.column.institution", lang))
    rows_csv, rows_xlsx = _files(app, files, "institutions")
    _same_cells(institutions, rows_csv, lang)
    _same_cells(institutions, rows_xlsx, lang)
    names = _read("network_institutions").set_index("name")["institution_id"]
    assert sorted(r[0] for r in rows_xlsx[1:]) == sorted(names.index)
    people = _people_by_institution()
    published = [(r[0], r[4]) for r in rows_xlsx[1:] if r[4] not in MARKS]
    assert published and all(value == people.get(names[name], 0) for name, value in published)
    hidden = [r for r in rows_csv[1:] if set(r) & MARKS]
    assert all(set(r) & MARKS <= set(institutions.iloc[rows_csv[1:].index(r)].to_list()) for r in hidden)

    notes = dict(row[:2] for row in load_workbook(io.BytesIO(_file(app, files, "network.export.by_country.xlsx")))
                 .worksheets[1].iter_rows(values_only=True) if row[0])
    for term, definition in (("indicator.agents_trained.label", "indicator.agents_trained.definition"),
                             ("indicator.people_sensitized.label", "indicator.people_sensitized.definition"),
                             ("network.cascade.label", "network.cascade.definition")):
        assert notes[i18n.translate(term, lang)] == i18n.translate(definition, lang)


def test_hxl_row_only_with_the_box(fresh_caches, files):  # noqa: F811
    app = _page("en")
    key = "network.export.by_country"
    assert not any(c.startswith("#") for c in _csv(_file(app, files, f"{key}.csv"))[1])
    app.checkbox(key=f"{key}.hxl").check().run()
    assert not app.exception
    page = _frame(app, "Country")
    for rows in (_csv(_file(app, files, f"{key}.csv")), _xlsx(_file(app, files, f"{key}.xlsx"))):
        assert rows[1] == ["#country+name", "#reached+ind+agents", "#reached+attendances+indirect",
                           "#indicator+num+per_agent"]
        _same_cells(page, [rows[0]] + rows[2:], "en")
    app.checkbox(key="network.export.institutions.hxl").check().run()
    tags = _csv(_file(app, files, "network.export.institutions.csv"))[1]
    assert tags == ["#org+name", "#org+type", "#country+name", "#reached+ind+agents", "#reached+attendances+indirect",
                    "#org+partners+num"]


# --- the static maps -------------------------------------------------------------------------------

def test_static_maps_draw_every_institution_and_highlight_cross_border_ties(fresh_caches, figures):
    app = _page()
    truth = expected()
    institutions = _read("network_institutions")
    for name in ("prevention_network_map", "prevention_network_desaguadero"):
        figure = figures[name]
        assert {trace.type for trace in figure.data} == {"scatter"}  # no geo trace: nothing fetched
        markers = [t for t in figure.data if t.mode == "markers" and len(t.x) and t.x[0] is not None]
        assert sum(len(t.x) for t in markers) == truth["institutions"]
        positions = sorted((round(x, 5), round(y, 5)) for t in markers for x, y in zip(t.x, t.y))
        assert positions == sorted(zip(institutions["lon"].astype(float).round(5),
                                       institutions["lat"].astype(float).round(5)))
        ties = {t.name: t for t in figure.data if t.mode == "lines" and t.name}
        cross = ties[i18n.translate("network.legend.tie_cross_border", "es")]
        domestic = ties[i18n.translate("network.legend.tie_domestic", "es")]
        assert list(cross.x).count(None) == truth["cross_border"]
        assert list(domestic.x).count(None) == truth["ties"] - truth["cross_border"]
        red, green, blue = (int(ACCENT[i:i + 2], 16) for i in (1, 3, 5))
        assert cross.line.color.startswith(f"rgba({red},{green},{blue},") and cross.line.width > domestic.line.width
    assert not app.exception


# --- headline sentences ------------------------------------------------------------------------------

def _more_than(count: int, lang: str) -> str:
    step = 100 if count >= 1000 else 10
    floor = count // step * step
    number = i18n.format_number(floor, lang)
    return number if floor == count else i18n.translate("headline.more_than", lang, n=number)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_one_sentence_per_chart_with_the_sample_figures(fresh_caches, lang):
    app = _page(lang)
    sentences = _sentences(app)
    assert len(sentences) == SENTENCES
    truth = expected()
    assert (truth["agents"], truth["people"]) == (532, 1550)
    reach = _more_than(truth["agents"], lang), _more_than(truth["people"], lang)
    assert reach == ((("más de 530", "más de 1.500") if lang == "es" else ("more than 530", "more than 1,500")))
    said = i18n.translate("network.headline.reach", lang, agents=reach[0], people=reach[1], period="2023–2024")
    assert sentences[0] == said[:1].upper() + said[1:]
    institutions = i18n.translate("network.count.institutions.other", lang,
                                  n=i18n.format_number(truth["institutions"], lang))
    cross = i18n.translate("network.count.cross_border.other", lang, n=i18n.format_number(truth["cross_border"], lang))
    assert sentences[1] == i18n.translate("network.headline.map.both", lang, institutions=institutions, cross=cross)
    if lang == "es":
        assert sentences[1] == "40 instituciones a ambos lados de la frontera y 18 vínculos transfronterizos"
    topic, count = max(truth["by_topic"].items(), key=lambda item: item[1])
    assert i18n.translate("network.headline.topic", lang, name=i18n.translate(f"topic.{topic}", lang),
                          n=i18n.format_number(count, lang)) in sentences
    women = _read("awareness_sessions", ("date",))
    women = women[women["date"].between(START, END)]
    female = women[[c for c in women.columns if c.startswith("female_")]].astype(int).to_numpy().sum()
    share = i18n.format_share(female / truth["people"], lang, 0)
    assert i18n.translate("network.headline.people.women", lang, share=share) in sentences
    assert math.isclose(female / truth["people"], 0.52, abs_tol=0.01)


def test_presentation_mode_keeps_the_sentences_and_hides_the_files(fresh_caches):
    app = AppTest.from_file(APP, default_timeout=120)
    app.session_state["authentication_status"] = True
    app.session_state["username"] = "liderazgo"
    app.session_state["presentation"] = True
    app.run()
    app.switch_page(PAGE).run()
    assert not app.exception, app.exception
    headlines = [m.value for m in app.markdown if 'data-testid="chart-headline"' in m.value]
    assert app.session_state["presentation"] is True
    assert len(headlines) == SENTENCES
    assert "40 instituciones a ambos lados de la frontera" in "\n".join(headlines)
    assert not [c for c in app.checkbox if c.key and c.key.startswith("network.export.")]  # no orphan HXL boxes
    source = i18n.translate("presentation.source", "es", date="\x00").split("\x00")[0]
    assert sum(c.value.startswith(source) for c in app.caption) == len(CHARTS)  # under each chart and map


def test_map_labels_that_would_overlap_are_moved_apart():
    """San Andrés de Machaca and Nazacara de Pacajes sat on top of each other on the border-area map."""
    from charts.network import _label_box, _pixels, spread_labels

    labels = pd.DataFrame({"name": ["San Andrés de Machaca", "Nazacara de Pacajes", "Viacha"],
                           "lon": [-68.97, -68.90, -68.30], "lat": [-16.96, -16.97, -16.65],
                           "anchor": ["middle"] * 3})
    zoom = 9.4
    placed = spread_labels(labels, zoom).set_index("name")
    boxes = {name: _label_box(*_pixels(row.lon, row.lat, zoom), name, row.anchor, 12)
             for name, row in placed.iterrows()}
    first, second = boxes["San Andrés de Machaca"], boxes["Nazacara de Pacajes"]
    assert first[2] <= second[0] or second[2] <= first[0] or first[3] <= second[1] or second[3] <= first[1]
    assert placed.loc["Viacha", "anchor"] == "middle"  # a label with room keeps its place
    assert placed.loc["Viacha", "lat"] == pytest.approx(-16.65)
    before = [_label_box(*_pixels(lon, lat, zoom), name, "middle", 12)
              for name, lon, lat in zip(labels["name"], labels["lon"], labels["lat"])][:2]
    assert before[0][0] < before[1][2] and before[1][0] < before[0][2]  # centred, they would overlap
