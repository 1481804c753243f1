"""Text folding used to compare headers, category words and place names from forms; ids' one spelling.

`fold` ignores accents, case, punctuation and spacing; `key` also ignores Spanish articles
and prepositions ("Fecha de inscripción" and "fecha inscripcion" give the same key).
`identifier` writes an id one way, so that invisible differences never make two people.
"""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = re.compile(r"['’`´ʼ‘]")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
STOPWORDS = frozenset({"de", "del", "la", "el", "los", "las"})


def fold(text: object) -> str:
    """Lower case ASCII words separated by one space: 'SAN  Pedro Sacatepéquez ' -> 'san pedro sacatepequez'."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    ascii_text = _APOSTROPHES.sub("", ascii_text)
    return _NOT_ALNUM.sub(" ", ascii_text).strip()


def key(text: object) -> str:
    """`fold` without articles/prepositions, words joined by '_': 'Fecha de inscripción' -> 'fecha_inscripcion'."""
    words = [word for word in fold(text).split() if word not in STOPWORDS]
    return "_".join(words)


# Characters that change an id without being seen: format characters (zero-width space and
# joiners U+200B-U+200D, word joiner U+2060, BOM U+FEFF, soft hyphen) and control characters.
_INVISIBLE = frozenset({"Cf", "Cc"})


def clean_code(text: str) -> str:
    """Unicode NFC, invisible characters removed, any space (no-break too) as ' ', ends stripped."""
    if text.isascii() and text.isprintable():  # the usual case, and nothing in it is invisible
        return text.strip()
    kept = (" " if unicodedata.category(ch) == "Zs" else ch
            for ch in unicodedata.normalize("NFC", text) if unicodedata.category(ch) not in _INVISIBLE)
    return "".join(kept).strip()


def identifier(text: str) -> str:
    """The one spelling of an id: `clean_code` in upper case ('msk\u200b-001\u00a0' -> 'MSK-001')."""
    return clean_code(text).upper()
