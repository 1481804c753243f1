"""What a page may show of a people indicator: the frame it asks for, with every value from the family's fates.

Pages ask in the terms of `indicators.filters.Filters` and breakdowns (`by`). Each row of
the answer is one cell of the publication family (`publication.family`): the territory is
the row's unit (or the filter's, when it is smaller), the period the filter's (or the
row's quarter), and the population the filter's single values plus the row's breakdown
values. The value shown is the cell's only if its fate is `published`; the same cell gets
the same fate on every page, in every download, for every role.

A request the family does not hold (two countries at once, a sex filter with a breakdown
by profile, a single year in a municipality, a component filter) is *not offered*: every
value of it is withheld, and the page says so. Nothing here computes a protection: the
fates were decided once per data version (`publication.protection`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import duckdb
import pandas as pd

import i18n
from indicators.age_groups import BRACKET_SETS
from indicators.compute import check_breakdown, true_counts
from indicators.filters import Filters
from indicators.person_facts import FactsSource
from indicators.registry import Indicator, get_indicator
from publication.family import PLACED_DIMENSIONS, POPULATION_ORDER, Cell, Family, age_dimension, offered
from publication.protection import PROTECTING, PUBLISHED, SMALL, WITHHELD, Protection, block_of

TERRITORIAL = ("country", "department", "municipality")
KEY_COLUMN = {"department": "department_code", "municipality": "municipality_code"}
# Breakdowns that are population dimensions of the family (the age breakdown names its bracket set).
POPULATION_BY = ("programme", "sex", "age_group", "attendance_age_group", "migration_profile", "ethnicity",
                 "institution", "topic", "audience")
# The column a breakdown's rows carry its value in, where it is not the breakdown's name (indicators.compute).
ROW_COLUMN = {"institution": "institution_id"}
# The indicators published by a family, by kind: counts of people, and attendances at awareness sessions.
FAMILY_KINDS = ("people", "attendance")
# The `hidden` column: which kind of hidden a cell is (None when published), as `i18n.hidden_mark` reads it.
# A derived cell, or one withheld, reads as withheld: no class of it may be shown.
_HIDDEN = {PUBLISHED: None, SMALL: SMALL, PROTECTING: PROTECTING}


# The kind of a value the family does not offer under these filters (i18n.NOT_OFFERED): read as withheld
# (i18n.hidden_kind), and the page says which question is offered instead (ui.layout.withheld_note).
NOT_OFFERED = i18n.NOT_OFFERED


def hidden_of(fate: str) -> str | None:
    """The kind of hidden a fate is shown as (None for a published cell)."""
    return _HIDDEN.get(fate, WITHHELD)


@dataclass(frozen=True)
class PublishedFamily:
    """A family with the fate of each of its cells, decided for one data version."""

    family: Family
    protection: Protection

    def fate(self, cell: Cell, value: int) -> str:
        """The cell's fate; a zero cell outside the family is a published zero, anything else is withheld."""
        if self.family.values.get(cell, 0) != value:
            return WITHHELD  # the frame and the family disagree: never show a figure the family did not protect
        if cell not in self.protection.fates and block_of(cell) in self.protection.withheld_blocks:
            return WITHHELD  # a zero of a withheld breakdown is withheld with it
        return self.protection.fates.get(cell, PUBLISHED)


def family_of(indicator_id: str) -> tuple[str, tuple]:
    """(family indicator, population prefix) of an indicator's cells.

    An indicator declared with the same events as people served within one programme is
    people served of that programme (MISKA participants): one identity, so it cannot be
    published as two figures with two fates.
    """
    indicator = get_indicator(indicator_id)
    base = get_indicator("people_served")
    if indicator.id != base.id and indicator.events == base.events and len(indicator.programmes) == 1:
        return base.id, (("programme", indicator.programmes[0]),)
    return indicator.id, ()


@dataclass(frozen=True)
class Request:
    """The cells a frame's rows count: the filter's territory, period and population, and how rows refine them."""

    family_id: str
    period: tuple
    territory: tuple
    population: tuple
    bracket_set: str


def request_of(indicator: Indicator, filters: Filters, by: tuple[str, ...]) -> Request | None:
    """The family request of a page's question, or None when the family does not offer it."""
    if filters.components or filters.institution_types or filters.topics or filters.audiences:
        return None
    if any(d not in (*TERRITORIAL, *POPULATION_BY, "quarter") for d in by):
        return None
    family_id, prefix = family_of(indicator.id)
    territory = filter_territory(filters)
    if territory is None:
        return None
    population = dict(prefix)
    programmes = filters.programmes
    if indicator.kind == "attendance":  # the sessions are the prevention network's: it is their only programme
        if programmes and "prevention_network" not in programmes:
            return None
        programmes = ()
    if indicator.programmes and programmes:
        programmes = tuple(p for p in programmes if p in indicator.programmes)
        if not programmes:
            return None
    if programmes and set(programmes) != set(indicator.programmes):
        if len(programmes) != 1:
            return None
        population["programme"] = programmes[0]
    for dimension, values in (("sex", filters.sexes), (age_dimension(filters.bracket_set), filters.age_groups),
                              ("ethnicity", filters.ethnicities)):
        if values:
            if len(values) != 1:
                return None
            population[dimension] = values[0]
    return Request(family_id, (filters.start, filters.end), territory, tuple(population.items()), filters.bracket_set)


def filter_territory(filters: Filters) -> tuple | None:
    """The one unit a filter names (the smallest level given), or None for several units."""
    if filters.municipalities:
        (country, code), = filters.municipalities if len(filters.municipalities) == 1 else (None,)
        if country is None or (filters.countries and filters.countries != (country,)):
            return None
        return country, "municipality", code
    if filters.departments:
        if len(filters.departments) != 1:
            return None
        country, code = filters.departments[0]
        if filters.countries and filters.countries != (country,):
            return None
        return country, "department", code
    if filters.countries:
        return (filters.countries[0],) if len(filters.countries) == 1 else None
    return ()


def _row_territory(request: Request, by: tuple[str, ...], row: dict) -> tuple:
    if any(d in PLACED_DIMENSIONS for d in by):
        return ()  # an institution's cells are the region's, whatever unit the filter names
    levels = [d for d in TERRITORIAL if d in by]
    if not levels:
        return request.territory
    level = levels[-1]
    depth = TERRITORIAL.index(level) + 1
    if len(request.territory) and _depth(request.territory) >= depth:
        return request.territory  # the filter names a smaller unit than the breakdown
    if level == "country":
        return (row["country"],)
    code = row[KEY_COLUMN[level]]
    if code is None or pd.isna(code):
        parent = (row["country"],) if level == "department" else (row["country"], "department",
                                                                    row["department_code"])
        return (*parent, "unlocated", level)
    return row["country"], level, code


def _depth(territory: tuple) -> int:
    return 1 if len(territory) == 1 else 1 + TERRITORIAL.index(territory[1])


def cell_of(request: Request, by: tuple[str, ...], row: dict) -> Cell | None:
    """The cell a row counts; None when its population holds two values of one dimension (a zero row)."""
    population = dict(request.population)
    for dimension in (d for d in by if d in POPULATION_BY):
        name = age_dimension(request.bracket_set) if dimension == "age_group" else dimension
        value = row[ROW_COLUMN.get(dimension, dimension)]
        value = None if value is None or (not isinstance(value, str) and pd.isna(value)) else value
        if name in population and population[name] != value:
            return None
        population[name] = value
    if "quarter" in by:
        start = pd.Timestamp(row["quarter"]).date()
        period = (start, (pd.Timestamp(start) + pd.offsets.QuarterEnd(0)).date())
    else:
        period = request.period
    ordered = tuple((d, population[d]) for d in POPULATION_ORDER if d in population)
    return request.family_id, period, _row_territory(request, by, row), ordered


def _is_known(cell: Cell) -> bool:
    """A cell with a value for every part of its identity (not a remainder, not an unknown category)."""
    _, _, territory, population = cell
    return "unlocated" not in territory and all(v is not None for _, v in population)


def publish_frame(published: PublishedFamily, indicator_id: str, filters: Filters, by: tuple[str, ...],
                  counts: pd.DataFrame) -> tuple[pd.DataFrame, bool]:
    """(frame with `value` <NA>, `suppressed` and the kind of `hidden` where not published, whether it is
    withheld as a whole).

    `counts` are the true counts of the request, one row per breakdown value (zeros included).
    """
    request = request_of(get_indicator(indicator_id), filters, by)
    rows = counts.to_dict("records")
    cells = [None if request is None else cell_of(request, by, row) for row in rows]
    values = [int(row["value"]) for row in rows]
    not_offered = request is None or any(
        cell is not None and _is_known(cell) and not offered(cell, published.family.periods)
        for cell, value in zip(cells, values))
    if not_offered:
        fates = [WITHHELD] * len(rows)
    else:
        fates = [PUBLISHED if cell is None and value == 0 else WITHHELD if cell is None
                 else published.fate(cell, value) for cell, value in zip(cells, values)]
    hidden = pd.Series([fate != PUBLISHED for fate in fates], index=counts.index, dtype=bool)
    out = counts.copy()
    out["value"] = out["value"].astype("Int64").mask(hidden)
    out["suppressed"] = hidden.to_numpy()
    kinds = [NOT_OFFERED] * len(rows) if not_offered else [hidden_of(fate) for fate in fates]
    out["hidden"] = pd.Series(kinds, index=counts.index, dtype=object)
    return out, bool(by) and len(rows) > 0 and all(fate == WITHHELD for fate in fates)



def is_published_by_family(indicator_id: str, families: tuple[str, ...]) -> bool:
    """Whether the indicator's figures come from one of `families` (a share: from its base's)."""
    indicator = get_indicator(indicator_id)
    if indicator.kind == "share":
        return is_published_by_family(indicator.base, families)
    return indicator.kind in FAMILY_KINDS and family_of(indicator_id)[0] in families


def people(con: duckdb.DuckDBPyConnection, published: PublishedFamily, indicator_id: str, filters: Filters,
           by: tuple[str, ...], facts: FactsSource | None = None) -> tuple[pd.DataFrame, bool]:
    """(the published frame of a family's indicator, people or attendances, whether it is withheld as a whole)."""
    indicator = get_indicator(indicator_id)
    check_breakdown(indicator, by)
    return publish_frame(published, indicator_id, filters, by, true_counts(con, indicator, filters, by, facts=facts))


def numerator_filters(indicator: Indicator, filters: Filters) -> Filters | None:
    """The filters of a share's numerator (women, or the young of the bracket set), None when they contradict."""
    if indicator.condition == "female":
        if filters.sexes and "female" not in filters.sexes:
            return None
        return filters.with_(sexes=("female",))
    bracket_set = filters.bracket_set if BRACKET_SETS[filters.bracket_set].youth_group else "un_youth"
    youth = BRACKET_SETS[bracket_set].youth_group
    if filters.age_groups and (bracket_set != filters.bracket_set or youth not in filters.age_groups):
        return None
    return filters.with_(bracket_set=bracket_set, age_groups=(youth,))


def _share_hidden(denominator_hidden, denominator_kind, numerator_hidden, numerator_kind) -> str:
    """The kind of a hidden share, from the kinds of its hidden parts (a missing numerator counts as hidden)."""
    numerator_missing = numerator_hidden is None or pd.isna(numerator_hidden) or bool(numerator_hidden)
    return i18n.share_kind([kind for hidden, kind in ((bool(denominator_hidden), denominator_kind),
                                                      (numerator_missing, numerator_kind)) if hidden])


def share(con: duckdb.DuckDBPyConnection, published_of: Callable[[str], PublishedFamily], indicator_id: str,
          filters: Filters, by: tuple[str, ...], facts: FactsSource | None = None) -> pd.DataFrame:
    """A share published only where its numerator and denominator cells are both published.

    Columns as `indicators.compute.compute` gives them: keys, value (fraction), suppressed, hidden,
    numerator and denominator (<NA> where hidden), then numerator_hidden and denominator_hidden (the
    kind of each hidden part, as its own cell is published everywhere; None where shown). A hidden
    share is never "small" (it is not a count): it is withheld when its numerator or denominator is,
    else hidden to protect them.
    """
    indicator = get_indicator(indicator_id)
    check_breakdown(indicator, by)
    published = published_of(family_of(indicator.base)[0])
    denominators, _ = people(con, published, indicator.base, filters, by, facts)
    wanted = numerator_filters(indicator, filters)
    if wanted is None:
        numerators = denominators.assign(value=pd.array([pd.NA] * len(denominators), dtype="Int64"), suppressed=True,
                                         hidden=WITHHELD)
    else:
        numerators, _ = people(con, published, indicator.base, wanted, by, facts)
    keys = [c for c in denominators.columns if c not in ("value", "suppressed", "hidden")]
    merged = denominators.rename(columns={"value": "denominator", "suppressed": "hidden_denominator",
                                          "hidden": "kind_denominator"})
    right = numerators.rename(columns={"value": "numerator", "suppressed": "hidden_numerator",
                                       "hidden": "kind_numerator"})
    merged = merged.merge(right, on=keys, how="left") if keys else merged.join(right)
    hidden = merged["hidden_denominator"].astype(bool) | merged["hidden_numerator"].fillna(True).astype(bool)
    parts = zip(merged["hidden_denominator"], merged["kind_denominator"], merged["hidden_numerator"],
                merged["kind_numerator"])
    kinds = [None if not shown_hidden else _share_hidden(*part) for shown_hidden, part in zip(hidden, parts)]
    rate = (merged["numerator"].astype("Float64") / merged["denominator"].astype("Float64").where(
        merged["denominator"] > 0)).astype("Float64")
    return merged.assign(value=rate.mask(hidden), suppressed=hidden.to_numpy(),
                         hidden=pd.Series(kinds, index=merged.index, dtype=object),
                         numerator_hidden=_part_kinds(merged["hidden_numerator"], merged["kind_numerator"]),
                         denominator_hidden=_part_kinds(merged["hidden_denominator"], merged["kind_denominator"]))[
        keys + ["value", "suppressed", "hidden", "numerator", "denominator", "numerator_hidden", "denominator_hidden"]]


def _part_kinds(hidden: pd.Series, kinds: pd.Series) -> pd.Series:
    """The kind of each hidden part of a share (a part missing from the merge is withheld); None where shown."""
    parts = [(WITHHELD if not isinstance(k, str) else k) if h is None or pd.isna(h) or bool(h) else None
             for h, k in zip(hidden, kinds)]
    return pd.Series(parts, index=hidden.index, dtype=object)


__all__ = ["PublishedFamily", "Request", "request_of", "cell_of", "publish_frame", "hidden_of", "NOT_OFFERED", "family_of", "people",
           "share",
           "is_published_by_family", "numerator_filters"]
