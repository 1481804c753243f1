"""Turn text cells into typed values (whole numbers, numbers, yes/no, dates, category codes).

Each parser works on one column (index = spreadsheet row), parses each distinct text once,
reports every cell it cannot read, and leaves that cell empty so later checks skip it.
Dates are accepted as ISO (yyyy-mm-dd, with or without time) or day first (dd/mm/yyyy).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from data_loaders.report import Report
from data_loaders.text import key
from data_loaders.vocabulary import parse_boolean

_ISO_DATE = re.compile(
    r"^(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
_DAY_FIRST_DATE = re.compile(r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})$")
_INTEGER = re.compile(r"^[+-]?\d+(?:\.0*)?$")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?$")

# Excel stores dates as day numbers counted from 1899-12-30; a date cell that lost its
# format shows one (45356 = 2024-03-05). Numbers of the years 2000-2049 are recognised.
_EXCEL_SERIAL = re.compile(r"^\d{5}(?:\.0+)?$")
EXCEL_EPOCH = dt.date(1899, 12, 30)
_EXCEL_SERIAL_RANGE = (36526, 54788)

# A parser returns (value, None), or (None, message code), or (params, message code) when the
# message needs values of its own cell.
Parsed = tuple[object, str | None]


def _parse_column(series: pd.Series, column: str, report: Report,
                  parse: Callable[[str], Parsed], **params) -> dict[str, object]:
    """Parse each distinct text once; report failing cells; text -> value for the good ones."""
    present = series.dropna()
    results = {text: parse(text) for text in present.unique()}
    failing = {text for text, (_, code) in results.items() if code is not None}
    if failing:
        for row, text in present[present.isin(failing)].items():
            own, code = results[text]
            report.error(int(row), column, text, code, **params, **(own if isinstance(own, dict) else {}))
    return {text: value for text, (value, code) in results.items() if code is None}


def _integer(text: str) -> Parsed:
    return (int(text.split(".")[0]), None) if _INTEGER.match(text) else (None, "not_integer")


def _number(text: str) -> Parsed:
    if not _NUMBER.match(text):
        return None, "not_number"
    return float(text.replace(",", ".")), None


def _boolean(text: str) -> Parsed:
    value = parse_boolean(text)
    return (value, None) if value is not None else (None, "not_boolean")


def parse_integers(series: pd.Series, column: str, report: Report) -> pd.Series:
    """Whole numbers: int64, or float64 with NaN where cells are empty or unreadable."""
    values = series.map(_parse_column(series, column, report, _integer))
    values = values.astype("float64")
    return values.astype("int64") if values.notna().all() else values


def parse_numbers(series: pd.Series, column: str, report: Report) -> pd.Series:
    """Decimal numbers (point or comma as decimal mark): float64, NaN where empty or unreadable."""
    return series.map(_parse_column(series, column, report, _number)).astype("float64")


def parse_booleans(series: pd.Series, column: str, report: Report) -> pd.Series:
    """Yes/no in Spanish or English, 1/0, true/false: bool, or object with NaN where missing."""
    values = series.map(_parse_column(series, column, report, _boolean))
    return values.astype(bool) if values.notna().all() else values.astype(object)


def parse_date_text(text: str) -> tuple[dt.date | None, str]:
    """(date, "iso" | "day_first") or (None, message code) for one cell."""
    for pattern, style in ((_ISO_DATE, "iso"), (_DAY_FIRST_DATE, "day_first")):
        match = pattern.match(text)
        if match:
            try:
                return dt.date(int(match["y"]), int(match["m"]), int(match["d"])), style
            except ValueError:
                return None, "impossible_date"
    return None, "invalid_date"


def _date(text: str) -> Parsed:
    value, style = parse_date_text(text)
    if value is not None:
        return (pd.Timestamp(value), style), None
    if _EXCEL_SERIAL.match(text) and _EXCEL_SERIAL_RANGE[0] <= float(text) <= _EXCEL_SERIAL_RANGE[1]:
        day = EXCEL_EPOCH + dt.timedelta(days=int(float(text)))
        return {"date": day.isoformat()}, "excel_serial_date"
    return None, style


def parse_dates(series: pd.Series, column: str, report: Report) -> pd.Series:
    """datetime64[ns] (NaT where empty or unreadable); day-first dates are reported as read so."""
    parsed = _parse_column(series, column, report, _date)
    day_first_texts = {text for text, (_, style) in parsed.items() if style == "day_first"}
    day_first = [int(row) for row in series.index[series.isin(day_first_texts)]]
    if day_first:
        report.fix(column, "date_day_first", day_first)
    values = series.map({text: stamp for text, (stamp, _) in parsed.items()})
    return pd.to_datetime(values).astype("datetime64[ns]")


def parse_categories(series: pd.Series, column: str, report: Report,
                     words: dict[str, str], shown: tuple[str, ...]) -> pd.Series:
    """Category codes from codes or Spanish words (`words`: folded word -> code); `shown` in messages."""
    def lookup(text: str) -> Parsed:
        code = words.get(key(text))
        return (code, None) if code is not None else (None, "unknown_category")

    values = series.map(_parse_column(series, column, report, lookup, allowed=list(shown)))
    return pd.Series(np.where(values.isna(), np.nan, values), index=series.index, dtype="str")
