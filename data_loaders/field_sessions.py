"""Read a field team's spreadsheet of awareness sessions into canonical awareness_sessions.

The teams at Desaguadero keep one row per session in a CSV saved by Excel: Latin-1, `;`,
dates as dd/mm/yyyy, Spanish headers and words, the country as `Bolivia`/`Perú` and the
municipality as a name (Desaguadero exists on both sides; the country tells them apart).
The general reader understands all of this; this module names the format for the exporter.
"""

from __future__ import annotations

from pathlib import Path

from data_loaders.canonical import LoadResult, read_dataset
from data_loaders.headers import MUNICIPALITY_NAME, SPANISH_HEADERS

DATASET = "awareness_sessions"
ENCODING = "latin-1"
SEPARATOR = ";"
DATE_FORMAT = "%d/%m/%Y"
LINE_TERMINATOR = "\r\n"  # written by Excel on Windows
# Canonical column -> header, in the order of the teams' spreadsheet.
FIELD_COLUMNS: tuple[str, ...] = (
    "session_id", "date", "country", MUNICIPALITY_NAME, "institution_id", "topic", "audience",
    "female_0_17", "male_0_17", "female_18_29", "male_18_29", "female_30_plus", "male_30_plus",
    "facilitating_agents",
)


def field_header(column: str) -> str:
    """The Spanish header the field spreadsheet uses for a canonical column."""
    return SPANISH_HEADERS[column][0]


def read_field_sessions(path: str | Path) -> LoadResult:
    """Canonical awareness sessions from a field team's CSV (any accepted encoding and separator)."""
    return read_dataset(path, DATASET)
