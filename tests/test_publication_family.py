"""The publication family and its joint protection: one fate per cell, safe against the union of everything offered."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings as hypothesis_settings
from hypothesis import strategies as st

from privacy.audit import cell_bounds
from privacy.cells import CellTable
from privacy.rules import is_protected, is_small
from publication.family import AGE_CLASS, DEFAULT_AGE, Periods, build_family, level_of, offered, people_frame, year_period
from publication.protection import DERIVED, PUBLISHED, SMALL, WITHHELD, block_of, protect_family
from publication.sources import published_family

K, MARGIN = 5, 2
REPORTING = (dt.date(2023, 1, 1), dt.date(2024, 12, 31))


def union_attack(family, protection) -> list:
    """Every small figure an attacker who knows all published cells and every relation narrows to
    the margin or less (exact bounds, no early stop): must be empty."""
    table = CellTable(family.values, family.relations)
    hidden = {c for c, fate in protection.fates.items() if fate != PUBLISHED}
    marked = {c for c, fate in protection.fates.items() if fate not in (WITHHELD, DERIVED)}
    unknown = hidden - marked
    targets = [c for c in hidden if is_small(family.values[c], K)]
    bounds = cell_bounds(table, hidden, K, targets=targets, priors={c: (0, math.inf) for c in unknown})
    return [c for c in targets if not is_protected(bounds[c], MARGIN)]


@pytest.fixture(scope="module")
def served(sample_con, fates_cache):
    """The sample's people family (people served, the MISKA outcomes and the Reintegration stages tied to them)
    with the fates the app publishes (decided once per test session)."""
    published = published_family(sample_con, "people_served", K, MARGIN, fates_cache)
    return published.family, published.protection


def test_no_small_figure_of_the_people_family_can_be_narrowed_from_everything_published_together(served):
    family, protection = served
    assert len(family.values) > 1000 and len(family.relations) > 1000
    assert union_attack(family, protection) == []
    published_small = [c for c, fate in protection.fates.items()
                       if fate == PUBLISHED and is_small(family.values[c], K)]
    assert published_small == []


def test_every_cell_has_one_fate_and_derived_cells_are_never_offered(served):
    family, protection = served
    assert set(protection.fates) == set(family.values)
    for cell in family.derived:
        assert protection.fates[cell] == DERIVED
        assert not offered(cell, family.periods)
    for cell, fate in protection.fates.items():
        if fate == SMALL:
            assert is_small(family.values[cell], K)


def test_totals_stay_published_where_they_are_not_small(served):
    family, protection = served
    reporting = family.periods.reporting
    totals = {c: f for c, f in protection.fates.items() if c[0] == "people_served" and c[1] == reporting and not c[3]}
    for cell, fate in totals.items():
        if level_of(cell[2]) in ("region", "country", "department"):
            assert fate == PUBLISHED, cell
    # San Pedro Necta (GTM 1306): 8 people served in the reporting period, and the figure is published.
    san_pedro = ("people_served", reporting, ("GTM", "municipality", "1306"), ())
    assert family.values[san_pedro] == 8 and protection.fates[san_pedro] == PUBLISHED
    hidden_municipal_totals = [c for c, f in totals.items() if level_of(c[2]) == "municipality" and f != PUBLISHED]
    municipal_totals = [c for c in totals if level_of(c[2]) == "municipality"]
    assert len(hidden_municipal_totals) < len(municipal_totals) / 3


def test_a_breakdown_of_a_hidden_total_is_withheld_as_a_whole(served):
    family, protection = served
    for cell, fate in protection.fates.items():
        if block_of(cell) is not None and cell not in family.derived:
            total = (*cell[:3], ())
            if protection.fates[total] != PUBLISHED:
                assert fate == WITHHELD, cell


def test_municipalities_are_offered_for_the_reporting_period_only_and_regions_by_year(served):
    family, _ = served
    year = year_period(2023)
    assert offered(("people_served", year, ("GTM",), ()), family.periods)
    assert offered(("people_served", year, (), (("age_group:gt_youth", "13_29"),)), family.periods)
    assert not offered(("people_served", year, ("GTM", "municipality", "1306"), ()), family.periods)
    # Single years with the breakdowns that stay published: by programme in a country, and by
    # programme, profile and age in the region; every other breakdown for the reporting period.
    assert offered(("people_served", year, ("GTM",), (("programme", "miska_reintegration"),)), family.periods)
    assert not offered(("people_served", year, ("GTM",), (("sex", "female"),)), family.periods)
    assert offered(("people_served", REPORTING, ("GTM",), (("sex", "female"),)), family.periods)
    assert offered(("people_served", year, (), (("migration_profile", "returnee"),)), family.periods)
    assert not offered(("people_served", year, (), (("sex", "female"),)), family.periods)
    assert not any(c[1] == year and c[3] and c[3][0][0] == "sex" for c in family.values)  # not even derived
    # Where age groups of several sets are offered by year, the age classes that tie them are in the
    # family for that year too (derived), so the audit sees what two sets' groups difference to.
    classes = [c for c in family.values if c[1] == year and c[2] == () and c[3] and c[3][0][0] == AGE_CLASS]
    assert classes and all(c in family.derived for c in classes)
    tied = {parts for total, parts in family.relations if total[1] == year and total[3]
            and total[3][0][0].startswith("age_group:") and any(p in classes for p in parts)}
    assert len(tied) >= 3
    assert not offered(("people_served", REPORTING, ("GTM", "department", "13"), (("age_group:gt_youth", "13_29"),)),
                       family.periods)
    assert offered(("people_served", REPORTING, ("GTM", "municipality", "1306"),
                    (("sex", "female"), (DEFAULT_AGE, "15_24"))), family.periods)
    assert not offered(("people_served", REPORTING, ("GTM", "municipality", "1306"),
                        (("sex", "female"), ("programme", "miska_reintegration"))), family.periods)


def test_relations_add_up_and_period_atoms_make_up_the_reporting_period(served):
    family, _ = served
    CellTable(family.values, family.relations)  # raises if a relation does not add up
    region = [c for c in family.values if c[0] == "people_served" and c[2] == () and c[3] == ()]
    atoms = sum(family.values[c] for c in region if c[1][0] == "atom")
    assert atoms == family.values[("people_served", family.periods.reporting, (), ())]
    for year in family.periods.nested_years:
        inside = sum(family.values[c] for c in region if c[1][0] == "atom" and year in c[1][1])
        assert inside == family.values[("people_served", year_period(year), (), ())]


# Random small programmes: two countries, two departments each, two municipalities each.
_PLACES = [(c, f"{c[0]}{d}", f"{c[0]}{d}{m}") for c in ("BOL", "GTM") for d in "12" for m in "12"]
_person = st.tuples(
    st.sampled_from(_PLACES), st.sampled_from(("female", "male")), st.sampled_from((0, 15, 18, 30, 50)),  # age classes, as person facts hold them
    st.sampled_from(("returnee", "settled")), st.sampled_from((1, 2, 3)),  # years served: 2023, 2024, both
)


def _facts(people) -> pd.DataFrame:
    rows = []
    for (country, department, municipality), sex, age, profile, years in people:
        mask = (0b1111 << 4 if years & 1 else 0) | (0b1111 << 8 if years & 2 else 0)  # quarters from 2022
        rows.append(dict(country=country, department_code=department, municipality_code=municipality,
                         programme="regional_support", sex=sex, migration_profile=profile, ethnicity="mestizo",
                         age=age, mask=np.int64(mask), n=1))
    frame = pd.DataFrame(rows)
    keys = [c for c in frame.columns if c != "n"]
    return frame.groupby(keys, as_index=False)["n"].sum()


@hypothesis_settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow], phases=[Phase.explicit, Phase.generate])
@given(st.lists(_person, min_size=15, max_size=70))
def test_random_families_are_never_exposed(people):
    periods = Periods(REPORTING, (2023, 2024))
    frame = people_frame(_facts(people), dt.date(2022, 1, 1), 3, periods)
    family = build_family("people_served", frame, periods)
    protection = protect_family(family, K, MARGIN)
    assert union_attack(family, protection) == []
    # Totals are kept where the sample data allows (test_totals_stay_published_...); in random
    # families of a few dozen people the region total may be the only cell left to hide.


def test_the_fates_cache_key_is_the_same_in_every_process(sample_con, tmp_path):
    """Every server process must find the fates another one decided: the key may not depend on string hashing
    (set iteration order), which differs between processes."""
    import os
    import subprocess
    import sys

    from publication.sources import fates_key, protected_family
    from tests.conftest import ROOT, SAMPLE

    script = ("import sys; from pathlib import Path; from data_loaders.canonical import read_dataset; "
              "from store.database import build_store, open_store; from publication.sources import protected_family, "
              "fates_key; path = Path(sys.argv[1]); build_store(path, Path(sys.argv[2]), "
              "lambda f, d: read_dataset(f, d).frame); print(fates_key(protected_family(open_store(path), 'people'), 5, 2))")
    seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"  # another hashing than this process's
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path / "store.duckdb"), str(SAMPLE)], cwd=ROOT,
                            env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == fates_key(protected_family(sample_con, "people"), 5, 2)
