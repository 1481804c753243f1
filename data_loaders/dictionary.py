"""Render the data dictionary (docs/data-dictionary.md) from the schemas, headers and vocabulary.

Run `python -m data_loaders.dictionary` after changing the contract; a test checks that the
committed file equals the rendered text.
"""

from __future__ import annotations

from pathlib import Path

import pandera.pandas as pa

from data_loaders import schemas
from data_loaders.canonical import column_kind
from data_loaders.headers import DEPARTMENT_NAME, MUNICIPALITY_NAME, SPANISH_HEADERS
from data_loaders.validation import DATE_ORDER
from data_loaders.vocabulary import SPANISH_WORDS

OUTPUT = Path(__file__).resolve().parents[1] / "docs" / "data-dictionary.md"
KIND_NAMES = {
    "text": "text", "identifier": "identifier (upper case)",
    "code": "code (digits)", "category": "category", "integer": "whole number",
    "number": "number", "boolean": "yes/no", "date": "date",
}

INTRODUCTION = """\
# Data dictionary

Generated from `data_loaders/schemas.py` by `python -m data_loaders.dictionary`; do not edit
by hand. Each dataset is one file (`<dataset>.csv`, or a sheet of an `.xlsx` workbook).

How files are read (`data_loaders.canonical.read_dataset`):

- **Encoding and separator**: CSV in UTF-8 (with or without BOM), Latin-1 or Windows-1252,
  separated by `,` or `;`; XLSX cells are read as text, Excel dates become ISO dates.
- **Headers**: the English column name or one of the Spanish headers listed below; accents,
  case, spacing and the words *de, del, la, el, los, las* are ignored. Other columns are not loaded.
- **Rows** are counted as in a spreadsheet: the header is row 1.
- **Dates**: `yyyy-mm-dd` (a time part is ignored), `dd/mm/yyyy` or `mm/dd/yyyy`, between {date_min}
  and {date_max}. A column has one order: a first part over 12 proves day/month, a second part
  over 12 month/day, and such values decide the whole column (dates impossible in that order are
  errors). A column no value decides (no day or month over 12) is a question, never a guess: the
  Data page shows both readings of its dates and the file loads once the order is chosen.
  ISO dates are never ambiguous. An Excel day number (a date cell in General format: `45356` is
  2024-03-05; years 2000 to 2049) is read as a date and reported as a correction.
- **Whole numbers** (counts, ages): `8`, also `8,0` or `8.0`; a number with decimals (`8,5`) is an
  error. Thousands separators are never read: a mark followed by three digits (`1.234`, `1,234`)
  may be a thousand or a fraction, so it is refused with a message; write `1234`.
- **Numbers** (hours, scores, coordinates): point or comma as decimal mark, no thousands separator.
- **Identifiers** (every `*_id` column) have one spelling, so that an invisible difference never
  makes a new person: Unicode NFC; invisible characters removed (zero-width space and joiners
  U+200B to U+200D, word joiner U+2060, BOM U+FEFF, soft hyphen); no-break and other spaces
  made ordinary spaces; surrounding spaces removed; and **upper case** (`msk-001` is `MSK-001`).
  Each change is reported as a correction naming its rows and column. Territorial codes lose
  invisible characters the same way.
- **Yes/no**: `sí`/`no`, `1`/`0`, `true`/`false`.
- **Categories**: the code or one of the Spanish words listed at the end.
- **Places**: official codes (Guatemala INE, Bolivia INE, Peru UBIGEO, Colombia DIVIPOLA),
  zero-padded; a code must exist in the country's catalogue. Instead of codes a file may give
  names in `{municipality}` (*Municipio*) and `{department}` (*Departamento*): they are matched
  ignoring accents, case and spacing; a name shared by several municipalities needs its department.
  `department_code` may be left out: it is the first two digits of the municipality code.
- **Keys**: a key repeated in two rows is an error naming both rows.
"""


def _constraint(check: pa.Check) -> str:
    stats = check.statistics
    if check.name == "isin":
        return ", ".join(f"`{value}`" for value in stats["allowed_values"])
    if check.name == "in_range":
        low, high = (_show(stats["min_value"]), _show(stats["max_value"]))
        return f"{low} to {high}"
    if check.name == "greater_than_or_equal_to":
        return f"≥ {_show(stats['min_value'])}"
    if check.name == "str_matches":
        return "digits only, zero-padded; must exist in the catalogue"
    return check.name


def _show(value: object) -> str:
    text = str(value)
    return text[:10] if text.endswith("00:00:00") else text


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _column_row(dataset: str, name: str, column: pa.Column) -> str:
    required = "no (may be empty)" if column.nullable else "yes"
    if column.unique:
        required += ", unique"
    constraints = "; ".join(_constraint(check) for check in column.checks) or "—"
    spanish = ", ".join(SPANISH_HEADERS.get(name, ())) or "—"
    cells = [f"`{name}`", KIND_NAMES[column_kind(dataset, name)], required, constraints,
             column.description or "", spanish]
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _dataset_section(dataset: str, schema: pa.DataFrameSchema) -> list[str]:
    key = ", ".join(f"`{c}`" for c in schemas.DATASET_KEYS[dataset])
    lines = [f"## {dataset}", "", f"File `{dataset}.csv` · key {key}", ""]
    if dataset in DATE_ORDER:
        start, end = DATE_ORDER[dataset]
        lines += [f"`{end}` may not be before `{start}`.", ""]
    lines += ["| column | type | required | allowed values | description | Spanish headers |",
              "|---|---|---|---|---|---|"]
    lines += [_column_row(dataset, name, column) for name, column in schema.columns.items()]
    return lines + [""]


def _vocabulary_section() -> list[str]:
    lines = ["## Spanish words accepted in category columns", "",
             "| column | code | Spanish words |", "|---|---|---|"]
    for column, codes in SPANISH_WORDS.items():
        for code, words in codes.items():
            lines.append(f"| `{column}` | `{code}` | {_cell(', '.join(words))} |")
    return lines + [""]


def render_data_dictionary() -> str:
    """The whole data dictionary as Markdown."""
    intro = INTRODUCTION.format(date_min=schemas.DATE_MIN.date(), date_max=schemas.DATE_MAX.date(),
                                municipality=MUNICIPALITY_NAME, department=DEPARTMENT_NAME)
    lines = [intro]
    for dataset, schema in schemas.DATASETS.items():
        lines += _dataset_section(dataset, schema)
    lines += _vocabulary_section()
    return "\n".join(lines).rstrip() + "\n"


def main() -> None:
    OUTPUT.write_text(render_data_dictionary(), encoding="utf-8")
    print(f"Wrote {OUTPUT}")


if __name__ == "__main__":
    main()
