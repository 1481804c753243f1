"""What a user may see, enforced on every indicator request: filters before the cache, rows after it.

Modelled on DHIS2's data-output units: a territorial user (municipal official) sees only
their municipalities and the totals of the departments and countries they lie in. Cached
results are shared by all users, so the cache is keyed on filters only and scope is
applied outside it, never inside.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import pandas as pd

from indicators.filters import Filters, Territory


class ScopeLike(Protocol):
    """The part of a signed-in user's scope the indicator layer needs (see auth.roles.Scope)."""

    @property
    def is_territorial(self) -> bool: ...

    @property
    def municipalities(self) -> tuple[Territory, ...]: ...


@dataclass(frozen=True)
class OutOfScopeError(Exception):
    """A request for territory outside the user's scope; `requested` lists what was refused."""

    requested: tuple[Territory, ...]

    def __str__(self) -> str:
        return "not in your territory: " + ", ".join(f"{c}-{code}" for c, code in self.requested)


def allowed_departments(scope: ScopeLike) -> set[Territory]:
    return {(country, code[:2]) for country, code in scope.municipalities}


def allowed_countries(scope: ScopeLike) -> set[str]:
    return {country for country, _ in scope.municipalities}


def scoped_filters(filters: Filters, scope: ScopeLike) -> Filters:
    """Filters restricted to the scope; raises OutOfScopeError for territory outside it.

    A territorial user asking for no territory gets their own municipalities; asking for
    their department or country gets its totals (rows are then limited by `scoped_rows`).
    """
    if not scope.is_territorial:
        return filters
    outside = [m for m in filters.municipalities if m not in set(scope.municipalities)]
    outside += [d for d in filters.departments if d not in allowed_departments(scope)]
    outside += [(c, "") for c in filters.countries if c not in allowed_countries(scope)]
    if outside:
        raise OutOfScopeError(tuple(outside))
    if filters.municipalities or filters.departments:
        return filters
    return filters.with_(municipalities=tuple(scope.municipalities))


def scoped_rows(frame: pd.DataFrame, scope: ScopeLike) -> pd.DataFrame:
    """Only the rows of territorial breakdowns that the scope may see."""
    if not scope.is_territorial or "country" not in frame.columns:
        return frame
    keep = frame["country"].isin(allowed_countries(scope))
    if "department_code" in frame.columns:
        pairs = list(zip(frame["country"], frame["department_code"]))
        keep &= pd.Series([p in allowed_departments(scope) for p in pairs], index=frame.index)
    if "municipality_code" in frame.columns:
        pairs = list(zip(frame["country"], frame["municipality_code"]))
        keep &= pd.Series([p in set(scope.municipalities) for p in pairs], index=frame.index)
    return frame[keep].reset_index(drop=True)
