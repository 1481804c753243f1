"""Resolve each row's department and municipality to official codes of its country.

Codes are normalised (zero-padded) and must exist in the catalogue; names are matched by
`municipality_names`. When a file gives both a department and a municipality they must
agree; a missing department code is taken from the municipality's.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import pandas as pd

from data_loaders import catalogue
from data_loaders.errors import Problem
from data_loaders.headers import DEPARTMENT_NAME, MUNICIPALITY_NAME
from data_loaders.municipality_names import NameMatch, match_department, match_municipality
from data_loaders.report import Report
from geo.codes import InvalidCodeError, code_width, normalise_code

_INPUTS = ("country", "department_code", DEPARTMENT_NAME, "municipality_code", MUNICIPALITY_NAME)


@dataclass
class Resolution:
    """Codes found for one combination of inputs, and what to report about it."""

    municipality: str | None = None
    department: str | None = None
    errors: list[tuple[str, Problem]] = field(default_factory=list)  # (canonical column, problem)
    matched: list[tuple[str, str, str, NameMatch]] = field(default_factory=list)  # (column, code, text, match)


def _text(value: object) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


def _code(text: str, country: str, level: str, column: str, res: Resolution) -> str | None:
    """The normalised code if it exists in the catalogue; otherwise an error in `res`."""
    try:
        code = normalise_code(text, country, level)
    except InvalidCodeError:
        params = {"country": country, "width": code_width(country, level)}
        res.errors.append((column, Problem("", None, None, text, f"invalid_{level}_code", params)))
        return None
    if catalogue.units(country, level).get(code) is None:
        res.errors.append((column, Problem("", None, None, text, f"unknown_{level}_code", {"country": country})))
        return None
    return code


def _from_name(found: NameMatch | Problem, column: str, text: str, level: str, res: Resolution) -> str | None:
    if isinstance(found, Problem):
        res.errors.append((column, found))
        return None
    if not found.exact:
        res.matched.append((column, f"{level}_name_matched", text, found))
    return found.code


def _department(country: str, code: str | None, name: str | None, res: Resolution) -> str | None:
    if code is not None:
        return _code(code, country, "department", "department_code", res)
    if name is not None:
        return _from_name(match_department(name, country), DEPARTMENT_NAME, name, "department", res)
    return None


def _municipality(country: str, code: str | None, name: str | None, department: str | None,
                  res: Resolution) -> str | None:
    if code is not None:
        return _code(code, country, "municipality", "municipality_code", res)
    if name is not None:
        found = match_municipality(name, country, department)
        return _from_name(found, MUNICIPALITY_NAME, name, "municipality", res)
    return None


def resolve(country: str | None, department_code: str | None, department_name: str | None,
            municipality_code: str | None, municipality_name: str | None) -> Resolution:
    """Codes of one row's place; errors carry no location yet."""
    res = Resolution()
    if country is None:  # the country cell has its own error
        return res
    res.department = _department(country, department_code, department_name, res)
    res.municipality = _municipality(country, municipality_code, municipality_name, res.department, res)
    unit = catalogue.municipality(country, res.municipality) if res.municipality else None
    if unit is not None and res.department is not None and unit.department_code != res.department:
        column, text = ("department_code", department_code) if department_code else (DEPARTMENT_NAME, department_name)
        params = {"municipality": unit.describe(),
                  "expected": catalogue.department(country, unit.department_code).describe()}
        res.errors.append((column, Problem("", None, None, text, "department_mismatch", params)))
    elif unit is not None and res.department is None:
        res.department = unit.department_code
    return res


def resolve_places(frame: pd.DataFrame, report: Report, with_department: bool) -> pd.DataFrame:
    """`frame` with official `municipality_code` (and `department_code`) and no name columns."""
    inputs = pd.DataFrame({c: frame[c] if c in frame else pd.Series(None, index=frame.index, dtype="str")
                           for c in _INPUTS})
    groups = inputs.groupby(list(_INPUTS), sort=False, dropna=False).ngroup().to_numpy()
    positions = pd.Series(groups).groupby(groups).indices  # group -> row positions
    distinct = [tuple(_text(v) for v in values)
                for values in inputs.drop_duplicates().itertuples(index=False, name=None)]
    resolutions = [resolve(*values) for values in distinct]
    matched: dict[tuple, list[int]] = {}
    for number, (values, res) in enumerate(zip(distinct, resolutions)):
        if not _needs_report(res):
            continue
        rows = [int(r) for r in frame.index[positions[number]]]
        for row in rows:
            _report_row(res, values, row, report)
        for column, message_code, text, found in res.matched:
            matched.setdefault((column, message_code, text, found), []).extend(rows)
    for (column, message_code, text, found), rows in matched.items():
        report.fix(column, message_code, rows, value=text, name=found.name, unit_code=found.code)
    out = frame.drop(columns=[c for c in (MUNICIPALITY_NAME, DEPARTMENT_NAME) if c in frame])
    out["municipality_code"] = pd.Series([resolutions[g].municipality for g in groups], index=frame.index, dtype="str")
    if with_department:
        out["department_code"] = pd.Series([resolutions[g].department for g in groups], index=frame.index, dtype="str")
    return out


def _needs_report(res: Resolution) -> bool:
    return bool(res.errors or res.matched or res.municipality is None)


def _report_row(res: Resolution, values: tuple, row: int, report: Report) -> None:
    for column, problem in res.errors:
        report.add(_located(problem, report, row, column), column)
    country, _, _, code, name = values
    if country is not None and code is None and name is None:
        column = "municipality_code" if "municipality_code" in report.headers else MUNICIPALITY_NAME
        report.error(row, column, None, "empty_value")
    if res.municipality is None:  # the department is unknown because the municipality is
        report.mark_failed(row, "municipality_code")
        report.mark_failed(row, "department_code")


def _located(problem: Problem, report: Report, row: int, column: str) -> Problem:
    return dataclasses.replace(problem, file=report.file, sheet=report.sheet, row=row,
                               column=report.header(column))
