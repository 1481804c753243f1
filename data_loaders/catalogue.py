"""Official departments and municipalities by country, as looked up by the loaders.

A thin, cached view of `geo.units.territorial_units()` keyed for fast code checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from geo.units import territorial_units


@dataclass(frozen=True)
class Unit:
    """One official unit: `code` zero-padded; `department_*` is the unit itself for departments."""

    country: str
    level: str
    code: str
    name: str
    department_code: str
    department_name: str

    def describe(self) -> str:
        """'San Pedro Sacatepéquez (San Marcos, 1202)' for municipalities, 'San Marcos (12)' for departments."""
        if self.level == "department":
            return f"{self.name} ({self.code})"
        return f"{self.name} ({self.department_name}, {self.code})"


@lru_cache(maxsize=16)
def units(country: str, level: str) -> dict[str, Unit]:
    """Code -> Unit of `country` at `level` ("department" or "municipality")."""
    table = territorial_units()
    rows = table[(table["country"] == country) & (table["level"] == level)]
    return {
        row.code: Unit(country, level, row.code, row.name, row.department_code, row.department_name)
        for row in rows.itertuples(index=False)
    }


def municipality(country: str, code: str) -> Unit | None:
    return units(country, "municipality").get(code)


def department(country: str, code: str) -> Unit | None:
    return units(country, "department").get(code)
