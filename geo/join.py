"""Joining values to territorial units by code, reporting the codes that match nothing on either side.

Every unit is kept; a unit without values keeps NaN ("no presence"), which maps must
show apart from zero. Value codes matching no unit are returned, never silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from geo.codes import unit_id

UNIT_CODE = "code"
COUNTRY = "country"


@dataclass
class JoinResult:
    """Units with their values, and what did not match."""

    frame: pd.DataFrame
    unmatched_value_codes: list[str] = field(default_factory=list)
    units_without_values: list[str] = field(default_factory=list)


def join_by_code(units: pd.DataFrame, values: pd.DataFrame, code_column: str = "code") -> JoinResult:
    """Left join of `values` (one row per code, in `code_column`) onto `units` (column `code`).

    When both frames have a `country` column the key is (country, code), because
    department codes repeat between countries; unmatched codes are then 'BOL-020804'.
    Codes must already be normalised strings (geo.codes.normalise_code).
    """
    if code_column != UNIT_CODE and UNIT_CODE in values:
        raise ValueError(f"values has both {code_column!r} and {UNIT_CODE!r} columns")
    values = values.rename(columns={code_column: UNIT_CODE})
    keys = [COUNTRY, UNIT_CODE] if COUNTRY in units and COUNTRY in values else [UNIT_CODE]
    _check_frames(units, values, keys)
    merged = units.merge(values, on=keys, how="left", validate="one_to_one", indicator="_match")
    frame = merged.drop(columns="_match")
    unmatched = values.merge(units[keys], on=keys, how="left", indicator="_match")
    return JoinResult(
        frame=frame,
        unmatched_value_codes=sorted(_labels(unmatched[unmatched["_match"] == "left_only"], keys)),
        units_without_values=sorted(_labels(merged[merged["_match"] == "left_only"], keys)),
    )


def _check_frames(units: pd.DataFrame, values: pd.DataFrame, keys: list[str]) -> None:
    """Refuse joins that would hide problems: missing, non-text or repeated keys, clashing columns."""
    for name, frame in (("units", units), ("values", values)):
        if UNIT_CODE not in frame:
            raise KeyError(f"{name} has no code column")
        codes = frame[UNIT_CODE]
        if codes.isna().any():
            raise ValueError(f"{name} has {int(codes.isna().sum())} rows without code")
        if not all(isinstance(code, str) for code in codes):
            raise TypeError(f"{name} codes must be strings; normalise them with geo.codes.normalise_code")
        repeated = frame[frame.duplicated(keys, keep=False)]
        if not repeated.empty:
            raise ValueError(f"{name} repeats codes: {sorted(set(_labels(repeated, keys)))}")
    clashing = (set(units.columns) & set(values.columns)) - set(keys)
    if clashing:
        raise ValueError(f"columns in both units and values: {sorted(clashing)}; rename them first")


def _labels(frame: pd.DataFrame, keys: list[str]) -> list[str]:
    if keys == [UNIT_CODE]:
        return list(frame[UNIT_CODE])
    return [unit_id(country, code) for country, code in zip(frame[COUNTRY], frame[UNIT_CODE])]
