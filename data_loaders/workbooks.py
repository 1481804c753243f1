"""Read the sheets of an Excel (.xlsx, .xls) or OpenDocument (.ods) workbook as grids of text cells.

One fast pass with python-calamine reads the sheets asked for (one, or every sheet when the
data sheet must be found). Cells become the text a person reads (Excel dates as ISO dates,
whole numbers without `.0`), and rows keep their spreadsheet numbers. The checks of the
previous reader stay: a zip that would expand past `max_unzipped_mb` is refused before it is
opened, a header with merged cells is refused plainly, and formula cells without a saved
result (an .xlsx written by a program and never opened in Excel) are named one by one.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

import openpyxl
import python_calamine
from openpyxl.utils.cell import get_column_letter

from data_loaders.errors import Problem, UnreadableFileError
from data_loaders.limits import MB, max_unzipped_mb

XLSX, XLS, ODS = "xlsx", "xls", "ods"
CORRUPT = {XLSX: "corrupt_xlsx", XLS: "corrupt_xls", ODS: "corrupt_ods"}
_RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_FORMULA = re.compile(rb"<f[\s>/]")


@dataclass
class SheetGrid:
    """The text cells of one sheet (row 1 first), or why the sheet cannot be read as a table."""

    name: str
    rows: list[list[str]] | None = None
    error: UnreadableFileError | None = None


def corrupt(file: str, kind: str) -> UnreadableFileError:
    return UnreadableFileError([Problem(file, None, None, None, CORRUPT[kind])])


def check_unzipped_size(archive: zipfile.ZipFile, file: str) -> None:
    """Refuse a decompression bomb before it is opened (an .xlsx and an .ods are zips)."""
    expanded = sum(info.file_size for info in archive.infolist())
    limit = max_unzipped_mb()
    if expanded > limit * MB:
        params = {"size_mb": expanded / MB, "limit_mb": limit}
        raise UnreadableFileError([Problem(file, None, None, None, "workbook_too_large", params)])


def read_sheets(data: bytes, file: str, kind: str, sheet: str | None = None,
                every_sheet: bool = False) -> tuple[tuple[str, ...], list[SheetGrid]]:
    """The workbook's sheet names and the grids of `sheet` (default: the first, or every one)."""
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (python_calamine.CalamineError, ValueError, OSError, EOFError):
        raise corrupt(file, kind) from None
    with book:
        names = tuple(meta.name for meta in book.sheets_metadata
                      if meta.typ == python_calamine.SheetTypeEnum.WorkSheet)
        if not names:
            raise corrupt(file, kind)
        if sheet is not None and sheet not in names:
            params = {"sheet_name": sheet, "sheets": list(names)}
            raise UnreadableFileError([Problem(file, None, None, None, "sheet_not_found", params)])
        wanted = [sheet] if sheet is not None else list(names if every_sheet else names[:1])
        parts = _sheet_parts(data) if kind == XLSX else {}
        grids = [_grid(book, data, file, kind, name, parts.get(name)) for name in wanted]
    return names, grids


def _grid(book, data: bytes, file: str, kind: str, name: str, part: str | None) -> SheetGrid:
    try:
        sheet = book.get_sheet_by_name(name)
        values = sheet.to_python(skip_empty_area=False)
        merged = sheet.merged_cell_ranges or []
    except (python_calamine.CalamineError, ValueError, OSError, EOFError):
        raise corrupt(file, kind) from None
    rows = [[cell if type(cell) is str else cell_text(cell) for cell in row] for row in values]
    try:
        if not any(any(cell.strip() for cell in row) for row in rows):
            raise UnreadableFileError([Problem(file, None, None, None, "empty_file", sheet=name)])
        _check_merged_header(merged, rows, file, name)
        if part is not None:
            _check_formulas(data, part, name, file)
    except UnreadableFileError as error:
        return SheetGrid(name, error=error)
    return SheetGrid(name, rows)


def cell_text(value: object) -> str:
    """Text of a cell value as a person reads it; Excel dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(timespec="seconds")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def header_row(rows: list[list[str]]) -> int:
    """Spreadsheet number of the first row with any text (the header)."""
    return next(number for number, row in enumerate(rows, start=1) if any(cell.strip() for cell in row))


def _check_merged_header(merged: list, rows: list[list[str]], file: str, sheet: str) -> None:
    """Merged cells spanning columns in or above the header row: a two-row header, refused plainly."""
    header = header_row(rows)
    spans = [((r0 + 1, c0 + 1), (r1 + 1, c1 + 1)) for (r0, c0), (r1, c1) in merged]
    found = sorted(((top, left), f"{get_column_letter(left)}{top}:{get_column_letter(right)}{bottom}")
                   for (top, left), (bottom, right) in spans if top <= header and right > left)
    if found:
        raise UnreadableFileError([Problem(file, found[0][0][0], None, None, "merged_header",
                                           {"ranges": [ref for _, ref in found]}, sheet)])


def _sheet_parts(data: bytes) -> dict[str, str]:
    """Sheet name -> its XML part inside an .xlsx (from the workbook and its relationships)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return {}
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(_PACKAGE_RELS + "Relationship")}
    parts = {}
    for sheet in book.iter(_MAIN + "sheet"):
        target = targets.get(sheet.get(_RELATIONSHIP), "")
        parts[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else \
            posixpath.normpath(posixpath.join("xl", target))
    return parts


def _check_formulas(data: bytes, part: str, sheet: str, file: str) -> None:
    """Formula cells without a saved result (written by a program, never opened in Excel).

    Only a sheet whose XML holds formulas is opened again (with openpyxl, which reads formulas).
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read(part) if part in archive.namelist() else b""
    if not _FORMULA.search(xml):
        return
    formulas, values = (_openpyxl_rows(data, sheet, data_only) for data_only in (False, True))
    texts = [[cell_text(v) for v in row] for row in values]
    header = header_row(texts)
    names = [text.strip() for text in texts[header - 1]]
    problems = []
    for number, (formula_row, value_row) in enumerate(zip(formulas, values), start=1):
        for position, formula in enumerate(formula_row):
            value = value_row[position] if position < len(value_row) else None
            if isinstance(formula, str) and formula.startswith("=") and value is None:
                column = names[position] if number > header and position < len(names) else None
                problems.append(Problem(file, number, column or None, formula, "formula_without_value", {}, sheet))
    if problems:
        raise UnreadableFileError(problems)


def _openpyxl_rows(data: bytes, sheet: str, data_only: bool) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    try:
        return list(workbook[sheet].iter_rows(min_row=1, min_col=1, values_only=True))
    finally:
        workbook.close()

