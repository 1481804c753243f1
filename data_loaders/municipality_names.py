"""Match department and municipality NAMES written in forms to official codes.

Tolerant of accents, case, spacing, punctuation and known variants ("Quezaltenango",
"Tecún Umán", "Cucuta"); never guesses: a name shared by several municipalities needs
its department (or the country, for Desaguadero), and a name not found is reported with
the closest official name as a suggestion. Every answer is a `NameMatch` or a `Problem`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from data_loaders import catalogue
from data_loaders.catalogue import Unit
from data_loaders.errors import Problem
from data_loaders.text import fold
from geo.codes import InvalidCodeError, code_width, normalise_code

# Variants seen in forms -> official code, per country (keys are folded when indexed).
MUNICIPALITY_ALIASES: dict[str, dict[str, str]] = {
    "GTM": {
        "Quezaltenango": "0901", "Xela": "0901", "Xelajú": "0901",
        "Tecún Umán": "1217", "Ciudad Tecún Umán": "1217",
        "Huehue": "1301", "Soloma": "1308", "Barillas": "1326", "Todos Santos": "1315",
        "Olintepeque": "0903", "Ostuncalco": "0909", "Sija": "0904", "Colomba": "0917",
        "Chichicastenango": "1406", "Nebaj": "1413", "Uspantán": "1415", "Ixcán": "1420",
    },
    "BOL": {"Tiwanaku": "020803", "Corocoro": "020301"},
    "PER": {},
    "COL": {
        "Cúcuta": "54001", "Bogotá": "11001", "San Juan de Pasto": "52001", "Villa Rosario": "54874",
    },
}
DEPARTMENT_ALIASES: dict[str, dict[str, str]] = {
    "GTM": {"Quezaltenango": "09", "El Quiché": "14"},
    "BOL": {},
    "PER": {"Región Puno": "21"},
    "COL": {"Bogotá": "11", "Norte Santander": "54"},
}
# Words that sometimes precede a name in forms ("Municipio de Cuilco").
_PREFIX = re.compile(r"^(municipio|municipalidad|distrito|departamento|region)( de)? ")
# "San Pedro Sacatepéquez (San Marcos)" or "San Pedro Sacatepéquez, San Marcos".
_WITH_DEPARTMENT = re.compile(r"^(?P<name>[^,(]+?)\s*[,(]\s*(?P<department>[^)]+?)\s*\)?\s*$")
SUGGESTION_CUTOFF = 0.8


@dataclass(frozen=True)
class NameMatch:
    """A name recognised as an official unit; `exact` when written exactly as the official name."""

    code: str
    name: str
    department_code: str
    exact: bool


@dataclass(frozen=True)
class Where:
    """Location of the name in its file, for the Problem returned when it cannot be matched."""

    file: str = ""
    row: int | None = None
    column: str | None = None
    sheet: str | None = None

    def problem(self, value: str, code: str, params: dict) -> Problem:
        return Problem(self.file, self.row, self.column, value, code, params, self.sheet)


@lru_cache(maxsize=16)
def _index(country: str, level: str) -> dict[str, tuple[str, ...]]:
    """Folded official name or alias -> codes carrying it."""
    index: dict[str, list[str]] = {}
    for code, unit in catalogue.units(country, level).items():
        index.setdefault(fold(unit.name), []).append(code)
    aliases = MUNICIPALITY_ALIASES if level == "municipality" else DEPARTMENT_ALIASES
    for alias, code in aliases.get(country, {}).items():
        codes = index.setdefault(fold(alias), [])
        if code not in codes:
            codes.append(code)
    return {name: tuple(codes) for name, codes in index.items()}


def _lookup(text: str, country: str, level: str) -> tuple[str, ...]:
    index = _index(country, level)
    folded = fold(text)
    return index.get(folded) or index.get(_PREFIX.sub("", folded), ())


def _match(unit: Unit, text: str) -> NameMatch:
    return NameMatch(unit.code, unit.name, unit.department_code, exact=text == unit.name)


def _not_found(text: str, country: str, level: str, where: Where, within: str | None = None) -> Problem:
    units = catalogue.units(country, level)
    names = {fold(u.name): u for u in units.values() if within is None or u.department_code == within}
    close = difflib.get_close_matches(fold(text), list(names), n=1, cutoff=SUGGESTION_CUTOFF)
    if level == "department":
        return where.problem(text, "unknown_department_name", {"country": country})
    if close:
        params = {"country": country, "suggestion": names[close[0]].describe()}
        return where.problem(text, "unknown_municipality_name_suggestion", params)
    return where.problem(text, "unknown_municipality_name", {"country": country})


def match_department(text: str, country: str, where: Where = Where()) -> NameMatch | Problem:
    """The department of `country` named `text` (a name, an alias or its code)."""
    text = str(text).strip()
    if text.isdigit():
        unit = catalogue.department(country, text.zfill(2))
        return NameMatch(unit.code, unit.name, unit.code, True) if unit else \
            where.problem(text, "unknown_department_code", {"country": country})
    codes = _lookup(text, country, "department")
    if not codes:
        return _not_found(text, country, "department", where)
    unit = catalogue.department(country, codes[0])
    return NameMatch(unit.code, unit.name, unit.code, exact=text == unit.name)


def match_municipality(text: str, country: str, department: str | None = None,
                       where: Where = Where()) -> NameMatch | Problem:
    """The municipality of `country` named `text`, within `department` (code or name) when given.

    Digits are taken as the municipality code itself.
    """
    text = str(text).strip()
    if text.isdigit():
        return _by_code(text, country, where)
    department_code = None
    if department is not None and str(department).strip():
        found = match_department(department, country, where)
        if isinstance(found, Problem):
            return found
        department_code = found.code
    codes = _lookup(text, country, "municipality")
    split = _WITH_DEPARTMENT.match(text)
    if not codes and department_code is None and split:  # "San Pedro Sacatepéquez (San Marcos)"
        return _with_department(text, split["name"], split["department"], country, where)
    if not codes:
        return _not_found(text, country, "municipality", where, department_code)
    candidates = [catalogue.municipality(country, code) for code in codes]
    return _choose(text, country, candidates, department_code, where)


def _by_code(text: str, country: str, where: Where) -> NameMatch | Problem:
    try:
        code = normalise_code(text, country, "municipality")
    except InvalidCodeError:
        params = {"country": country, "width": code_width(country, "municipality")}
        return where.problem(text, "invalid_municipality_code", params)
    unit = catalogue.municipality(country, code)
    if unit is None:
        return where.problem(text, "unknown_municipality_code", {"country": country})
    return NameMatch(unit.code, unit.name, unit.department_code, exact=True)


def _with_department(text: str, name: str, department: str, country: str, where: Where) -> NameMatch | Problem:
    found = match_municipality(name, country, department, where)
    if isinstance(found, Problem):
        return Problem(found.file, found.row, found.column, text, found.code, found.params, found.sheet)
    return NameMatch(found.code, found.name, found.department_code, exact=False)


def _choose(text: str, country: str, candidates: list[Unit], department_code: str | None,
            where: Where) -> NameMatch | Problem:
    if department_code is not None:
        inside = [unit for unit in candidates if unit.department_code == department_code]
        if not inside:
            params = {"department": catalogue.department(country, department_code).describe(),
                      "candidates": [unit.describe() for unit in candidates]}
            return where.problem(text, "municipality_not_in_department", params)
        candidates = inside
    if len(candidates) > 1:
        params = {"candidates": [unit.describe() for unit in candidates]}
        if department_code is None:
            return where.problem(text, "ambiguous_municipality_name", params)
        params["department"] = catalogue.department(country, department_code).describe()
        return where.problem(text, "ambiguous_municipality_in_department", params)
    return _match(candidates[0], text)
