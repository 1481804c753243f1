"""Validate a typed frame against its schema lazily and translate every failure into a Problem.

pandera reports all failing cells at once; its raw text never reaches users: each failure
case becomes one of our messages, showing the cell as written in the file. Cross checks
the schema cannot express (duplicate keys naming both rows, end before start) live here too.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pandera.pandas as pa

from data_loaders import schemas
from data_loaders.report import Report

# pandera checks already covered by the loaders' own messages (parsing, key check).
_SKIPPED_CHECKS = ("field_uniqueness", "coerce_dtype", "dtype")
# (start, end) column pairs where the end may not come before the start.
DATE_ORDER: dict[str, tuple[str, str]] = {"participations": ("start_date", "end_date")}


def _number(value: object) -> object:
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _translate_check(check: pa.Check, is_date: bool) -> tuple[str, dict]:
    """Message code and params for a failed schema check."""
    stats = {name: _number(value) for name, value in check.statistics.items()}
    if check.name == "in_range":
        code = "date_out_of_range" if is_date else "out_of_range"
        return code, {"min": stats["min_value"], "max": stats["max_value"]}
    if check.name == "greater_than_or_equal_to":
        return "below_minimum", {"min": stats["min_value"]}
    if check.name == "isin":
        return "unknown_category", {"allowed": list(check.statistics["allowed_values"])}
    return "invalid_value", {}


def _report_failure(case: pd.Series, schema: pa.DataFrameSchema, report: Report) -> None:
    column, row = case["column"], case["index"]
    if row is None or pd.isna(row):  # a column-level failure: a loader bug, still told plainly
        report.error(None, column, None, "invalid_value")
        return
    row = int(row)
    if case["check"] in _SKIPPED_CHECKS or report.failed(row, column):
        return
    if case["check"] == "not_nullable":
        report.error(row, column, None, "empty_value")
        return
    schema_column = schema.columns[column]
    check = schema_column.checks[int(case["check_number"])]
    code, params = _translate_check(check, str(schema_column.dtype).startswith("datetime"))
    value = report.text(row, column)
    report.error(row, column, value if value is not None else str(case["failure_case"]), code, **params)


def validate_schema(frame: pd.DataFrame, dataset: str, report: Report) -> pd.DataFrame:
    """The frame as validated (types coerced); failures are added to `report`."""
    schema = schemas.DATASETS[dataset]
    try:
        return schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        for _, case in errors.failure_cases.iterrows():
            _report_failure(case, schema, report)
        return frame


def check_duplicate_keys(frame: pd.DataFrame, dataset: str, report: Report) -> None:
    """Each repeated key is reported on every later row, naming the first row."""
    key = list(schemas.DATASET_KEYS[dataset])
    complete = frame[key].dropna()
    repeated = complete[complete.duplicated(keep=False)]
    if repeated.empty:
        return
    first_rows: dict[tuple, int] = {}
    for row, values in zip(repeated.index, repeated.itertuples(index=False, name=None)):
        if values not in first_rows:
            first_rows[values] = int(row)
            continue
        shown = [f"{report.header(c)} = {report.text(int(row), c) or v}" for c, v in zip(key, values)]
        report.error(int(row), None, None, "duplicate_key", first_row=first_rows[values], key=shown)


def today() -> dt.date:
    """The import day (a function so tests can fix it)."""
    return dt.date.today()


def check_future_dates(frame: pd.DataFrame, dataset: str, report: Report) -> None:
    """Dates after the import day: every date column records something that already happened."""
    limit = pd.Timestamp(today())
    for column, schema_column in schemas.DATASETS[dataset].columns.items():
        if not str(schema_column.dtype).startswith("datetime") or column not in frame:
            continue
        values = pd.to_datetime(frame[column], errors="coerce")
        for row in frame.index[(values > limit).to_numpy()]:
            row = int(row)
            if not report.failed(row, column):
                report.error(row, column, report.text(row, column), "future_date", today=limit.date().isoformat())


def check_date_order(frame: pd.DataFrame, dataset: str, report: Report) -> None:
    """End dates before their start date."""
    if dataset not in DATE_ORDER:
        return
    start, end = DATE_ORDER[dataset]
    wrong = frame[start].notna() & frame[end].notna() & (frame[end] < frame[start])
    for row in frame.index[wrong.to_numpy()]:
        row = int(row)
        report.error(row, end, report.text(row, end), "end_before_start",
                     start=report.text(row, start), start_column=report.header(start))
