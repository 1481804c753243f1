"""Indicator values per territorial unit, with the unit names, ready for maps and tables."""

from __future__ import annotations

import pandas as pd

from geo.units import territorial_units


def with_unit_names(frame: pd.DataFrame, level: str) -> pd.DataFrame:
    """Frame from a 'department' or 'municipality' breakdown -> country, code, name, department_name, value, suppressed,
    and hidden (the kind of each hidden value, `i18n.HIDDEN_KINDS`; None where the frame does not say).

    Codes that are not in the catalogue keep an empty name (reported by the loaders, never dropped here).
    """
    code_column = f"{level}_code"
    units = territorial_units()
    units = units[units["level"] == level][["country", "code", "name", "department_name"]]
    values = frame.rename(columns={code_column: "code"})
    if "hidden" not in values:
        values = values.assign(hidden=pd.Series(None, index=values.index, dtype=object))
    keep = ["country", "code", "value", "suppressed", "hidden"]
    named = values[keep].merge(units, on=["country", "code"], how="left", validate="one_to_one")
    named[["name", "department_name"]] = named[["name", "department_name"]].fillna("")
    return named[["country", "code", "name", "department_name", "value", "suppressed", "hidden"]]
