"""Primary and complementary suppression: hand-built tables, hierarchies, linked tables, speed."""

import os
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

from privacy import TOTAL, CellTable, audit, hierarchy, link, one_way, primary, protect, rename, two_way
from tests.conftest import ROOT


def frame(**columns) -> pd.DataFrame:
    return pd.DataFrame(columns)


def test_primary_hides_small_counts_and_keeps_zeros():
    values = {"zero": 0, "one": 1, "four": 4, "five": 5, "big": 120}
    assert primary(values, 5) == {"one", "four"}
    assert primary(values, 3) == {"one"}
    with pytest.raises(ValueError, match="minimum of 3"):
        primary(values, 2)


def test_a_small_cell_beside_its_total_gets_a_partner():
    table = one_way(frame(sex=["female", "male", "other"], value=[3, 20, 9]), "sex")
    hidden = protect(table, 5, 2)
    assert hidden == {("female",), ("other",)}  # the smallest partner of at least 2k-2 = 8
    assert audit(table, hidden, 5, 2).passed


def test_a_small_cell_of_a_square_is_hidden_with_a_rectangle():
    cells = frame(row=["r1", "r1", "r2", "r2"], col=["c1", "c2", "c1", "c2"], value=[2, 10, 10, 20])
    table = two_way(cells, "row", "col")
    assert protect(table, 5, 2) == {("r1", "c1"), ("r1", "c2"), ("r2", "c1"), ("r2", "c2")}


def test_zeros_are_never_hidden_and_a_zero_is_no_partner():
    table = one_way(frame(sex=["female", "male", "other"], value=[3, 0, 40]), "sex")
    hidden = protect(table, 5, 2)
    assert hidden == {("female",), ("other",)}
    assert audit(table, hidden, 5, 2).passed


def test_a_table_of_small_cells_is_hidden_whole_and_passes_as_limited():
    table = one_way(frame(sex=["female", "male", "other"], value=[2, 1, 0]), "sex")
    hidden = protect(table, 5, 2)
    assert hidden == {("female",), ("male",), ("total",)}
    result = audit(table, hidden, 5, 2)
    assert result.passed and result.limited == [("female",), ("male",), ("total",)]


def test_hierarchy_hides_a_sibling_municipality_and_keeps_the_department():
    counts = frame(department=["01", "01", "01", "02", "02"], municipality=["0101", "0102", "0103", "0201", "0202"],
                   value=[3, 30, 9, 15, 8])
    table = hierarchy(counts, "department", "municipality")
    hidden = protect(table, 5, 2)
    assert hidden == {("01", "0101"), ("01", "0103")}
    result = audit(table, hidden, 5, 2)
    assert result.bounds == {("01", "0101"): (1.0, 4.0), ("01", "0103"): (8.0, 11.0)}


def test_a_small_department_makes_suppression_cross_levels():
    counts = frame(department=["01", "01", "02", "03", "03"], municipality=["0101", "0102", "0201", "0301", "0302"],
                   value=[12, 30, 4, 25, 9])
    table = hierarchy(counts, "department", "municipality")
    hidden = protect(table, 5, 2)
    # department 02 (4) and its only municipality are small; a sibling department (03, the
    # smallest of at least 8) hides with it, and then one of its municipalities must hide too.
    assert hidden == {("02", "0201"), ("02", TOTAL), ("03", TOTAL), ("03", "0302")}
    result = audit(table, hidden, 5, 2)
    assert result.bounds == {("02", "0201"): (1.0, 4.0), ("02", TOTAL): (1.0, 4.0),
                             ("03", "0302"): (9.0, 12.0), ("03", TOTAL): (34.0, 37.0)}


def test_a_headline_linked_to_its_breakdown_is_protected_together():
    breakdown = one_way(frame(sex=["female", "male", "other"], value=[3, 20, 0]), "sex", total_id="people")
    headline = CellTable({"people": 23})
    alone = protect(breakdown, 5, 2) - {"people"}
    assert alone == {("female",), ("male",)}
    apart = primary(breakdown.values, 5)  # what primary suppression alone would show
    linked = link(headline, breakdown)
    assert audit(linked, apart, 5, 2).unsafe == [("female",)]  # 23 - 20 = 3
    hidden = protect(linked, 5, 2)
    assert hidden == {("female",), ("male",)} and audit(linked, hidden, 5, 2).passed


def test_a_one_way_table_linked_to_the_margins_of_a_two_way_table():
    cells = frame(sex=["female", "female", "male", "male"], age=["15_17", "18_29", "15_17", "18_29"],
                  value=[3, 12, 9, 6])
    by_sex = one_way(cells.groupby("sex", as_index=False)["value"].sum(), "sex")
    by_sex = rename(by_sex, lambda cell: (TOTAL, TOTAL) if cell == ("total",) else (cell[0], TOTAL))
    linked = link(two_way(cells, "sex", "age"), by_sex)
    assert len(linked.values) == len(two_way(cells, "sex", "age").values)
    assert audit(linked, protect(linked, 5, 2), 5, 2).passed


def test_link_refuses_cells_that_disagree():
    with pytest.raises(ValueError, match="is 23 in one table and 24 in another"):
        link(CellTable({"people": 23}), CellTable({"people": 24}))


def test_protect_is_deterministic_across_hash_seeds():
    script = (
        "import numpy as np, pandas as pd\n"
        "from privacy import protect, two_way\n"
        "rng = np.random.default_rng(7)\n"
        "f = pd.DataFrame([(f'd{i}', s) for i in range(12) for s in ('f', 'm', 'o')], columns=['d', 's'])\n"
        "f['value'] = np.where(rng.random(len(f)) < 0.4, rng.integers(0, 5, len(f)), rng.integers(5, 40, len(f)))\n"
        "t = two_way(f, 'd', 's')\n"
        "print(sorted(map(repr, protect(t, 5, 2))))\n"
    )
    outputs = {
        subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1 and "d" in outputs.pop()


def realistic_counts(rng: np.random.Generator, n: int) -> np.ndarray:
    """Counts with 30 % zeros, 30 % small and 40 % large, as in municipal breakdowns."""
    kind = rng.choice(3, n, p=[0.3, 0.3, 0.4])
    return np.where(kind == 0, 0, np.where(kind == 1, rng.integers(1, 5, n), rng.integers(5, 80, n)))


@pytest.mark.parametrize("seed", [0, 1])
def test_a_22_by_3_table_protects_in_well_under_a_second(seed):
    rng = np.random.default_rng(seed)
    cells = pd.DataFrame([(f"{d:02d}", s) for d in range(1, 23) for s in ("female", "male", "other")],
                         columns=["department", "sex"])
    cells["value"] = realistic_counts(rng, len(cells))
    table = two_way(cells, "department", "sex")
    start = time.perf_counter()
    hidden = protect(table, 5, 2)
    assert time.perf_counter() - start < 1.0
    assert audit(table, hidden, 5, 2).passed


@pytest.mark.parametrize("seed", [0, 1])
def test_a_340_municipality_hierarchy_protects_in_well_under_a_second(seed):
    rng = np.random.default_rng(seed)
    departments = np.sort(rng.integers(1, 23, 340))
    counts = pd.DataFrame({"department": [f"{d:02d}" for d in departments],
                           "municipality": [f"{d:02d}{i:03d}" for i, d in enumerate(departments)],
                           "value": realistic_counts(rng, 340)})
    table = hierarchy(counts, "department", "municipality")
    start = time.perf_counter()
    hidden = protect(table, 5, 2)
    assert time.perf_counter() - start < 1.0
    assert audit(table, hidden, 5, 2).passed


def test_unpublished_cells_start_hidden_and_small_ones_are_protected():
    from privacy import CellTable, audit, protect
    # longer period = shorter + people served only in the longer (unpublished, 2: small)
    table = CellTable({"longer": 12, "shorter": 10, "gap": 2, "other": 9},
                      [("longer", ("shorter", "gap"))])
    hidden = protect(table, 5, 2, unpublished={"gap"})
    assert "gap" in hidden and hidden & {"longer", "shorter"}
    assert audit(table, hidden, 5, 2).passed


def test_importance_keeps_the_more_important_cell_published():
    from privacy import CellTable, protect
    table = CellTable({"total": 20, "a": 3, "b": 8, "c": 9}, [("total", ("a", "b", "c"))])
    keep_c = protect(table, 5, 2, importance=lambda cell: 1 if cell == "b" else 0)
    assert "b" not in keep_c and "c" in keep_c and "total" not in keep_c


def test_a_partner_that_equals_a_published_total_is_avoided():
    from privacy import CellTable, audit, protect
    # Two units, each broken down by profile; the column "returnee" adds up over the units. Unit A
    # has only returnees (its returnee cell equals its total): hiding it would hide A's total too.
    values = {"A": 15, "A.ret": 15, "B": 30, "B.ret": 3, "B.set": 27, "C": 28, "C.ret": 20, "C.set": 8,
              "ret": 38, "set": 35}
    relations = [("A", ("A.ret",)), ("B", ("B.ret", "B.set")), ("C", ("C.ret", "C.set")),
                 ("ret", ("A.ret", "B.ret", "C.ret")), ("set", ("B.set", "C.set"))]
    table = CellTable(values, relations)
    assert table.equal_totals["A.ret"] == ("A",)
    hidden = protect(table, 5, 2)
    assert "A" not in hidden and "A.ret" not in hidden and "C.ret" in hidden
    assert audit(table, hidden, 5, 2).passed
