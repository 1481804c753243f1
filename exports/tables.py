"""Tables as files: CSV (UTF-8 with BOM) and XLSX (formatted, with a notes sheet), optionally with an HXL row.

The export carries what the page's table shows: the same rows, columns and labels, and a
hidden cell reads as the page reads it (`i18n.hidden_mark`: "menos de 5", "oculta", "no publicada",
as text), never a number: its kind comes from `with_hidden` (a cell of unknown kind reads "no publicada"). Frames come with
canonical (English snake_case) column names, so the HXL tags (`exports.hxl`) and the default
headers (`exports.column.<name>` messages) are looked up in one place; `headers` replaces
any of them with the page's own wording.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

import i18n
from charts.style import PRIMARY
from exports import hxl as hxl_vocabulary
from exports.safe_cells import append_row, csv_file

COUNT_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0"
SHARE_FORMAT = "0.0%"
DATE_FORMAT = "yyyy-mm-dd"
MIN_WIDTH, MAX_WIDTH = 8, 60
HXL_COLOUR = "5C6670"
FONT = "Calibri"
NOTES_TEXT_WIDTH = 90


@dataclass(frozen=True)
class TableNotes:
    """What the 'Notes' sheet says about a table, already in `lang` (definitions: (term, definition) pairs)."""

    title: str
    lang: str
    source: str
    data_date: dt.date | None = None
    definitions: tuple[tuple[str, str], ...] = ()
    suppression: str | None = None  # None: the standard sentence (privacy.suppressed_note)

    def suppression_rule(self) -> str:
        if self.suppression is not None:
            return self.suppression
        return i18n.hidden_note(self.lang)


def default_headers(columns: Sequence[str], lang: str) -> dict[str, str]:
    """Column -> header in `lang` for the canonical columns the catalogue knows (others keep their name)."""
    return {c: i18n.translate(f"exports.column.{c}", lang) if i18n.has_message(f"exports.column.{c}", lang) else c
            for c in columns}


def is_share_column(column: str) -> bool:
    """Fractions shown as percentages: `share`, `*_share`, `rate`, `*_rate` and rate interval bounds."""
    return column in ("share", "rate", "rate_low", "rate_high") or column.endswith(
        ("_share", "_rate", "_rate_low", "_rate_high"))


def _numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def with_hidden(frame: pd.DataFrame, kinds: Mapping[str, Sequence[object]]) -> pd.DataFrame:
    """`frame` carrying the kind of hidden of each row of some columns (column -> kinds, `i18n.HIDDEN_KINDS`),
    so that its files read each hidden cell as the page does."""
    out = frame.copy()
    out.attrs["hidden"] = {column: list(values) for column, values in kinds.items()}
    return out


def _cell(value: object, numeric_column: bool, lang: str, kind: object = None) -> object:
    """One exported cell: a number, a text, a date, the reading of a hidden figure or ''."""
    if isinstance(value, str):
        return value
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return i18n.hidden_mark(kind, lang) if numeric_column else ""
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item"):  # numpy scalars -> Python numbers
        return value.item()
    return value


def export_rows(frame: pd.DataFrame, lang: str) -> list[list[object]]:
    """The frame's cells as exported: missing counts (hidden cells, <NA>) read as their kind in `lang`.

    A `value` that is <NA> is a hidden cell everywhere in the dashboard (store/cached), so every
    missing cell of a numeric column reads as a hidden figure (of the kind `with_hidden` gave it,
    else "not published"); a missing text reads ''.
    """
    numeric = [_numeric(frame[c]) for c in frame.columns]
    given = frame.attrs.get("hidden", {})
    kinds = [given.get(c, [None] * len(frame)) for c in frame.columns]
    return [[_cell(v, n, lang, k[i]) for v, n, k in zip(row, numeric, kinds)]
            for i, row in enumerate(frame.itertuples(index=False, name=None))]


def _header_rows(frame: pd.DataFrame, lang: str, headers: Mapping[str, str] | None, hxl: bool,
                 indicator: str | None, level: str | None, hxl_tags: Mapping[str, str] | None) -> list[list[str]]:
    names = {**default_headers(list(frame.columns), lang), **(headers or {})}
    rows = [[names[c] for c in frame.columns]]
    if hxl:
        rows.append(hxl_vocabulary.hxl_row(frame.columns, indicator, level, hxl_tags))
    return rows


def csv_bytes(frame: pd.DataFrame, lang: str, headers: Mapping[str, str] | None = None, hxl: bool = False,
              indicator: str | None = None, level: str | None = None,
              hxl_tags: Mapping[str, str] | None = None) -> bytes:
    """The table as CSV, UTF-8 with a byte-order mark (Excel then reads accents right), comma-separated.

    Numbers are written plainly (1470, 0.653) so any program reads them; hidden cells read as on the page;
    a text a spreadsheet could run as a formula is neutralised (exports.safe_cells).
    """
    return csv_file(_header_rows(frame, lang, headers, hxl, indicator, level, hxl_tags)
                    + export_rows(frame, lang))


def _number_format(column: str, series: pd.Series) -> str | None:
    if is_share_column(column):
        return SHARE_FORMAT
    if pd.api.types.is_integer_dtype(series):
        return COUNT_FORMAT
    if _numeric(series):
        return DECIMAL_FORMAT
    if pd.api.types.is_datetime64_any_dtype(series) or any(isinstance(v, dt.date) for v in series.head(20)):
        return DATE_FORMAT
    return None


def _width(values: Sequence[object]) -> float:
    longest = max((len(str(v)) for v in values if v is not None), default=0)
    return float(min(MAX_WIDTH, max(MIN_WIDTH, longest + 2)))


def _data_sheet(sheet, frame: pd.DataFrame, header_rows: list[list[str]], rows: list[list[object]]) -> None:
    fill = PatternFill("solid", fgColor=PRIMARY.lstrip("#").upper())
    for row in header_rows + rows:
        append_row(sheet, row)
    for cell in sheet[1]:
        cell.font = Font(name=FONT, bold=True, color="FFFFFF")
        cell.fill = fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    if len(header_rows) > 1:  # the HXL row: small grey monospace, as HXL tools show it
        for cell in sheet[2]:
            cell.font = Font(italic=True, color=HXL_COLOUR, name="Consolas")
    first = len(header_rows) + 1
    marks = i18n.hidden_marks()
    sheet.freeze_panes = sheet.cell(row=first, column=1)
    for index, column in enumerate(frame.columns, start=1):
        letter = get_column_letter(index)
        number_format = _number_format(column, frame[column])
        if _numeric(frame[column]):  # figures and their headers line up on the right
            for header_row in range(1, len(header_rows) + 1):
                cell = sheet.cell(row=header_row, column=index)
                cell.alignment = Alignment(horizontal="right", vertical="center", wrap_text=header_row == 1)
        for row in sheet.iter_rows(min_row=first, min_col=index, max_col=index):
            cell = row[0]
            if cell.value in marks:
                cell.alignment = Alignment(horizontal="right")
            elif number_format and not isinstance(cell.value, str):
                cell.number_format = number_format
        shown = [h[index - 1] for h in header_rows] + [r[index - 1] for r in rows]
        sheet.column_dimensions[letter].width = _width(shown)
    _print_setup(sheet)
    if rows:
        last = f"{get_column_letter(len(frame.columns))}{len(header_rows) + len(rows)}"
        sheet.auto_filter.ref = f"A{len(header_rows)}:{last}"  # on the HXL row when there is one


def notes_rows(notes: TableNotes, hxl: bool = False) -> list[tuple[str, str]]:
    """The notes sheet, label -> text: title, definitions, source, data date, suppression rule, generated."""
    lang = notes.lang
    label = lambda key: i18n.translate(f"exports.notes.{key}", lang)  # noqa: E731
    rows = [(label("table"), notes.title)]
    rows += [(term, definition) for term, definition in notes.definitions]
    rows += [
        (label("source"), notes.source),
        (label("data_date"), i18n.format_date(notes.data_date, lang) if notes.data_date else "–"),
        (label("suppression"), notes.suppression_rule()),
        (label("generated"), i18n.format_date(dt.date.today(), lang)),
    ]
    if hxl:
        rows.append((label("hxl"), i18n.translate("exports.notes.hxl_text", lang)))
    return rows


def _notes_sheet(sheet, notes: TableNotes, hxl: bool) -> None:
    append_row(sheet, [i18n.translate("exports.notes.heading", notes.lang)])
    sheet["A1"].font = Font(name=FONT, bold=True, size=13, color=PRIMARY.lstrip("#").upper())
    append_row(sheet, [])
    definitions = {term for term, _ in notes.definitions}
    for label, text in notes_rows(notes, hxl):
        append_row(sheet, [label, text])
        row = sheet.max_row
        sheet.cell(row=row, column=1).font = Font(name=FONT, bold=True, italic=label in definitions)
        for column in (1, 2):
            sheet.cell(row=row, column=column).alignment = Alignment(vertical="top", wrap_text=True)
        # Row height set here: not every program grows wrapped rows by itself (LibreOffice does not).
        lines = max(math.ceil(len(str(text)) / (NOTES_TEXT_WIDTH - 4)), math.ceil(len(label) / 26), 1)
        sheet.row_dimensions[row].height = 15 * lines
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = NOTES_TEXT_WIDTH
    _print_setup(sheet)


def _print_setup(sheet) -> None:
    """Landscape, one page wide: a printed table keeps its columns together."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def xlsx_bytes(frame: pd.DataFrame, notes: TableNotes, headers: Mapping[str, str] | None = None,
               hxl: bool = False, indicator: str | None = None, level: str | None = None,
               hxl_tags: Mapping[str, str] | None = None) -> bytes:
    """The table as an Excel workbook: a data sheet (bold header in the theme colour, frozen, number
    formats, sensible widths, optional HXL row) and a notes sheet (definitions, source, data date,
    suppression rule)."""
    lang = notes.lang
    workbook = Workbook()
    data = workbook.active
    data.title = i18n.translate("exports.sheet.data", lang)
    _data_sheet(data, frame, _header_rows(frame, lang, headers, hxl, indicator, level, hxl_tags),
                export_rows(frame, lang))
    _notes_sheet(workbook.create_sheet(i18n.translate("exports.sheet.notes", lang)), notes, hxl)
    workbook.properties.title = notes.title[:250]
    workbook.properties.creator = "Conexión territorial"
    workbook.properties.language = lang
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
