"""The static public edition (exports.public_site): its files, its figures against the dashboard's for the
presenter (AppTest) and against figures recomputed from sample_data, no person's id, nothing loaded from the
internet; and the Data page's button that offers it as a .zip.

The edition is written once for the module by the command (`python -m exports.public_site OUT`'s `main`).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

import i18n
from exports import public_site
from tests.conftest import SAMPLE
from tests.reference_figures import headline_figures
from tests.signed_in import run_dashboard

PAGE_FILES = ("index.html", "territorial_map.html", "reintegration.html", "prevention_network.html", "methods.html")
EXPECTED_FILES = {"index.html", "assets/plotly.min.js", "assets/style.css",
                  *(f"{lang}/{name}" for lang in ("es", "en") for name in PAGE_FILES)}
HEADLINES = ("people_served", "miska_participants", "miska_employed", "miska_enterprises", "agents_trained",
             "people_sensitized")
NEW_PLOT = re.compile(r'Plotly\.newPlot\(\s*"([^"]+)",\s*(\[.*?\]),\s*(\{.*?\}),\s*\{', re.S)


@pytest.fixture(scope="module")
def site(tmp_path_factory, data_dir) -> Path:
    import streamlit as st

    st.cache_data.clear()
    out = tmp_path_factory.mktemp("public") / "edition"
    assert public_site.main([str(out)]) == 0
    return out


class _Page(HTMLParser):
    """The parts of a page a reader sees: headline figure cards (label, value), links, sources, text."""

    def __init__(self):
        super().__init__()
        self.cards: list[dict[str, str]] = []
        self.links: list[str] = []
        self.resources: list[str] = []
        self._field: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self.links.append(attrs.get("href", ""))
        if tag in ("script", "img", "iframe") and attrs.get("src"):
            self.resources.append(attrs["src"])
        if tag == "link":
            self.resources.append(attrs.get("href", ""))
        testid = attrs.get("data-testid")
        if testid == "figure":
            self.cards.append({})
        elif testid in ("figure-value", "figure-label"):
            self._field = testid.split("-")[1]

    def handle_data(self, data):
        if self._field:
            self.cards[-1][self._field] = self.cards[-1].get(self._field, "") + data

    def handle_endtag(self, tag):
        if tag == "p":
            self._field = None


def _parsed(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _charts(path: Path) -> list[list[dict]]:
    """Each chart's traces, as the page hands them to Plotly.newPlot."""
    return [json.loads(data) for _, data, _ in NEW_PLOT.findall(path.read_text(encoding="utf-8"))]


def _number(value: int, lang: str) -> str:
    return f"{value:,}".replace(",", "." if lang == "es" else ",")


def test_the_command_writes_both_languages_plotly_once_and_relative_links(site):
    files = {str(p.relative_to(site)) for p in site.rglob("*") if p.is_file()}
    assert files == EXPECTED_FILES
    assert (site / "assets" / "plotly.min.js").stat().st_size > 1_000_000  # the library itself, not a loader
    for lang in ("es", "en"):
        other = "en" if lang == "es" else "es"
        for name in PAGE_FILES:
            page = _parsed(site / lang / name)
            assert set(PAGE_FILES) <= set(page.links)  # the navigation
            assert f"../{other}/{name}" in page.links  # the same page in the other language
            assert page.resources == ["../assets/style.css", "../assets/plotly.min.js"]
    assert {"es/index.html", "en/index.html"} <= set(_parsed(site / "index.html").links)


def test_nothing_is_loaded_from_the_internet(site):
    for path in site.rglob("*.html"):
        page = _parsed(path)
        assert not [r for r in page.resources if re.match(r"\s*(https?:)?//", r)], path
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", text), path
        assert "@import" not in text and "fonts.googleapis" not in text
    assert "url(" not in (site / "assets" / "style.css").read_text()  # no font or image fetched by the style
    for lang in ("es", "en"):  # Plotly's geo traces fetch their topology from a CDN: none may be used
        for name in PAGE_FILES:
            types = {trace.get("type", "scatter") for chart in _charts(site / lang / name) for trace in chart}
            assert not {t for t in types if "geo" in t or "map" in t or t == "choropleth"}, (name, types)


def test_no_participant_id_appears(site):
    ids = set(pd.read_csv(SAMPLE / "participants.csv", dtype=str)["participant_id"])
    text = "\n".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    assert len(ids) > 100 and not [i for i in ids if i in text]
    assert "participant_id" not in text


@pytest.mark.parametrize("lang", ["es", "en"])
def test_headline_figures_equal_the_sample_data_recomputed(site, lang):
    """The six overview cards, against plain pandas over the CSV files (none of them is hidden)."""
    figures = headline_figures(SAMPLE)
    cards = _parsed(site / lang / "index.html").cards
    assert [c["label"] for c in cards] == [i18n.translate(f"indicator.{i}.label", lang) for i in HEADLINES]
    assert [c["value"] for c in cards] == [_number(figures[i], lang) for i in HEADLINES]


def _app_charts(app) -> list[list[dict]]:
    return [json.loads(chart.proto.spec)["data"] for chart in app.get("plotly_chart")]


def _same_traces(html: list[dict], app: list[dict]) -> bool:
    keys = ("x", "y", "text", "name")
    return [{k: t.get(k) for k in keys} for t in html] == [{k: t.get(k) for k in keys} for t in app]


@pytest.mark.parametrize("page, name", [("pages/overview.py", "index.html"),
                                        ("pages/reintegration.py", "reintegration.html"),
                                        ("pages/prevention_network.py", "prevention_network.html")])
def test_every_figure_is_the_presenters(site, fresh_caches, page, name):
    """Against the dashboard signed in as the presenter (AppTest): each card reads as its metric, hidden ones
    included ('menos de 5' …), and each chart draws the same traces as one of the page's charts."""
    app = run_dashboard("presentador", page=page)
    assert not app.exception, app.exception
    metrics = {m.label: m.value for m in app.metric}
    cards = _parsed(site / "es" / name).cards
    assert cards and all(metrics[c["label"]] == c["value"] for c in cards if c["label"] in metrics)
    assert sum(c["label"] in metrics for c in cards) >= 3
    shown = _app_charts(app)
    charts = [c for c in _charts(site / "es" / name) if not any(t.get("fill") == "toself" for t in c)]  # no maps
    assert charts and all(any(_same_traces(chart, other) for other in shown) for chart in charts)


def test_territorial_map_tables_read_as_the_published_units(site, fresh_caches):
    """The people served table: each department's figure as the publication layer gives it to the presenter."""
    from exports.public_pages import PUBLIC_SCOPE, default_filters
    from indicators.filter_specs import TERRITORIAL_MAP
    from indicators.map_views import MapView
    from ui import territorial_map
    from ui.language import speaking

    units, _ = territorial_map.view_values(MapView(), default_filters(TERRITORIAL_MAP), PUBLIC_SCOPE)
    table = pd.read_html(io.StringIO((site / "en" / "territorial_map.html").read_text(encoding="utf-8")),
                         thousands=None)[0]
    with speaking("en"):
        headers = territorial_map.table_headers("people_served")
    shown = dict(zip(table[headers["name"]].astype(str), table[headers["value"]].astype(str)))
    assert len(shown) == len(units) > 10
    kinds = units["hidden"] if "hidden" in units else [None] * len(units)
    for name, value, suppressed, kind in zip(units["name"], units["value"], units["suppressed"], kinds):
        assert shown[name] == (i18n.hidden_mark(kind, "en") if suppressed else _number(int(value), "en"))


@pytest.mark.parametrize("lang", ["es", "en"])
def test_methods_and_data_date_per_language(site, lang):
    text = (site / lang / "methods.html").read_text(encoding="utf-8")
    assert i18n.translate("methods.privacy.complementary", lang).split("**")[-1][:40] in text
    assert i18n.translate("indicator.people_served.definition", lang) in text
    for name in PAGE_FILES:
        page = (site / lang / name).read_text(encoding="utf-8")
        assert f'<html lang="{lang}">' in page and 'data-testid="data-date"' in page


def test_the_data_page_offers_the_edition_as_a_zip(fresh_caches):
    app = run_dashboard("datos", page="pages/data.py")
    assert not app.exception, app.exception
    assert i18n.translate("public.data.title", "es") in [h.value for h in app.subheader]
    assert not [b for b in app.get("download_button") if b.proto.id.endswith("-data.public_download")]
    app.button(key="data.public_prepare").click().run()
    assert not app.exception, app.exception
    labels = [b.proto.label for b in app.get("download_button")]
    assert i18n.translate("public.data.download", "es") in labels
    _, data, files = app.session_state["data.public_edition"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
    assert {f"conexion_publica/{f}" for f in EXPECTED_FILES} == names and files == len(names)
