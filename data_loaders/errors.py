"""Problems found while loading a file, and the typed exceptions that carry them.

A `Problem` locates one finding (file, sheet, row, column, value) and names its message
template in `data_loaders.messages`; it renders itself in Spanish or English. Rows are
counted as a person sees them in a spreadsheet: the header is row 1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from data_loaders.messages import MESSAGES

SEVERITIES = ("error", "fixed", "question")  # a question: see UnansweredQuestionsError
MAX_VALUE_CHARS = 60  # long cell values are cut in messages
MAX_LISTED_ROWS = 10  # row lists longer than this end with "and N more"
MAX_MESSAGES_IN_STR = 20

# Location prefix and list words per language.
_LOCATION = {
    "es": {"sheet": "hoja «{}»", "row": "fila {}", "column": "columna «{}»"},
    "en": {"sheet": 'sheet "{}"', "row": "row {}", "column": 'column "{}"'},
}
_ROWS = {"es": ("fila {}", "filas {}"), "en": ("row {}", "rows {}")}
_AND = {"es": " y ", "en": " and "}
_OR = {"es": " o ", "en": " or "}
ALTERNATIVE_PARAMS = ("candidates",)
MEGABYTE_PARAMS = ("size_mb", "limit_mb")  # lists read as alternatives: "A o B"
_MORE = {"es": "{} más", "en": "{} more"}
_QUOTES = {"es": "«{}»", "en": '"{}"'}
COUNTRY_NAMES = {
    "es": {"GTM": "Guatemala", "BOL": "Bolivia", "PER": "Perú", "COL": "Colombia"},
    "en": {"GTM": "Guatemala", "BOL": "Bolivia", "PER": "Peru", "COL": "Colombia"},
}


def _cut(text: str) -> str:
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def _join(items: list[str], lang: str, words: dict[str, str] = _AND) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + words[lang] + items[-1]


def format_rows(rows: list[int], lang: str) -> str:
    """'fila 4' / 'filas 4, 7 y 9' / 'rows 4, 7 and 2 more'."""
    shown = [str(r) for r in rows[:MAX_LISTED_ROWS]]
    if len(rows) > MAX_LISTED_ROWS:
        shown.append(_MORE[lang].format(len(rows) - MAX_LISTED_ROWS))
    singular, plural = _ROWS[lang]
    return (singular if len(rows) == 1 else plural).format(_join(shown, lang))


def format_megabytes(value: float, lang: str, limit: float | None = None) -> str:
    """A size in MB, rounded up when rounding would show it equal to the limit: '26,3', '0,06' (es).

    Two decimals below 1 MB, else one, and at least as many as the limit is written with.
    A limit alone (no `limit`) is shown as configured: '25', '0,05'.
    """
    if limit is None:
        text = f"{value:g}"
    else:
        decimals = max(2 if value < 1 else 1, len(f"{limit:g}".partition(".")[2]))
        scale = 10 ** decimals
        shown = round(value * scale) / scale
        if shown <= limit:  # never show a size over the limit as equal to it
            shown = math.ceil(value * scale) / scale
        text = f"{shown:.{decimals}f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "es" else text


def _format_param(name: str, value: object, lang: str) -> str:
    if name in MEGABYTE_PARAMS:
        return format_megabytes(float(value), lang)
    if name == "rows":
        return format_rows(list(value), lang)
    if name == "country":
        return COUNTRY_NAMES[lang].get(str(value), str(value))
    if isinstance(value, (list, tuple)):
        words = _OR if name in ALTERNATIVE_PARAMS else _AND
        return _join([_QUOTES[lang].format(_cut(str(item))) for item in value], lang, words)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class Problem:
    """One finding in an input file: an error that blocks loading, a correction made ("fixed"),
    or a question the person must answer before the file loads ("question")."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    code: str
    params: dict = field(default_factory=dict)
    sheet: str | None = None
    severity: str = "error"

    def __post_init__(self) -> None:
        if self.code not in MESSAGES:
            raise KeyError(f"No message template for problem code {self.code!r}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, not {self.severity!r}")

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def location(self, lang: str = "es") -> str:
        """'file.csv, hoja «X», fila 7, columna «edad»' with the parts that exist."""
        words = _LOCATION[lang]
        parts = [self.file]
        if self.sheet is not None:
            parts.append(words["sheet"].format(self.sheet))
        if self.row is not None:
            parts.append(words["row"].format(self.row))
        if self.column is not None:
            parts.append(words["column"].format(self.column))
        return ", ".join(parts)

    def message(self, lang: str = "es") -> str:
        """The plain-language message in `lang` ("es" or "en"), starting with the location."""
        template = MESSAGES[self.code][lang]
        params = {name: _format_param(name, value, lang) for name, value in self.params.items()}
        if "size_mb" in self.params and "limit_mb" in self.params:
            params["size_mb"] = format_megabytes(self.params["size_mb"], lang, self.params["limit_mb"])
        value = "" if self.value is None else _cut(str(self.value))
        return f"{self.location(lang)}: {template.format(value=value, **params)}"


def fixed(file: str, row: int | None, column: str | None, value: str | None, code: str,
          params: dict | None = None, sheet: str | None = None) -> Problem:
    """A Problem recording an automatic correction."""
    return Problem(file, row, column, value, code, params or {}, sheet, severity="fixed")


class LoaderError(Exception):
    """A file could not be loaded; `problems` lists every error, `fixes` the corrections made."""

    def __init__(self, problems: list[Problem], fixes: list[Problem] | None = None) -> None:
        self.problems = list(problems)
        self.fixes = list(fixes or [])
        super().__init__(self.text("es"))

    def messages(self, lang: str = "es") -> list[str]:
        return [problem.message(lang) for problem in self.problems]

    def text(self, lang: str = "es") -> str:
        """All messages, one per line (the first few when there are many)."""
        lines = self.messages(lang)
        if len(lines) > MAX_MESSAGES_IN_STR:
            rest = len(lines) - MAX_MESSAGES_IN_STR
            lines = lines[:MAX_MESSAGES_IN_STR] + [_MORE[lang].format(rest) + " …"]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text("es")


class UnreadableFileError(LoaderError):
    """Nothing could be read: wrong encoding, corrupt or unsupported workbook, empty file."""


class MissingColumnsError(LoaderError):
    """Required columns are absent (the message lists them)."""


class ValidationError(LoaderError):
    """Rows fail the dataset's schema or cross checks (every failing row is listed)."""


class UnansweredQuestionsError(LoaderError):
    """The file can be read only once the person answers `problems` (questions: a column's date order)."""


class UnknownDatasetError(LoaderError, KeyError):
    """The dataset name is not one of `schemas.DATASETS`."""

    def __str__(self) -> str:  # KeyError would otherwise quote the text
        return self.text("es")
