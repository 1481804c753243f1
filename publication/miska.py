"""The Reintegration (MISKA) stages as cells of the people family, protected with people served.

What the Reintegration page counts, each as a family indicator (`publication.family.STAGE_GRANULARITY`):
- participants: `miska:enrolled` with every breakdown the page shows; its totals are people
  served of MISKA (an equality ties the two identities, so they share their fate);
- employed and enterprise (started or consolidated): the registry's `miska_employed` and
  `miska_enterprises`, one definition for the overview and this page;
- each component, completion, enterprise started and consolidated: totals per unit;
- surveyed (both rounds) and improved: by sex and by age group.

A reader who sees two figures side by side can work out the people between them: participants
who did not take a component, did not complete or were not surveyed, surveyed people who did not
improve, participants not employed (and employed people not among the period's participants:
the registry's outcome is not restricted to them), enterprises only started, only consolidated,
or both. Those are derived cells tied by relations, so the joint protection bounds them too.

Definitions are those of `indicators.reintegration`, read from the MISKA person facts
(`indicators.reintegration_facts`) for the reporting period.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_loaders.schemas import MISKA_COMPONENTS
from indicators import person_facts
from indicators.filters import Filters
from indicators.reintegration import DIMENSIONS, OUTCOME_STAGES, PROGRAMME
from indicators.reintegration_facts import UNIT, MiskaFacts
from publication.family import (MISKA_ENROLLED, STAGE_GRANULARITY, STAGE_PREFIX, Cell, Family, Periods, age_columns,
                                build_family, weight_name)

# The stages whose cells are the registry's indicators (one definition on every page).
REGISTRY_STAGES = {"employed": "miska_employed", "enterprise": "miska_enterprises"}
_PLACES = ("country", "department_code", "municipality_code", "sex", "migration_profile", "ethnicity")


def stage_indicator(stage: str) -> str:
    """The family indicator of a Reintegration stage (`indicators.reintegration.STAGES`, surveyed, improved)."""
    return REGISTRY_STAGES.get(stage, f"{STAGE_PREFIX}{stage}")


def participants_cell(period: tuple, territory: tuple) -> Cell:
    """The identity of a unit's MISKA participants: people served of the programme."""
    return "people_served", period, territory, (("programme", PROGRAMME),)


def stage_cell(stage: str, period: tuple, territory: tuple, population: tuple = ()) -> Cell:
    """The identity of a stage's count of one unit and population (a unit's participants: people served of MISKA)."""
    if stage == "enrolled" and not population:
        return participants_cell(period, territory)
    return stage_indicator(stage), period, territory, population


def stage_people(facts: MiskaFacts, period: tuple, weights: dict[str, float]) -> dict[str, np.ndarray]:
    """Who counts in each stage over `period` (one boolean per MISKA participant), as the definitions read."""
    table = facts.table.to_pandas()
    mask = np.int64(person_facts.period_mask(facts.first, facts.bits, UNIT, Filters(start=period[0], end=period[1])))

    def hit(column: str) -> np.ndarray:
        return (table[column].to_numpy(dtype=np.int64) & mask) != 0

    enrolled = hit("active")
    stages = {"enrolled": enrolled, **{c: hit(f"took_{c}") for c in MISKA_COMPONENTS},
              "completed": hit("done") & ~hit("not_done"), **{s: hit(s) for s in OUTCOME_STAGES}}

    def composite(round_: str) -> pd.Series:
        return sum(weights[d] * table[f"{d}_{round_}"].astype(float) for d in DIMENSIONS)

    stages["surveyed"] = enrolled & table["surveyed"].fillna(False).to_numpy(dtype=bool)
    gain = (composite("follow_up") - composite("baseline")).round(9)
    stages["improved"] = stages["surveyed"] & (gain > 0).fillna(False).to_numpy(dtype=bool)
    return stages


def _people_frame(facts: MiskaFacts) -> pd.DataFrame:
    table = facts.table.to_pandas()
    places = table[list(_PLACES)].astype("object")
    return places.where(places.notna(), None).assign(**age_columns(table))


# Derived measures: (name, the stage whose granularity it takes, who is in it).
def _derived(stages: dict[str, np.ndarray]) -> list[tuple[str, str, np.ndarray]]:
    enrolled = stages["enrolled"]
    out = [(f"enrolled-not-{s}", s, enrolled & ~stages[s]) for s in (*MISKA_COMPONENTS, "completed", "surveyed")]
    out.append(("surveyed-not-improved", "improved", stages["surveyed"] & ~stages["improved"]))
    for stage in REGISTRY_STAGES:
        out += [(f"{stage}&enrolled", "enrolled", stages[stage] & enrolled),
                (f"enrolled-not-{stage}", "enrolled", enrolled & ~stages[stage]),
                (f"{stage}-not-enrolled", "enrolled", stages[stage] & ~enrolled)]
    started, consolidated = stages["enterprise_started"], stages["enterprise_consolidated"]
    out += [("started-only", "enterprise_started", started & ~consolidated),
            ("consolidated-only", "enterprise_started", consolidated & ~started),
            ("started&consolidated", "enterprise_started", started & consolidated)]
    return out


# Relations: (total, parts), each named by stage or derived measure (`stage_indicator` gives their cells).
def _ties() -> list[tuple[str, tuple[str, ...]]]:
    ties = [("enrolled", (s, f"enrolled-not-{s}")) for s in (*MISKA_COMPONENTS, "completed", "surveyed")]
    ties.append(("surveyed", ("improved", "surveyed-not-improved")))
    for stage in REGISTRY_STAGES:
        ties += [("enrolled", (f"{stage}&enrolled", f"enrolled-not-{stage}")),
                 (stage, (f"{stage}&enrolled", f"{stage}-not-enrolled"))]
    ties += [("enterprise", ("started-only", "consolidated-only", "started&consolidated")),
             ("enterprise_started", ("started-only", "started&consolidated")),
             ("enterprise_consolidated", ("consolidated-only", "started&consolidated"))]
    return ties


def stage_families(facts: MiskaFacts, periods: Periods, weights: dict[str, float],
                   registry: dict[str, Family]) -> tuple[list[Family], list[tuple[Cell, tuple[Cell, ...]]]]:
    """The stage and derived families of the reporting period, and the relations that tie them to each
    other and to the registry's families (`registry`: people_served, miska_employed, miska_enterprises).

    Raises ValueError when the MISKA facts and the registry count a stage differently (the relations
    would then be false, and the protection meaningless).
    """
    period = periods.reporting
    stages = stage_people(facts, period, weights)
    frame = _people_frame(facts)
    column = weight_name(("period", period))

    def family(name: str, who: np.ndarray, granularity: dict | None = None, derived: bool = False) -> Family:
        return build_family(stage_indicator(name), frame.assign(**{column: who.astype(np.int64)}), periods, granularity,
                            derived)

    families = [family(s, stages[s]) for s in ("enrolled", *MISKA_COMPONENTS, "completed", "enterprise_started",
                                                "enterprise_consolidated", "surveyed", "improved")]
    families += [family(name, who, STAGE_GRANULARITY[stage_indicator(like)], derived=True)
                 for name, like, who in _derived(stages)]
    values = {c: v for f in (*families, *registry.values()) for c, v in f.values.items()}
    enrolled = families[0]
    for stage, indicator in REGISTRY_STAGES.items():
        mine = family(stage, stages[stage], STAGE_GRANULARITY[MISKA_ENROLLED], derived=True)
        wrong = [c for c, v in mine.values.items() if registry[indicator].values.get(c) != v]
        if wrong:
            raise ValueError(f"{indicator}: the MISKA facts and the registry disagree on {len(wrong)} cells")
    relations = []
    keys = sorted({c[1:] for f in families for c in f.values}, key=repr)  # the same order in every process
    for total, parts in _ties():
        for key in keys:
            whole = (stage_indicator(total), *key)
            present = tuple(c for c in ((stage_indicator(p), *key) for p in parts) if c in values)
            if whole in values and present and present != (whole,):
                if sum(values[c] for c in present) != values[whole]:
                    raise ValueError(f"{whole}: its parts {present} do not add up to it")
                relations.append((whole, present))
    for cell in (c for c in enrolled.values if not c[3]):
        served = participants_cell(cell[1], cell[2])
        if registry["people_served"].values.get(served) != enrolled.values[cell]:
            raise ValueError(f"MISKA participants of {cell[2]}: the MISKA facts and people served disagree")
        relations.append((served, (cell,)))
    return families, relations
