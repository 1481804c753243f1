"""The publication family: every cell the interface can ask for, with the relations between them.

A cell is identified by what it counts: `(indicator, period, territory, population)`.

- period: `(first day, last day)`; the reporting period and each calendar year with data.
- territory: `()` for the whole region, `(country,)`, `(country, "department", code)` or
  `(country, "municipality", code)`.
- population: `()` for everyone, or `((dimension, value), ...)` in `POPULATION_ORDER`: one
  breakdown value, or a sex × age class pair (the pyramid). Age dimensions name their bracket
  set (`age_group:un_youth`).

`GRANULARITY` says what each territorial level offers, and is the one place that decides it
(docs/privacy.md explains the choices). Cells no page shows but that an attacker can derive
are part of the family as *derived* cells: the people of a period who were served in exactly
some of its years (period atoms), the people of one age class (the brackets of every set
are unions of classes), and the people with no value for a dimension or no municipality
(remainders). They are never published and an attacker knows of them only what the
relations give (they are non-negative).

Zero cells are left out: a cell of the family that is not in `values` is a published zero.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from data_loaders.schemas import MISKA_COMPONENTS
from indicators.age_groups import BRACKET_SETS, DEFAULT_BRACKET_SET, age_class_lows, age_group_of

Period = tuple[dt.date, dt.date]
Cell = tuple[str, Period, tuple, tuple]

LEVELS = ("region", "country", "department", "municipality")
PARENT_LEVEL = {"country": "region", "department": "country", "municipality": "department"}
# The participant columns that place a person at each level.
LEVEL_KEYS = {"region": (), "country": ("country",), "department": ("country", "department_code"),
              "municipality": ("country", "department_code", "municipality_code")}
AGE_CLASS = "age_class"
ATTENDANCE_AGE = "attendance_age_group"  # the age groups an awareness session's attendance is counted in
POPULATION_ORDER = ("programme", "sex", *(f"age_group:{s}" for s in BRACKET_SETS), AGE_CLASS, ATTENDANCE_AGE,
                    "migration_profile", "ethnicity", "institution", "topic", "audience")


def age_dimension(bracket_set: str) -> str:
    return f"age_group:{bracket_set}"


DEFAULT_AGE = age_dimension(DEFAULT_BRACKET_SET)


@dataclass(frozen=True)
class Granularity:
    """What one territorial level offers: single years besides the reporting period, and breakdowns."""

    years: bool
    bracket_sets: tuple[str, ...]
    quarters: bool = False  # people served in each quarter (the trend), totals only
    dimensions: tuple[str, ...] = ("programme", "sex", "migration_profile", "ethnicity")
    pyramid: bool = True  # sex × `pyramid_age`
    year_dimensions: tuple[str, ...] = ()  # breakdowns offered for single years too (totals always are)
    pyramid_age: str = DEFAULT_AGE  # the age dimension of the pyramid

    @property
    def population_dimensions(self) -> tuple[str, ...]:
        return (*self.dimensions, *(age_dimension(s) for s in self.bracket_sets))

    def by_year(self, dimensions: tuple[str, ...]) -> bool:
        """Whether a breakdown (`()`: the total) is built for single years as well as the reporting period.

        The age classes (derived) are, wherever age groups of a bracket set are offered by year:
        they tie the sets' groups together, so the audit sees what two sets' groups difference to.
        """
        if not self.years or len(dimensions) > 1:
            return False
        if not dimensions:
            return True
        if dimensions[0] == AGE_CLASS:
            return any(d.startswith("age_group:") for d in self.year_dimensions)
        return dimensions[0] in self.year_dimensions


# Regions and countries count hundreds of people: single years and every bracket set are safe
# to offer there. Departments and municipalities count a few dozen: there the reporting period
# and the default brackets only, so that no two published totals differ by a handful of people.
# A breakdown offered for single years as well as the reporting period lets its cells be
# differenced (the people of a category served in one year only), which with small categories
# forces whole breakdowns to be withheld: single years are offered with the breakdowns that
# stay published (measured with benchmarks.publication_family, docs/privacy.md), and every
# other breakdown for the reporting period only.
REGION_YEAR_DIMENSIONS = ("programme", "migration_profile", *(age_dimension(s) for s in BRACKET_SETS))
GRANULARITY = {
    "region": Granularity(years=True, bracket_sets=tuple(BRACKET_SETS), quarters=True,
                          year_dimensions=REGION_YEAR_DIMENSIONS),
    "country": Granularity(years=True, bracket_sets=tuple(BRACKET_SETS), quarters=True, year_dimensions=("programme",)),
    "department": Granularity(years=False, bracket_sets=(DEFAULT_BRACKET_SET,)),
    "municipality": Granularity(years=False, bracket_sets=(DEFAULT_BRACKET_SET,)),
}
Levels = dict[str, Granularity]

# Breakdowns whose values name their own place: an institution lies in one country and one municipality,
# so its cells are the region's (the same count asked for in its country is the same cell, not a second
# one: two identities of one count would each need protecting against the other).
PLACED_DIMENSIONS = ("institution",)
# The prevention network's reach (its page): agents trained everywhere people are counted, and by
# institution. The attendances at awareness sessions by host institution, and by topic, audience and
# sex × age group in the region and each country; departments and municipalities publish their totals.
# Single years are offered as totals (the reporting period holds the breakdowns); quarters as totals,
# for the cumulative series.
AGENT_GRANULARITY: Levels = {
    **GRANULARITY,
    "region": Granularity(**{**GRANULARITY["region"].__dict__,
                             "dimensions": (*GRANULARITY["region"].dimensions, *PLACED_DIMENSIONS)}),
}
_ATTENDANCE_DIMENSIONS = ("sex", ATTENDANCE_AGE, "topic", "audience")
_ATTENDANCE_TOTALS = Granularity(years=False, bracket_sets=(), dimensions=(), pyramid=False)
ATTENDANCE_GRANULARITY: Levels = {
    "region": Granularity(years=True, bracket_sets=(), quarters=True, pyramid_age=ATTENDANCE_AGE,
                          dimensions=(*_ATTENDANCE_DIMENSIONS, *PLACED_DIMENSIONS)),
    "country": Granularity(years=True, bracket_sets=(), quarters=True, pyramid_age=ATTENDANCE_AGE,
                           dimensions=_ATTENDANCE_DIMENSIONS),
    "department": _ATTENDANCE_TOTALS, "municipality": _ATTENDANCE_TOTALS}
INDICATOR_GRANULARITY: dict[str, Levels] = {"agents_trained": AGENT_GRANULARITY,
                                            "people_sensitized": ATTENDANCE_GRANULARITY}


def _miska_levels(dimensions: tuple[str, ...] = (), bracket_sets: tuple[str, ...] = (), pyramid: bool = False) -> Levels:
    """Guatemala and its departments, for the reporting period only (MISKA works in Guatemala)."""
    granularity = Granularity(years=False, bracket_sets=bracket_sets, dimensions=dimensions, pyramid=pyramid)
    return {"country": granularity, "department": granularity}


# The Reintegration page's MISKA stages (publication.miska), besides people served of MISKA and the
# registry's employed and enterprises: its participants with every breakdown the page shows,
# each component, completion and kind of enterprise as totals, the surveys by sex and by age group.
# In Guatemala and its departments: a municipality's MISKA participants number a few dozen at most,
# and its page shows the three figures the other pages publish (participants, employed, enterprises).
# Offered for the reporting period only: a stage such as "completed" is not monotone in the period
# (completing in one year and not the next), so its single years would not add up to anything an
# audit could tie them to.
STAGE_PREFIX = "miska:"  # of every Reintegration stage's indicator, and of the people between two stages
MISKA_ENROLLED = f"{STAGE_PREFIX}enrolled"
MISKA_TOTALS = tuple(f"{STAGE_PREFIX}{stage}" for stage in (*MISKA_COMPONENTS, "completed", "enterprise_started",
                                                             "enterprise_consolidated"))
MISKA_SURVEYS = (f"{STAGE_PREFIX}surveyed", f"{STAGE_PREFIX}improved")
STAGE_GRANULARITY: dict[str, Levels] = {
    MISKA_ENROLLED: _miska_levels(("sex", "migration_profile", "ethnicity"), (DEFAULT_BRACKET_SET,), pyramid=True),
    **{stage: _miska_levels() for stage in MISKA_TOTALS},
    **{stage: _miska_levels(("sex",), (DEFAULT_BRACKET_SET,)) for stage in MISKA_SURVEYS},
}


def is_stage(indicator: str) -> bool:
    """Whether an indicator is a Reintegration stage or the people between two (`publication.miska`)."""
    return indicator.startswith(STAGE_PREFIX)


def granularity_of(indicator: str) -> Levels:
    """What each level offers of an indicator's cells (a level it lacks offers nothing). The people between
    two stages (`publication.miska`: "miska:enrolled-not-completed" …) are offered nowhere."""
    if indicator in STAGE_GRANULARITY:
        return STAGE_GRANULARITY[indicator]
    return {} if is_stage(indicator) else INDICATOR_GRANULARITY.get(indicator, GRANULARITY)


def level_of(territory: tuple) -> str:
    """The level of a territory id; a remainder (people with no unit at that level) carries its level last."""
    if not territory:
        return "region"
    if territory[-2:-1] == ("unlocated",):
        return territory[-1]
    return "country" if len(territory) == 1 else territory[1]


def is_remainder(territory: tuple) -> bool:
    return territory[-2:-1] == ("unlocated",)


def year_period(year: int) -> Period:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def quarter_periods(year: int) -> list[Period]:
    ends = (dt.date(year, 3, 31), dt.date(year, 6, 30), dt.date(year, 9, 30), dt.date(year, 12, 31))
    return [(dt.date(year, 3 * i + 1, 1), end) for i, end in enumerate(ends)]


def years_of(period: Period) -> list[int] | None:
    """The calendar years a period is made of, or None when it does not start and end on years."""
    start, end = period
    if (start.month, start.day, end.month, end.day) != (1, 1, 12, 31) or end.year < start.year:
        return None
    return list(range(start.year, end.year + 1))


@dataclass(frozen=True)
class Periods:
    """The periods the family offers: the reporting period and each year with data."""

    reporting: Period
    years: tuple[int, ...]

    def at(self, level: str, granularity: Levels = GRANULARITY) -> list[Period]:
        if level not in granularity:
            return []
        if not granularity[level].years:
            return [self.reporting]
        return list(dict.fromkeys([self.reporting, *(year_period(y) for y in self.years)]))

    def quarters_at(self, level: str, granularity: Levels = GRANULARITY) -> list[Period]:
        """The quarters of every year with data, where the level offers a quarterly trend (totals only)."""
        if level not in granularity or not granularity[level].quarters:
            return []
        years = sorted({*self.years, *(years_of(self.reporting) or [])})
        return [q for y in years for q in quarter_periods(y)]

    @property
    def nested_years(self) -> list[int]:
        """Years of the data inside the reporting period: their atoms tie them to it."""
        inside = years_of(self.reporting) or []
        return [y for y in self.years if y in inside] if len(inside) > 1 else []


def offered(cell: Cell, periods: Periods) -> bool:
    """Whether the interface may ask for `cell` (derived cells never are)."""
    indicator, period, territory, population = cell
    if territory and is_remainder(territory):
        return False
    level = level_of(territory)
    levels = granularity_of(indicator)
    if level not in levels:
        return False
    granularity = levels[level]
    if period in periods.quarters_at(level, levels):
        return not population
    if period not in periods.at(level, levels):
        return False
    dims = tuple(d for d, _ in population)
    if any(v is None for _, v in population):
        return False
    if period != periods.reporting and not granularity.by_year(dims):
        return False
    if len(dims) == 0:
        return True
    if len(dims) == 1:
        return dims[0] in granularity.population_dimensions
    return granularity.pyramid and dims == ("sex", granularity.pyramid_age)


@dataclass
class Family:
    """The true counts of the family's non-zero cells and every additive relation among them."""

    indicator: str
    periods: Periods
    values: dict[Cell, int] = field(default_factory=dict)
    relations: list[tuple[Cell, tuple[Cell, ...]]] = field(default_factory=list)
    derived: set[Cell] = field(default_factory=set)
    parents: dict[tuple, tuple] = field(default_factory=dict)  # territory -> the territory it lies in
    granularity: Levels = field(default_factory=lambda: GRANULARITY)
    members: frozenset = frozenset()  # the indicators merged into it (`merge`)

    def holds(self, indicator: str) -> bool:
        """Whether the family was built for `indicator`: only then is a cell it lacks a zero."""
        return indicator == self.indicator or indicator in self.members


def merge(families: list[Family], name: str) -> Family:
    """One family of several indicators' families, protected together (their cells keep their identities)."""
    joint = Family(name, families[0].periods,
                   members=frozenset(i for f in families for i in (f.indicator, *f.members)))
    for family in families:
        joint.values.update(family.values)
        joint.relations += family.relations
        joint.derived |= family.derived
        joint.parents.update(family.parents)
    return joint


def age_columns(frame: pd.DataFrame) -> dict[str, pd.Series]:
    """The age class of every row as each bracket set's code (None where the age is unknown)."""
    lows = frame["age"]
    columns = {AGE_CLASS: lows.where(lows >= 0).astype("object").where(lows >= 0, None)}
    for set_id in BRACKET_SETS:
        mapping = {low: age_group_of(int(low), set_id) for low in age_class_lows()}
        columns[age_dimension(set_id)] = lows.map(mapping).astype("object").where(lows >= 0, None)
    return columns


def people_frame(facts: pd.DataFrame, first: dt.date, unit_months: int, periods: Periods) -> pd.DataFrame:
    """One row per person-fact group: place, population columns, and a weight per period and atom.

    `facts` holds `indicators.person_facts` rows (attributes, quarter mask, n).
    """
    columns = ["country", "department_code", "municipality_code", "programme", "sex", "migration_profile", "ethnicity",
               *(["institution_id"] if "institution_id" in facts else [])]
    places = facts[columns].astype("object").rename(columns={"institution_id": "institution"})
    frame = places.where(places.notna(), None)
    frame = frame.assign(**age_columns(facts))
    masks = facts["mask"].to_numpy(dtype=np.int64)
    n = facts["n"].to_numpy(dtype=np.int64)

    def bit(day: dt.date) -> int:
        return ((day.year * 12 + day.month - 1) - (first.year * 12 + first.month - 1)) // unit_months

    def served(period: Period) -> np.ndarray:
        low, high = max(bit(period[0]), 0), min(bit(period[1]), 61)
        mask = 0 if high < low else (1 << (high + 1)) - (1 << low)
        return (masks & np.int64(mask)) != 0

    weights = {}
    all_periods = list(dict.fromkeys(p for level in LEVELS for p in (*periods.at(level), *periods.quarters_at(level))))
    for period in all_periods:
        weights[("period", period)] = np.where(served(period), n, 0)
    nested = periods.nested_years
    in_year = {y: served(year_period(y)) for y in nested}
    in_reporting = served(periods.reporting)
    for size in range(1, len(nested) + 1):
        for atom in itertools.combinations(nested, size):
            exact = in_reporting.copy()
            for y in nested:
                exact &= in_year[y] if y in atom else ~in_year[y]
            weights[("atom", atom)] = np.where(exact, n, 0)
    return frame.assign(**{weight_name(key): w for key, w in weights.items()})


def attendance_frame(attendances: pd.DataFrame, periods: Periods) -> pd.DataFrame:
    """One row per session × sex × age group: place, population columns and its attendances in each period.

    `attendances`: country, department_code, municipality_code, institution, topic, audience, sex,
    attendance_age_group, date, n (attendances). Attendances add up over time, so no atoms are needed:
    `time_relations` ties the periods together instead.
    """
    frame = attendances.drop(columns=["date", "n"]).astype("object")
    frame = frame.where(frame.notna(), None)
    days = pd.to_datetime(attendances["date"]).dt.date
    n = attendances["n"].to_numpy(dtype=np.int64)
    weights = {}
    for period in dict.fromkeys(p for level in LEVELS for p in (*periods.at(level, ATTENDANCE_GRANULARITY),
                                                                *periods.quarters_at(level, ATTENDANCE_GRANULARITY))):
        inside = ((days >= period[0]) & (days <= period[1])).to_numpy()
        weights[weight_name(("period", period))] = np.where(inside, n, 0)
    return frame.assign(**weights)


def time_relations(family: Family) -> list[tuple[Cell, tuple[Cell, ...]]]:
    """For counts that add up over time (attendances): each year is the sum of its quarters, and a reporting
    period made of whole years the sum of those years, for every territory and population built for both."""
    relations = []
    years = family.periods.nested_years
    for cell in family.values:
        indicator, period, territory, population = cell
        if period == family.periods.reporting and years:
            parts = [(indicator, year_period(y), territory, population) for y in years]
            if all(p in family.values or _built_for(family, p) for p in parts):
                relations.append((cell, tuple(p for p in parts if p in family.values)))
        elif years_of(period) and len(years_of(period)) == 1 and not population:
            parts = [(indicator, q, territory, ()) for q in quarter_periods(period[0].year)]
            if family.periods.quarters_at(level_of(territory), family.granularity):
                relations.append((cell, tuple(p for p in parts if p in family.values)))
    return [(total, parts) for total, parts in relations if parts]


def _built_for(family: Family, cell: Cell) -> bool:
    """Whether a cell absent from the family is a zero of it (built at that level and period), not left out."""
    _, period, territory, population = cell
    level = level_of(territory)
    granularity = family.granularity.get(level)
    return granularity is not None and period in family.periods.at(level, family.granularity) and \
        granularity.by_year(tuple(d for d, _ in population))


def weight_name(key: tuple) -> str:
    """The column of a `people_frame` weight: ("period", period) or ("atom", years)."""
    kind, what = key
    if kind == "period":
        return f"w|{what[0].isoformat()}|{what[1].isoformat()}"
    return "a|" + ",".join(str(y) for y in what)


def _weight_key(name: str):
    parts = name.split("|")
    if parts[0] == "w":
        return ("period", (dt.date.fromisoformat(parts[1]), dt.date.fromisoformat(parts[2])))
    return ("atom", tuple(int(y) for y in parts[1].split(",")))


def _territory(level: str, key: tuple) -> tuple:
    """The territory id of a group of people placed by `key` (LEVEL_KEYS[level] values)."""
    if level == "region":
        return ()
    if level == "country":
        return (key[0],)
    if key[-1] is None:
        return (*_parent_territory(level, key), "unlocated", level)
    return (key[0], level, key[-1])


def _parent_territory(level: str, key: tuple) -> tuple:
    if level == "country":
        return ()
    if level == "department":
        return (key[0],)
    return _territory("department", key[:2])


def _population_specs(granularity: Granularity) -> list[tuple[str, ...]]:
    specs: list[tuple[str, ...]] = [()]
    specs += [(d,) for d in granularity.population_dimensions]
    if len(granularity.bracket_sets) > 1:
        specs.append((AGE_CLASS,))
    if granularity.pyramid:
        specs.append(("sex", granularity.pyramid_age))
    return specs


def _plain(value: object) -> object:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, np.integer) or (isinstance(value, float) and value.is_integer()):
        return int(value)
    return value


def build_family(indicator: str, frame: pd.DataFrame, periods: Periods, granularity: Levels | None = None,
                 derived: bool = False) -> Family:
    """Every non-zero cell of the family of `indicator` over a `people_frame`, with its relations.

    `granularity` defaults to the indicator's own (`granularity_of`); a `derived` measure (people
    no page counts, such as the participants who did not complete) borrows the granularity of the
    stage it completes, and all its cells are derived.
    """
    levels = granularity or granularity_of(indicator)
    family = Family(indicator, periods, granularity=levels)
    weight_columns = [c for c in frame.columns if c.startswith(("w|", "a|"))]
    for level in (level for level in LEVELS if level in levels):
        keys = list(LEVEL_KEYS[level])
        quarters = periods.quarters_at(level, levels)
        for spec in _population_specs(levels[level]):
            by_year = levels[level].by_year(spec)
            level_periods = periods.at(level, levels) if by_year else [periods.reporting]
            with_atoms = by_year and bool(periods.nested_years)
            columns = [c for c in weight_columns
                       if (_weight_key(c)[0] == "period" and _weight_key(c)[1] in level_periods)
                       or (_weight_key(c)[0] == "period" and not spec and _weight_key(c)[1] in quarters)
                       or (_weight_key(c)[0] == "atom" and with_atoms)]
            by = keys + list(spec)
            if by:
                grouped = frame.groupby(by, dropna=False, sort=True)[columns].sum()
                index = [i if isinstance(i, tuple) else (i,) for i in grouped.index]
            else:
                grouped, index = frame[columns].sum().to_frame().T, [()]
            for key, row in zip(index, grouped.itertuples(index=False)):
                key = tuple(_plain(v) for v in key)
                territory = _territory(level, key[:len(keys)])
                if level != "region":
                    family.parents[territory] = _parent_territory(level, key[:len(keys)])
                population = tuple(zip(spec, key[len(keys):]))
                for column, value in zip(columns, row):
                    if value == 0:
                        continue
                    kind, what = _weight_key(column)
                    cell = (indicator, what if kind == "period" else ("atom", what), territory, population)
                    family.values[cell] = int(value)
                    if kind == "atom" or derived or not offered(cell, periods):
                        family.derived.add(cell)
    family.relations = _relations(family)
    return family


def _relations(family: Family) -> list[tuple[Cell, tuple[Cell, ...]]]:
    """Units sum to their parent; a breakdown's values sum to their total; a period's atoms sum to it."""
    groups: dict[Cell, dict[str, list[Cell]]] = {}

    def add(total: Cell, kind: str, part: Cell) -> None:
        groups.setdefault(total, {}).setdefault(kind, []).append(part)

    for cell in family.values:
        indicator, period, territory, population = cell
        if territory in family.parents:
            add((indicator, period, family.parents[territory], population), "territory", cell)
        dims = tuple(d for d, _ in population)
        bracket_sets = family.granularity[level_of(territory)].bracket_sets
        several_sets = len(bracket_sets) > 1
        if len(dims) == 1 and not (several_sets and dims[0].startswith("age_group:")):
            add((indicator, period, territory, ()), dims[0], cell)
        if dims == (AGE_CLASS,):
            low = population[0][1]
            for set_id in bracket_sets:
                code = None if low is None else age_group_of(int(low), set_id)
                add((indicator, period, territory, ((age_dimension(set_id), code),)), AGE_CLASS, cell)
        if len(dims) == 2:
            (d1, v1), (d2, v2) = population
            add((indicator, period, territory, ((d1, v1),)), d2, cell)
            add((indicator, period, territory, ((d2, v2),)), d1, cell)
        if period[0] == "atom":
            add((indicator, family.periods.reporting, territory, population), "atom", cell)
            for year in period[1]:
                add((indicator, year_period(year), territory, population), "atom", cell)
    relations = []
    for total, by_kind in groups.items():
        for parts in by_kind.values():
            if total in family.values and parts != [total]:
                relations.append((total, tuple(parts)))
    return relations
