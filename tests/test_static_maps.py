"""The exportable choropleth: the same fills and legend as the interactive map, no geo trace (offline)."""

import pandas as pd

from charts import maps
from charts.static_maps import choropleth_figure

SQUARE = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]


def _feature(code, dx):
    ring = [[x + dx, y] for x, y in SQUARE]
    return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": {"country": "GTM", "code": code, "name": code}}


def test_units_are_filled_with_their_class_colour_and_the_legend_follows():
    units = {"type": "FeatureCollection", "features": [_feature("01", 0), _feature("02", 2), _feature("03", 4)]}
    values = pd.DataFrame({"country": ["GTM"] * 3, "code": ["01", "02", "03"],
                           "value": pd.array([10, None, 0], dtype="Int64"), "suppressed": [False, True, False]})
    labels = maps.map_text_labels("es")
    classes = maps.classify(values["value"], str, labels)
    features = maps.coloured_features(units, values, classes.breaks, labels, str)
    legend = classes.legend
    figure = choropleth_figure(features, units, legend, "Personas")
    assert all(trace.type == "scatter" for trace in figure.data)
    fills = {trace.fillcolor for trace in figure.data if trace.fill == "toself"}
    assert "rgba(184,184,184,0.902)" in fills  # protected unit in the protected grey
    assert "rgba(221,211,192,0.922)" in fills  # zero in sand, apart from no data
    assert [t.name for t in figure.data if t.showlegend is not False] == [item.label for item in legend]
    assert figure.layout.xaxis.range[0] < 0 < 5 < figure.layout.xaxis.range[1]
