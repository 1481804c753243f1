"""The forum deck page (AppTest), its PPTX deck and PDF brief, and the overview's brief button.

Expected figures are recomputed with pandas from sample_data (tests.reference_figures and the
helpers below), never by the code under test. The files are taken from the download buttons'
deferred callables, as tests/test_page_exports.py does.
"""

from __future__ import annotations

import html
import io
import json
import re

import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader
from streamlit.runtime.media_file_manager import MediaFileManager

import i18n
from geo.units import territorial_units
from tests.browser import require_chromium
from tests.conftest import SAMPLE
from tests.reference_figures import END, START, headline_figures
from tests.signed_in import run_dashboard
from tests.test_i18n_pages import OTHER, _only_in
from tests.test_roles import _rendered

PAGE = "pages/forum_deck.py"
TITLES = {
    "es": ["Cifras principales 2023–2024", "Resultados de reintegración por sexo y edad (MISKA)",
           "Alcance de la red de prevención (Desaguadero)", "Personas atendidas por departamento"],
    "en": ["Headline figures 2023–2024", "Reintegration outcomes by sex and age (MISKA)",
           "Prevention network reach (Desaguadero)", "People served by department"],
}
SOURCE = {"es": "Fuente: registros del programa Conexión", "en": "Source: Conexión programme records"}


# --- independent figures ----------------------------------------------------------------------------

def _number(value: int, lang: str) -> str:
    return f"{value:,}".replace(",", "." if lang == "es" else ",")


def _rounded_down(count: int) -> int:
    """How the programme reports a count: thousands to hundreds, otherwise to tens."""
    step = 100 if count >= 1000 else 10
    return count // step * step


def _people_by_department() -> pd.Series:
    people = pd.read_csv(SAMPLE / "participants.csv", dtype=str)
    parts = pd.read_csv(SAMPLE / "participations.csv", dtype=str, keep_default_na=False)
    start = pd.to_datetime(parts["start_date"])
    end = pd.to_datetime(parts["end_date"].replace("", None)).fillna(start)
    active = set(parts.loc[(start <= END) & (end >= START), "participant_id"])
    served = people[people["participant_id"].isin(active)]
    return served.groupby(["country", "department_code"]).size().sort_values(ascending=False)


def expected_sentences(lang: str) -> list[str]:
    """Sentences of views 1, 3 and 4 in full; of view 2 the part with participants and jobs."""
    figures = headline_figures(SAMPLE)
    served, agents, people = figures["people_served"], figures["agents_trained"], figures["people_sensitized"]
    assert _rounded_down(served) != served and _rounded_down(agents) != agents  # "more than" applies
    assert _rounded_down(people) != people
    top = _people_by_department()
    (country, code), count = top.index[0], int(top.iloc[0])
    units = territorial_units()
    name = units[(units["level"] == "department") & (units["country"] == country) & (units["code"] == code)]["name"]
    n = lambda v: _number(v, lang)  # noqa: E731
    if lang == "es":
        return [f"Más de {n(_rounded_down(served))} personas atendidas directamente en 2023–2024",
                f"{n(figures['miska_participants'])} personas participaron en MISKA; "
                f"{n(figures['miska_employed'])} consiguieron empleo",
                f"Más de {n(_rounded_down(agents))} agentes de prevención formados y más de "
                f"{n(_rounded_down(people))} asistencias a sesiones de sensibilización en 2023–2024",
                f"{name.iloc[0]} es el departamento con más personas atendidas: {n(count)}"]
    return [f"More than {n(_rounded_down(served))} people served directly in 2023–2024",
            f"{n(figures['miska_participants'])} people took part in MISKA; {n(figures['miska_employed'])} found a job",
            f"More than {n(_rounded_down(agents))} prevention agents trained and more than "
            f"{n(_rounded_down(people))} attendances at awareness sessions in 2023–2024",
            f"{name.iloc[0]} is the department with the most people served: {n(count)}"]


# --- sentences and choices made without the page -------------------------------------------------

class _Reach:
    def __init__(self, value, suppressed=False):
        self.value, self.is_suppressed = value, suppressed


@pytest.mark.parametrize("agents, people, expected", [
    (_Reach(532), _Reach(1550), "Más de 530 agentes de prevención formados y más de 1.500 asistencias a sesiones "
                                "de sensibilización en 2023–2024"),
    (_Reach(pd.NA, True), _Reach(9), "9 asistencias a sesiones de sensibilización en 2023–2024 (la cifra de agentes "
                                     "formados está protegida)"),
    (_Reach(40), _Reach(pd.NA, True), "40 agentes de prevención formados en 2023–2024 (la cifra de asistencias está "
                                      "protegida)"),
    (_Reach(pd.NA, True), _Reach(pd.NA, True), "Agentes formados y asistencias a sesiones en 2023–2024 (cifras "
                                               "protegidas)"),
])
def test_the_network_sentence_never_says_a_protected_count(agents, people, expected):
    from exports.forum import network_sentence

    assert network_sentence(agents, people, "2023–2024", "es") == expected


@pytest.mark.parametrize("value, suppressed, lang, expected", [
    (1470, False, "es", "Más de 1.400 personas atendidas directamente en 2023–2024"),
    (1400, False, "en", "1,400 people served directly in 2023–2024"),
    (pd.NA, True, "es", "Personas atendidas directamente en 2023–2024 (cifra protegida)"),
])
def test_the_served_sentence(value, suppressed, lang, expected):
    from exports.forum import served_sentence

    assert served_sentence(value, suppressed, "2023–2024", lang) == expected


@pytest.mark.parametrize("programmes, countries, miska, network", [
    ((), (), True, True), ((), ("BOL",), False, True), (("miska_reintegration",), (), True, False),
    (("regional_support",), ("GTM",), False, False), ((), ("GTM", "PER"), True, True),
])
def test_a_programme_view_is_left_out_when_the_filters_exclude_it(programmes, countries, miska, network):
    from exports.forum import covers, year_filters

    filters = year_filters(2023, 2024).with_(programmes=programmes, countries=countries)
    assert covers(filters, "miska_reintegration", ("GTM",)) == miska
    assert covers(filters, "prevention_network", ("BOL", "PER")) == network


# --- reading the page -------------------------------------------------------------------------------

def _page(lang: str = "es", username: str = "liderazgo", **query: str):
    app = run_dashboard(username, query=query, lang=lang, page=PAGE)
    assert not app.exception, app.exception
    return app


def _headline(app) -> str:
    texts = [m.proto.body for m in app.markdown if 'data-testid="forum-headline"' in m.proto.body]
    assert len(texts) == 1
    return html.unescape(re.sub(r"<[^>]+>", "", texts[0]))


def _screen(app) -> tuple[str, str, str]:
    """(view title, headline sentence, position) of the view on screen."""
    position = [m.proto.body for m in app.markdown if 'data-testid="forum-position"' in m.proto.body]
    return app.header[0].value, _headline(app), html.unescape(re.sub(r"<[^>]+>", "", position[0]))


def _next(app):
    app.button(key="forum.next.top").click().run()
    assert not app.exception, app.exception
    return app


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_four_views_in_order_with_their_figures(fresh_caches, lang):
    app = _page(lang)
    screens = [_screen(app)]
    charts = [json.loads(app.get("plotly_chart")[0].proto.spec)]
    for _ in range(3):
        screens.append(_screen(_next(app)))
        charts.append(json.loads(app.get("plotly_chart")[0].proto.spec))
    assert [s[0] for s in screens] == TITLES[lang]
    expected = expected_sentences(lang)
    assert screens[0][1] == expected[0] and screens[2][1] == expected[2] and screens[3][1] == expected[3]
    assert expected[1] in screens[1][1]
    word = "Vista" if lang == "es" else "View"
    assert [s[2] for s in screens] == [f"{word} {i} {'de' if lang == 'es' else 'of'} 4" for i in range(1, 5)]
    figures = headline_figures(SAMPLE)  # the big numbers: the six headline figures, as on the overview
    big = [a["text"] for a in charts[0]["layout"]["annotations"] if a["text"].startswith("<b>")]
    assert big == [f"<b>{_number(figures[i], lang)}</b>" for i in ("people_served", "miska_participants",
                   "miska_employed", "miska_enterprises", "agents_trained", "people_sensitized")]
    cumulative = {trace["name"]: max(v for v in trace["y"] if v is not None) for trace in charts[2]["data"]}
    assert cumulative[i18n.translate("indicator.agents_trained.label", lang)] == figures["agents_trained"]
    assert cumulative[i18n.translate("indicator.people_sensitized.label", lang)] == figures["people_sensitized"]
    assert all("geo" not in trace.get("type", "") and "map" not in trace.get("type", "") for trace in charts[3]["data"])


def test_previous_goes_back_and_the_link_names_the_view(fresh_caches):
    app = _page()
    assert str(app.query_params["vista"]).strip("[]'") == "1"
    assert app.button(key="forum.previous.top").disabled
    _next(app)
    assert _screen(app)[0] == TITLES["es"][1]
    assert str(app.query_params["vista"]).strip("[]'") == "2"
    app.button(key="forum.previous.top").click().run()
    assert _screen(app)[0] == TITLES["es"][0]
    assert str(app.query_params["vista"]).strip("[]'") == "1"


@pytest.mark.parametrize("link, shown", [("3", 3), ("4", 4), ("99", 4), ("0", 1), ("tres", 1)])
def test_a_link_opens_its_view(fresh_caches, link, shown):
    app = _page(vista=link)
    assert _screen(app)[0] == TITLES["es"][shown - 1]
    assert app.button(key="forum.next.top").disabled == (shown == 4)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_view_shows_only_its_language(fresh_caches, lang):
    app = _page(lang)
    for view in range(4):
        shown = _rendered(app)
        foreign = sorted(text for text in _only_in(OTHER[lang]) if text in shown)
        assert foreign == [], (view, foreign[:5])
        keys = [key for key in i18n.catalogue(lang) if key.startswith("forum.") and key in shown]
        assert keys == [], (view, keys)
        if view < 3:
            _next(app)


def test_presenters_open_the_deck(fresh_caches):
    app = _page(username="presentador")
    assert _screen(app)[0] == TITLES["es"][0]


# --- the files --------------------------------------------------------------------------------------

@pytest.fixture
def files(monkeypatch) -> dict:
    """file id -> the callable that makes the file, for every deferred download of the runs."""
    made: dict = {}
    original = MediaFileManager.add_deferred

    def record(self, data_callable, *args, **kwargs):
        file_id = original(self, data_callable, *args, **kwargs)
        made[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return made


@pytest.fixture
def audit(monkeypatch) -> list:
    """Audit lines written while the test runs, as (event, username, details)."""
    lines: list = []
    import auth.audit_log

    monkeypatch.setattr(auth.audit_log, "log_event", lambda event, username, **details: lines.append(
        (event, username, details)))
    return lines


def _download(app, files: dict, key: str) -> bytes:
    buttons = [b.proto for b in app.get("download_button") if b.proto.id.endswith(f"-{key}")]
    assert len(buttons) == 1, [b.proto.id for b in app.get("download_button")]
    return files[buttons[0].deferred_file_id]()


def _pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_deck_has_a_title_slide_and_one_slide_per_view(fresh_caches, files, audit, lang):
    require_chromium()
    app = _page(lang)
    deck = Presentation(io.BytesIO(_download(app, files, "forum.download.pptx")))
    slides = list(deck.slides)
    assert len(slides) == 5
    assert "2023–2024" in slides[0].shapes.title.text
    assert [slide.shapes.title.text for slide in slides[1:]] == TITLES[lang]
    expected = expected_sentences(lang)
    for slide, sentence in zip(slides[1:], expected):
        texts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
        assert any(sentence in text for text in texts)
        assert any(shape.shape_type == MSO_SHAPE_TYPE.PICTURE for shape in slide.shapes)
        notes = slide.notes_slide.notes_text_frame.text
        assert SOURCE[lang] in notes and i18n.translate("forum.notes.definitions", lang) in notes
    assert "\u2022 " + i18n.translate("indicator.people_served.label", lang) in slides[1].notes_slide.notes_text_frame.text
    assert audit == [("export", "liderazgo", {"kind": "pptx", "item": "forum_deck_2023–2024", "language": lang})]


@pytest.mark.parametrize("lang, served", [("es", "1.470"), ("en", "1,470")])
def test_the_brief_summarises_the_views_in_two_to_four_pages(fresh_caches, files, audit, lang, served):
    require_chromium()
    app = _page(lang)
    pages, text = _pdf_text(_download(app, files, "forum.download.pdf"))
    assert 2 <= pages <= 4
    assert served == _number(headline_figures(SAMPLE)["people_served"], lang) and served in text
    for title in TITLES[lang]:
        assert title in text
    assert SOURCE[lang] in text
    assert audit[0][2]["kind"] == "pdf" and audit[0][2]["language"] == lang and "name" not in audit[0][2]


def test_the_period_changes_the_views(fresh_caches):
    app = _page()
    app.select_slider(key="forum.period").set_range(2024, 2024).run()
    assert not app.exception, app.exception
    assert _screen(app)[0] == "Cifras principales 2024"
    assert _headline(app).endswith("en 2024")


def test_the_overview_offers_the_brief_of_its_filters(fresh_caches, files):
    require_chromium()
    app = run_dashboard("liderazgo")
    app.sidebar.multiselect(key="filters.countries").select("BOL").run()
    assert not app.exception, app.exception
    pages, text = _pdf_text(_download(app, files, "overview.export.brief"))
    assert 2 <= pages <= 4
    assert "País: Bolivia" in text
    assert TITLES["es"][1] not in text  # MISKA works in Guatemala only: no reintegration section
    assert TITLES["es"][2] in text and TITLES["es"][3] in text


@pytest.mark.parametrize("username", ["datos", "municipal"])
def test_the_overview_brief_is_for_leadership_and_presenters_only(fresh_caches, username):
    app = run_dashboard(username, page="pages/overview.py")
    assert not app.exception, app.exception
    assert not [b for b in app.get("download_button") if b.proto.id.endswith("-overview.export.brief")]
