"""Indicator values per territorial unit, with the unit names, ready for maps and tables."""

from __future__ import annotations

import pandas as pd

from geo.units import territorial_units


def with_unit_names(frame: pd.DataFrame, level: str) -> pd.DataFrame:
    """Frame from a 'department' or 'municipality' breakdown -> country, code, name, department_name, value, suppressed.

    Codes that are not in the catalogue keep an empty name (reported by the loaders, never dropped here).
    """
    code_column = f"{level}_code"
    units = territorial_units()
    units = units[units["level"] == level][["country", "code", "name", "department_name"]]
    values = frame.rename(columns={code_column: "code"})
    keep = ["country", "code", "value", "suppressed"]
    named = values[keep].merge(units, on=["country", "code"], how="left", validate="one_to_one")
    named[["name", "department_name"]] = named[["name", "department_name"]].fillna("")
    return named[["country", "code", "name", "department_name", "value", "suppressed"]]
