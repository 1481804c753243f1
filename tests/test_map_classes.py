"""Map colours people can tell apart (also with protanopia and deuteranopia), one classification per
view, and tables whose numbers sort as numbers while reading as the language writes them."""

import pandas as pd
import pytest

import i18n
from charts import maps
from charts.style import (BASE_COLOUR, HOVER_COLOUR, NO_DATA_COLOUR, SEQUENTIAL, SUPPRESSED_COLOUR, ZERO_COLOUR)
from charts.tables import UNPUBLISHED_SORT_KEY, parse_shown_number, sortable
from charts.colour_vision import VISIONS, difference, lightness

STATES = {"zero": ZERO_COLOUR, "protected": SUPPRESSED_COLOUR, "no data": NO_DATA_COLOUR, "base": BASE_COLOUR}


@pytest.mark.parametrize("vision", VISIONS)
def test_classes_get_darker_step_by_step_and_stay_apart(vision):
    steps = [lightness(colour, vision) for colour in SEQUENTIAL]
    assert steps == sorted(steps, reverse=True)  # light to dark, also without red or green cones
    assert min(difference(a, b, vision) for a, b in zip(SEQUENTIAL, SEQUENTIAL[1:])) > 15


@pytest.mark.parametrize("vision", VISIONS)
def test_special_states_and_hover_never_read_as_a_class(vision):
    for name, colour in {**STATES, "hover": HOVER_COLOUR}.items():
        nearest = min(difference(colour, c, vision) for c in SEQUENTIAL)
        assert nearest > 15, (name, vision, nearest)
    assert difference(SEQUENTIAL[0], NO_DATA_COLOUR, vision) > 40  # the palest class is not "no data"
    for name, colour in STATES.items():
        assert difference(colour, HOVER_COLOUR, vision) > 30, name
    assert difference(ZERO_COLOUR, NO_DATA_COLOUR, vision) > 10
    assert difference(ZERO_COLOUR, SUPPRESSED_COLOUR, vision) > 10


def test_one_classification_gives_one_legend_for_the_same_values():
    values = pd.Series([3, 14, 15, 104, 240, 0, None], dtype="Int64")
    labels = maps.map_text_labels("es")
    first = maps.classify(values, "{:g}".format, labels)
    second = maps.classify(values.astype("Float64"), "{:g}".format, labels)  # the territorial map's dtype
    assert first == second and first.breaks == maps.class_breaks(values)
    assert [item.label for item in first.legend][:len(first.breaks)] == ["3", "14", "15", "104", "240"]


@pytest.mark.parametrize("text, lang, number", [
    ("1.234", "es", 1234.0), ("1,234", "en", 1234.0), ("65,3\xa0%", "es", 65.3), ("65.3%", "en", 65.3),
    ("14", "es", 14.0), ("menos de 5", "es", None), ("01", "es", None), ("Huehuetenango", "es", None),
])
def test_a_shown_cell_reads_back_as_its_number(text, lang, number):
    assert parse_shown_number(text, lang) == number


def test_sortable_keeps_the_text_and_puts_numbers_underneath():
    small = i18n.hidden_mark(i18n.SMALL, "es")
    shown = pd.DataFrame({"Código": ["01", "02", "03", "04"], "Personas": ["104", "14", small, "1.240"]})
    styler = sortable(shown, "es")
    assert styler.data["Código"].tolist() == ["01", "02", "03", "04"]  # codes stay text
    numbers = styler.data["Personas"]
    assert numbers.dtype == "float64" and numbers.sort_values().index.tolist() == [2, 1, 0, 3]  # hidden < 14 < 104 < 1.240
    html = styler.to_html()
    for text in ("104", "14", small, "1.240"):
        assert f">{text}</td>" in html
    assert ">1240" not in html and ">nan" not in html


def test_given_numbers_win_over_reading_the_text():
    shown = pd.DataFrame({"Proporción": ["65,3\xa0%", "oculta"]})
    styler = sortable(shown, "es", pd.DataFrame({"Proporción": [0.653, None]}))
    assert styler.data["Proporción"].tolist() == [0.653, UNPUBLISHED_SORT_KEY]  # never null: it would read "None"
    assert ">65,3\xa0%</td>" in styler.to_html() and ">oculta</td>" in styler.to_html()


def test_the_overview_map_frames_the_units_with_data_and_can_frame_one_country():
    from types import SimpleNamespace

    import geo.payload as payload
    from ui.maps import MAP_PIXELS, frame_options, framed_view

    region = SimpleNamespace(is_territorial=False, municipalities=())
    values = pd.DataFrame({"country": ["GTM", "GTM", "BOL"], "code": ["01", "13", "02"], "value": [10, 20, 30]})
    assert frame_options(values, region) == ["", "GTM", "BOL"]
    whole, guatemala = framed_view(values, region), framed_view(values, region, "GTM")
    assert whole["zoom"] > payload.view_state_for(None, "department", **MAP_PIXELS)["zoom"]  # not Colombia and Peru too
    assert guatemala == payload.view_state_for("GTM", "department", ["01", "13"], **MAP_PIXELS)
    assert guatemala["zoom"] > whole["zoom"] + 1.5  # Guatemala's departments get several times wider
