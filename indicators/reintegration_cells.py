"""The cells the Reintegration (MISKA) page publishes, in one `CellTable`, the plans that decide how much
detail a view publishes, and the publication of the protected figures (`ReintegrationFigures`).

Every count of people the page shows (and every count a reader could derive, such as participants minus
employed beside a rate) is a cell; every relation between them (a total and its parts) is a relation, so
one `privacy.suppression.protect` call protects the whole view.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import pandas as pd

from i18n import WITHHELD
from indicators.filters import Filters
from indicators.linked import suppressed_kind
from indicators.reintegration import (BREAKDOWNS, MEASURES, RATES, ROUNDS, SCORES, STAGES, Rate,
                                      ReintegrationFigures, rate_of)
from privacy.cells import CellTable

NOT = "not"  # prefix of complement cells (enrolled - stage), never shown but published implicitly


@dataclass(frozen=True)
class Plan:
    """What a view publishes: the measures of each breakdown and whether survey groups are shown.

    Protection first tries the full plan; when it would hide a headline total that the totals
    alone do not force, the store falls back to the next plan of `PLANS` (fewer breakdown
    figures), so the funnel is never sacrificed to a municipality detail.
    """

    measures: tuple[tuple[str, tuple[str, ...]], ...]
    survey_groups: bool = True

    def of(self, breakdown: str) -> tuple[str, ...]:
        return dict(self.measures).get(breakdown, ())


_ALL, _PEOPLE = MEASURES, ("enrolled",)
PLANS = (
    Plan((("sex_age", _ALL), ("ethnicity", _ALL), ("migration_profile", _ALL), ("municipality", _ALL))),
    Plan((("sex_age", _ALL), ("ethnicity", _ALL), ("migration_profile", _ALL), ("municipality", _PEOPLE))),
    Plan((("sex_age", _ALL), ("ethnicity", _PEOPLE), ("migration_profile", _PEOPLE), ("municipality", _PEOPLE))),
    Plan((("sex_age", _PEOPLE), ("ethnicity", _PEOPLE), ("migration_profile", _PEOPLE), ("municipality", _PEOPLE))),
    Plan((("sex_age", _PEOPLE), ("ethnicity", _PEOPLE), ("migration_profile", _PEOPLE), ("municipality", _PEOPLE)),
         survey_groups=False),
    Plan((), survey_groups=False),
)
# Totals the page leads with: kept published whenever the totals alone allow it.
PRIORITY = tuple((stage, "total", ()) for stage in (*STAGES, "surveyed"))


def cell(measure: str, breakdown: str = "total", key: tuple = ()) -> tuple:
    """Id of a published figure: (measure, breakdown, key)."""
    return (measure, breakdown, tuple(key))


def _keys(frame: pd.DataFrame, breakdown: str) -> list[tuple]:
    columns = BREAKDOWNS[breakdown]
    return list(zip(*(frame[c].tolist() for c in columns)))


def single_group(frame: pd.DataFrame) -> bool:
    """Whether at most one group of a breakdown has anyone (its figures are then the totals themselves)."""
    return int((frame["enrolled"] > 0).sum()) <= 1


def cell_table(people: dict[str, pd.DataFrame], survey: pd.DataFrame, plan: Plan = PLANS[0]) -> CellTable:
    """Every count the view publishes about people, and every relation between them.

    A rate shown beside its denominator reveals the complement (enrolled - stage), and so do
    the two counts shown side by side: each stage shown for a group adds a complement cell with
    enrolled = stage + complement. A breakdown with a single group repeats the totals and adds
    no cell of its own (see `publish`).
    """
    values: dict[Hashable, int] = {}
    relations: list[tuple[Hashable, tuple[Hashable, ...]]] = []
    total = people["total"].iloc[0]
    for stage in STAGES:
        values[cell(stage)] = int(total[stage])
    for stage in STAGES[1:]:
        values[cell(f"{NOT}:{stage}")] = int(total["enrolled"]) - int(total[stage])
        relations.append((cell("enrolled"), (cell(stage), cell(f"{NOT}:{stage}"))))
    for breakdown in BREAKDOWNS:
        frame, measures = people[breakdown], plan.of(breakdown)
        if not measures or single_group(frame):
            continue
        keys = _keys(frame, breakdown)
        for key, row in zip(keys, frame.itertuples(index=False)):
            for measure in measures:
                values[cell(measure, breakdown, key)] = int(getattr(row, measure))
            for stage in (m for m in measures if m in RATES):
                values[cell(f"{NOT}:{stage}", breakdown, key)] = int(row.enrolled) - int(getattr(row, stage))
                relations.append((cell("enrolled", breakdown, key),
                                  (cell(stage, breakdown, key), cell(f"{NOT}:{stage}", breakdown, key))))
        relations += [(cell(m), tuple(cell(m, breakdown, k) for k in keys)) for m in measures]
    _survey_cells(survey, plan, values, relations)
    return CellTable(values, relations)


def _survey_single(survey: pd.DataFrame, group_by: str) -> bool:
    """Whether at most one group (by sex or by age group) has anyone surveyed: its figures are the totals."""
    return int((survey.loc[survey["group_by"] == group_by, "surveyed"] > 0).sum()) <= 1


def _survey_cells(survey: pd.DataFrame, plan: Plan, values: dict, relations: list) -> None:
    """People with both surveys and those who improved: improved + not improved = surveyed, surveyed + not
    surveyed = enrolled (total), and the groups by sex and by age group adding up to the totals."""
    shown = ["total"] + [g for g in ("sex", "age_group") if plan.survey_groups and not _survey_single(survey, g)]
    groups: dict[str, list[tuple]] = {}
    for row in survey[survey["group_by"].isin(shown)].itertuples(index=False):
        key = () if row.group_by == "total" else (row.group,)
        groups.setdefault(row.group_by, []).append(key)
        values[cell("surveyed", row.group_by, key)] = row.surveyed
        values[cell("improved", row.group_by, key)] = row.improved
        values[cell(f"{NOT}:improved", row.group_by, key)] = row.surveyed - row.improved
        relations.append((cell("surveyed", row.group_by, key),
                          (cell("improved", row.group_by, key), cell(f"{NOT}:improved", row.group_by, key))))
    values[cell(f"{NOT}:surveyed")] = values[cell("enrolled")] - values[cell("surveyed")]
    relations.append((cell("enrolled"), (cell("surveyed"), cell(f"{NOT}:surveyed"))))
    for breakdown in shown[1:]:
        for measure in ("surveyed", "improved"):
            relations.append((cell(measure), tuple(cell(measure, breakdown, k) for k in groups[breakdown])))


# --- publication ---------------------------------------------------------------------------------

def _shown(table: CellTable, suppressed: set, cell_id: Hashable) -> object:
    if cell_id not in table.values:
        return pd.NA
    return pd.NA if cell_id in suppressed else table.values[cell_id]


def _kind(table: CellTable, suppressed: set, cell_id: Hashable | None, k: int) -> str | None:
    """How a person reads a figure `_shown` hides: small or protecting (`indicators.linked.suppressed_kind`),
    withheld when the view does not publish the cell at all; None when it is shown (or a known zero)."""
    if cell_id is None or isinstance(cell_id, int):
        return None
    if cell_id not in table.values:
        return WITHHELD
    return suppressed_kind(table.values[cell_id], k) if cell_id in suppressed else None


def _with_rates(frame: pd.DataFrame, numerators: Sequence[str], denominator: str, k: int) -> pd.DataFrame:
    out = frame.copy()
    for stage in numerators:
        rates = [rate_of(n, d, k) for n, d in zip(out[stage], out[denominator])]
        for part, suffix in (("value", "rate"), ("low", "low"), ("high", "high")):
            out[f"{stage}_{suffix}"] = pd.array([getattr(r, part) for r in rates], dtype="Float64")
    return out


def _breakdown_cell(frame: pd.DataFrame, breakdown: str, measure: str, key: tuple, row) -> tuple | int:
    """The cell a breakdown figure is published as: its own, the total's (single group), or a known zero."""
    if not single_group(frame):
        return cell(measure, breakdown, key)
    return cell(measure) if int(row.enrolled) > 0 else 0


def publish(table: CellTable, suppressed: set, people: dict[str, pd.DataFrame], survey: pd.DataFrame,
            plan: Plan, filters: Filters, k: int, weights: dict[str, float]) -> ReintegrationFigures:
    """The protected figures: counts <NA> where suppressed, with their kind of hidden beside them (funnel
    `hidden`, breakdowns and survey `<measure>_hidden`); rates, intervals and means only where shown."""
    funnel = pd.DataFrame({"stage": list(STAGES)})
    funnel["value"] = pd.array([_shown(table, suppressed, cell(s)) for s in STAGES], dtype="Int64")
    funnel["hidden"] = pd.Series([_kind(table, suppressed, cell(s), k) for s in STAGES], dtype=object)
    enrolled = funnel["value"].iloc[0]
    rates = [rate_of(v, enrolled, k) if s != "enrolled" else Rate(None, None, None)
             for s, v in zip(STAGES, funnel["value"])]
    for part, column in (("value", "rate"), ("low", "low"), ("high", "high")):
        funnel[column] = pd.array([getattr(r, part) for r in rates], dtype="Float64")
    breakdowns = {}
    for breakdown in BREAKDOWNS:
        frame = people[breakdown]
        out = frame[list(BREAKDOWNS[breakdown])].copy()
        for measure in MEASURES:
            shown, kinds = [], []
            for key, row in zip(_keys(frame, breakdown), frame.itertuples(index=False)):
                source = _breakdown_cell(frame, breakdown, measure, key, row)
                planned = measure in plan.of(breakdown)
                shown.append(pd.NA if not planned else
                             source if isinstance(source, int) else _shown(table, suppressed, source))
                kinds.append(WITHHELD if not planned else _kind(table, suppressed, source, k))
            out[measure] = pd.array(shown, dtype="Int64")
            out[f"{measure}_hidden"] = pd.Series(kinds, index=out.index, dtype=object)
        breakdowns[breakdown] = _with_rates(out, RATES, "enrolled", k)
    return ReintegrationFigures(filters.start, filters.end, k, dict(weights), plan, funnel, breakdowns,
                                _published_survey(table, suppressed, survey, k))


def _published_survey(table: CellTable, suppressed: set, survey: pd.DataFrame, k: int) -> pd.DataFrame:
    out = survey[["group_by", "group"]].copy()
    for measure in ("surveyed", "improved"):
        shown, kinds = [], []
        for row in survey.itertuples(index=False):
            own = cell(measure) if row.group_by == "total" else cell(measure, row.group_by, (row.group,))
            if own not in table.values and row.group_by != "total" and _survey_single(survey, row.group_by):
                own = cell(measure) if row.surveyed > 0 else None  # the one group with anyone is the total
            shown.append(0 if own is None else _shown(table, suppressed, own))
            kinds.append(_kind(table, suppressed, own, k))
        out[measure] = pd.array(shown, dtype="Int64")
        out[f"{measure}_hidden"] = pd.Series(kinds, index=out.index, dtype=object)
    out = _with_rates(out, ("improved",), "surveyed", k)
    visible = [not pd.isna(n) and int(n) >= k for n in out["surveyed"]]
    for column in (f"{s}_{r}" for s in SCORES for r in ROUNDS):
        out[column] = pd.array([v if ok else None for v, ok in zip(survey[column], visible)], dtype="Float64")
    return out

