"""Turn text cells into typed values (whole numbers, numbers, yes/no, dates, category codes, ids).

Each parser works on one column (index = spreadsheet row), parses each distinct text once,
reports every cell it cannot read, and leaves that cell empty so later checks skip it.
Dates are read by `data_loaders.dates` (ISO, slash dates in the column's order, Excel day
numbers). Whole numbers may end in a decimal mark and zeros (`8,0`, `8.0`); a mark followed
by three digits (`1.234`, `1,234`) may be a thousands separator and is refused, never guessed.
Ids are written one way (`data_loaders.text.identifier`), each change reported.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from data_loaders import dates
from data_loaders.report import Report
from data_loaders.text import clean_code, key
from data_loaders.vocabulary import parse_boolean

_WHOLE = re.compile(r"^[+-]?\d+$")
_WITH_DECIMALS = re.compile(r"^(?P<whole>[+-]?\d+)[.,](?P<decimals>\d+)$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:(?P<sep>[.,])\d{3})(?:(?P=sep)\d{3})+$")  # 1.234.567
_PLAIN = r"[\x20-\x7e]*"  # printable ASCII: nothing invisible in an id, nothing to compose
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?$")

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
    """`8`, `8,0`, `8.00`; `8,5` has decimals; `1.234` and `1,234.567` may be thousands: refused."""
    if _WHOLE.match(text):
        return int(text), None
    grouped = _THOUSANDS.match(text)
    if grouped:
        return {"plain": re.sub(r"[.,]", "", text)}, "thousands_separator"
    match = _WITH_DECIMALS.match(text)
    if match is None:
        return None, "not_integer"
    if len(match["decimals"]) == 3:  # 1.234: a thousand and more, or one and a fraction?
        return {"plain": match["whole"] + match["decimals"]}, "thousands_separator"
    if match["decimals"].strip("0"):
        return None, "decimal_in_whole_number"
    return int(match["whole"]), None


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


def _date_reader(order: dates.DateOrder) -> Callable[[str], Parsed]:
    """A parser of one column's date cells: (Timestamp, style) or a message code.

    Styles: "iso", the column's order, "excel_serial", or "pending" (a slash date of a column
    whose order is a question: left empty until it is answered).
    """
    def read(text: str) -> Parsed:
        iso = dates.iso_date(text)
        if isinstance(iso, dt.date):
            return (pd.Timestamp(iso), "iso"), None
        if iso is not None:
            return None, iso
        slash = dates.slash_date(text)
        if slash is not None:
            if order.question:
                return (None, "pending"), None
            value = slash.read(order.order)
            if value is not None:
                return (pd.Timestamp(value), order.order), None
            if slash.proves not in (None, order.order):  # written in the other order
                return {"proof": order.proof}, f"date_not_{order.order}"
            return None, "impossible_date"
        serial = dates.excel_serial_date(text)
        if serial is not None:
            return (pd.Timestamp(serial), "excel_serial"), None
        return None, "invalid_date"

    return read


_STYLE_FIXES = {dates.DAY_FIRST: "date_day_first", dates.MONTH_FIRST: "date_month_first",
                "excel_serial": "excel_serial_read"}


def parse_dates(series: pd.Series, column: str, report: Report, chosen: str | None = None) -> pd.Series:
    """datetime64[ns] (NaT where empty, unreadable or waiting for the order's question).

    `chosen`: the order the person gave for this column ("day_first" / "month_first"), used when
    the file does not decide it. Slash dates and Excel day numbers are reported as read so.
    """
    present = series.dropna()
    order = dates.decide_order(present.unique(), chosen)
    parsed = _parse_column(series, column, report, _date_reader(order))
    styles = present.map({text: style for text, (_, style) in parsed.items()})
    rows_by_style = {style: [int(row) for row in rows] for style, rows in styles.groupby(styles).groups.items()}
    for style, code in _STYLE_FIXES.items():
        if style in rows_by_style:
            rows = rows_by_style[style]
            example = _excel_example(series[rows[0]], parsed) if style == "excel_serial" else {}
            report.fix(column, code, rows, **example)
    if order.question:
        _ask_order(column, report, order, rows_by_style["pending"])
    values = series.map({text: stamp for text, (stamp, _) in parsed.items()})
    return pd.to_datetime(values).astype("datetime64[ns]")


def _excel_example(text: str, parsed: dict) -> dict:
    """An Excel day number and its date, shown with the correction (the reading is not obvious)."""
    return {"example": text, "date": parsed[text][0].date().isoformat()}


def _ask_order(column: str, report: Report, order: dates.DateOrder, rows: list[int]) -> None:
    """The question of a column's date order, its slash dates left empty (and unchecked) meanwhile."""
    for row in rows:
        report.mark_failed(row, column)
    example = order.examples[0]
    both = dates.readings(example)
    report.ask(column, "date_order_question", rows, column_key=column, examples=list(order.examples),
               example=example, day_first=both[dates.DAY_FIRST].isoformat(),
               month_first=both[dates.MONTH_FIRST].isoformat())


def parse_identifiers(series: pd.Series, column: str, report: Report) -> pd.Series:
    """Ids written one way (NFC, no invisible characters, upper case); each kind of change reported."""
    return _normalise(series, column, report, upper=True)


def parse_codes(series: pd.Series, column: str, report: Report) -> pd.Series:
    """Territorial codes without invisible characters (their digits are checked later)."""
    return _normalise(series, column, report, upper=False)


def _normalise(series: pd.Series, column: str, report: Report, upper: bool) -> pd.Series:
    """`clean_code` (and upper case: `identifier`) of every cell, the changed rows reported by kind.

    Column-wide string operations for the usual plain ASCII cells, `clean_code` for the others.
    """
    present = series.dropna()
    cleaned = present.str.strip()
    special = ~present.str.fullmatch(_PLAIN).to_numpy(dtype=bool)
    if special.any():
        cleaned[special] = present[special].map(clean_code)
    final = cleaned.str.upper() if upper else cleaned
    for changed, code in ((cleaned.ne(present), "identifier_cleaned"), (final.ne(cleaned), "identifier_upper_case")):
        if changed.any():
            report.fix(column, code, [int(row) for row in present.index[changed.to_numpy(dtype=bool)]])
    return final.where(final.ne(""), np.nan).reindex(series.index).astype("str")


def parse_categories(series: pd.Series, column: str, report: Report,
                     words: dict[str, str], shown: tuple[str, ...]) -> pd.Series:
    """Category codes from codes or Spanish words (`words`: folded word -> code); `shown` in messages."""
    def lookup(text: str) -> Parsed:
        code = words.get(key(text))
        return (code, None) if code is not None else (None, "unknown_category")

    values = series.map(_parse_column(series, column, report, lookup, allowed=list(shown)))
    return pd.Series(np.where(values.isna(), np.nan, values), index=series.index, dtype="str")
