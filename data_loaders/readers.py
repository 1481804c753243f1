"""Read a CSV file or a workbook (.xlsx, .xls, .ods) as the programme receives it into frames of stripped text cells.

CSV files may be UTF-8 (with or without BOM), Latin-1 or Windows-1252, separated by `,`
or `;`; workbooks are read cell by cell as text (Excel dates become ISO dates) by
`data_loaders.workbooks`. What a file is comes from its content, not its name (an .ods saved
under an .xlsx name is read as the .ods it is). The frame's index is the spreadsheet row
number of each record (header = row 1), so every later problem can name the row a person sees.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from data_loaders.errors import Problem, UnreadableFileError, fixed
from data_loaders.limits import check_upload_size
from data_loaders.workbooks import ODS, XLS, XLSX, SheetGrid, check_unzipped_size, corrupt, read_sheets

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old Excel .xls (or another Office 97 file)
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
WORKBOOK_SUFFIXES = {".xlsx": XLSX, ".xlsm": XLSX, ".xls": XLS, ".ods": ODS}
TEXT_SUFFIXES = (".csv", ".txt", ".tsv", "")
ACCEPTED_KINDS = ["CSV", "Excel (.xlsx, .xls)", "OpenDocument (.ods)"]
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


@dataclass
class RawTable:
    """Text cells of one sheet or CSV file: index = spreadsheet row, missing cells = NaN."""

    frame: pd.DataFrame
    file: str
    sheet: str | None = None
    fixes: list[Problem] = field(default_factory=list)
    encoding: str | None = None
    sheets: tuple[str, ...] = ()  # every sheet of the workbook (workbooks only)


@dataclass
class FileTables:
    """Every table of one file, read in one pass: the CSV file, or each sheet of a workbook in order.

    A sheet that is not a table (empty, a merged two-row header, …) is kept with the reason.
    """

    file: str
    sheets: tuple[str, ...]  # every sheet of the workbook; () for a CSV file
    tables: dict[str | None, RawTable]  # sheet (None for CSV) -> table
    unreadable: dict[str, UnreadableFileError] = field(default_factory=dict)

    @property
    def is_workbook(self) -> bool:
        return bool(self.sheets)

    def first(self) -> RawTable:
        """The CSV table or the first sheet's; raises why the first sheet is not a table."""
        if not self.is_workbook:
            return self.tables[None]
        if self.sheets[0] in self.unreadable:
            raise self.unreadable[self.sheets[0]]
        return self.tables[self.sheets[0]]


def read_table(path: str | Path, sheet: str | None = None) -> pd.DataFrame:
    """Text cells of a CSV file or of a workbook's sheet (the first one unless `sheet` names one)."""
    return load_table(path, sheet).frame


def load_table(path: str | Path, sheet: str | None = None) -> RawTable:
    """Like `read_table`, keeping the file name, sheet and the corrections made (trimmed spaces)."""
    tables = _load(path, sheet, every_sheet=False)
    return tables.tables[sheet] if sheet is not None and tables.is_workbook else tables.first()


def load_tables(path: str | Path) -> FileTables:
    """Every sheet of a workbook (one pass over the file), or the CSV file's table."""
    return _load(path, None, every_sheet=True)


def _load(path: str | Path, sheet: str | None, every_sheet: bool) -> FileTables:
    path = Path(path)
    file = path.name
    check_upload_size(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UnreadableFileError([Problem(file, None, None, None, "file_not_found")]) from None
    if not data.strip():
        raise UnreadableFileError([Problem(file, None, None, None, "empty_file")])
    kind = workbook_kind(data, path)
    if kind is not None:
        names, grids = read_sheets(data, file, kind, sheet, every_sheet)
        return _workbook_tables(file, names, grids)
    if path.suffix.lower() not in TEXT_SUFFIXES:
        params = {"kinds": ACCEPTED_KINDS}
        raise UnreadableFileError([Problem(file, None, None, None, "unsupported_file", params)])
    text, encoding = decode_text(data, file)
    if _MARKUP.match(text):
        raise UnreadableFileError([Problem(file, None, None, None, "markup_file")])
    table = _table_from_grid(_parse_csv(text, file), file, None)
    table.encoding = encoding
    return FileTables(file, (), {None: table})


def workbook_kind(data: bytes, path: Path) -> str | None:
    """'xlsx', 'xls' or 'ods' from the file's content (None for text); refuses other archives.

    A file named as a workbook whose content is none is damaged: said so for the kind it is named.
    """
    file, named = path.name, WORKBOOK_SUFFIXES.get(path.suffix.lower())
    if data.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                mimetype = archive.read("mimetype").strip() if "mimetype" in names else b""
                kind = ODS if mimetype == ODS_MIMETYPE else XLSX if _WORKBOOK_PART in names else None
                if kind is not None:
                    check_unzipped_size(archive, file)
        except (zipfile.BadZipFile, OSError, EOFError, KeyError):
            raise corrupt(file, named or XLSX) from None
        if kind is not None:
            return kind
        if named is None and path.suffix.lower() not in (".zip", *TEXT_SUFFIXES):
            raise UnreadableFileError([Problem(file, None, None, None, "unsupported_file",
                                               {"kinds": ACCEPTED_KINDS})])
        raise UnreadableFileError([Problem(file, None, None, None, "zip_archive")])
    if data.startswith(OLE2_MAGIC):
        return XLS
    if named is not None:
        raise corrupt(file, named)
    return None


def _workbook_tables(file: str, names: tuple[str, ...], grids: list[SheetGrid]) -> FileTables:
    tables, unreadable = {}, {}
    for grid in grids:
        if grid.error is not None:
            unreadable[grid.name] = grid.error
            continue
        width = max(len(row) for row in grid.rows)
        frame = pd.DataFrame([row + [""] * (width - len(row)) for row in grid.rows], dtype=str)
        try:
            table = _table_from_grid(frame, file, grid.name)
        except UnreadableFileError as error:
            unreadable[grid.name] = error
            continue
        table.sheets = names
        tables[grid.name] = table
    if len(grids) == 1 and unreadable:
        raise next(iter(unreadable.values()))
    return FileTables(file, names, tables, unreadable)


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
    """Header row stripped, empty rows and unnamed empty columns dropped, cells stripped.

    Every cell is stripped once (the emptiness of rows and the corrections both come from it).
    """
    grid = grid.fillna("").astype(str)
    stripped = grid.apply(lambda column: column.str.strip())
    filled = stripped.ne("").any(axis=1).to_numpy(dtype=bool)
    grid, stripped = grid.loc[filled], stripped.loc[filled]
    if grid.empty:
        raise UnreadableFileError([Problem(file, None, None, None, "empty_file", sheet=sheet)])
    header = list(stripped.iloc[0])
    problems = _header_problems(header, grid, file, sheet)
    if problems:
        raise UnreadableFileError(problems)
    keep = [position for position, name in enumerate(header) if name != ""]
    names = [header[position] for position in keep]
    rows = grid.index[1:] + 1  # spreadsheet row numbers: header = row 1
    body, clean = grid.iloc[1:, keep], stripped.iloc[1:, keep]
    body.columns = clean.columns = names
    body.index = clean.index = rows
    frame, fixes = strip_cells(body, file, sheet, clean)
    return RawTable(frame=frame, file=file, sheet=sheet, fixes=fixes)


def strip_cells(body: pd.DataFrame, file: str, sheet: str | None,
                stripped: pd.DataFrame | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Text cells without surrounding spaces (empty cells missing), and one correction per column that had any.

    `stripped`: the same cells already stripped, when the caller has them.
    """
    stripped = body.apply(lambda column: column.str.strip()) if stripped is None else stripped
    columns, fixes = {}, []
    for name in body.columns:
        original, clean = body[name], stripped[name]
        changed = original.ne(clean).to_numpy(dtype=bool)
        if changed.any():
            fixes.append(fixed(file, None, name, None, "trimmed_spaces",
                               {"rows": [int(r) for r in body.index[changed]]}, sheet))
        columns[name] = pd.Series(clean.where(clean.ne("")).to_numpy(), index=body.index, dtype="str")
    return pd.DataFrame(columns, index=body.index), fixes
