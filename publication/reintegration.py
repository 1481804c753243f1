"""What the Reintegration (MISKA) page may show: every count read from the people family and its fates.

The page asks for one unit (Guatemala, a department or a municipality) and the reporting period;
each figure is a cell of the family (`publication.miska.stage_cell`) and is shown only if its fate
is `published`, so the funnel, the breakdowns, the municipalities and the surveys read the same
value or the same mark as every other page and download. Anything else (a single year, several
units, a population filter) is not offered. Rates are shown only where their numerator and their
denominator are both shown; mean scores only where the group's surveyed count is.
"""

from __future__ import annotations

import math

import pandas as pd

from data_loaders.schemas import ETHNICITIES, MIGRATION_PROFILES, SEXES
from indicators.age_groups import DEFAULT_BRACKET_SET, age_group_codes
from indicators.filters import Filters
from indicators.reintegration import (BREAKDOWNS, COUNTRY, MEASURES, RATES, ROUNDS, SCORES, STAGES, Rate, ReintegrationFigures,
                                      rate_of)
from publication.family import DEFAULT_AGE, Cell, level_of, offered
from publication.miska import stage_cell
from publication.protection import PUBLISHED
from publication.published import NOT_OFFERED, PublishedFamily, filter_territory, hidden_of

_TERRITORY_COLUMNS = ("country", "department_code", "municipality_code")


def request_of(published: PublishedFamily, filters: Filters) -> tuple | None:
    """(period, territory) of the page's question, or None when the family does not offer it."""
    period = (filters.start, filters.end)
    if (filters.sexes or filters.age_groups or filters.ethnicities or filters.components
            or filters.bracket_set != DEFAULT_BRACKET_SET or period != published.family.periods.reporting):
        return None
    territory = filter_territory(filters)
    if territory is None or (territory and territory[0] != COUNTRY):
        return None
    return period, territory or (COUNTRY,)  # MISKA works in Guatemala: no unit asked is all of it


class _Reader:
    """Values and kinds of hidden of the cells of one request (all not offered when there is none)."""

    def __init__(self, published: PublishedFamily, request: tuple | None):
        self.published, self.request = published, request

    def cell(self, stage: str, population: tuple = (), territory: tuple | None = None) -> Cell | None:
        if self.request is None:
            return None
        period, asked = self.request
        return stage_cell(stage, period, asked if territory is None else territory, population)

    def count(self, cell: Cell | None) -> int:
        return 0 if cell is None else self.published.family.values.get(cell, 0)

    def read(self, cell: Cell | None) -> tuple[object, str | None]:
        """(value or <NA>, kind of hidden or None)."""
        family = self.published.family
        if cell is None or not family.holds(cell[0]) or not offered(cell, family.periods):
            return pd.NA, NOT_OFFERED  # (a family built without the stages holds no zero of them either)
        value = self.count(cell)
        fate = self.published.fate(cell, value)
        return (value, None) if fate == PUBLISHED else (pd.NA, hidden_of(fate))


def figures(published: PublishedFamily, filters: Filters, survey: pd.DataFrame, k: int,
            weights: dict[str, float]) -> ReintegrationFigures:
    """The page's figures; `survey` holds the mean scores of the unit (`indicators.reintegration.split_survey`)."""
    reader = _Reader(published, request_of(published, filters))
    funnel = pd.DataFrame({"stage": list(STAGES)})
    read = [reader.read(reader.cell(stage)) for stage in STAGES]
    funnel["value"] = pd.array([v for v, _ in read], dtype="Int64")
    funnel["hidden"] = pd.Series([kind for _, kind in read], dtype=object)
    enrolled = funnel["value"].iloc[0]
    rates = [rate_of(v, enrolled, k) if s != "enrolled" else Rate(None, None, None)
             for s, v in zip(STAGES, funnel["value"])]
    for part, column in (("value", "rate"), ("low", "low"), ("high", "high")):
        funnel[column] = pd.array([getattr(r, part) for r in rates], dtype="Float64")
    breakdowns = {breakdown: _with_rates(_breakdown(reader, breakdown), RATES, "enrolled", k)
                  for breakdown in BREAKDOWNS}
    return ReintegrationFigures(filters.start, filters.end, k, dict(weights), funnel, breakdowns,
                                _survey(reader, survey, k))


def _rows(reader: _Reader, breakdown: str) -> list[tuple[dict, tuple, tuple | None]]:
    """(key columns, population, territory) of every row a breakdown lists."""
    if breakdown == "sex_age":
        return [({"sex": s, "age_group": a}, (("sex", s), (DEFAULT_AGE, a)), None)
                for s in SEXES for a in age_group_codes(DEFAULT_BRACKET_SET)]
    if breakdown in ("ethnicity", "migration_profile"):
        order = ETHNICITIES if breakdown == "ethnicity" else MIGRATION_PROFILES
        rows = [({breakdown: v}, ((breakdown, v),), None) for v in order]
        return [row for row in rows if any(reader.count(reader.cell(m, row[1])) for m in MEASURES)]
    return [(dict(zip(_TERRITORY_COLUMNS, (unit[0], unit[2][:2], unit[2]))), (), unit)
            for unit in _municipalities(reader) if any(reader.count(reader.cell(m, (), unit)) for m in MEASURES)]


def _municipalities(reader: _Reader) -> list[tuple]:
    """The municipalities of the requested unit (itself when it is one), by code."""
    if reader.request is None:
        return []
    territory = reader.request[1]
    parents = reader.published.family.parents
    if territory and level_of(territory) == "municipality":
        return [territory]

    def inside(unit: tuple) -> bool:
        while unit:
            if unit == territory:
                return True
            unit = parents.get(unit, ())
        return territory == ()

    units = {t for t in parents if len(t) == 3 and t[1] == "municipality" and inside(t)}
    return sorted(units, key=lambda t: (t[0], t[2]))


def _breakdown(reader: _Reader, breakdown: str) -> pd.DataFrame:
    """A breakdown's rows; where the unit is not offered its participants by group (a municipality), none of
    its figures is: a job or an enterprise without its group's participants is no rate."""
    rows = _rows(reader, breakdown)
    out = pd.DataFrame([keys for keys, _, _ in rows], columns=list(BREAKDOWNS[breakdown]))
    offered_here = [reader.read(reader.cell("enrolled", population, unit))[1] != NOT_OFFERED
                    for _, population, unit in rows]
    for measure in MEASURES:
        read = [reader.read(reader.cell(measure, population, unit)) if here else (pd.NA, NOT_OFFERED)
                for (_, population, unit), here in zip(rows, offered_here)]
        out[measure] = pd.array([v for v, _ in read], dtype="Int64")
        out[f"{measure}_hidden"] = pd.Series([kind for _, kind in read], index=out.index, dtype=object)
    return out


def _with_rates(frame: pd.DataFrame, numerators: tuple[str, ...], denominator: str, k: int) -> pd.DataFrame:
    out = frame.copy()
    for stage in numerators:
        rates = [rate_of(n, d, k) for n, d in zip(out[stage], out[denominator])]
        for part, suffix in (("value", "rate"), ("low", "low"), ("high", "high")):
            out[f"{stage}_{suffix}"] = pd.array([getattr(r, part) for r in rates], dtype="Float64")
    return out


def _survey(reader: _Reader, survey: pd.DataFrame, k: int) -> pd.DataFrame:
    """Surveyed and improved people by group (total, sex, age group), their rate, and the mean scores of
    every group whose surveyed count is shown and at least k."""
    out = survey[["group_by", "group"]].copy()
    populations = [() if by == "total" else (((DEFAULT_AGE if by == "age_group" else by), group),)
                   for by, group in zip(survey["group_by"], survey["group"])]
    for measure in ("surveyed", "improved"):
        read = [reader.read(reader.cell(measure, population)) for population in populations]
        out[measure] = pd.array([v for v, _ in read], dtype="Int64")
        out[f"{measure}_hidden"] = pd.Series([kind for _, kind in read], index=out.index, dtype=object)
    out = _with_rates(out, ("improved",), "surveyed", k)
    # The means are the store's (indicators.reintegration.survey_query): shown only for the same people.
    visible = [not pd.isna(n) and int(n) >= k and int(n) == int(true) for n, true in zip(out["surveyed"], survey["surveyed"])]
    for column in (f"{s}_{r}" for s in SCORES for r in ROUNDS):
        out[column] = pd.array([v if ok and not (isinstance(v, float) and math.isnan(v)) else None
                                for v, ok in zip(survey[column], visible)], dtype="Float64")
    return out
