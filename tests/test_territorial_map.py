"""The territorial map page headless (AppTest) and its pure functions, checked against plain pandas."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import i18n
from indicators import map_views
from indicators.map_views import MapView
from charts.maps import hidden_tooltip, map_text_labels
from charts.style import NO_DATA_COLOUR, hex_to_rgba
from publication.protection import PUBLISHED
from publication.published import hidden_of
from tests.conftest import ROOT, SAMPLE
from tests.reference_figures import published_fate
from tests.tables import shown as shown_cells

APP = str(ROOT / "dashboard.py")
PAGE = "pages/territorial_map.py"
START, END = pd.Timestamp("2023-01-01"), pd.Timestamp("2024-12-31")


# --- an independent oracle: plain pandas over the sample CSV files ------------------------------

def _served() -> pd.DataFrame:
    """Participants with at least one participation overlapping 2023–2024 (distinct people)."""
    people = pd.read_csv(SAMPLE / "participants.csv", dtype=str, keep_default_na=False)
    parts = pd.read_csv(SAMPLE / "participations.csv", dtype=str, keep_default_na=False)
    start = pd.to_datetime(parts["start_date"])
    end = pd.to_datetime(parts["end_date"].replace("", None)).fillna(start)
    active = set(parts[(start <= END) & (end >= START)]["participant_id"])
    return people[people["participant_id"].isin(active)]


def served_by(column: str, country: str = "GTM") -> dict[str, int]:
    served = _served()
    return served[served["country"] == country].groupby(column)["participant_id"].nunique().to_dict()


def women_share_by_department(country: str = "GTM") -> dict[str, float]:
    served = _served()
    served = served[served["country"] == country]
    return (served.groupby("department_code")["sex"].apply(lambda s: (s == "female").mean())).to_dict()


# --- AppTest helpers -------------------------------------------------------------------------------

def _open(view: MapView | None = None, query: dict | None = None) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=120)
    app.session_state["authentication_status"] = True
    app.session_state["username"] = "liderazgo"
    app.run()
    for key, value in (query or {}).items():
        app.query_params[key] = value
    if view is not None:
        app.session_state["tmap.view"] = view
    app.switch_page(PAGE).run()
    assert not app.exception, app.exception
    return app


def _deck(app: AppTest) -> dict:
    return json.loads(app.get("deck_gl_json_chart")[0].proto.json)


def _feature_list(app: AppTest) -> list[dict]:
    layer = next(layer for layer in _deck(app)["layers"] if layer.get("id") == "units")
    return [f["properties"] for f in layer["data"]["features"]]


def _features(app: AppTest) -> dict[str, dict]:
    """Properties by unit code (one country on the map)."""
    return {p["code"]: p for p in _feature_list(app)}


def _table(app: AppTest) -> pd.DataFrame:
    return shown_cells(app.dataframe[-1])


def _metric(app: AppTest) -> str:
    return app.metric[0].value


# --- the page ----------------------------------------------------------------------------------------

def test_region_view_draws_every_department_offline(fresh_caches):
    app = _open()
    assert app.title[0].value == "Mapa territorial"
    deck = _deck(app)
    assert "mapProvider" not in deck
    assert [layer["id"] for layer in deck["layers"]][:2] == ["outlines", "units"]
    assert {p["country"] for p in _feature_list(app)} == {"GTM", "BOL", "PER", "COL"}
    assert app.info[0].value == i18n.translate("tmap.panel.hint", "es")  # nothing selected yet


def test_guatemalan_departments_match_plain_pandas(fresh_caches):
    app = _open()
    app.selectbox(key="tmap.country").set_value("GTM").run()
    expected = served_by("department_code")
    features = _features(app)
    assert len(features) == 22
    published = {code: p for code, p in features.items() if p["state"] == "value"}
    assert len(published) >= 5
    for code, props in published.items():
        assert props["value_label"] == i18n.format_number(expected[code], "es"), code
    for code, props in features.items():
        if props["state"] == "no_data":
            assert expected.get(code, 0) == 0
        if props["state"] == "suppressed":
            assert props["rank_label"] == "–"
    table = _table(app)
    value_column = i18n.translate("indicator.people_served.label", "es")
    by_code = dict(zip(table["Código"], table[value_column]))
    for code in published:
        assert by_code[code] == i18n.format_number(expected[code], "es")
    # A published unit has its rank; a hidden one has none, and its rank reads as not published (as in its files).
    hidden = table[value_column].isin(i18n.hidden_marks())
    assert (table.loc[hidden, "Posición"] == i18n.hidden_mark(i18n.WITHHELD, "es")).all()
    ranks = [int(r) for r in table.loc[~hidden, "Posición"]]
    assert ranks == sorted(ranks) and ranks[0] == 1
    assert app.query_params["pais"] == "GTM"


def test_municipal_level_and_payload(fresh_caches):
    app = _open(MapView("people_served", "GTM"))
    app.radio(key="tmap.level").set_value("municipality").run()
    features = _features(app)
    assert len(features) == 340
    expected = served_by("municipality_code")
    for code, props in features.items():
        if props["state"] == "value":
            assert props["value_label"] == i18n.format_number(expected[code], "es"), code
        if props["state"] == "suppressed":  # its kind of hidden, the same as the family's fate of the cell
            fate = published_fate("people_served", "2023-01-01", "2024-12-31", ("GTM", "municipality", code))
            assert props["value_label"] == hidden_tooltip(map_text_labels("es"), hidden_of(fate)), code
    deck = _deck(app)
    markers = [layer for layer in deck["layers"] if layer["id"] == "protected_markers"]
    suppressed = [p for p in features.values() if p["state"] == "suppressed"]
    assert len(markers[0]["data"] if markers else []) == len(suppressed)
    size = len(app.get("deck_gl_json_chart")[0].proto.json)
    print(f"GTM municipal deck JSON: {size} bytes")
    assert size < 600_000


def test_colombia_maps_at_department_level_only(fresh_caches):
    app = _open(MapView("people_served", "COL", "municipality"))
    assert app.radio(key="tmap.level").options == ["Departamento"]
    assert {p["country"] for p in _features(app).values()} == {"COL"}


def test_click_on_a_department_drills_down_and_breadcrumb_goes_back(fresh_caches):
    app = _open(MapView("people_served", "GTM"))
    huehuetenango = _features(app)["13"]
    # what the map's click callback does with the picked feature
    app.session_state["tmap.view"] = map_views.select_unit(app.session_state["tmap.view"], huehuetenango)
    app.run()
    assert not app.exception
    features = _features(app)
    assert {p["department_code"] for p in features.values()} == {"13"}
    assert len(features) == 33
    assert app.subheader[0].value == "Huehuetenango"
    assert _metric(app) == i18n.format_number(served_by("department_code")["13"], "es")
    assert app.query_params["departamento"] == "13"
    assert app.radio(key="tmap.level").value == "municipality"  # the selector says what the map draws
    crumbs = [b.label for b in app.button if b.key.startswith("tmap.crumb")]
    assert crumbs == ["Región", "Guatemala"]
    next(b for b in app.button if b.key == "tmap.crumb.GTM").click().run()
    assert app.session_state["tmap.view"].department is None
    assert len(_features(app)) == 22
    assert "departamento" not in app.query_params
    next(b for b in app.button if b.key == "tmap.crumb.region").click().run()
    assert app.session_state["tmap.view"].country is None


def test_the_level_selector_goes_back_up_from_a_drilled_department(fresh_caches):
    app = _open(MapView("people_served", "GTM", "department", "13"))
    assert app.radio(key="tmap.level").value == "municipality"
    app.radio(key="tmap.level").set_value("department").run()
    view = app.session_state["tmap.view"]
    assert (view.department, view.map_level) == (None, "department") and len(_features(app)) == 22


def test_a_unit_without_data_reads_as_a_sentence_not_a_blank_map(fresh_caches):
    app = _open(MapView("people_served", "GTM", "department", "99"))
    assert not app.exception
    assert not app.get("deck_gl_json_chart") and not app.dataframe
    sentence = i18n.translate("tmap.empty", "es", place="99",
                              indicator=i18n.translate("indicator.people_served.label", "es"))
    assert [i.value for i in app.info] == [sentence]


def test_the_table_sorts_values_as_numbers_and_shows_them_formatted(fresh_caches):
    app = _open(MapView("people_served", "GTM"))
    column = i18n.translate("indicator.people_served.label", "es")
    numbers, shown = app.dataframe[-1].value[column], _table(app)[column]
    assert numbers.dtype == "float64"  # numbers underneath: 14 sorts before 104, and aligns right
    for number, text in zip(numbers, shown):
        assert text == (i18n.format_number(number, "es") if number == number else text)
        assert number == number or text in i18n.hidden_marks()


def test_selected_municipality_panel_by_sex_and_age(fresh_caches):
    served = _served()
    gtm = served[served["country"] == "GTM"]
    counts = gtm.groupby("municipality_code")["participant_id"].nunique()
    code = counts.idxmax()
    app = _open(MapView("people_served", "GTM", "department", code[:2], code))
    assert _metric(app) == i18n.format_number(counts[code], "es")
    table = shown_cells(app.dataframe[0])
    women = (gtm["municipality_code"] == code) & (gtm["sex"] == "female")
    marks = {i18n.hidden_mark(kind, "es") for kind in i18n.HIDDEN_KINDS}
    shown = [v for v in table.loc["Mujeres"] if v not in marks]
    if not marks & set(table.loc["Mujeres"]):
        assert sum(int(v) for v in shown) == int(women.sum())
    assert any(c.value == i18n.translate("tmap.panel.total", "es", total=i18n.format_number(counts[code], "es"))
               for c in app.caption)


def test_deep_link_reproduces_the_view(fresh_caches):
    app = _open(query={"pais": "GTM", "departamento": "13", "unidad": "1301"})
    view = app.session_state["tmap.view"]
    assert (view.country, view.department, view.selected, view.map_level) == ("GTM", "13", "1301", "municipality")
    assert app.subheader[0].value == "Huehuetenango"
    assert _features(app)["1301"]["line"] == [224, 122, 31, 255]  # the selected unit is outlined
    assert _metric(app) == i18n.format_number(served_by("municipality_code")["1301"], "es")


def test_women_share_is_a_percentage_of_the_same_people(fresh_caches):
    app = _open(MapView("people_served", "GTM"))
    app.selectbox(key="tmap.indicator").set_value("women_share").run()
    expected = women_share_by_department()
    features = _features(app)
    for code, share in expected.items():
        # published only where the family publishes both its numerator (women) and its denominator
        parts = [published_fate("people_served", "2023-01-01", "2024-12-31", ("GTM", "department", code), population)
                 for population in ((("sex", "female"),), ())]
        if parts == [PUBLISHED, PUBLISHED]:
            assert features[code]["value_label"] == i18n.format_share(share, "es"), code
        else:
            assert features[code]["state"] == "suppressed", code
            assert features[code]["value_label"] in {hidden_tooltip(map_text_labels("es"), kind)
                                                     for kind in (i18n.PROTECTING, i18n.WITHHELD)}, code


def test_english_page(fresh_caches):
    app = _open(MapView("people_sensitized", "BOL", "municipality"))
    # the language switch's state (AppTest re-formats widget options in Spanish outside a run, so the
    # English page can be run once, not rerun)
    app.session_state["language"] = "en"
    app.run()
    assert app.title[0].value == "Territorial map"
    assert {p["country"] for p in _features(app).values()} == {"BOL"}
    assert [b.proto.label for b in app.get("download_button")] == ["PNG image", "SVG image", "CSV", "Excel"]


def test_sidebar_filter_changes_the_map(fresh_caches):
    app = _open(MapView("people_served", "GTM"))
    before = _features(app)["13"]["value_label"]
    app.sidebar.multiselect[2].select("female").run()
    after = _features(app)["13"]["value_label"]
    served = _served()
    women = served[(served["country"] == "GTM") & (served["department_code"] == "13") & (served["sex"] == "female")]
    fate = published_fate("people_served", "2023-01-01", "2024-12-31", ("GTM", "department", "13"), (("sex", "female"),))
    shown = i18n.format_number(women["participant_id"].nunique(), "es") if fate == PUBLISHED else \
        hidden_tooltip(map_text_labels("es"), hidden_of(fate))  # the family withholds it in the sample data
    assert after == shown != before


# --- pure functions ------------------------------------------------------------------------------------

def test_every_registry_indicator_with_territory_is_offered():
    assert set(map_views.territorial_indicators()) == {
        "people_served", "women_share", "youth_share", "miska_participants", "miska_employed",
        "miska_enterprises", "agents_trained", "people_sensitized"}


@pytest.mark.parametrize("country, levels", [
    (None, ("department",)), ("GTM", ("department", "municipality")), ("BOL", ("department", "municipality")),
    ("PER", ("department", "municipality")), ("COL", ("department",)),
])
def test_levels_for(country, levels):
    assert map_views.levels_for(country) == levels


@pytest.mark.parametrize("view, query", [
    (MapView(), {}),
    (MapView("women_share", "GTM", "municipality"), {"indicador": "women_share", "pais": "GTM", "nivel": "municipality"}),
    (MapView("people_served", "GTM", "department", "13", "1301"), {"pais": "GTM", "departamento": "13", "unidad": "1301"}),
])
def test_view_and_link_round_trip(view, query):
    assert map_views.view_to_query(view) == query
    assert map_views.view_from_query(query) == view


@pytest.mark.parametrize("query, expected", [
    ({"pais": "xx"}, MapView()),
    ({"pais": "col", "nivel": "municipality"}, MapView(country="COL")),
    ({"indicador": "nope", "departamento": "13"}, MapView()),
])
def test_bad_links_fall_back_to_defaults(query, expected):
    assert map_views.view_from_query(query) == expected


def test_map_level_and_breadcrumb():
    drilled = MapView("people_served", "GTM", "department", "13", "1301")
    assert drilled.map_level == "municipality"
    assert MapView(country="COL", department="54").map_level == "department"
    parts = map_views.breadcrumb(drilled)
    assert [p for p, _ in parts] == ["region", "GTM", "department:13", "unit:1301"]
    assert parts[1][1] == MapView("people_served", "GTM", "department")
    assert parts[-1][1] is None


def test_select_unit_drills_departments_and_selects_municipalities():
    region = MapView()
    drilled = map_views.select_unit(region, {"country": "BOL", "code": "02"})
    assert drilled == MapView(country="BOL", department="02")
    assert map_views.select_unit(drilled, {"country": "BOL", "code": "020101"}).selected == "020101"


def _named(values, suppressed):
    return pd.DataFrame({"country": "GTM", "code": [f"0{i}" for i in range(1, len(values) + 1)],
                         "name": list("ABCDE")[:len(values)], "department_name": "D",
                         "value": pd.array(values, dtype="Int64"), "suppressed": suppressed})


def test_ranks_skip_protected_units_and_share_ties():
    ranked = map_views.with_ranks(_named([10, None, 10, 0, 7], [False, True, False, False, False]))
    assert ranked["rank"].to_list() == [1, pd.NA, 1, 4, 3]


def test_parent_protection_hides_every_child():
    named = map_views.protected_by_parent(_named([10, 7], [False, False]), True)
    assert named["suppressed"].to_list() == [True, True] and named["value"].isna().all()


def test_export_table_marks_protected_cells_and_has_a_bom():
    from exports.tables import csv_bytes

    ranked = map_views.with_ranks(_named([10, None, 0], [False, True, False]).assign(hidden=[None, i18n.SMALL, None]))
    table = map_views.table_frame(ranked, share=False)
    expected = pd.DataFrame({"country": ["GTM"] * 3, "department_name": ["D"] * 3, "code": ["01", "03", "02"],
                             "name": ["A", "C", "B"], "value": pd.array([10, 0, None], dtype="Int64"),
                             "rank": pd.array([1, 2, None], dtype="Int64")})
    pd.testing.assert_frame_equal(table, expected)
    assert table.attrs["hidden"] == {"value": [None, None, i18n.SMALL]}  # the kinds follow the table's order
    headers = {"country": "País", "department_name": "Departamento", "code": "Código", "name": "Unidad",
               "value": "Personas", "rank": "Posición"}
    data = csv_bytes(table, "es", headers=headers)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines() == [
        "País,Departamento,Código,Unidad,Personas,Posición", "GTM,D,01,A,10,1", "GTM,D,03,C,0,2", "GTM,D,02,B,menos de 5,no publicada"]


def test_share_legend_ranges_are_percentages():
    from charts.maps import legend_items

    labels = {"zero": "Cero", "suppressed": "· protegido", "no_data": "sin datos"}
    values = pd.Series([0.2, 0.4, 0.6, 0.8, 1.0, 0.0, None], dtype="Float64")
    items = legend_items(values, [0.2, 0.4, 0.6, 0.8, 1.0], lambda v: i18n.format_share(v, "es"), labels)
    assert [i.label for i in items] == ["20,0\xa0%", "40,0\xa0%", "60,0\xa0%", "80,0\xa0%", "100,0\xa0%",
                                        "Cero", "· protegido", "sin datos"]
    assert items[-1].colour == NO_DATA_COLOUR  # no data: the white drawn (outlined), not the grey base


def test_three_states_are_drawn_apart_and_protected_units_are_marked():
    from charts import map_details

    geojson = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": f"GTM-0{i}", "geometry": None,
         "properties": {"country": "GTM", "code": f"0{i}", "name": n, "department_name": n}}
        for i, n in enumerate(["A", "B", "C", "D"], start=1)]}
    named = map_views.with_ranks(_named([10, None, 0], [False, True, False]).assign(hidden=[None, i18n.SMALL, None]))
    labels = map_text_labels("es")
    features = map_details.unit_features(geojson, named, [10.0], labels, str, selected="01")
    props = {f["properties"]["code"]: f["properties"] for f in features["features"]}
    assert [props[c]["state"] for c in ("01", "02", "03", "04")] == ["value", "suppressed", "zero", "no_data"]
    assert props["02"]["value_label"] == "«menos de 5»: " + i18n.hidden_reason(i18n.SMALL, "es")
    assert props["04"]["value_label"] == labels["tooltip_no_data"]
    fills = {props[c]["fill"][:3].__repr__() for c in ("01", "02", "03")}
    assert len(fills) == 3 and props["04"]["fill"] == hex_to_rgba(NO_DATA_COLOUR)  # no data: white, outlined
    assert props["01"]["line"] == map_details.SELECTED_LINE
    centroids = pd.DataFrame({"country": "GTM", "code": ["01", "02", "03", "04"], "lon": [1.0, 2, 3, 4],
                              "lat": [5.0, 6, 7, 8]})
    assert map_details.protected_markers(features, centroids) == [{"position": [2.0, 6.0], "text": "·"}]
