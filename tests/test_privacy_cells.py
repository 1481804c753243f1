"""Cell tables: builders from frames, validation, linking and renaming."""

import pandas as pd
import pytest

from privacy import TOTAL, CellTable, hierarchy, link, one_way, rename, two_way


def test_one_way_has_the_cells_and_their_total():
    table = one_way(pd.DataFrame({"sex": ["female", "male"], "value": [3, 20]}), "sex")
    assert table.values == {("female",): 3, ("male",): 20, ("total",): 23}
    assert table.relations == [(("total",), (("female",), ("male",)))]


def test_two_way_adds_row_column_and_grand_totals_and_fills_missing_cells_with_zero():
    frame = pd.DataFrame({"sex": ["female", "female", "male"], "age": ["a", "b", "a"], "value": [3, 4, 5]})
    table = two_way(frame, "sex", "age")
    assert table.values == {("female", "a"): 3, ("female", "b"): 4, ("male", "a"): 5, ("male", "b"): 0,
                            ("female", TOTAL): 7, ("male", TOTAL): 5, (TOTAL, "a"): 8, (TOTAL, "b"): 4,
                            (TOTAL, TOTAL): 12}
    assert table.relations == [
        (("female", TOTAL), (("female", "a"), ("female", "b"))),
        (("male", TOTAL), (("male", "a"), ("male", "b"))),
        ((TOTAL, "a"), (("female", "a"), ("male", "a"))),
        ((TOTAL, "b"), (("female", "b"), ("male", "b"))),
        ((TOTAL, TOTAL), (("female", TOTAL), ("male", TOTAL))),
        ((TOTAL, TOTAL), ((TOTAL, "a"), (TOTAL, "b"))),
    ]


def test_hierarchy_sums_children_to_parents_and_parents_to_the_grand_total():
    frame = pd.DataFrame({"dep": ["01", "01", "02"], "mun": ["0101", "0102", "0201"], "value": [3, 4, 5]})
    table = hierarchy(frame, "dep", "mun")
    assert table.values == {(TOTAL, TOTAL): 12, ("01", TOTAL): 7, ("02", TOTAL): 5,
                            ("01", "0101"): 3, ("01", "0102"): 4, ("02", "0201"): 5}
    assert table.relations == [
        ((TOTAL, TOTAL), (("01", TOTAL), ("02", TOTAL))),
        (("01", TOTAL), (("01", "0101"), ("01", "0102"))),
        (("02", TOTAL), (("02", "0201"),)),
    ]


def test_hierarchy_with_two_parent_columns_has_a_level_for_each():
    frame = pd.DataFrame({"country": ["GT", "GT", "BO"], "dep": ["01", "02", "02"], "mun": ["a", "b", "c"],
                          "value": [3, 4, 5]})
    table = hierarchy(frame, ["country", "dep"], "mun")
    assert table.values[("GT", TOTAL, TOTAL)] == 7
    assert table.values[("BO", "02", TOTAL)] == 5  # department 02 of Bolivia is not Guatemala's
    assert table.values[(TOTAL, TOTAL, TOTAL)] == 12


def test_link_merges_shared_cells_and_drops_repeated_relations():
    a = one_way(pd.DataFrame({"sex": ["female", "male"], "value": [3, 20]}), "sex", total_id="people")
    linked = link(CellTable({"people": 23}), a, a)
    assert linked.values == {"people": 23, ("female",): 3, ("male",): 20}
    assert linked.relations == a.relations


def test_rename_maps_ids_and_refuses_merging_two_cells():
    table = one_way(pd.DataFrame({"sex": ["female", "male"], "value": [3, 20]}), "sex")
    assert rename(table, {("total",): "people"}).values == {("female",): 3, ("male",): 20, "people": 23}
    with pytest.raises(ValueError, match="merged two cells"):
        rename(table, lambda cell: "same")


@pytest.mark.parametrize(("values", "relations", "message"), [
    ({"a": -1}, [], "non-negative integer"),
    ({"a": 1.5}, [], "non-negative integer"),
    ({"a": pd.NA}, [], "non-negative integer"),
    ({"t": 3, "a": 1}, [("t", ("a", "b"))], "not in the table"),
    ({"t": 3, "a": 1}, [("t", ("a",))], "does not add up"),
    ({"t": 2, "a": 1}, [("t", ("a", "a"))], "repeats a cell"),
])
def test_cell_tables_refuse_invalid_counts_and_relations(values, relations, message):
    with pytest.raises(ValueError, match=message):
        CellTable(values, relations)


def test_builders_refuse_repeated_rows_and_missing_keys():
    with pytest.raises(ValueError, match="repeated rows"):
        one_way(pd.DataFrame({"sex": ["female", "female"], "value": [3, 4]}), "sex")
    with pytest.raises(ValueError, match="missing values"):
        one_way(pd.DataFrame({"sex": ["female", None], "value": [3, 4]}), "sex")
    with pytest.raises(ValueError, match="collides"):
        one_way(pd.DataFrame({"sex": ["total"], "value": [3]}), "sex", total_id=("total",))
