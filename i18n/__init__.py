"""Message catalogues (Spanish first, English) and locale-aware formatting of numbers and dates.

Streamlit-free: the caller passes the language; `ui.language` binds it to the session.
Spanish uses Babel's `es` locale (1.400 · 65,3 % · 5 de marzo de 2024), English `en`
(1,400 · 65.3% · March 5, 2024); see docs/i18n.md for the choice.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal, format_percent

LANGUAGES = ("es", "en")
DEFAULT_LANGUAGE = "es"
_FOLDER = Path(__file__).resolve().parent


# How a suppressed (protected) cell reads everywhere: pages, maps, tables and exports.
SUPPRESSED_MARK = "·"


class MissingMessageError(KeyError):
    """A key used by the code is missing from a catalogue."""


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    """All messages of one language, key -> template: `<lang>.json` plus one `<lang>.<part>.json` per page family.

    A key defined in two files is an error, so each file owns its keys.
    """
    messages: dict[str, str] = {}
    for path in sorted(_FOLDER.glob(f"{lang}.json")) + sorted(_FOLDER.glob(f"{lang}.*.json")):
        with open(path, encoding="utf-8") as handle:
            part = json.load(handle)
        repeated = set(part) & set(messages)
        if repeated:
            raise ValueError(f"{path.name} redefines {sorted(repeated)}")
        messages.update(part)
    return messages


def normalise_language(value: object) -> str:
    """`value` if it is a supported language code, else the default (Spanish)."""
    text = str(value or "").strip().lower()[:2]
    return text if text in LANGUAGES else DEFAULT_LANGUAGE


def translate(key: str, lang: str, **params: object) -> str:
    """The message `key` in `lang`, with `{placeholders}` filled from params."""
    messages = catalogue(normalise_language(lang))
    if key not in messages:
        raise MissingMessageError(f"No message {key!r} in the {lang} catalogue")
    template = messages[key]
    return template.format(**params) if params else template


def has_message(key: str, lang: str) -> bool:
    return key in catalogue(normalise_language(lang))


def format_number(value: float | int | None, lang: str, decimals: int = 0) -> str:
    """A count or amount in the language's format; '–' for missing values."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=lang)


def format_count(value: object, lang: str) -> str:
    """A published count, or the suppression mark when the cell is protected (<NA>)."""
    if value is None or value is _pd_na() or (isinstance(value, float) and math.isnan(value)):
        return SUPPRESSED_MARK
    return format_number(value, lang)


def _pd_na():
    from pandas import NA

    return NA


def format_share(value: float | None, lang: str, decimals: int = 1) -> str:
    """A fraction (0.653) as a percentage in the language's format (65,3 % / 65.3%)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    # The locale's own pattern keeps its spacing ("65,3 %" in Spanish, "65.3%" in English).
    pattern = Locale.parse(lang).percent_formats[None].pattern
    if decimals:
        pattern = pattern.replace("0%", "0." + "0" * decimals + "%").replace("0\xa0%", "0." + "0" * decimals + "\xa0%")
    return format_percent(value, format=pattern, locale=lang)


def format_date(value: dt.date, lang: str, style: str = "long") -> str:
    """A date as people write it in the language (style: 'long', 'medium' or a Babel pattern)."""
    return _babel_date(value, format=style, locale=lang)


def format_month(value: dt.date, lang: str) -> str:
    """'mar 2024' / 'Mar 2024' for time axes."""
    return _babel_date(value, format="MMM yyyy", locale=lang)


def format_quarter(value: dt.date, lang: str) -> str:
    """'T1 2024' / 'Q1 2024' for the quarter starting at `value`."""
    quarter = (value.month - 1) // 3 + 1
    return translate("time.quarter", lang, quarter=quarter, year=value.year)
