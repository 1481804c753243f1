"""No file the dashboard writes holds a live formula (OWASP CSV injection; the rule: exports.safe_cells).

The rule is checked on its own (a table of values), on the table files (CSV bytes, XLSX cell data
types), then end to end: the corpus files tests/data/bad/formula_*.csv rename institutions,
organisations and policies of the sample to texts beginning with = + - @ tab and CR; they are
imported into a store of their own through the real import, the pages that show those names run
headless (AppTest), and every CSV and XLSX file their download buttons would send is read back.
A refused file whose bad value is a formula goes through the Data page's problems CSV.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from exports.safe_cells import csv_file, is_formula_like, safe_value
from exports.tables import TableNotes, csv_bytes, xlsx_bytes
from store.imports import import_upload, validate_upload
from tests.data.make_bad_inputs import FORMULA_BAD_VALUE, FORMULA_TEXTS
from tests.signed_in import open_reintegration_tables, run_dashboard
from tests.test_page_exports import files  # noqa: F401  (a fixture: every deferred download of the runs)
from ui.data_page import problem_table, problems_csv
from tests.tables import shown as shown_cells

BAD = Path(__file__).resolve().parent / "data" / "bad"
IMPORTS = (("formula_institution_names.csv", "network_institutions"),
           ("formula_organisation_names.csv", "base_organisations"),
           ("formula_policy_names.csv", "municipal_policies"))
LOADED = tuple(text.strip() for text in FORMULA_TEXTS)  # the loader strips the surrounding tab and CR


# --- The rule ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "written"), [
    ('=HYPERLINK("http://x","clic")', '\'=HYPERLINK("http://x","clic")'),
    ("+SUM(1+1)", "'+SUM(1+1)"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1+2", "'\t=1+2"),
    ("\r=1+2", "'\r=1+2"),
    ("-", "'-"),
    ("Asociación = AMIDEGA", "Asociación = AMIDEGA"),  # only the first character counts
    ("-3", "-3"), ("+1.5", "+1.5"), ("-2,5", "-2,5"), ("-1e5", "-1e5"),  # a number in text is no formula
    ("", ""), (-3, -3), (0.653, 0.653), (None, None),
])
def test_a_formula_like_text_gets_a_quote_and_nothing_else_changes(value, written):
    assert safe_value(value) == written


def test_csv_quotes_the_neutralised_field_and_keeps_numbers_plain():
    data = csv_file([["name", "value"], ['=HYPERLINK("http://x","clic")', -3], ["\tx", 0.5], ["-3", None]])
    assert data == ('\ufeffname,value\r\n"\'=HYPERLINK(""http://x"",""clic"")",-3\r\n"\'\tx",0.5\r\n-3,\r\n'
                    .encode("utf-8"))


TEXTS = ["=1+1", "+A1", "-1+1", "@A1", "\t=1", "\r=1", "AMIDEGA"]


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"name": TEXTS, "value": pd.array([-3, 5, 0, -1, 2, 7, 9], dtype="Int64"),
                         "share": [-0.5, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6]})


def _xlsx_cells(data: bytes) -> list:
    return [cell for sheet in load_workbook(io.BytesIO(data)).worksheets for row in sheet.iter_rows()
            for cell in row if cell.value is not None]


def assert_no_formula(data: bytes, kind: str) -> list[str]:
    """Every text of a CSV or XLSX file (returned), after checking that none could run as a formula."""
    if kind == "csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        texts = [cell for row in rows for cell in row]
    else:
        cells = _xlsx_cells(data)
        assert [c.coordinate for c in cells if c.data_type == "f"] == []
        assert [c.coordinate for c in cells if isinstance(c.value, str) and c.data_type != "s"] == []
        texts = [c.value for c in cells if isinstance(c.value, str)]
    assert [text for text in texts if is_formula_like(text)] == []
    return texts


def test_table_files_neutralise_every_text_and_keep_negative_numbers_numbers():
    frame = _frame()
    notes = TableNotes("=1+1 título", "es", "@fuente")
    csv_rows = list(csv.reader(io.StringIO(csv_bytes(frame, "es").decode("utf-8-sig"))))
    assert [row[0] for row in csv_rows[1:]] == ["'" + t for t in TEXTS[:-1]] + ["AMIDEGA"]
    assert [row[1] for row in csv_rows[1:]] == ["-3", "5", "0", "-1", "2", "7", "9"]
    data = xlsx_bytes(frame, notes)
    texts = assert_no_formula(data, "xlsx")
    assert {"'=1+1 título", "'@fuente"} <= set(texts)
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert [(c.value, c.data_type) for c in sheet["A"][1:]] == [("'" + t, "s") for t in TEXTS[:-1]] + \
        [("AMIDEGA", "s")]
    assert [(c.value, c.data_type) for c in sheet["B"][1:3]] == [(-3, "n"), (5, "n")]
    assert (sheet["C2"].value, sheet["C2"].data_type) == (-0.5, "n")


# --- The corpus, end to end --------------------------------------------------------------------

@pytest.fixture(scope="module")
def formula_data_dir(tmp_path_factory, sample_store_file) -> Path:
    """A data folder whose store is the sample's with the formula files imported (the real import)."""
    folder = tmp_path_factory.mktemp("formula-data")
    store = folder / sample_store_file.name
    shutil.copyfile(sample_store_file, store)
    for name, dataset in IMPORTS:
        summary = import_upload(store, BAD / name, dataset, "datos")
        assert summary.rows_new + summary.rows_updated == len(FORMULA_TEXTS), name
    return folder


@pytest.fixture
def formula_store(formula_data_dir, fresh_caches, monkeypatch) -> Path:
    monkeypatch.setenv("CONEXION_DATA_DIR", str(formula_data_dir))
    return formula_data_dir


def _table_files(app, made: dict) -> dict[str, bytes]:
    """Button key -> the CSV or XLSX file it would send."""
    buttons = [b.proto for b in app.get("download_button")]
    return {b.id.rsplit("-", 1)[-1]: made[b.deferred_file_id]() for b in buttons
            if b.id.endswith((".csv", ".xlsx"))}


@pytest.mark.parametrize(("page", "query"), [
    ("pages/prevention_network.py", None),  # institutions
    ("pages/my_municipality.py", {"municipio": "1301", "pais": "GTM"}),  # its organisation and policies
    ("pages/reintegration.py", None),  # organisations and policies
], ids=["prevention_network", "my_municipality", "reintegration"])
def test_formula_names_leave_every_page_file_neutralised(formula_store, files, page, query):  # noqa: F811
    app = run_dashboard("liderazgo", query=query, page=page)
    if page == "pages/reintegration.py":
        open_reintegration_tables(app)  # the policies' table is drawn when opened
    assert not app.exception, app.exception
    written = _table_files(app, files)
    assert written, "the page offers table files"
    texts = set()
    for key, data in written.items():
        texts |= set(assert_no_formula(data, key.rsplit(".", 1)[-1]))
    # every formula text a table of the page shows reached its files, neutralised
    shown = {str(v).strip() for d in app.dataframe for v in shown_cells(d).astype(str).to_numpy().ravel()}
    on_page = [name for name in LOADED if name in shown]
    assert on_page, page
    assert [name for name in on_page if "'" + name not in texts] == []


def test_the_problems_csv_never_writes_a_refused_value_live():
    validation = validate_upload(BAD / "formula_refused_value.csv", "participants")
    assert not validation.ok
    data = problems_csv(problem_table(validation.problems, "es"), "es")
    assert f'"\'{FORMULA_BAD_VALUE}"'.encode("utf-8") in data  # quoted and prefixed, as OWASP asks
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1][3:6] == ["2", "sex", "'" + FORMULA_BAD_VALUE]
    assert_no_formula(data, "csv")
