"""The pages' tables as export frames: the rows and columns a page shows, counts as numbers.

Each function mirrors one table of a page (same rows, same columns, same order, hidden
cells as <NA> carrying their kind, which `exports.tables` writes as the page reads them:
"menos de 5", "oculta", "no publicada"), with canonical column names, the
page's own column titles (`headers`) and the HXL tag of each column (`hxl_tags`). The page
keeps formatting its table for the screen; these frames are what the CSV and Excel files carry.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

import i18n
from exports.hxl import INDICATOR_TAGS
from exports.tables import with_hidden
from indicators.municipal import (MISKA_FIGURES, NETWORK_FIGURES, Figure, MunicipalProfile, component_levels,
                                 component_rows, level_headers)

COUNTS = INDICATOR_TAGS["people_served"]  # "#reached+ind"
LEVEL_ATTRIBUTES = {"municipality": "+adm2", "department": "+adm1", "reference": "+total"}


@dataclass(frozen=True)
class PageTable:
    """An export frame with its column titles in the page's language and its HXL tags."""

    frame: pd.DataFrame
    headers: dict[str, str]
    hxl_tags: dict[str, str] = field(default_factory=dict)


def _count(figure: Figure) -> object:
    return pd.NA if figure.suppressed or figure.value is None else figure.value


def _counts(values: list[object]) -> pd.Series:
    return pd.array(values, dtype="Int64")


# --- overview -----------------------------------------------------------------------------------

def country_profile(by_profile: pd.DataFrame, countries: list[str], profiles: list[str], lang: str,
                    country_title: str) -> PageTable:
    """People served, country (rows) x migration profile (columns), as `charts.tables.cross_table` shows it."""
    wide = by_profile.pivot(index="country", columns="migration_profile", values="value") \
        .reindex(index=countries, columns=profiles)
    kinds = by_profile.pivot(index="country", columns="migration_profile", values="hidden") \
        .reindex(index=countries, columns=profiles) if "hidden" in by_profile else None
    frame = pd.DataFrame({"country_name": [i18n.translate(f"country.{c}", lang) for c in countries]})
    for profile in profiles:
        frame[profile] = _counts(wide[profile].to_list())
    if kinds is not None:
        frame = with_hidden(frame, {p: [k if isinstance(k, str) else None for k in kinds[p]] for p in profiles})
    headers = {"country_name": country_title,
               **{p: i18n.translate(f"migration_profile.{p}", lang) for p in profiles}}
    tags = {"country_name": "#country+name", **{p: f"{COUNTS}+{p}" for p in profiles}}
    return PageTable(frame, headers, tags)


# --- my municipality ----------------------------------------------------------------------------

def _level_headers(profile: MunicipalProfile, lang: str, levels: tuple[str, ...] | None = None) -> dict[str, str]:
    """The page's title of each level column (`<level>_value`)."""
    levels = profile.levels if levels is None else levels
    return {f"{level}_value": header for level, header in zip(levels, level_headers(profile, lang, levels))}


def _by_level(profile: MunicipalProfile, name: str, labels: list[str], rows: list[dict[str, Figure]],
              levels: tuple[str, ...] | None = None) -> pd.DataFrame:
    """`name` (the row labels), then one count column per level (`<level>_value`), each carrying the kinds of
    its hidden figures (`exports.tables.with_hidden`), so the files read them as the page does."""
    frame = pd.DataFrame({name: labels})
    kinds = {}
    for level in profile.levels if levels is None else levels:
        figures = [cells[level] for cells in rows]
        frame[f"{level}_value"] = _counts([_count(figure) for figure in figures])
        kinds[f"{level}_value"] = [figure.hidden for figure in figures]
    return with_hidden(frame, kinds)


def _level_tags(profile: MunicipalProfile, base: str, levels: tuple[str, ...] | None = None) -> dict[str, str]:
    return {f"{level}_value": base + LEVEL_ATTRIBUTES[level] for level in (profile.levels if levels is None else levels)}


def comparison(profile: MunicipalProfile, lang: str) -> PageTable:
    """`indicators.municipal.comparison_frame` as numbers: one row per figure, one column per level.

    The migration profiles are the rows under people served (indented on the page, plain here).
    """
    rows: list[tuple[str, dict[str, Figure]]] = [
        (i18n.translate("indicator.people_served.label", lang), profile.figures["people_served"])]
    for category in dict.fromkeys(profile.profiles["migration_profile"]):
        cells = profile.profiles[profile.profiles["migration_profile"] == category].set_index("level")
        rows.append((i18n.translate(f"migration_profile.{category}", lang), {level: Figure.from_row(cells.loc[level]) for level in profile.levels}))
    for indicator_id in (*MISKA_FIGURES, *NETWORK_FIGURES):
        rows.append((i18n.translate(f"indicator.{indicator_id}.label", lang), profile.figures[indicator_id]))
    headers = _level_headers(profile, lang)
    frame = _by_level(profile, "indicator", [label for label, _ in rows], [cells for _, cells in rows])
    return PageTable(frame, {"indicator": i18n.translate("municipality.table.figure", lang), **headers},
                     {"indicator": "#indicator+name", **_level_tags(profile, "#indicator+num")})


def sex_age(profile: MunicipalProfile, lang: str) -> PageTable:
    """`indicators.municipal.sex_age_table` as numbers: one row per sex and age group, one column per level."""
    groups = list(dict.fromkeys(zip(profile.sex_age["sex"], profile.sex_age["age_group"])))
    cells = profile.sex_age.set_index(["sex", "age_group", "level"])
    headers = _level_headers(profile, lang)
    labels = [f"{i18n.translate(f'sex.{sex}', lang)}, {i18n.translate(f'age_group.{age}', lang)}" for sex, age in groups]
    figures = [{level: Figure.from_row(cells.loc[(sex, age, level)]) for level in profile.levels} for sex, age in groups]
    frame = _by_level(profile, "group", labels, figures)
    return PageTable(frame, {"group": i18n.translate("municipality.table.group", lang), **headers},
                     {"group": "#population+group", **_level_tags(profile, COUNTS)})


def components(profile: MunicipalProfile, lang: str) -> PageTable:
    """`indicators.municipal.component_table` as numbers (the same components, in the same order)."""
    levels = component_levels(profile)
    rows = [(i18n.translate(f"municipality.component.{component}", lang), figures)
            for component, figures in component_rows(profile)]
    frame = _by_level(profile, "component", [label for label, _ in rows], [cells for _, cells in rows], levels)
    return PageTable(frame, {"component": i18n.translate("municipality.table.component", lang),
                             **_level_headers(profile, lang, levels)},
                     {"component": "#activity+component", **_level_tags(profile, COUNTS, levels)})


def policies(profile: MunicipalProfile, lang: str) -> PageTable:
    """The municipality's migration policies: name, latest status and its date."""
    rows = profile.policies
    frame = pd.DataFrame({
        "policy_name": rows["policy_name"].to_list(),
        "status": [i18n.translate(f"municipality.policy_status.{s}", lang) for s in rows["status"]],
        "date": [pd.Timestamp(d).date() for d in rows["status_date"]],
    })
    headers = {"policy_name": i18n.translate("municipality.policies.column.name", lang),
               "status": i18n.translate("municipality.policies.column.status", lang),
               "date": i18n.translate("municipality.policies.column.date", lang)}
    return PageTable(frame, headers, {"policy_name": "#output+policy+name", "status": "#status",
                                      "date": "#date+reported"})


def organisations(profile: MunicipalProfile, lang: str) -> PageTable:
    """Base organisations with their seat in the municipality and their members."""
    rows = profile.organisations
    frame = pd.DataFrame({"organisation": rows["name"].to_list(), "members": _counts(rows["members"].to_list())})
    headers = {"organisation": i18n.translate("municipality.organisations.column.name", lang),
               "members": i18n.translate("municipality.organisations.column.members", lang)}
    return PageTable(frame, headers, {"organisation": "#org+name", "members": "#org+members+num"})

