"""The DuckDB store: schema from the contract, all-or-nothing imports, idempotence, clear errors."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from data_loaders.schemas import DATASETS
from store.database import StoreError, build_store, create_schema, data_version, import_frame, import_log, \
    open_store, table_ddl
from tests.tiny_store import _outcomes, _participations


def _empty_store() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    create_schema(con)
    return con


def test_table_types_follow_the_schema():
    ddl = table_ddl("participations")
    assert '"start_date" DATE' in ddl and '"hours" DOUBLE' in ddl and '"completed" BOOLEAN' in ddl
    assert '"participant_id" VARCHAR' in ddl


def test_reimport_is_idempotent_and_changes_update():
    con = _empty_store()
    first = import_frame(con, "outcomes", _outcomes(), file_name="o.csv", checksum="1", imported_by="t")
    assert (first.rows_new, first.rows_updated, first.rows_unchanged) == (4, 0, 0)
    again = import_frame(con, "outcomes", _outcomes(), file_name="o.csv", checksum="1", imported_by="t")
    assert (again.rows_new, again.rows_updated, again.rows_unchanged) == (0, 0, 4)
    changed = _outcomes().assign(sector=["services", "commerce", "tourism", "agriculture"])
    update = import_frame(con, "outcomes", changed, file_name="o2.csv", checksum="2", imported_by="t")
    assert (update.rows_new, update.rows_updated, update.rows_unchanged) == (0, 1, 3)
    assert con.execute("SELECT count(*) FROM outcomes").fetchone()[0] == 4
    assert con.execute("SELECT sector FROM outcomes WHERE outcome = 'enterprise_consolidated'").fetchone()[0] == "tourism"
    log = import_log(con)
    assert log["file_name"].tolist() == ["o.csv", "o.csv", "o2.csv"]
    assert data_version(con) == 3


def test_failed_import_changes_nothing():
    con = _empty_store()
    import_frame(con, "participations", _participations(), file_name="p.csv", checksum="1", imported_by="t")
    # the failure happens inside the transaction, after the DELETE of matching keys
    broken = _participations().astype({"hours": object})
    broken.loc[8, "hours"] = "many"
    with pytest.raises(duckdb.Error):
        import_frame(con, "participations", broken, file_name="bad.csv", checksum="2", imported_by="t")
    assert con.execute("SELECT count(*), sum(hours) FROM participations").fetchone() == (9, 206.0)
    assert import_log(con)["file_name"].tolist() == ["p.csv"]


def test_open_store_reports_missing_and_corrupt_files(tmp_path):
    with pytest.raises(StoreError, match="the store file does not exist"):
        open_store(tmp_path / "none.duckdb")
    corrupt = tmp_path / "corrupt.duckdb"
    corrupt.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="the store cannot be opened"):
        open_store(corrupt)
    partial = tmp_path / "partial.duckdb"
    duckdb.connect(str(partial)).execute("CREATE TABLE participants (participant_id VARCHAR)").close()
    with pytest.raises(StoreError, match="the store lacks the tables"):
        open_store(partial)


def test_store_built_from_the_sample_holds_every_row(tmp_path):
    from data_loaders.canonical import read_dataset
    from tests.conftest import SAMPLE

    path = tmp_path / "store.duckdb"
    build_store(path, SAMPLE, lambda p, d: read_dataset(p, d).frame)
    con = open_store(path)
    for dataset in DATASETS:
        rows = len(pd.read_csv(SAMPLE / f"{dataset}.csv", dtype=str))
        assert con.execute(f'SELECT count(*) FROM "{dataset}"').fetchone()[0] == rows, dataset
    assert len(import_log(con)) == len(DATASETS)
    con.close()


def test_import_file_is_all_or_nothing_and_idempotent(tmp_path):
    from data_loaders.errors import ValidationError
    from store.imports import import_file
    from tests.tiny_store import tiny_store

    con = tiny_store()
    before = con.execute("SELECT count(*) FROM outcomes").fetchone()[0]
    good = tmp_path / "outcomes_new.csv"
    good.write_text("participant_id,outcome,date,sector\nA,enterprise_started,2024-02-01,commerce\n"
                    "C,employment,15/03/2024,services\n", encoding="utf-8")
    first = import_file(con, good, "outcomes", imported_by="data.manager")
    assert (first.rows_new, first.rows_updated, first.rows_unchanged) == (2, 0, 0)
    again = import_file(con, good, "outcomes", imported_by="data.manager")
    assert (again.rows_new, again.rows_updated, again.rows_unchanged) == (0, 0, 2)
    bad = tmp_path / "outcomes_bad.csv"
    bad.write_text("participant_id,outcome,date,sector\nD,employment,2024-01-01,services\n"
                   "G,employment,31/02/2024,services\n", encoding="utf-8")
    with pytest.raises(ValidationError) as error:
        import_file(con, bad, "outcomes", imported_by="data.manager")
    assert "outcomes_bad.csv, fila 3, columna «date»" in error.value.problems[0].message("es")
    assert con.execute("SELECT count(*) FROM outcomes").fetchone()[0] == before + 2
    assert import_log(con)["file_name"].tolist()[-1] == "outcomes_new.csv"
