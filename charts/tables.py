"""Indicator frames reshaped into readable tables (labels translated, numbers formatted)."""

from __future__ import annotations

import re
from functools import partial

import numpy as np
import pandas as pd
from babel.numbers import NumberFormatError, parse_decimal
from pandas.io.formats.style import Styler

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


# --- tables that sort as numbers ------------------------------------------------------------------
# st.dataframe sorts and aligns by the column's dtype: a column of formatted text ("1.234",
# "menos de 5") sorts as text (104 < 14) and aligns left. A Styler keeps each cell's text for
# display while the column underneath holds the numbers (hidden cells hold UNPUBLISHED_SORT_KEY).

_LEADING_ZERO = re.compile(r"^0\d")  # unit codes ("01", "0101") are names, not numbers

# What a hidden or empty cell holds underneath its text: st.dataframe draws a null cell as "None" whatever
# its display text says, so it holds a number no count can be, and sorts below every published figure.
UNPUBLISHED_SORT_KEY = -1.0


def parse_shown_number(text: object, lang: str) -> float | None:
    """The number a formatted cell reads ('1.234' in es, '65.3%' in en -> 65.3), None if it is not one."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return None if pd.isna(text) else float(text)
    if not isinstance(text, str):
        return None
    clean = text.replace("\xa0", "").replace("\u202f", "").replace(" ", "").removesuffix("%")
    if not clean or _LEADING_ZERO.match(clean.lstrip("-")) or not re.fullmatch(r"-?[\d.,]+", clean):
        return None
    try:
        return float(parse_decimal(clean, locale=lang, strict=True))
    except NumberFormatError:
        return None


def shown_numbers(shown: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The numeric columns of a formatted table: those whose every cell is a number, a hidden reading
    or empty ('–'), with at least one number. Other columns are left out."""
    blanks = i18n.hidden_marks() | {"–", "", "-"}
    numbers = {}
    for position, column in enumerate(shown.columns):
        cells = shown.iloc[:, position]
        parsed = [parse_shown_number(cell, lang) for cell in cells]
        readable = all(value is not None or (isinstance(cell, str) and cell.strip() in blanks) or _is_na(cell)
                       for value, cell in zip(parsed, cells))
        if readable and any(value is not None for value in parsed):
            numbers[column] = pd.Series([np.nan if v is None else v for v in parsed], index=shown.index,
                                        dtype="float64")
    return pd.DataFrame(numbers, index=shown.index)


def sortable(shown: pd.DataFrame, lang: str, numbers: pd.DataFrame | None = None) -> Styler:
    """A Styler for st.dataframe: numeric columns hold numbers (they sort as numbers and align right)
    and display the cell's text exactly as `shown` has it (the language's format, 'menos de 5' …).

    numbers: the raw figures by column name of `shown` (default: read back from the text).
    """
    numbers = shown_numbers(shown, lang) if numbers is None else numbers
    frame = shown.copy()
    numeric = [c for c in frame.columns if c in numbers.columns]
    for column in numeric:
        frame[column] = pd.to_numeric(pd.Series(numbers[column].to_numpy(), index=frame.index),
                                      errors="coerce").astype("float64").fillna(UNPUBLISHED_SORT_KEY)
    styler = frame.style
    positions = [frame.columns.get_loc(c) for c in numeric]
    texts = shown.astype(object).where(shown.notna(), "")
    for column_position in positions:
        for row_position in range(len(frame)):
            text = texts.iat[row_position, column_position]
            # Styler.format calls a formatter with the value only; the text depends on the cell
            # (two hidden cells are both NaN, with different readings), so set it per cell.
            styler._display_funcs[(row_position, column_position)] = partial(_constant, str(text))
    return _translated_once(styler)


def _translated_once(styler: Styler) -> Styler:
    """`styler`, its rendering worked out once: Streamlit translates a Styler on every run that shows it
    (and accepts only the Styler class itself, not a subclass), and a table shared across runs (ui.memo)
    always translates to the same cells."""
    translate, held = styler._translate, {}

    def once(*args, **kwargs):
        key = (args, tuple(sorted(kwargs.items())))
        if key not in held:
            held[key] = translate(*args, **kwargs)
        return held[key]

    styler._translate = once
    return styler


def _constant(text: str, _value: object) -> str:
    return text


def _is_na(cell: object) -> bool:
    return cell is None or (not isinstance(cell, str) and bool(pd.isna(cell)))
