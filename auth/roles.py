"""Roles, the scope of a signed-in user (what territory they may see) and which pages each role opens.

Modelled on DHIS2's data-output units: a municipal official's scope is a list of
municipalities, and they see those municipalities and the totals of the departments and
countries they lie in; every other role sees the whole programme.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

COUNTRIES = ("GTM", "BOL", "PER", "COL")
_MUNICIPALITY = re.compile(r"^\s*([A-Za-z]{3})\s*:\s*(\d{4,6})\s*$")

PAGE_IDS = (
    "overview", "territorial_map", "my_municipality", "reintegration",
    "prevention_network", "forum_deck", "data", "methods",
)


class Role(str, Enum):
    """What a person does with the dashboard; decides pages and territory."""

    LEADERSHIP = "leadership"
    MUNICIPAL_OFFICIAL = "municipal_official"
    PRESENTER = "presenter"
    DATA_MANAGER = "data_manager"


PAGES_BY_ROLE: dict[Role, frozenset[str]] = {
    Role.LEADERSHIP: frozenset(PAGE_IDS),
    Role.MUNICIPAL_OFFICIAL: frozenset({"my_municipality", "overview", "methods"}),
    Role.PRESENTER: frozenset(PAGE_IDS) - {"data"},
    Role.DATA_MANAGER: frozenset({"data", "overview", "methods"}),
}

TERRITORIAL_ROLES = frozenset({Role.MUNICIPAL_OFFICIAL})

# The page a role lands on: a municipal official's work is their municipality, so that is their home.
HOME_PAGE_BY_ROLE: dict[Role, str] = {Role.MUNICIPAL_OFFICIAL: "my_municipality"}


def parse_municipality(value: object) -> tuple[str, str] | None:
    """("GTM", "1306") from "GTM:1306"; None if `value` is not COUNTRY:CODE with a known country."""
    match = _MUNICIPALITY.match(value) if isinstance(value, str) else None
    if match is None or match.group(1).upper() not in COUNTRIES:
        return None
    return match.group(1).upper(), match.group(2)


def format_municipality(municipality: tuple[str, str]) -> str:
    """"GTM:1306" from ("GTM", "1306"), the form used in the credentials file."""
    return f"{municipality[0]}:{municipality[1]}"


def _unique(items) -> tuple:
    return tuple(dict.fromkeys(items))


@dataclass(frozen=True)
class Scope:
    """Who is signed in and what they may see; a municipal official needs at least one municipality."""

    username: str
    role: Role
    municipalities: tuple[tuple[str, str], ...] = ()
    display_name: str = ""

    def __post_init__(self) -> None:
        if self.is_territorial and not self.municipalities:
            raise ValueError(f"{self.username}: a {self.role.value} needs at least one municipality")
        if not self.is_territorial and self.municipalities:
            raise ValueError(f"{self.username}: a {self.role.value} sees everything; give no municipalities")

    @property
    def is_territorial(self) -> bool:
        """Whether the user sees only their own municipalities (and their departments' and countries' totals)."""
        return self.role in TERRITORIAL_ROLES

    @property
    def departments(self) -> tuple[tuple[str, str], ...]:
        """(country, department code) of the municipalities, in order; the code is the first two digits."""
        return _unique((country, code[:2]) for country, code in self.municipalities)

    @property
    def countries(self) -> tuple[str, ...]:
        """Countries of the municipalities, in order."""
        return _unique(country for country, _ in self.municipalities)


def can_see_page(scope: Scope, page_id: str) -> bool:
    """Whether the user's role opens the page `page_id` (one of PAGE_IDS)."""
    if page_id not in PAGE_IDS:
        raise KeyError(f"Unknown page id {page_id!r}; known: {', '.join(PAGE_IDS)}")
    return page_id in PAGES_BY_ROLE[scope.role]


def home_page(scope: Scope) -> str:
    """The page id the user lands on (the overview unless their role has a home of its own)."""
    return HOME_PAGE_BY_ROLE.get(scope.role, "overview")
