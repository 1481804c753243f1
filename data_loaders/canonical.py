"""Read one dataset file (canonical or Spanish headers) into a validated canonical frame.

`read_dataset(path, dataset)` is the loader of every canonical CSV or workbook; the KoboToolbox
and field-team readers reuse `convert` and `finish` after mapping their own headers.
Either every problem of the file is raised at once (`ValidationError`), or the frame is
returned with the corrections that were made.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from data_loaders import schemas
from data_loaders.cells import (parse_booleans, parse_categories, parse_codes, parse_dates, parse_identifiers,
                                parse_integers, parse_numbers)
from data_loaders.errors import (MissingColumnsError, Problem, UnansweredQuestionsError, UnknownDatasetError,
                                 UnreadableFileError, ValidationError, fixed)
from data_loaders.headers import NAME_COLUMNS, describe_column, map_headers, required_columns
from data_loaders.readers import FileTables, RawTable, load_table, load_tables
from data_loaders.report import Report
from data_loaders.territory import resolve_places
from data_loaders.validation import check_date_order, check_duplicate_keys, check_future_dates, validate_schema
from data_loaders.vocabulary import allowed_codes, word_index

_PARSERS = {"integer": parse_integers, "number": parse_numbers, "boolean": parse_booleans,
            "identifier": parse_identifiers, "code": parse_codes}


@dataclass
class LoadResult:
    """A validated canonical frame, the corrections made while reading it, and its source file."""

    frame: pd.DataFrame
    fixes: list[Problem] = field(default_factory=list)
    source: str = ""
    rows: list[int] = field(default_factory=list)  # spreadsheet row of each frame row
    sheet: str | None = None
    headers: dict[str, str] = field(default_factory=dict)  # canonical column -> header in the file


@dataclass
class Vocabulary:
    """Accepted words of one category column (folded word -> code) and the values shown in messages."""

    words: dict[str, str]
    shown: tuple[str, ...]


def column_kind(dataset: str, column: str) -> str:
    """'text', 'identifier', 'code', 'category', 'integer', 'number', 'boolean' or 'date', from the schema.

    Identifiers are the text columns named `*_id` (participant_id, source_id, ...).
    """
    schema_column = schemas.DATASETS[dataset].columns[column]
    dtype = str(schema_column.dtype)
    if dtype.startswith("datetime"):
        return "date"
    simple = {"int64": "integer", "float64": "number", "bool": "boolean"}
    if dtype in simple:
        return simple[dtype]
    names = {check.name for check in schema_column.checks}
    if "isin" in names:
        return "category"
    if "str_matches" in names:
        return "code"
    return "identifier" if column.endswith("_id") else "text"


def check_dataset(dataset: str, source: str = "") -> None:
    if dataset not in schemas.DATASETS:
        params = {"datasets": list(schemas.DATASETS)}
        raise UnknownDatasetError([Problem(source, None, None, dataset, "unknown_dataset", params)])


def read_dataset(path: str | Path, dataset: str, sheet: str | None = None, *,
                 date_orders: dict[str, str] | None = None) -> LoadResult:
    """The validated canonical frame of `dataset` read from a CSV file or a workbook (sheet: workbooks only).

    With no sheet named, every sheet of a workbook is read in one pass and the data sheet found.
    `date_orders`: answers to date-order questions (column -> "day_first" | "month_first").
    """
    check_dataset(dataset, Path(path).name)
    if sheet is not None:
        return dataset_from_table(load_table(path, sheet), dataset, date_orders=date_orders)
    tables = load_tables(path)
    return dataset_from_table(choose_sheet(tables, dataset, lambda table: missing_columns(table.frame, dataset)),
                              dataset, date_orders=date_orders)


def dataset_from_table(raw: RawTable, dataset: str, *, date_orders: dict[str, str] | None = None) -> LoadResult:
    """Like `read_dataset`, for a table already read (canonical or Spanish headers)."""
    header_map = map_headers(list(raw.frame.columns), dataset)
    fixes = [fixed(raw.file, None, header, None, "column_ignored", {"dataset": dataset}, raw.sheet)
             for header in header_map.ignored]
    if header_map.duplicates:
        raise ValidationError([
            Problem(raw.file, 1, None, None, "duplicate_column", {"columns": names, "canonical": canonical}, raw.sheet)
            for canonical, names in header_map.duplicates.items()
        ])
    frame = raw.frame[list(header_map.columns)].rename(columns=header_map.columns)
    renamed = RawTable(frame, raw.file, raw.sheet, raw.fixes + fixes, raw.encoding)
    return finish(convert(renamed, dataset, header_map.headers, date_orders=date_orders))


def missing_required(present: set[str], dataset: str) -> list[str]:
    """Required canonical columns that `present` lacks (a code may come as a name; the municipality
    code contains the department)."""
    missing = [c for c in required_columns(dataset)
               if c not in present and not (c in NAME_COLUMNS and NAME_COLUMNS[c] in present)]
    if "department_code" in missing and ({"municipality_code", NAME_COLUMNS["municipality_code"]} & present):
        missing.remove("department_code")
    return missing


def missing_columns(frame: pd.DataFrame, dataset: str) -> list[str]:
    """Required columns (described for messages) that a table's headers do not provide."""
    present = set(map_headers(list(frame.columns), dataset).columns.values())
    return [describe_column(c) for c in missing_required(present, dataset)]


def choose_sheet(tables: FileTables, dataset: str, missing: Callable[[RawTable], list[str]]) -> RawTable:
    """The table of a file that holds the data: the CSV's, the only sheet's, or the one sheet with every column.

    `missing(table)` names the required columns a table lacks. A workbook of several sheets is
    searched (the first sheet is not assumed): the single sheet that lacks nothing is used, noted
    as a correction when it is not the first; several such sheets are refused with their names;
    none is refused with every sheet and what it lacks (or why it is not a table).
    """
    if len(tables.sheets) <= 1:
        return tables.first()
    lacking = {name: missing(table) for name, table in tables.tables.items()}
    candidates = [name for name in tables.sheets if name in lacking and not lacking[name]]
    if len(candidates) > 1:
        params = {"dataset": dataset, "sheets": candidates}
        raise UnreadableFileError([Problem(tables.file, None, None, None, "several_data_sheets", params)])
    if not candidates:
        problems = [Problem(tables.file, None, None, None, "no_data_sheet",
                            {"dataset": dataset, "sheets": list(tables.sheets)})]
        for name in tables.sheets:
            if name in tables.unreadable:
                problems += tables.unreadable[name].problems
            else:
                problems.append(Problem(tables.file, None, None, None, "sheet_lacks_columns",
                                        {"columns": lacking[name]}, name))
        raise MissingColumnsError(problems)
    chosen = tables.tables[candidates[0]]
    if chosen.sheet != tables.sheets[0]:
        others = [name for name in tables.sheets if name != chosen.sheet]
        chosen.fixes.insert(0, fixed(tables.file, None, None, None, "sheet_chosen",
                                     {"sheet_name": chosen.sheet, "sheets": others, "dataset": dataset},
                                     chosen.sheet))
    return chosen


@dataclass(frozen=True)
class SourceFormat:
    """How a family of files departs from the canonical files."""

    defaults: dict[str, str] = field(default_factory=dict)  # constant columns the files do not carry
    vocabularies: dict[str, Vocabulary] = field(default_factory=dict)  # category column -> its words
    column_names: dict[str, str] = field(default_factory=dict)  # canonical column -> name in messages


CANONICAL = SourceFormat()


def check_columns(table: RawTable, dataset: str, source_format: SourceFormat = CANONICAL) -> None:
    """Raise MissingColumnsError listing every required column the file lacks."""
    missing = missing_required(set(table.frame.columns) | set(source_format.defaults), dataset)
    if missing:
        columns = [source_format.column_names.get(c) or describe_column(c) for c in missing]
        raise MissingColumnsError([Problem(table.file, None, None, None, "missing_columns",
                                           {"columns": columns}, table.sheet)], table.fixes)
    if table.frame.empty:
        raise UnreadableFileError([Problem(table.file, None, None, None, "no_data_rows", sheet=table.sheet)])


@dataclass
class Conversion:
    """A converted frame (index = spreadsheet rows) and the report of its problems."""

    frame: pd.DataFrame
    report: Report
    dataset: str


def convert(table: RawTable, dataset: str, headers: dict[str, str],
            source_format: SourceFormat = CANONICAL, *, date_orders: dict[str, str] | None = None) -> Conversion:
    """Type, resolve places and validate a table whose columns are already canonical.

    `headers` maps canonical columns to the headers written in the file (for messages);
    `date_orders` the person's answers to date-order questions (column -> "day_first" | "month_first").
    """
    check_columns(table, dataset, source_format)
    report = Report(table.file, table.sheet, table.frame, headers)
    report.fixes.extend(table.fixes)
    frame = table.frame.copy()
    for column, value in source_format.defaults.items():
        frame[column] = pd.Series(value, index=frame.index, dtype="str")
    _check_empty_cells(frame, dataset, report)
    frame = _parse_columns(frame, dataset, report, source_format.vocabularies, date_orders or {})
    has_department = "department_code" in schemas.DATASETS[dataset].columns
    frame = resolve_places(frame, report, has_department)
    frame = _add_missing_optional(frame, dataset)
    validated = validate_schema(frame, dataset, report)
    check_duplicate_keys(frame, dataset, report)
    check_date_order(frame, dataset, report)
    check_future_dates(frame, dataset, report)
    return Conversion(validated, report, dataset)


def finish(conversion: Conversion, extra: pd.DataFrame | None = None) -> LoadResult:
    """Raise ValidationError with every error (and question), UnansweredQuestionsError with the
    questions alone, or return the frame (schema columns, then `extra`)."""
    report = conversion.report
    if report.errors:
        raise ValidationError(report.sorted_errors() + report.questions, report.fixes)
    if report.questions:
        raise UnansweredQuestionsError(report.questions, report.fixes)
    columns = list(schemas.DATASETS[conversion.dataset].columns)
    frame = conversion.frame[columns]
    if extra is not None:
        frame = frame.join(extra)
    rows = [int(row) for row in frame.index]
    return LoadResult(frame.reset_index(drop=True), report.fixes, report.file, rows, report.sheet,
                      dict(report.headers))


def _check_empty_cells(frame: pd.DataFrame, dataset: str, report: Report) -> None:
    """Empty cells of required columns (places are checked when resolved)."""
    for column in required_columns(dataset):
        if column in frame and column not in NAME_COLUMNS:
            for row in frame.index[frame[column].isna().to_numpy()]:
                report.error(int(row), column, None, "empty_value")


def _parse_columns(frame: pd.DataFrame, dataset: str, report: Report,
                   vocabularies: dict[str, Vocabulary], date_orders: dict[str, str]) -> pd.DataFrame:
    for column in schemas.DATASETS[dataset].columns:
        if column not in frame:
            continue
        kind = column_kind(dataset, column)
        if kind == "date":
            frame[column] = parse_dates(frame[column], column, report, date_orders.get(column))
        elif kind in _PARSERS:
            frame[column] = _PARSERS[kind](frame[column], column, report)
        elif kind == "category":
            vocabulary = vocabularies.get(column) or _default_vocabulary(dataset, column)
            frame[column] = parse_categories(frame[column], column, report, vocabulary.words, vocabulary.shown)
    return frame


def _default_vocabulary(dataset: str, column: str) -> Vocabulary:
    codes = allowed_codes(column, dataset)
    return Vocabulary(word_index(column, codes), codes)


def _add_missing_optional(frame: pd.DataFrame, dataset: str) -> pd.DataFrame:
    """Nullable columns the file does not have, added empty with the schema's type."""
    for column, schema_column in schemas.DATASETS[dataset].columns.items():
        if column not in frame:
            kind = column_kind(dataset, column)
            frame[column] = pd.Series(pd.NaT if kind == "date" else None, index=frame.index,
                                      dtype="datetime64[ns]" if kind == "date" else "str")
    return frame
