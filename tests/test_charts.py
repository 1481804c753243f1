"""Chart helpers: map classes, legend ranges and the three states (no data, protected, zero)."""

import pandas as pd
import pytest

import i18n
from charts import maps
from charts.style import NO_DATA_COLOUR, SEQUENTIAL, SUPPRESSED_COLOUR, ZERO_COLOUR, hex_to_rgba

LABELS = maps.map_text_labels("es")


def fmt(value):
    return i18n.format_number(value, "es")


@pytest.mark.parametrize("values, expected", [
    ([0, None, 0], []),
    ([10, 10, 10], [10.0]),
    ([5, 6, 7, 8, 9, 10, 20, 30, 40, 1000], [6.0, 8.0, 10.0, 30.0, 1000.0]),
])
def test_class_breaks(values, expected):
    assert maps.class_breaks(pd.Series(values, dtype="Float64")) == expected


def test_legend_ranges_run_from_the_smallest_to_the_largest_value_drawn_and_list_the_special_states():
    values = pd.Series([5, 6, 30, 1000, 0, None], dtype="Float64")
    items = maps.legend_items(values, [6.0, 1000.0], fmt, LABELS)
    assert [(i.colour, i.label) for i in items] == [
        (SEQUENTIAL[-2], "5 – 6"), (SEQUENTIAL[-1], "30 – 1.000"),
        (ZERO_COLOUR, LABELS["zero"]), (SUPPRESSED_COLOUR, LABELS["suppressed"]), (NO_DATA_COLOUR, LABELS["no_data"]),
    ]


def test_features_show_three_distinct_states():
    geojson = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": None, "properties": {"country": "GTM", "code": c, "name": c}}
        for c in ("01", "02", "03", "04")]}
    values = pd.DataFrame({"country": ["GTM"] * 3, "code": ["01", "02", "03"],
                           "value": pd.array([0, pd.NA, 50], dtype="Int64"), "suppressed": [False, True, False],
                           "hidden": [None, i18n.SMALL, None]})
    coloured = maps.coloured_features(geojson, values, [50.0], LABELS, fmt)
    props = {f["properties"]["code"]: f["properties"] for f in coloured["features"]}
    assert props["01"]["fill"] == hex_to_rgba(ZERO_COLOUR, 235) and props["01"]["value_label"] == "0"
    assert props["02"]["fill"] == hex_to_rgba(SUPPRESSED_COLOUR, 230)
    assert props["02"]["value_label"] == LABELS["tooltip_small"] and "menos de 5" in props["02"]["value_label"]
    assert props["03"]["value_label"] == "50"
    assert props["04"]["fill"] == hex_to_rgba(NO_DATA_COLOUR) and props["04"]["value_label"] == LABELS["tooltip_no_data"]
    assert "fill" not in geojson["features"][0]["properties"]  # the cached payload is not modified


def test_deck_is_offline_and_compact():
    deck = maps.choropleth_deck({"type": "FeatureCollection", "features": []},
                                {"type": "FeatureCollection", "features": []},
                                {"latitude": 0, "longitude": 0, "zoom": 2}, "{name}")
    text = deck.to_json()
    assert "\n" not in text and "mapProvider" not in text and "carto" not in text.lower()


def test_a_profile_mix_is_drawn_only_where_a_level_publishes_every_profile():
    from charts.municipality import profile_mix_drawable

    def profiles(municipality: list[bool], department: list[bool]) -> pd.DataFrame:
        rows = [dict(level=level, migration_profile=p, value=pd.NA if hidden else 10, suppressed=hidden)
                for level, flags in (("municipality", municipality), ("department", department))
                for p, hidden in zip(("returnee", "settled"), flags)]
        return pd.DataFrame(rows)

    levels = ["municipality", "department"]
    assert not profile_mix_drawable(profiles([True, True], [False, True]), levels)  # San Pedro Necta's case
    assert profile_mix_drawable(profiles([True, True], [False, False]), levels)
    assert profile_mix_drawable(profiles([False, False], [True, True]), levels)


def test_a_hidden_pyramid_cell_reads_its_kind_on_its_own_side():
    from charts.overview import pyramid

    frame = pd.DataFrame({"sex": ["male", "female"], "age_group": ["15_24", "15_24"],
                          "value": pd.array([pd.NA, 404], dtype="Int64"), "suppressed": [True, False],
                          "hidden": [i18n.SMALL, None]})
    men, women = pyramid(frame, ["15_24"], "es").data
    assert men.x[0] < 0 and men.text[0] == "menos de 5"  # a hairline to the left, not under the women's bar
    assert women.x[0] == 404 and women.text[0] == "404"
