"""Read a CSV or XLSX file as the programme receives it into a frame of stripped text cells.

CSV files may be UTF-8 (with or without BOM), Latin-1 or Windows-1252, separated by `,`
or `;`; XLSX workbooks are read cell by cell as text (Excel dates become ISO dates). The
frame's index is the spreadsheet row number of each record (header = row 1), so every
later problem can name the row a person sees.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.exceptions import InvalidFileException

from data_loaders.errors import Problem, UnreadableFileError, fixed
from data_loaders.limits import MB, check_upload_size, max_unzipped_mb

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
XLSX_SUFFIXES = (".xlsx", ".xlsm")
SEPARATORS = (",", ";", "\t")
# Control bytes never found in a text file (tab, newlines, form feed and the old DOS
# end-of-file mark 0x1A are allowed).
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x19\x1b-\x1f]")
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")
_EXCEL_SEPARATOR_HINT = re.compile(r"^sep=(.)\r?\n")
# A web page or XML document saved under a .csv name (an expired sign-in page, an XML export).
_MARKUP = re.compile(r"^\s*<(?:!doctype\s+html|html|\?xml|head|body)\b", re.IGNORECASE)
# Separators people use that we do not read: named in the message when the header splits on one.
_FOREIGN_SEPARATORS = ("|", "^", "~")
_WORKBOOK_PART = "xl/workbook.xml"
_MERGE_CELL = re.compile(rb'<mergeCell\s+ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')


@dataclass
class RawTable:
    """Text cells of one sheet or CSV file: index = spreadsheet row, missing cells = NaN."""

    frame: pd.DataFrame
    file: str
    sheet: str | None = None
    fixes: list[Problem] = field(default_factory=list)
    encoding: str | None = None
    sheets: tuple[str, ...] = ()  # every sheet of the workbook (XLSX only)


def read_table(path: str | Path, sheet: str | None = None) -> pd.DataFrame:
    """Text cells of a CSV file or of an XLSX sheet (the first one unless `sheet` names one)."""
    return load_table(path, sheet).frame


def load_table(path: str | Path, sheet: str | None = None) -> RawTable:
    """Like `read_table`, keeping the file name, sheet and the corrections made (trimmed spaces)."""
    path = Path(path)
    file = path.name
    check_upload_size(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UnreadableFileError([Problem(file, None, None, None, "file_not_found")]) from None
    if not data.strip():
        raise UnreadableFileError([Problem(file, None, None, None, "empty_file")])
    if data.startswith(XLSX_MAGIC):
        return _read_xlsx(data, file, sheet)
    if data.startswith(XLS_MAGIC):
        raise UnreadableFileError([Problem(file, None, None, None, "legacy_xls")])
    if path.suffix.lower() in XLSX_SUFFIXES:
        raise UnreadableFileError([Problem(file, None, None, None, "corrupt_xlsx")])
    text, encoding = decode_text(data, file)
    if _MARKUP.match(text):
        raise UnreadableFileError([Problem(file, None, None, None, "markup_file")])
    table = _table_from_grid(_parse_csv(text, file), file, None)
    table.encoding = encoding
    return table


# --- CSV ---------------------------------------------------------------------------------

def _byte_problem(code: str, data: bytes, offset: int, file: str) -> UnreadableFileError:
    params = {"offset": offset, "line": data.count(b"\n", 0, offset) + 1, "byte": f"0x{data[offset]:02X}"}
    return UnreadableFileError([Problem(file, None, None, None, code, params)])


def decode_text(data: bytes, file: str) -> tuple[str, str]:
    """Text of a CSV file and the encoding used: UTF-8 (BOM or not), else Windows-1252/Latin-1."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnreadableFileError([Problem(file, None, None, None, "utf16_file")])
    control = _CONTROL_BYTES.search(data)
    if control:
        raise _byte_problem("not_text", data, control.start(), file)
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as error:
        bad_utf8 = error.start + (3 if data.startswith(codecs.BOM_UTF8) else 0)
    if data.startswith(codecs.BOM_UTF8) or _UTF8_SEQUENCE.search(data):
        raise _byte_problem("mixed_encoding", data, bad_utf8, file)
    # Windows-1252 is a superset of Latin-1's printable characters; the bytes it leaves
    # undefined are control characters in Latin-1, so a file using them is not text.
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as error:
        raise _byte_problem("not_text", data, error.start, file) from None


def sniff_separator(text: str) -> str:
    """The separator giving the most header fields (`,` when the header has one column)."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: len(next(csv.reader([header], delimiter=sep), [])) for sep in SEPARATORS}
    return max(SEPARATORS, key=lambda sep: counts[sep])


def _parse_csv(text: str, file: str) -> pd.DataFrame:
    """Grid of cells (header included), one row per record; '' for empty cells."""
    hint = _EXCEL_SEPARATOR_HINT.match(text)
    if hint:  # Excel hides this line, so the header stays row 1
        text = text[hint.end():]
    if not text.strip():
        raise UnreadableFileError([Problem(file, None, None, None, "empty_file")])
    sep = hint.group(1) if hint else sniff_separator(text)
    _check_foreign_separator(text, sep, file)
    try:
        grid = pd.read_csv(io.StringIO(text), sep=sep, header=None, dtype=str, na_filter=False,
                           skip_blank_lines=False, engine="c")
    except pd.errors.ParserError:
        return _parse_irregular(text, sep, file)
    return grid.fillna("")


def _check_foreign_separator(text: str, sep: str, file: str) -> None:
    """A one-column header that splits on '|' (or '^', '~') means the file uses that separator."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    if len(next(csv.reader([header], delimiter=sep), [])) > 1:
        return
    for foreign in _FOREIGN_SEPARATORS:
        if header.count(foreign) >= 2:
            raise UnreadableFileError([Problem(file, 1, None, None, "wrong_separator", {"separator": foreign})])


def _parse_irregular(text: str, sep: str, file: str) -> pd.DataFrame:
    """Rows longer than the header: extra empty cells are dropped, extra cells with data are an error."""
    reader = csv.reader(io.StringIO(text), delimiter=sep, strict=True)
    try:
        rows = list(reader)
    except csv.Error:
        raise UnreadableFileError([Problem(file, None, None, None, "corrupt_csv", {"line": reader.line_num})]) \
            from None
    width = len(rows[0])
    for number, row in enumerate(rows[1:], start=2):
        used = max((i + 1 for i, cell in enumerate(row) if cell.strip()), default=0)
        if used > width:
            params = {"count": used, "expected": width}
            raise UnreadableFileError([Problem(file, number, None, None, "too_many_cells", params)])
    return pd.DataFrame([row[:width] + [""] * (width - len(row)) for row in rows], dtype=str)


# --- XLSX --------------------------------------------------------------------------------

def _cell_text(value: object) -> str:
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


def _open_workbook(data: bytes, file: str, data_only: bool = True):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            is_workbook = _WORKBOOK_PART in archive.namelist()
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, EOFError):
        is_workbook, expanded = True, 0  # a damaged workbook: openpyxl's failure below says so
    if not is_workbook:
        raise UnreadableFileError([Problem(file, None, None, None, "zip_archive")])
    limit = max_unzipped_mb()
    if expanded > limit * MB:  # an .xlsx is a zip: refuse a decompression bomb before opening it
        params = {"size_mb": expanded / MB, "limit_mb": limit}
        raise UnreadableFileError([Problem(file, None, None, None, "workbook_too_large", params)])
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError, EOFError):
        raise UnreadableFileError([Problem(file, None, None, None, "corrupt_xlsx")]) from None


def _read_xlsx(data: bytes, file: str, sheet: str | None) -> RawTable:
    workbook = _open_workbook(data, file)
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            params = {"sheet_name": sheet, "sheets": list(workbook.sheetnames)}
            raise UnreadableFileError([Problem(file, None, None, None, "sheet_not_found", params)])
        worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        values = list(worksheet.iter_rows(min_row=1, min_col=1, values_only=True))
        rows = [[_cell_text(v) for v in row] for row in values]
        title, sheets = worksheet.title, tuple(workbook.sheetnames)
        sheet_xml = _sheet_xml(data, worksheet)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError):
        raise UnreadableFileError([Problem(file, None, None, None, "corrupt_xlsx")]) from None
    finally:
        workbook.close()
    if not any(any(cell.strip() for cell in row) for row in rows):
        raise UnreadableFileError([Problem(file, None, None, None, "empty_file", sheet=title)])
    _check_merged_header(sheet_xml, rows, file, title)
    if b"<f" in sheet_xml:
        _check_formulas(data, title, values, file)
    width = max(len(row) for row in rows)
    grid = pd.DataFrame([row + [""] * (width - len(row)) for row in rows], dtype=str)
    table = _table_from_grid(grid, file, title)
    table.sheets = sheets
    return table


def _sheet_xml(data: bytes, worksheet) -> bytes:
    """The raw XML of a read-only worksheet (merged cells are not exposed in read-only mode)."""
    part = getattr(worksheet, "_worksheet_path", "").lstrip("/")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(part) if part in archive.namelist() else b""


def _header_row(rows: list[list[str]]) -> int:
    """Spreadsheet number of the first row with any text (the header)."""
    return next(number for number, row in enumerate(rows, start=1) if any(cell.strip() for cell in row))


def _check_merged_header(sheet_xml: bytes, rows: list[list[str]], file: str, sheet: str) -> None:
    """Merged cells spanning columns in or above the header row: a two-row header, refused plainly."""
    header = _header_row(rows)
    merged = []
    for ref in _MERGE_CELL.findall(sheet_xml):
        min_col, min_row, max_col, max_row = range_boundaries(ref.decode())
        if min_row <= header and max_col > min_col:
            merged.append(ref.decode())
    if merged:
        merged.sort(key=lambda ref: range_boundaries(ref)[1::-1])  # top to bottom, left to right
        raise UnreadableFileError([Problem(file, min(range_boundaries(r)[1] for r in merged), None, None,
                                           "merged_header", {"ranges": merged}, sheet)])


def _check_formulas(data: bytes, sheet: str, values: list[tuple], file: str) -> None:
    """Formula cells without a saved result (written by a program, never opened in Excel)."""
    workbook = _open_workbook(data, file, data_only=False)
    try:
        formulas = list(workbook[sheet].iter_rows(min_row=1, min_col=1, values_only=True))
    finally:
        workbook.close()
    header = _header_row([[_cell_text(v) for v in row] for row in values])
    names = [_cell_text(v).strip() for v in values[header - 1]]
    problems = []
    for number, (formula_row, value_row) in enumerate(zip(formulas, values), start=1):
        for position, formula in enumerate(formula_row):
            value = value_row[position] if position < len(value_row) else None
            if isinstance(formula, str) and formula.startswith("=") and value is None:
                column = names[position] if number > header and position < len(names) else None
                problems.append(Problem(file, number, column or None, formula, "formula_without_value", {}, sheet))
    if problems:
        raise UnreadableFileError(problems)


# --- Shared: header, empty rows and columns, stripping --------------------------------------

def _header_problems(header: list[str], grid: pd.DataFrame, file: str, sheet: str | None) -> list[Problem]:
    problems = []
    seen: dict[str, int] = {}
    for position, name in enumerate(header, start=1):
        if name == "":
            if grid.iloc[1:, position - 1].str.strip().ne("").any():
                problems.append(Problem(file, 1, None, None, "empty_header", {"position": position}, sheet))
        elif name in seen:
            params = {"first": seen[name], "second": position}
            problems.append(Problem(file, 1, name, None, "duplicate_header", params, sheet))
        else:
            seen[name] = position
    return problems


def _table_from_grid(grid: pd.DataFrame, file: str, sheet: str | None) -> RawTable:
    """Header row stripped, empty rows and unnamed empty columns dropped, cells stripped."""
    grid = grid.fillna("").astype(str)
    filled = grid.apply(lambda column: column.str.strip().ne("")).any(axis=1)
    grid = grid.loc[filled.to_numpy(dtype=bool)]
    if grid.empty:
        raise UnreadableFileError([Problem(file, None, None, None, "empty_file", sheet=sheet)])
    header = [str(name).strip() for name in grid.iloc[0]]
    problems = _header_problems(header, grid, file, sheet)
    if problems:
        raise UnreadableFileError(problems)
    keep = [position for position, name in enumerate(header) if name != ""]
    body = grid.iloc[1:, keep]
    body.columns = [header[position] for position in keep]
    body.index = body.index + 1  # spreadsheet row numbers: header = row 1
    frame, fixes = _strip_cells(body, file, sheet)
    return RawTable(frame=frame, file=file, sheet=sheet, fixes=fixes)


def _strip_cells(body: pd.DataFrame, file: str, sheet: str | None) -> tuple[pd.DataFrame, list[Problem]]:
    columns, fixes = {}, []
    for name in body.columns:
        original = body[name].astype(str)
        stripped = original.str.strip()
        changed = original.ne(stripped).to_numpy()
        if changed.any():
            rows = [int(r) for r in body.index[changed]]
            fixes.append(fixed(file, None, name, None, "trimmed_spaces", {"rows": rows}, sheet))
        columns[name] = pd.Series(np.where(stripped.eq(""), np.nan, stripped), index=body.index, dtype="str")
    return pd.DataFrame(columns, index=body.index), fixes
