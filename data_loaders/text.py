"""Text folding used to compare headers, category words and place names from forms.

`fold` ignores accents, case, punctuation and spacing; `key` also ignores Spanish articles
and prepositions ("Fecha de inscripción" and "fecha inscripcion" give the same key).
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
