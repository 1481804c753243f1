"""Breakdowns published together on one page, protected together (primary + complementary suppression).

A page that shows a total and several breakdowns of it (country × profile, sex × age,
departments) publishes linked tables: each additive breakdown sums to the total, and
breakdowns that share a country sum to the same country total. All of them go into one
`privacy.CellTable`, so no suppressed cell can be recovered from any other figure shown.
Country totals that a page does not show are treated as published: the attacker is
assumed to know more than they do, which can only add suppressions.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

import settings
from i18n import PROTECTING, SMALL, WITHHELD
from indicators.compute import check_breakdown, true_counts
from indicators.filters import Filters
from indicators.person_facts import FactsSource
from indicators.registry import get_indicator
from privacy.cells import CellTable
from privacy.rules import is_small
from privacy.suppression import protect

TOTAL_ID = ("total",)
# Breakdowns that partition people (each person has exactly one value), so they add up to the total.
ADDITIVE = {"country", "department", "municipality", "sex", "age_group", "migration_profile", "programme",
            "ethnicity", "attendance_age_group"}
# Attendance belongs to exactly one session, so every session attribute also partitions it.
ATTENDANCE_ADDITIVE = ADDITIVE | {"quarter", "month", "institution", "topic", "audience"}


@dataclass(frozen=True)
class LinkedResult:
    """The protected total and one frame per breakdown (value <NA> where suppressed).

    `withheld` lists the breakdowns (by position) left out as a whole so that the total stays
    published; their frames are entirely hidden.
    """

    total: pd.DataFrame
    breakdowns: tuple[pd.DataFrame, ...]
    table: CellTable | None  # None when the figures come from the publication family
    suppressed: frozenset
    withheld: tuple[int, ...] = ()


def _key_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c != "value"]


def _cell_ids(index: int, frame: pd.DataFrame) -> list[tuple]:
    return [(index, *row) for row in frame[_key_columns(frame)].itertuples(index=False, name=None)]


def linked_table(total: int, frames: list[pd.DataFrame], breakdowns: tuple[tuple[str, ...], ...],
                 additive: set[str] = frozenset(ADDITIVE)) -> CellTable:
    """The cells of a total and its breakdowns, with every additive relation between them.

    A breakdown is additive by definition (`additive`) or, whatever its definition, when its
    true counts happen to sum to the total: an attacker can notice that too (e.g. agents by
    month when each agent was trained once).
    """
    values: dict = {TOTAL_ID: total}
    relations: list = []
    country_parts: dict[str, list[tuple]] = {}
    for index, (frame, by) in enumerate(zip(frames, breakdowns)):
        sums_to_total = len(frame) > 0 and int(frame["value"].sum()) == total
        if not (set(by) <= additive or sums_to_total):
            values.update(zip(_cell_ids(index, frame), frame["value"].astype(int)))
            continue
        ids = _cell_ids(index, frame)
        values.update(zip(ids, frame["value"].astype(int)))
        relations.append((TOTAL_ID, tuple(ids)))
        if "country" in frame.columns:
            for cell, country in zip(ids, frame["country"]):
                country_parts.setdefault((index, country), []).append(cell)
    countries = sorted({country for _, country in country_parts})
    with_country = sorted({index for index, _ in country_parts})
    if len(with_country) > 1:
        for country in countries:
            country_id = ("country_total", country)
            values[country_id] = sum(values[c] for c in country_parts.get((with_country[0], country), []))
            for index in with_country:
                relations.append((country_id, tuple(country_parts.get((index, country), []))))
    return CellTable(values, relations)


def suppressed_kind(value: int, k: int) -> str:
    """The kind of hidden of a cell a per-table protection suppressed: `small` for a count of 1 to k-1 (primary),
    `protecting` for the others (complementary)."""
    return SMALL if is_small(value, k) else PROTECTING


def published_frame(frame: pd.DataFrame, ids: list[tuple], suppressed: set, k: int) -> pd.DataFrame:
    """`frame` (true counts) with `value` <NA> where its cell is suppressed, `suppressed`, and `hidden`:
    `small` for a count of 1 to k-1 (primary), `protecting` for the others (complementary), None if shown.

    The per-table audit already assumes an attacker knows those classes, so saying them discloses nothing more.
    """
    hidden = pd.Series([cell in suppressed for cell in ids], index=frame.index, dtype=bool)
    values = frame["value"].astype("Int64")
    out = frame.copy()
    out["value"] = values.mask(hidden)
    out["suppressed"] = hidden.to_numpy()
    out["hidden"] = pd.Series([suppressed_kind(v, k) if h else None for h, v in zip(hidden, values)],
                              index=frame.index, dtype=object)
    return out


def _withheld_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out["value"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out["suppressed"] = True
    out["hidden"] = WITHHELD  # left out as a whole: no class of any of its cells is shown
    return out


def keep_total(total: int, frames: list[pd.DataFrame], breakdowns: tuple[tuple[str, ...], ...],
               additive: set[str], k: int, margin: int) -> tuple[tuple[int, ...], CellTable, set]:
    """(breakdowns kept, their table, its suppression): every breakdown, unless that would hide a total
    of at least k.

    Totals come before detail (PRODUCT.md): when complementary suppression would hide a total that
    is not small on its own, breakdowns are withheld as a whole, the last first, until the total
    can be published; then each withheld one is tried again, in order, and kept if the total
    survives it. A withheld breakdown publishes nothing, so it adds nothing an attacker can use.
    """
    def attempt(kept: tuple[int, ...]) -> tuple[CellTable, set]:
        table = linked_table(total, [frames[i] for i in kept], tuple(breakdowns[i] for i in kept), additive)
        return table, protect(table, k, margin)

    kept = tuple(range(len(frames)))
    table, suppressed = attempt(kept)
    if TOTAL_ID not in suppressed or total < k:
        return kept, table, suppressed
    dropped: list[int] = []
    while kept and TOTAL_ID in suppressed:
        dropped.insert(0, kept[-1])
        kept = kept[:-1]
        table, suppressed = attempt(kept)
    for index in dropped:
        trial = tuple(sorted((*kept, index)))
        trial_table, trial_suppressed = attempt(trial)
        if TOTAL_ID not in trial_suppressed:
            kept, table, suppressed = trial, trial_table, trial_suppressed
    return kept, table, suppressed


def compute_linked(con: duckdb.DuckDBPyConnection, indicator_id: str, filters: Filters,
                   breakdowns: tuple[tuple[str, ...], ...], facts: FactsSource | None = None) -> LinkedResult:
    """The indicator's total and breakdowns under `filters`, suppressed as one published set."""
    indicator = get_indicator(indicator_id)
    if indicator.kind == "share":
        raise ValueError(f"{indicator_id} is a share; link the counts it divides instead")
    for by in breakdowns:
        check_breakdown(indicator, by)
    total_frame = true_counts(con, indicator, filters, (), facts=facts)
    frames = [true_counts(con, indicator, filters, by, facts=facts) for by in breakdowns]
    additive = ATTENDANCE_ADDITIVE if indicator.kind == "attendance" else ADDITIVE
    k = settings.suppression_threshold()
    kept, table, suppressed = keep_total(int(total_frame["value"].iloc[0]), frames, breakdowns, additive,
                                         k, int(settings.get("audit_margin")))
    # Cell ids are positions among the kept breakdowns (as linked_table numbers them).
    position = {index: n for n, index in enumerate(kept)}
    published = tuple(published_frame(frame, _cell_ids(position[i], frame), suppressed, k) if i in position
                      else _withheld_frame(frame) for i, frame in enumerate(frames))
    withheld = tuple(i for i in range(len(frames)) if i not in position)
    return LinkedResult(published_frame(total_frame, [TOTAL_ID], suppressed, k), published, table,
                        frozenset(suppressed), withheld)
