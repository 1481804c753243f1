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


# The symbol drawn on a map at a hidden unit (a marker, not a reading: its tooltip says which kind it is).
SUPPRESSED_MARK = "·"

# The kinds of hidden figure, named as `publication.protection` names the fates shown hidden:
# - small: 1 to k-1 people (the protection assumed an attacker knows that class), read "fewer than k";
# - protecting: at least k, hidden so that a small figure beside it cannot be worked out;
# - withheld: its breakdown is withheld as a whole, or nothing could protect it: no class may be shown.
SMALL, PROTECTING, WITHHELD = "small", "protecting", "withheld"
# A value the publication family does not offer under the filters asked (publication.published): read as withheld.
NOT_OFFERED = "not_offered"
HIDDEN_KINDS = (SMALL, PROTECTING, WITHHELD)


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


def hidden_kind(kind: object) -> str:
    """The kind of a hidden cell; an unknown kind reads as withheld, the reading that says nothing of the figure."""
    return kind if kind in HIDDEN_KINDS else WITHHELD


def share_kind(part_kinds) -> str:
    """The kind of a share hidden because of its hidden parts (numerator, denominator): protecting when each
    is small or protecting, withheld when one is withheld (or of no known kind): no class of it may be shown."""
    return PROTECTING if all(kind in (SMALL, PROTECTING) for kind in part_kinds) else WITHHELD


def _threshold() -> int:
    import settings

    return settings.suppression_threshold()


def hidden_mark(kind: object, lang: str) -> str:
    """What a person reads in place of a hidden figure: 'menos de 5' / 'fewer than 5', 'oculta', 'no publicada'."""
    return translate(f"privacy.hidden.{hidden_kind(kind)}", lang, k=_threshold())


def hidden_reason(kind: object, lang: str) -> str:
    """Why a figure of that kind is hidden, in one sentence (a metric's help, a tooltip, a legend line)."""
    return translate(f"privacy.hidden.{hidden_kind(kind)}.reason", lang, k=_threshold())


def hidden_legend(kinds: object, lang: str) -> str:
    """One line per kind used («mark»: reason), in the order of HIDDEN_KINDS; '' when nothing is hidden."""
    used = {hidden_kind(kind) for kind in kinds}
    return "\n".join(translate("privacy.hidden.legend", lang, mark=hidden_mark(kind, lang),
                               reason=hidden_reason(kind, lang)) for kind in HIDDEN_KINDS if kind in used)


def hidden_note(lang: str) -> str:
    """The sentence under a view that explains every reading of a hidden figure."""
    return translate("privacy.hidden.note", lang, k_minus_one=_threshold() - 1,
                     **{kind: hidden_mark(kind, lang) for kind in HIDDEN_KINDS})


def hidden_marks() -> frozenset[str]:
    """Every reading of a hidden figure, in every language (to recognise one in a table or a file)."""
    return frozenset(hidden_mark(kind, lang) for kind in HIDDEN_KINDS for lang in LANGUAGES)


def is_missing(value: object) -> bool:
    """None, <NA> or NaN: a figure that is not shown."""
    return value is None or value is _pd_na() or (isinstance(value, float) and math.isnan(value))


def format_count(value: object, lang: str, kind: object = None) -> str:
    """A published count, or the reading of its hidden kind when the cell is hidden (<NA>)."""
    if is_missing(value):
        return hidden_mark(kind, lang)
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


def format_timestamp(value: dt.datetime, lang: str) -> str:
    """'5 dic 2026 13:44' / 'Dec 5, 2026 13:44': a moment of the logs (the clock is the store's, UTC)."""
    if is_missing(value):
        return "–"
    return f"{format_date(value.date(), lang, 'medium')} {value:%H:%M}"


def format_month(value: dt.date, lang: str) -> str:
    """'mar 2024' / 'Mar 2024' for time axes."""
    return _babel_date(value, format="MMM yyyy", locale=lang)


def format_quarter(value: dt.date, lang: str) -> str:
    """'T1 2024' / 'Q1 2024' for the quarter starting at `value`."""
    quarter = (value.month - 1) // 3 + 1
    return translate("time.quarter", lang, quarter=quarter, year=value.year)
