"""Every page run headless with AppTest, asserting the figures a reader sees."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

import i18n
from indicators.registry import HEADLINE_INDICATORS
from tests.conftest import SAMPLE
from tests.reference_figures import headline_figures
from tests.signed_in import run_dashboard


def _run(lang: str | None = None, username: str = "liderazgo") -> AppTest:
    return run_dashboard(username, lang=lang)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_overview_headline_figures_match_the_data(fresh_caches, lang):
    app = _run(lang)
    assert not app.exception, app.exception
    expected = headline_figures(SAMPLE)
    shown = {m.label: m.value for m in app.metric}
    for indicator_id in HEADLINE_INDICATORS:
        label = i18n.translate(f"indicator.{indicator_id}.label", lang)
        assert shown[label] == i18n.format_number(expected[indicator_id], lang), indicator_id
    assert app.title[0].value == i18n.translate("overview.title", lang)


def test_overview_meets_the_programme_reported_figures(fresh_caches):
    figures = headline_figures(SAMPLE)
    assert figures["people_served"] > 1400
    assert figures["miska_participants"] > 124
    assert figures["miska_employed"] > 40
    assert 24 <= figures["miska_enterprises"] <= 60
    assert figures["agents_trained"] > 500
    assert 1500 <= figures["people_sensitized"] <= 1600


def test_overview_charts_and_offline_map(fresh_caches):
    app = _run()
    charts = app.get("plotly_chart")
    assert len(charts) == 3
    pyramid = json.loads(charts[1].proto.spec)
    assert {trace["name"] for trace in pyramid["data"]} == {"Mujeres", "Hombres"}
    deck = json.loads(app.get("deck_gl_json_chart")[0].proto.json)
    assert "mapProvider" not in deck  # map_provider=None: no basemap tiles are requested
    assert len(app.get("deck_gl_json_chart")[0].proto.json) < 600_000  # compact: outlines + departments
    assert [layer["@@type"] for layer in deck["layers"]] == ["GeoJsonLayer", "GeoJsonLayer"]
    features = deck["layers"][1]["data"]["features"]
    huehuetenango = next(f for f in features if f["properties"]["country"] == "GTM" and f["properties"]["code"] == "13")
    assert huehuetenango["properties"]["value_label"] not in ("sin datos", "protegido")


def test_filter_by_sex_changes_the_figures(fresh_caches):
    app = _run()
    label = i18n.translate("indicator.people_served.label", "es")
    before = next(m.value for m in app.metric if m.label == label)
    app.sidebar.multiselect[2].select("female").run()
    after = next(m.value for m in app.metric if m.label == label)
    assert int(after.replace(".", "")) < int(before.replace(".", ""))


def test_english_switch_translates_the_page(fresh_caches):
    app = _run()
    app.sidebar.radio[0].set_value("en").run()
    assert app.title[0].value == "Regional overview"
    assert "People served directly" in [m.label for m in app.metric]
