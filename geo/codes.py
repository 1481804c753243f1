"""Territorial code normalisation: official codes as zero-padded strings, in one place.

Spreadsheets turn `020804` into the number 20804 and `01` into 1 or 1.0; every join goes
through `normalise_code` so that codes from forms and boundary files compare equal.
"""

from __future__ import annotations

import math

import pandas as pd

# Digits of each official code, by country and level.
CODE_WIDTHS: dict[str, dict[str, int]] = {
    "GTM": {"department": 2, "municipality": 4},
    "BOL": {"department": 2, "municipality": 6},
    "PER": {"department": 2, "municipality": 6},
    "COL": {"department": 2, "municipality": 5},
}


class InvalidCodeError(ValueError):
    """A value that cannot be an official territorial code."""


def code_width(country: str, level: str) -> int:
    """Number of digits of a `country` code at `level` ('department' or 'municipality')."""
    return CODE_WIDTHS[country][level]


def normalise_code(value: object, country: str, level: str) -> str | None:
    """Return `value` as the zero-padded official code, None when empty.

    Accepts strings with spaces, integers and integral floats (`20804.0`); raises
    InvalidCodeError for anything else (letters, too many digits, fractions).
    """
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    width = code_width(country, level)
    if isinstance(value, float):
        if not value.is_integer():
            raise InvalidCodeError(f"{value!r} is not a {country} {level} code")
        value = int(value)
    text = str(value).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    if text == "":
        return None
    # isascii: str.isdigit also accepts '²' and other Unicode digits.
    if not (text.isascii() and text.isdigit()) or len(text) > width:
        raise InvalidCodeError(f"{value!r} is not a {country} {level} code ({width} digits expected)")
    return text.zfill(width)


def department_of(municipality_code: str, country: str) -> str:
    """Department code contained in a municipality code (the first two digits everywhere)."""
    return normalise_code(municipality_code, country, "municipality")[:2]


def unit_id(country: str, code: str) -> str:
    """Identifier unique across countries ('BOL-020804'): department codes repeat between countries."""
    return f"{country}-{code}"
