"""The sidebar filters declared once as data: what each filter offers and how its value enters a `Filters`.

Each page declares which filters it offers (`PageFilters`); `ui.filters.sidebar` renders any declaration.
Options that depend on the data version (years, MISKA units) are named here and provided by `ui.filters`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from data_loaders.schemas import PROGRAMMES, SEXES
from indicators import reintegration
from indicators.age_groups import BRACKET_SETS, DEFAULT_BRACKET_SET

# One value per filter (or all) where the publication family protects the figures: it protects
# single values, so two at once would be a table nobody protected (publication.published, docs/privacy.md).
ONE = 1

SIDES = ("both", "BOL", "PER")  # the prevention network's sides of the border ("both": no country filter)

Into = Callable[[Any], dict[str, object]]


def _years(chosen: tuple[int, int]) -> dict[str, object]:
    first, last = chosen
    return {"start": dt.date(first, 1, 1), "end": dt.date(last, 12, 31)}


def _values(field: str) -> Into:
    return lambda chosen: {field: tuple(chosen)}


def _value(field: str) -> Into:
    return lambda chosen: {field: chosen}


def _miska_units(field: str) -> Into:
    """MISKA codes are Guatemalan: (country, code) pairs, as `Filters` keeps territories."""
    return lambda chosen: {field: tuple((reintegration.COUNTRY, code) for code in chosen)}


def _side(chosen: str) -> dict[str, object]:
    return {"countries": () if chosen == "both" else (chosen,)}


@dataclass(frozen=True)
class FilterSpec:
    """One sidebar filter.

    `options` is a tuple of codes, or the name of an option source of the data version or the
    user's scope (`ui.filters.OPTION_SOURCES`), which names its options itself. `widget` is
    "period" (a range of years), "multiselect", "select" or "radio". A filter that `depends_on`
    another is offered the options of that one's chosen value; with `key_per_choice` it keeps a
    widget (and a choice) for each value of the other, otherwise choices no longer offered are dropped.
    """

    name: str  # the widget key is "<page key>.<name>"
    label: str  # i18n key
    options: tuple[str, ...] | str
    into: Into  # the chosen value as `Filters` fields
    widget: str = "multiselect"
    labels: str | None = None  # i18n prefix of the option codes' labels
    default: str | None = None  # of a "select"; the first option otherwise
    max_selections: int | None = None  # of a "multiselect": None lets several values be chosen
    help: str | None = None  # i18n key
    note: str | None = None  # i18n key of a caption under the widget
    depends_on: str | None = None
    key_per_choice: bool = False


FILTERS: dict[str, FilterSpec] = {spec.name: spec for spec in (
    FilterSpec("period", "filters.period", "years", _years, widget="period"),
    FilterSpec("programmes", "filters.programme", PROGRAMMES, _values("programmes"), labels="programme"),
    FilterSpec("countries", "filters.country", "countries_in_scope", _values("countries"), labels="country"),
    FilterSpec("departments", "reintegration.filters.department", "miska_departments", _miska_units("departments")),
    FilterSpec("municipalities", "reintegration.filters.municipality", "miska_municipalities",
               _miska_units("municipalities"), depends_on="departments"),
    FilterSpec("side", "network.filters.side", "border_sides", _side, widget="radio"),
    FilterSpec("sexes", "filters.sex", SEXES, _values("sexes"), labels="sex"),
    FilterSpec("bracket_set", "filters.age_set", tuple(BRACKET_SETS), _value("bracket_set"), widget="select",
               labels="age_set", default=DEFAULT_BRACKET_SET),
    FilterSpec("age_groups", "filters.age_group", "age_groups", _values("age_groups"), labels="age_group",
               depends_on="bracket_set", key_per_choice=True),
)}


@dataclass(frozen=True)
class PageFilters:
    """The filters a page offers, in sidebar order, and what it fixes.

    `fixed` are `Filters` fields the page always sets (its programme); `max_selections` caps every
    multiselect of the page; `helps` gives a filter the page's own help text; `link_municipality`
    takes the municipality of a shared link; `check_period` warns when the publication family does
    not offer the chosen period at the level asked for.
    """

    key: str  # prefix of the widget keys, which tests and shared links rely on
    filters: tuple[str, ...]
    fixed: tuple[tuple[str, object], ...] = ()
    max_selections: int | None = None
    helps: tuple[tuple[str, str], ...] = ()
    header: bool = True
    link_municipality: bool = False
    check_period: bool = False

    def specs(self) -> tuple[FilterSpec, ...]:
        """The page's filters as it renders them (its cap and help texts applied)."""
        helps = dict(self.helps)
        return tuple(replace(FILTERS[name], help=helps.get(name, FILTERS[name].help),
                             max_selections=self.max_selections if FILTERS[name].widget == "multiselect"
                             else None) for name in self.filters)

    def filter_values(self, chosen: dict[str, object]) -> dict[str, object]:
        """`Filters` fields of the chosen values (by filter name), the fixed ones included."""
        values = dict(self.fixed)
        for spec in self.specs():
            values.update(spec.into(chosen[spec.name]))
        return values


# The overview and the territorial map share their keys: a filter chosen on one holds on the other.
OVERVIEW = PageFilters("filters", ("period", "programmes", "countries", "sexes", "bracket_set", "age_groups"),
                       max_selections=ONE, link_municipality=True, check_period=True)
TERRITORIAL_MAP = OVERVIEW
# Reintegration: one unit, the reporting period. Its figures are cells of the people family, which
# holds the MISKA stages for Guatemala and each department over the reporting period, with the
# page's breakdowns (publication.family.STAGE_GRANULARITY): a population filter or a single year
# would ask for cells nobody protected, and the breakdowns already show each group.
REINTEGRATION = PageFilters("reintegration", ("departments", "municipalities"),
                            fixed=(("programmes", (reintegration.PROGRAMME,)),), max_selections=ONE)
# The prevention network's reach: cells of the agents' and the attendances' families, which hold the region and
# each side of the border, the reporting period with the page's breakdowns and single years as totals
# (publication.family.AGENT_GRANULARITY, ATTENDANCE_GRANULARITY). A filter by institution type, topic or
# audience would ask for cells nobody protected; the page's breakdowns show each of them.
PREVENTION_NETWORK = PageFilters("network", ("period", "side"), fixed=(("programmes", ("prevention_network",)),),
                                 max_selections=ONE, check_period=True)
FORUM_DECK = PageFilters("forum", ("period",), helps=(("period", "forum.period.help"),), header=False)
PAGES = {"overview": OVERVIEW, "territorial_map": TERRITORIAL_MAP, "reintegration": REINTEGRATION,
         "prevention_network": PREVENTION_NETWORK, "forum_deck": FORUM_DECK}
