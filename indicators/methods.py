"""What the Methods page says, generated from the definitions the figures are computed with.

Indicators come from `indicators.registry`, age brackets from `indicators.age_groups`, weights
and privacy parameters from `settings`, datasets from `data_loaders.schemas` and the store's
import log (aggregates only), boundary sources from `<geo_dir>/SOURCES.md` and `LICENSES/`.
Functions return message keys, codes and numbers; the page translates and formats them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

import i18n
import settings
from data_loaders.schemas import ATTENDANCE_AGE_GROUPS, DATASETS
from indicators.age_groups import BRACKET_SETS
from indicators.registry import INDICATORS, OUTCOME_SETS, Indicator
from privacy.rules import effective_margin
from publication.family import GRANULARITY, LEVELS

# Breakdowns whose parts overlap: one person active in several quarters counts in each.
OVERLAPPING = ("quarter", "month")


@dataclass(frozen=True)
class EventRule:
    """Which records make a person count for an indicator, as its declaration says."""

    tables: tuple[str, ...]  # store tables used, participants first
    outcomes: tuple[str, ...] = ()  # outcome codes that qualify (outcome indicators)
    component: str | None = None  # the one component that qualifies, if any
    completed_only: bool = False
    dated_by: str = "overlap"  # "overlap" (participation overlaps the period), "date" or "end_date" in period


@dataclass(frozen=True)
class IndicatorMethod:
    """Everything the page says about one registry indicator, as message keys and codes."""

    id: str
    label_key: str
    definition_key: str
    numerator_key: str
    denominator_key: str
    unit_key: str
    disaggregations: tuple[str, ...]
    programmes: tuple[str, ...]
    rule: EventRule
    caveat_keys: tuple[str, ...]
    base_label_key: str | None = None  # shares: the indicator divided (the denominator)
    condition: str | None = None  # shares: who of the base is in the numerator ("female", "youth")


def event_rule(indicator: Indicator) -> EventRule:
    """The tables, event conditions and dating of an indicator, read from its declared events."""
    if indicator.kind == "attendance":
        return EventRule(("awareness_sessions",), dated_by="date")
    if indicator.kind == "share":
        return event_rule(INDICATORS[indicator.base])
    events = indicator.events
    return EventRule(
        tables=("participants", events.table),
        outcomes=events.outcomes,
        component=events.component,
        completed_only=events.completed,
        dated_by="overlap" if events.end else events.start,
    )


def _message_or(key: str, fallback: str) -> str:
    return key if i18n.has_message(key, i18n.DEFAULT_LANGUAGE) else fallback


def caveat_keys(indicator: Indicator) -> tuple[str, ...]:
    """The cautions that apply to an indicator, chosen from what its definition does."""
    keys: list[str] = []
    rule = event_rule(indicator)
    if indicator.kind == "attendance":
        keys += ["methods.caveat.not_deduplicated", "methods.caveat.attendance_ages",
                 "methods.caveat.attendance_filters", "methods.caveat.no_programme"]
    else:
        keys.append("methods.caveat.distinct_people")
        if rule.dated_by == "overlap":
            keys.append("methods.caveat.ongoing_at_start")
    if indicator.programmes:
        keys.append("methods.caveat.programme_scope")
    if rule.outcomes:
        keys.append("methods.caveat.one_per_person")
    if "institution" in indicator.disaggregations and indicator.kind == "people":
        keys.append("methods.caveat.institution_assigned" if rule.component else "methods.caveat.institution_agents")
    if indicator.kind == "share":
        keys.append("methods.caveat.share_protected")
        if indicator.condition == "youth":
            keys.append("methods.caveat.youth_bracket_set")
    if set(OVERLAPPING) & set(indicator.disaggregations):
        keys.append("methods.caveat.periods_overlap" if indicator.kind != "attendance"
                    else "methods.caveat.periods_add_up")
    return tuple(keys)


def indicator_method(indicator: Indicator) -> IndicatorMethod:
    numerator = f"indicator.{indicator.id}.numerator"
    denominator = f"indicator.{indicator.id}.denominator"
    return IndicatorMethod(
        id=indicator.id,
        label_key=indicator.label_key,
        definition_key=indicator.definition_key,
        numerator_key=_message_or(numerator, f"methods.indicator.{indicator.id}.numerator"),
        denominator_key=_message_or(denominator, f"methods.indicator.{indicator.id}.denominator"
                                    if indicator.kind == "share" else "methods.denominator.none"),
        unit_key=f"methods.unit.{indicator.unit}",
        disaggregations=indicator.disaggregations,
        programmes=indicator.programmes,
        rule=event_rule(indicator),
        caveat_keys=caveat_keys(indicator),
        base_label_key=INDICATORS[indicator.base].label_key if indicator.base else None,
        condition=indicator.condition,
    )


def indicator_methods() -> list[IndicatorMethod]:
    """One entry per registry indicator, in registry order."""
    return [indicator_method(indicator) for indicator in INDICATORS.values()]


def outcome_stages() -> list[tuple[str, tuple[str, ...]]]:
    """(stage, outcome codes) of every declared outcome set, as the Reintegration page counts them."""
    return list(OUTCOME_SETS.items())


# --- Age brackets, weights, privacy ------------------------------------------------------------------

@dataclass(frozen=True)
class AgeSet:
    id: str
    label_key: str
    source_key: str
    brackets: tuple[str, ...]  # age_group codes, youngest first
    youth_group: str | None


def age_sets() -> list[AgeSet]:
    return [AgeSet(s.id, f"age_set.{s.id}", s.source, tuple(code for code, _, _ in s.brackets), s.youth_group)
            for s in BRACKET_SETS.values()]


def attendance_age_groups() -> tuple[str, ...]:
    """The fixed age groups of awareness-session attendance (recorded aggregated, not per person)."""
    return ATTENDANCE_AGE_GROUPS


def reintegration_weights() -> list[tuple[str, float]]:
    """(dimension, weight) of the composite reintegration score, as configured by the programme."""
    return list(settings.reintegration_weights().items())


@dataclass(frozen=True)
class PrivacyRules:
    threshold: int  # smallest count published
    minimum: int  # the threshold can never be set below this
    margin: int  # audit margin actually required (capped at threshold - 3)


def privacy_rules() -> PrivacyRules:
    k = settings.suppression_threshold()
    return PrivacyRules(k, settings.MIN_SUPPRESSION_THRESHOLD, effective_margin(k, int(settings.get("audit_margin"))))


@dataclass(frozen=True)
class LevelOffer:
    """What the publication family offers at one territorial level (`publication.family.GRANULARITY`)."""

    level: str
    reporting: tuple[str, ...]  # breakdowns of the reporting period ("sex × age": the pyramid)
    by_year: tuple[str, ...] | None  # breakdowns of each single year (() : totals only; None: no single years)
    quarters: bool  # the quarterly trend (totals)


PYRAMID = "sex_x_age"


def level_offers() -> list[LevelOffer]:
    """Every level's offer, region first: the Methods page's table and the not-offered sentence point to it."""
    offers = []
    for level in LEVELS:
        granularity = GRANULARITY[level]
        reporting = (*granularity.population_dimensions, *((PYRAMID,) if granularity.pyramid else ()))
        by_year = tuple(d for d in granularity.population_dimensions if granularity.by_year((d,))) \
            if granularity.years else None
        offers.append(LevelOffer(level, reporting, by_year, granularity.quarters))
    return offers


# --- Data sources --------------------------------------------------------------------------------

def _date_columns(dataset: str) -> list[str]:
    return [name for name, column in DATASETS[dataset].columns.items() if str(column.dtype).startswith("datetime")]


def dataset_summaries(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per dataset: records, first and last month of its dates, last import date. Aggregates only.

    Columns: dataset, records, first_month, last_month, last_import (dates; None when empty).
    """
    imports = dict(con.execute("SELECT dataset, CAST(max(imported_at) AS DATE) FROM import_log GROUP BY dataset")
                   .fetchall())
    rows = []
    for dataset in DATASETS:
        dates = _date_columns(dataset)
        lows = ", ".join(f'min("{c}")' for c in dates)
        highs = ", ".join(f'max("{c}")' for c in dates)
        span = f", least({lows}), greatest({highs})" if dates else ", NULL, NULL"
        records, first, last = con.execute(f'SELECT count(*){span} FROM "{dataset}"').fetchone()
        rows.append({"dataset": dataset, "records": int(records),
                     "first_month": None if first is None else first.replace(day=1),
                     "last_month": None if last is None else last.replace(day=1),
                     "last_import": imports.get(dataset)})
    return pd.DataFrame(rows, columns=["dataset", "records", "first_month", "last_month", "last_import"])


# --- Boundary sources and licences ---------------------------------------------------------------

LICENCE_IDS = ("GPL-3.0", "public-domain", "MIT", "ISC")


@dataclass(frozen=True)
class BoundarySource:
    """One shipped boundary file, what it holds and under which licences it is used."""

    file: str
    country: str | None  # None for the regional country outlines
    level: str  # "department", "municipality" or "country"
    source: str  # as written in SOURCES.md (names of projects and packages)
    licences: tuple[str, ...]  # ids from LICENCE_IDS
    licence_files: tuple[str, ...]
    attribution: str  # the credit line SOURCES.md asks for, verbatim


def licence_of(file_name: str) -> str | None:
    """The licence id of a file in LICENSES/ (``mapsPERU-GPL-3.0.txt`` → ``GPL-3.0``)."""
    stem = Path(file_name).stem
    return next((lid for lid in LICENCE_IDS if stem.endswith(lid)), None)


def licence_files(geo_dir: Path) -> list[tuple[str, str | None]]:
    """(file name, licence id) of every file in LICENSES/."""
    return [(path.name, licence_of(path.name)) for path in sorted((geo_dir / "LICENSES").glob("*"))
            if path.is_file()]


def _sections(text: str) -> dict[str, str]:
    """SOURCES.md sections keyed by each file name their heading lists."""
    sections: dict[str, str] = {}
    for heading, body in re.findall(r"^###\s+(.+?)\n(.*?)(?=^###\s|^##\s|\Z)", text, flags=re.M | re.S):
        for name in re.findall(r"[\w.-]+\.geojson", heading):
            sections[name] = body
    return sections


def _table_sources(text: str) -> dict[str, str]:
    """File name → source column of the Files table of SOURCES.md."""
    rows = re.findall(r"^\|\s*`([^`]+)`\s*\|[^|]*\|[^|]*\|[^|]*\|\s*([^|]+?)\s*\|[^|]*\|\s*$", text, flags=re.M)
    return dict(rows)


def _documented_name(file_name: str) -> str:
    """The name SOURCES.md uses for a shipped file (the zipped shapefile is described as its GeoJSON)."""
    return file_name.replace("_shp.zip", ".geojson")


def boundary_sources(geo_dir: Path, layers: tuple[tuple[str, str, str], ...], region_file: str) -> list[BoundarySource]:
    """Every shipped boundary file with its source, licences, licence files and attribution.

    A file SOURCES.md does not document gets empty source and licences: the page says so.
    """
    text = (geo_dir / "SOURCES.md").read_text(encoding="utf-8")
    sections, sources = _sections(text), _table_sources(text)
    out = []
    for country, level, file_name in (*layers, (None, "country", region_file)):
        name = _documented_name(file_name)
        body = sections.get(name, "")
        licence_line = next(iter(re.findall(r"^- Licence:(.*?)(?=^- |\Z)", body, flags=re.M | re.S)), "")
        files = tuple(dict.fromkeys(re.findall(r"LICENSES/([\w.-]+)", licence_line)))
        licences = [licence_of(f) for f in files]
        if re.search(r"public\s+domain", licence_line, flags=re.I):
            licences.append("public-domain")
        attribution = re.search(r"^- Attribution:\s*\"(.+?)\"", body, flags=re.M | re.S)
        out.append(BoundarySource(
            file=file_name, country=country, level=level, source=sources.get(name, ""),
            licences=tuple(dict.fromkeys(lid for lid in licences if lid)), licence_files=files,
            attribution=" ".join(attribution.group(1).split()) if attribution else "",
        ))
    return out


# --- Where a headline figure comes from -----------------------------------------------------------

@dataclass(frozen=True)
class Breakdown:
    """A breakdown as published: rows (code, value or <NA>) without zero rows, the total, whether it adds up,
    and the kind of hidden of each hidden figure (`i18n.HIDDEN_KINDS`; None where shown or not said)."""

    rows: list[tuple[str, object]]
    total: object
    adds_up: bool  # every part and the total are published and the parts sum to the total
    protected: bool  # some part or the total is protected
    zeros_left_out: bool  # published zero parts were left out (they add nothing)
    kinds: tuple[object, ...] = ()  # the kind of each row's figure, in the order of `rows`
    total_kind: object = None


def consistent_with_headline(headline: pd.DataFrame, total: pd.DataFrame,
                             parts: tuple[pd.DataFrame, ...]) -> tuple[pd.DataFrame, tuple[pd.DataFrame, ...]]:
    """The total as the overview publishes it, and the parts hidden wherever the two protections disagree.

    The overview protects its headline with its own breakdowns; the breakdowns here are protected with
    their own copy of the total. Were the total hidden on one page and shown on the other, the parts shown
    here (or the cells shown there) could pin a small count down, so then every part is hidden: the page
    then publishes nothing the overview does not.
    """
    headline_hidden = bool(headline["suppressed"].iloc[0])
    if headline_hidden == bool(total["suppressed"].iloc[0]):
        return total, parts
    # A part hidden only because the two protections disagree: withheld, the reading that says nothing of it.
    hidden = tuple(frame.assign(value=pd.array([pd.NA] * len(frame), dtype="Int64"), suppressed=True,
                                hidden=i18n.WITHHELD)
                   for frame in parts)
    columns = [c for c in ("value", "suppressed", "hidden") if c in headline]
    return headline[columns].reset_index(drop=True), hidden


def breakdown(total: pd.DataFrame, frame: pd.DataFrame, column: str, order: tuple[str, ...]) -> Breakdown:
    """The parts of a protected breakdown in `order` (unknown codes last), zero parts left out."""
    values = dict(zip(frame[column], frame["value"]))
    kinds = {c: k for c, k in zip(frame[column], frame["hidden"]) if isinstance(k, str)} if "hidden" in frame else {}
    codes = [c for c in order if c in values] + sorted(c for c in values if c not in order)
    rows = [(c, values[c]) for c in codes if pd.isna(values[c]) or values[c] != 0]
    total_value = total["value"].iloc[0]
    protected = bool(pd.isna(total_value)) or any(pd.isna(v) for _, v in rows)
    adds_up = not protected and int(sum(int(v) for _, v in rows)) == int(total_value)
    return Breakdown(rows, total_value, adds_up, protected, len(rows) < len(codes),
                     tuple(kinds.get(c) for c, _ in rows), total["hidden"].iloc[0] if "hidden" in total else None)
