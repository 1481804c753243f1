"""Indicator frames reshaped into readable tables (labels translated, numbers formatted)."""

from __future__ import annotations

import pandas as pd

import i18n


def cross_table(frame: pd.DataFrame, rows: str, columns: str, lang: str, row_title: str,
                row_order: list[str], column_order: list[str]) -> pd.DataFrame:
    """Rows x columns of formatted counts; protected cells read '–'."""
    wide = frame.pivot(index=rows, columns=columns, values="value").reindex(index=row_order, columns=column_order)
    shown = wide.apply(lambda col: col.map(lambda v: i18n.format_count(v, lang)))
    shown.index = [i18n.translate(f"{_prefix(rows)}.{code}", lang) for code in shown.index]
    shown.columns = [i18n.translate(f"{_prefix(columns)}.{code}", lang) for code in shown.columns]
    shown.index.name = row_title
    return shown


def territory_table(frame: pd.DataFrame, lang: str, headers: dict[str, str]) -> pd.DataFrame:
    """Units with their formatted value, largest first; protected values read '–'."""
    ordered = frame.assign(_sort=frame["value"].astype("Float64").fillna(-1)).sort_values("_sort", ascending=False)
    return pd.DataFrame({
        headers["country"]: [i18n.translate(f"country.{c}", lang) for c in ordered["country"]],
        headers["code"]: ordered["code"].to_list(),
        headers["name"]: ordered["name"].to_list(),
        headers["value"]: [i18n.format_count(v, lang) for v in ordered["value"]],
    })


def _prefix(dimension: str) -> str:
    return {"country": "country", "migration_profile": "migration_profile", "sex": "sex",
            "age_group": "age_group", "programme": "programme"}[dimension]
