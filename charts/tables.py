"""Indicator frames reshaped into readable tables (labels translated, numbers formatted)."""

from __future__ import annotations

import pandas as pd

import i18n


def shown_counts(frame: pd.DataFrame, lang: str) -> list[str]:
    """Each row's count as a person reads it: the number, or its kind of hidden ('menos de 5' …)."""
    kinds = frame["hidden"] if "hidden" in frame else [None] * len(frame)
    return [i18n.format_count(value, lang, kind) for value, kind in zip(frame["value"], kinds)]


def cross_table(frame: pd.DataFrame, rows: str, columns: str, lang: str, row_title: str,
                row_order: list[str], column_order: list[str]) -> pd.DataFrame:
    """Rows x columns of formatted counts; hidden cells read as their kind (`shown_counts`)."""
    wide = frame.assign(shown=shown_counts(frame, lang)).pivot(index=rows, columns=columns, values="shown")
    shown = wide.reindex(index=row_order, columns=column_order).fillna(i18n.hidden_mark(None, lang))
    shown.index = [i18n.translate(f"{_prefix(rows)}.{code}", lang) for code in shown.index]
    shown.columns = [i18n.translate(f"{_prefix(columns)}.{code}", lang) for code in shown.columns]
    shown.index.name = row_title
    return shown


def territory_table(frame: pd.DataFrame, lang: str, headers: dict[str, str]) -> pd.DataFrame:
    """Units with their formatted value, largest first; hidden values read as their kind (`shown_counts`)."""
    ordered = frame.assign(_sort=frame["value"].astype("Float64").fillna(-1)).sort_values("_sort", ascending=False)
    return pd.DataFrame({
        headers["country"]: [i18n.translate(f"country.{c}", lang) for c in ordered["country"]],
        headers["code"]: ordered["code"].to_list(),
        headers["name"]: ordered["name"].to_list(),
        headers["value"]: shown_counts(ordered, lang),
    })


def _prefix(dimension: str) -> str:
    return {"country": "country", "migration_profile": "migration_profile", "sex": "sex",
            "age_group": "age_group", "programme": "programme"}[dimension]
