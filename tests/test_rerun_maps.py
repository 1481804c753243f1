"""A rerun with the same inputs sends the same maps (issue 15): byte-identical deck JSON, layer ids included,
so Streamlit replaces the element by a reference to the browser's cached copy instead of resending it.

pydeck gives a layer without an id a new uuid4 on every run; charts.maps.CompactDeck names such layers
by position and type.
"""

from __future__ import annotations

import json
import uuid

import pydeck as pdk
import pytest

from charts.maps import CompactDeck
from tests.signed_in import run_dashboard


def _decks(app) -> list[str]:
    return [deck.proto.json for deck in app.get("deck_gl_json_chart")]


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/prevention_network.py"])
def test_a_rerun_sends_the_same_deck_json(fresh_caches, page):
    app = run_dashboard("liderazgo", page=page)
    assert not app.exception, app.exception
    first = _decks(app)
    assert first, "the page draws a map"
    app.run()
    assert not app.exception, app.exception
    assert _decks(app) == first
    for deck in first:
        ids = [layer["id"] for layer in json.loads(deck)["layers"]]
        assert len(set(ids)) == len(ids)
        for layer_id in ids:  # none of them pydeck's random uuid4
            with pytest.raises(ValueError):
                uuid.UUID(layer_id)


def test_the_municipal_locator_is_the_same_on_a_rerun(fresh_caches):
    app = run_dashboard("liderazgo", page="pages/my_municipality.py", query={"municipio": "0101", "pais": "GTM"})
    assert not app.exception, app.exception
    first = _decks(app)
    assert len(first) == 1
    app.run()
    assert _decks(app) == first


def test_layers_keep_an_id_given_to_them_and_get_a_stable_one_otherwise():
    deck = CompactDeck(layers=[pdk.Layer("GeoJsonLayer", {"type": "FeatureCollection", "features": []}, id="units"),
                               pdk.Layer("TextLayer", [])], map_provider=None)
    again = CompactDeck(layers=[pdk.Layer("GeoJsonLayer", {"type": "FeatureCollection", "features": []}, id="units"),
                                pdk.Layer("TextLayer", [])], map_provider=None)
    assert [layer["id"] for layer in json.loads(deck.to_json())["layers"]] == ["units", "1-TextLayer"]
    assert deck.to_json() == again.to_json()
