"""The catalogue of territorial units agrees with the boundary layers it lists."""

from __future__ import annotations

import pytest

from geo.boundaries import load_layer
from geo.units import BOUNDARY_LAYERS, has_layer, layer_countries, layer_file, territorial_units


def test_territorial_units_columns_and_counts():
    units = territorial_units()
    assert list(units.columns) == ["country", "level", "code", "name", "department_code", "department_name",
                                   "has_geometry"]
    counts = units.groupby(["country", "level"]).size().to_dict()
    assert counts == {("BOL", "department"): 9, ("BOL", "municipality"): 87, ("COL", "department"): 33,
                      ("COL", "municipality"): 6, ("GTM", "department"): 22, ("GTM", "municipality"): 340,
                      ("PER", "department"): 25, ("PER", "municipality"): 110}
    assert not units.duplicated(["country", "level", "code"]).any()
    assert units.loc[~units["has_geometry"], "country"].eq("COL").all()


@pytest.mark.parametrize(("country", "level", "file_name"), BOUNDARY_LAYERS)
def test_catalogue_matches_each_layer(country, level, file_name):
    units = territorial_units()
    catalogue = units[(units["country"] == country) & (units["level"] == level)]
    layer = load_layer(country, level)
    columns = ["code", "name", "department_code", "department_name"]
    assert catalogue[columns].values.tolist() == layer[columns].values.tolist()
    assert layer_file(country, level) == file_name


def test_layer_lookup():
    assert (has_layer("GTM", "municipality"), has_layer("COL", "municipality")) == (True, False)
    assert layer_countries("department") == ("GTM", "BOL", "PER", "COL")
    assert layer_countries("municipality") == ("GTM", "BOL", "PER")
    with pytest.raises(ValueError, match="No boundary layer for COL municipality; available: GTM department"):
        layer_file("COL", "municipality")
