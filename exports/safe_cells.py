"""Cells a spreadsheet never runs: the one rule every CSV and XLSX file the dashboard writes follows.

A text that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula (OWASP, "CSV Injection"): an organisation named
``=HYPERLINK("http://x","clic")`` would become a live link, ``=cmd|' /C calc'!A0`` a command.
Following OWASP, such a text is written with a single quote in front (``'=HYPERLINK(...)``), and
in a CSV file that field is enclosed in double quotes (its own double quotes doubled). In an XLSX
file every text cell is a string cell (data type ``s``), so no cell is ever a formula. Numbers,
dates and booleans are written as they are (-3 stays the number -3), and so is a text that is
only a number (``-3``, ``+1.5``, ``-2,5``): a spreadsheet reads it as that number, never as a formula.
Every writer of CSV or XLSX goes through `csv_file` or `append_row`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")
_CSV_SPECIAL = (",", '"', "\r", "\n")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could read `text` as a formula (it begins with a trigger and is not a plain number)."""
    return text.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(text)


def safe_value(value: object) -> object:
    """`value` as a file may hold it: a formula-like text gets a single quote in front; anything else is kept."""
    if isinstance(value, str) and is_formula_like(value):
        return QUOTE + value
    return value


def _csv_field(value: object) -> str:
    """One CSV field (RFC 4180); a neutralised text is always enclosed in double quotes."""
    if value is None:
        return ""
    if isinstance(value, str) and is_formula_like(value):
        return '"' + (QUOTE + value).replace('"', '""') + '"'
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    if any(mark in text for mark in _CSV_SPECIAL):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_file(rows: Iterable[Sequence[object]]) -> bytes:
    """Rows as CSV: UTF-8 with a byte-order mark (Excel then reads accents right), comma, CRLF line ends.

    None is an empty field, dates are ISO (2025-01-15), numbers are written plainly (1470, 0.653).
    """
    lines = (",".join(_csv_field(value) for value in row) + "\r\n" for row in rows)
    return "".join(lines).encode("utf-8-sig")


def append_row(sheet, row: Sequence[object]) -> None:
    """Append `row` to an openpyxl worksheet: texts neutralised and typed as strings, never formulas."""
    sheet.append([safe_value(value) for value in row])
    for cell in sheet[sheet.max_row] if row else ():
        if isinstance(cell.value, str):
            cell.data_type = "s"
