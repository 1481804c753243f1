"""Pure functions behind the territorial map: the view (country, department drill, level,
selected unit), its link parameters, breadcrumb, filters, ranks and the aggregated table.

No Streamlit here: the page keeps a `MapView` in its session and these functions turn it
into filters, frames and link parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from data_loaders.schemas import COUNTRIES
from geo.units import has_layer
from indicators.filters import Filters
from indicators.registry import INDICATORS, get_indicator

LEVELS = ("department", "municipality")
# Link parameters (Spanish, as people share them): ?indicador=&pais=GTM&nivel=&departamento=13&unidad=1301
QUERY_KEYS = {"indicator": "indicador", "country": "pais", "level": "nivel", "department": "departamento",
              "selected": "unidad"}
DEFAULT_INDICATOR = "people_served"


def territorial_indicators() -> tuple[str, ...]:
    """Indicators that can be broken down by department and by municipality, in registry order."""
    return tuple(i for i, indicator in INDICATORS.items() if set(LEVELS) <= set(indicator.disaggregations))


def levels_for(country: str | None) -> tuple[str, ...]:
    """Levels that can be mapped: the region and Colombia at department level only."""
    if country is None or not has_layer(country, "municipality"):
        return ("department",)
    return LEVELS


@dataclass(frozen=True)
class MapView:
    """What the map shows: an indicator, a country (None: the region), a chosen level,
    a department drilled into, and the selected unit (a code at the drawn level)."""

    indicator: str = DEFAULT_INDICATOR
    country: str | None = None
    level: str = "department"
    department: str | None = None
    selected: str | None = None

    @property
    def map_level(self) -> str:
        """The level of the units drawn: a drilled department shows its municipalities where a layer exists."""
        if self.country is None:
            return "department"
        if self.department and has_layer(self.country, "municipality"):
            return "municipality"
        return self.level if self.level in levels_for(self.country) else "department"

    @property
    def panel_unit(self) -> tuple[str, str, str] | None:
        """(country, level, code) of the unit whose figures the side panel shows, if any."""
        if self.selected:
            country = self.country or self.selected.split("-")[0]
            return country, self.map_level, self.selected.split("-")[-1]
        if self.department and self.country:
            return self.country, "department", self.department
        return None

    def with_(self, **changes: object) -> "MapView":
        return replace(self, **changes)


def clean_view(view: MapView) -> MapView:
    """The view with impossible parts dropped (unknown indicator or country, a level the country lacks)."""
    indicator = view.indicator if view.indicator in territorial_indicators() else DEFAULT_INDICATOR
    country = view.country if view.country in COUNTRIES else None
    level = view.level if view.level in levels_for(country) else "department"
    department = view.department if country else None
    return MapView(indicator, country, level, department, view.selected)


def view_from_query(params: dict[str, str]) -> MapView:
    """The view a shared link asks for (unknown values fall back to the defaults)."""
    get = lambda name: (params.get(QUERY_KEYS[name]) or "").strip() or None  # noqa: E731
    country = get("country")
    return clean_view(MapView(
        indicator=get("indicator") or DEFAULT_INDICATOR, country=country.upper() if country else None,
        level=get("level") or "department", department=get("department"), selected=get("selected"),
    ))


def view_to_query(view: MapView) -> dict[str, str]:
    """Link parameters reproducing `view` (defaults left out)."""
    values = {"indicator": view.indicator if view.indicator != DEFAULT_INDICATOR else None,
              "country": view.country, "level": view.level if view.level != "department" else None,
              "department": view.department, "selected": view.selected}
    return {QUERY_KEYS[name]: value for name, value in values.items() if value}


def select_unit(view: MapView, properties: dict) -> MapView:
    """The view after clicking a unit with GeoJSON `properties` (country, code, department_code).

    A department drills down to its municipalities (and is the selected unit of the panel);
    a municipality is selected in place.
    """
    country, code = properties["country"], str(properties["code"])
    if view.map_level == "department":
        return view.with_(country=country, department=code, selected=None)
    return view.with_(selected=code)


def breadcrumb(view: MapView) -> list[tuple[str, MapView | None]]:
    """(part, view to go back to) from the region down; part is 'region', a country code, or
    'department:<code>' / 'unit:<code>'; the last part has no target (it is where we are)."""
    parts: list[tuple[str, MapView | None]] = [("region", view.with_(country=None, level="department",
                                                                    department=None, selected=None))]
    if view.country:
        parts.append((view.country, view.with_(department=None, selected=None)))
    if view.department:
        parts.append((f"department:{view.department}", view.with_(selected=None)))
    if view.selected and view.selected != view.department:
        parts.append((f"unit:{view.selected}", None))
    return [(part, None if i == len(parts) - 1 else target) for i, (part, target) in enumerate(parts)]


def map_filters(filters: Filters, view: MapView) -> Filters:
    """The common filters narrowed to the country (or drilled department) the map shows."""
    if view.country is None:
        return filters
    if view.department and view.map_level == "municipality":
        return filters.with_(countries=(view.country,), departments=((view.country, view.department),))
    return filters.with_(countries=(view.country,))


def unit_filters(filters: Filters, country: str, level: str, code: str) -> Filters:
    """The common filters narrowed to one unit (for the side panel)."""
    if level == "municipality":
        return filters.with_(countries=(country,), municipalities=((country, code),))
    return filters.with_(countries=(country,), departments=((country, code),))


def panel_indicator(indicator_id: str) -> str:
    """The count shown by sex × age group in the panel: a share's base count, else the indicator."""
    return get_indicator(indicator_id).base or indicator_id


def panel_breakdown(indicator_id: str) -> tuple[str, str]:
    """The sex × age group breakdown of the panel's count (attendance has its own age groups)."""
    kind = get_indicator(panel_indicator(indicator_id)).kind
    return ("sex", "attendance_age_group") if kind == "attendance" else ("sex", "age_group")


def is_share(indicator_id: str) -> bool:
    return get_indicator(indicator_id).kind == "share"


def with_ranks(named: pd.DataFrame) -> pd.DataFrame:
    """Add `rank` (1 = largest published value, ties share a rank); protected units have none."""
    published = named["value"].astype("Float64").where(~named["suppressed"].astype(bool))
    rank = published.rank(method="min", ascending=False)
    return named.assign(rank=rank.astype("Int64"))


def protected_by_parent(named: pd.DataFrame, parent_suppressed: bool) -> pd.DataFrame:
    """All units protected when the parent's total is: otherwise they would add up to it."""
    if not parent_suppressed:
        return named
    return named.assign(value=pd.Series(pd.NA, index=named.index, dtype=named["value"].dtype), suppressed=True)


def sort_for_table(ranked: pd.DataFrame) -> pd.DataFrame:
    """Largest first, protected units after the published ones, then by name."""
    order = ranked.assign(_rank=ranked["rank"].astype("Float64").fillna(float("inf")))
    return order.sort_values(["_rank", "name"], kind="stable").drop(columns="_rank").reset_index(drop=True)


def unit_row(named: pd.DataFrame, country: str, code: str) -> pd.Series | None:
    rows = named[(named["country"] == country) & (named["code"] == code)]
    return None if rows.empty else rows.iloc[0]


def table_frame(ranked: pd.DataFrame, share: bool) -> pd.DataFrame:
    """The map's table, one row per unit, largest first: country, department_name, code, name, value
    (numerator, denominator for shares), rank. Hidden cells are <NA>, and the frame carries each hidden
    value's kind (`exports.tables.with_hidden`, from `ranked`'s `hidden`, and a share's parts' from
    `numerator_hidden` / `denominator_hidden`), so the page and its files read it as the map does; a hidden
    unit has no rank (it reads as not published); shares are fractions rounded to 4 decimals (0.6532)."""
    from exports.tables import with_hidden

    rows = sort_for_table(ranked)
    value = rows["value"].astype("Float64").round(4) if share else rows["value"].astype("Int64")
    table = pd.DataFrame({
        "country": rows["country"].to_list(),
        "department_name": rows["department_name"].to_list(),
        "code": rows["code"].to_list(),
        "name": rows["name"].to_list(),
        "value": value.mask(rows["suppressed"].astype(bool)).array,
    })
    if share:
        table["numerator"] = pd.array(rows["numerator"], dtype="Int64")
        table["denominator"] = pd.array(rows["denominator"], dtype="Int64")
    table["rank"] = pd.array(rows["rank"], dtype="Int64")
    kinds = {column: [k if isinstance(k, str) else None for k in rows[source]]
             for column, source in (("value", "hidden"), ("numerator", "numerator_hidden"),
                                    ("denominator", "denominator_hidden")) if column in table and source in rows}
    return with_hidden(table, {"value": [None] * len(rows), **kinds})


def named_units(frame: pd.DataFrame, level: str) -> pd.DataFrame:
    """`territory.with_unit_names` (with each hidden value's kind) keeping a share's numerator and denominator."""
    from indicators.territory import with_unit_names

    named = with_unit_names(frame, level)
    extra = [c for c in ("numerator", "denominator", "numerator_hidden", "denominator_hidden") if c in frame.columns]
    if not extra:
        return named
    counts = frame.rename(columns={f"{level}_code": "code"})[["country", "code", *extra]]
    return named.merge(counts, on=["country", "code"], how="left", validate="one_to_one")
