"""Headline sentences: rounding down as the organisation reports, and no claim built on a hidden figure."""

import pandas as pd
import pytest

from indicators.headlines import Peak, Quantity, largest, peak, reported_quantity, share_of
from tests.tables import shown as shown_cells


@pytest.mark.parametrize("count, expected", [
    (1470, Quantity(1400, True)), (1550, Quantity(1500, True)), (1400, Quantity(1400, False)),
    (532, Quantity(530, True)), (136, Quantity(130, True)), (46, Quantity(40, True)), (40, Quantity(40, False)),
    (9, Quantity(9, False)), (0, Quantity(0, False)),
])
def test_reported_quantity_rounds_down(count, expected):
    assert reported_quantity(count) == expected
    assert reported_quantity(count).value <= count


def _frame(values, suppressed=None):
    return pd.DataFrame({"country": ["GTM", "BOL", "COL"], "profile": ["a", "a", "b"],
                         "value": pd.array(values, dtype="Int64"),
                         "suppressed": suppressed or [v is None for v in values]})


def test_largest_and_share_need_every_cell_published():
    frame = _frame([60, 30, 10])
    assert largest(frame, "country") == ("GTM", 60, 0.6)
    assert share_of(frame, "profile", "b") == pytest.approx(0.1)
    hidden = _frame([60, None, 10])
    assert largest(hidden, "country") is None
    assert share_of(hidden, "profile", "b") is None


def test_peak_says_when_hidden_cells_could_be_larger():
    assert peak(_frame([60, 30, 10]), "country") == Peak("GTM", 60, False)
    assert peak(_frame([None, 30, 10]), "country") == Peak("BOL", 30, True)
    assert peak(_frame([0, 0, 0]), "country") is None


@pytest.mark.parametrize("lang, template", [
    ("es", "Más de {n} personas atendidas directamente en 2023–2024"),
    ("en", "More than {n} people served directly in 2023–2024"),
])
def test_overview_says_the_reported_figure_in_a_sentence(fresh_caches, lang, template):
    from i18n import format_number
    from tests.conftest import SAMPLE
    from tests.reference_figures import headline_figures
    from tests.signed_in import run_dashboard

    served = headline_figures(SAMPLE)["people_served"]
    rounded = served // 100 * 100
    assert rounded < served  # the sample is not a round number, so "more than" is right
    app = run_dashboard("liderazgo", lang=lang)
    sentences = [m.value for m in app.markdown if 'data-testid="chart-headline"' in m.value]
    assert len(sentences) == 5  # one per view: headline figures, two charts, trend, map
    assert template.format(n=format_number(rounded, lang)) in sentences[0]


def test_peak_of_shares_compares_fractions():
    frame = pd.DataFrame({"name": ["A", "B"], "value": pd.array([0.4, 0.857], dtype="Float64"), "suppressed": [False, False]})
    assert peak(frame, "name") == Peak("B", 0.857, False)


def test_territorial_map_sentence_names_the_top_unit(fresh_caches):
    from tests.signed_in import run_dashboard

    app = run_dashboard("liderazgo", page="pages/territorial_map.py")
    table = shown_cells(app.dataframe[0])
    first = table[table["Posición"].astype(str) == "1"].iloc[0]
    sentences = [m.value for m in app.markdown if 'data-testid="chart-headline"' in m.value]
    assert len(sentences) == 1
    assert f"{first['Unidad']} es el departamento con la cifra más alta" in sentences[0]
    assert f": {first['Personas atendidas directamente']}" in sentences[0]
