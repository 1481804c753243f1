"""Import workflow: validation report, preview of changes, confirm, idempotent re-import, update, undo, size limit.

Files are derived from the field team's sample CSV with pandas; expected figures are
computed here from the CSV files, never by the code under test.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest

from data_loaders.canonical import read_dataset
from data_loaders.schemas import DATASETS
from store.backup import list_backups, undo_last_import
from store.database import STORE_FILE, build_store, data_version, open_store
from store.imports import import_history, import_upload, log_rejection, preview_import, validate_upload
from tests.conftest import SAMPLE
from tests.stores import query
from ui.data_page import problem_table, problems_csv

FIELD_FILE = SAMPLE / "raw" / "sesiones_sensibilizacion_campo.csv"
COUNT = "Mujeres 0-17"
ID = "Código sesión"


def field_sessions() -> pd.DataFrame:
    return pd.read_csv(FIELD_FILE, sep=";", encoding="latin-1", dtype=str, keep_default_na=False)


def write_field(frame: pd.DataFrame, path: Path) -> Path:
    frame.to_csv(path, sep=";", encoding="latin-1", index=False)
    return path


def changes_file(folder: Path) -> Path:
    """The field file with 3 sessions changed (one more girl each) and 2 sessions added."""
    frame = field_sessions()
    for row in (0, 1, 2):
        frame.loc[row, COUNT] = str(int(frame.loc[row, COUNT]) + 1)
    added = frame.iloc[[3, 4]].copy()
    added[ID] = ["S900001", "S900002"]
    return write_field(pd.concat([frame, added], ignore_index=True), folder / "sesiones_cambios.csv")


def problems_file(folder: Path) -> Path:
    frame = field_sessions().head(6).copy()
    frame.loc[1, "Fecha"] = "31/02/2024"
    frame.loc[2, "Municipio"] = "Ciudad Inventada"
    frame.loc[3, COUNT] = "-3"
    return write_field(frame, folder / "sesiones_con_errores.csv")


@pytest.fixture(scope="module")
def built_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("built") / STORE_FILE
    build_store(path, SAMPLE, lambda file, dataset: read_dataset(file, dataset).frame)
    return path


@pytest.fixture
def store(built_store, tmp_path) -> Path:
    path = tmp_path / "data" / STORE_FILE
    path.parent.mkdir()
    shutil.copy(built_store, path)
    return path


def snapshot(store: Path) -> dict:
    """Row counts, a checksum of every table's ordered rows, and the import log."""
    con = open_store(store)
    try:
        state = {}
        for table in DATASETS:
            rows = con.execute(f'SELECT * FROM "{table}" ORDER BY ALL').fetchall()
            state[table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
        state["import_log"] = con.execute("SELECT * FROM import_log ORDER BY import_id").fetchall()
        return state
    finally:
        con.close()


# --- Step 1 -------------------------------------------------------------------------------

EXPECTED_PROBLEMS = {
    "es": [
        ("Error", 3, "Fecha", "31/02/2024", "«31/02/2024» no es una fecha que exista en el calendario."),
        ("Error", 4, "Municipio", "Ciudad Inventada", "no se encontró el municipio «Ciudad Inventada» en Bolivia."),
        ("Error", 5, "Mujeres 0-17", "-3", "«-3» está fuera del rango permitido (0 a 10000)."),
    ],
    "en": [
        ("Error", 3, "Fecha", "31/02/2024", '"31/02/2024" is not a date that exists in the calendar.'),
        ("Error", 4, "Municipio", "Ciudad Inventada", 'no municipality "Ciudad Inventada" was found in Bolivia.'),
        ("Error", 5, "Mujeres 0-17", "-3", '"-3" is outside the allowed range (0 to 10000).'),
    ],
}


@pytest.mark.parametrize("lang", ["es", "en"])
def test_validation_reports_every_problem_with_its_place_in_the_language(tmp_path, store, lang):
    before = snapshot(store)
    validation = validate_upload(problems_file(tmp_path), "awareness_sessions")
    assert not validation.ok
    expected = pd.DataFrame(
        [(kind, "sesiones_con_errores.csv", None, row, column, value, message)
         for kind, row, column, value, message in EXPECTED_PROBLEMS[lang]],
        columns=["kind", "file", "sheet", "row", "column", "value", "message"],
    ).astype({"row": "Int64"})
    pd.testing.assert_frame_equal(problem_table(validation.problems, lang), expected)
    # the automatic corrections are listed too: dates read as dd/mm/yyyy
    assert "date_day_first" in {fix.code for fix in validation.fixes}
    assert snapshot(store) == before


def test_problems_download_is_utf8_csv_with_bom_and_translated_headers(tmp_path):
    validation = validate_upload(problems_file(tmp_path), "awareness_sessions")
    data = problems_csv(problem_table(validation.problems, "es"), "es")
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "Tipo,Archivo,Hoja,Fila,Columna,Valor,Mensaje"
    assert lines[1] == ("Error,sesiones_con_errores.csv,,3,Fecha,31/02/2024,"
                        "«31/02/2024» no es una fecha que exista en el calendario.")
    assert len(lines) == 4


def test_field_file_fixes_are_listed():
    validation = validate_upload(FIELD_FILE, "awareness_sessions")
    assert validation.ok and len(validation.result.frame) == len(field_sessions())
    codes = {fix.code for fix in validation.fixes}
    assert {"date_day_first", "municipality_name_matched"} <= codes
    messages = " ".join(fix.message("es") for fix in validation.fixes)
    assert "espacios sobrantes" in messages


def test_kobo_export_is_read_as_participants():
    validation = validate_upload(SAMPLE / "raw" / "miska_registro_kobo.xlsx", "participants")
    assert validation.ok, [p.message("en") for p in validation.problems]
    assert set(validation.result.frame["programme"]) == {"miska_reintegration"}


def test_upload_size_limit_says_so_and_changes_nothing(tmp_path, store, monkeypatch):
    monkeypatch.setenv("CONEXION_MAX_UPLOAD_MB", "0.0001")  # about 100 bytes
    before = snapshot(store)
    path = changes_file(tmp_path)
    validation = validate_upload(path, "awareness_sessions")
    assert [p.code for p in validation.problems] == ["file_too_large"]
    assert "sesiones_cambios.csv" in validation.problems[0].message("es")
    assert "MB" in validation.problems[0].message("en")
    from data_loaders.errors import LoaderError
    with pytest.raises(LoaderError):
        import_upload(store, path, "awareness_sessions", "datos")
    assert snapshot(store) == before


# --- Step 2 -------------------------------------------------------------------------------

def test_preview_counts_new_updated_unchanged_per_municipality(tmp_path, store):
    before = snapshot(store)
    validation = validate_upload(changes_file(tmp_path), "awareness_sessions")
    con = open_store(store)
    try:
        preview = preview_import(con, "awareness_sessions", validation.result.frame)
    finally:
        con.close()
    sample = pd.read_csv(SAMPLE / "awareness_sessions.csv", dtype=str)
    assert (preview.rows_new, preview.rows_updated, preview.rows_unchanged) == (2, 3, len(sample) - 3)
    # expected per municipality: the municipalities of sessions 0-2 (updated) and 3-4 (copied as new)
    field = field_sessions()
    place = sample.set_index("session_id")[["country", "municipality_code"]]
    updated = place.loc[field[ID].iloc[[0, 1, 2]]].value_counts()
    new = place.loc[field[ID].iloc[[3, 4]]].value_counts()
    shown = preview.by_municipality.set_index(["country", "municipality_code"])
    assert shown["updated"][shown["updated"] > 0].sort_index().to_dict() == updated.sort_index().to_dict()
    assert shown["new"][shown["new"] > 0].sort_index().to_dict() == new.sort_index().to_dict()
    assert int(shown[["new", "updated", "unchanged"]].to_numpy().sum()) == len(field) + 2
    assert snapshot(store) == before  # the preview writes nothing


# --- Step 3, re-import, update, undo -------------------------------------------------------

def test_confirm_then_reimport_changes_nothing(tmp_path, store):
    path = changes_file(tmp_path)
    first = import_upload(store, path, "awareness_sessions", "datos")
    assert (first.rows_new, first.rows_updated, first.rows_unchanged) == (2, 3, len(field_sessions()) - 3)
    sample = pd.read_csv(SAMPLE / "awareness_sessions.csv", dtype=str)
    assert query(store, "SELECT count(*) FROM awareness_sessions")[0][0] == len(sample) + 2
    session = field_sessions()[ID].iloc[0]
    original = int(sample.set_index("session_id").loc[session, "female_0_17"])
    assert query(store, "SELECT female_0_17 FROM awareness_sessions WHERE session_id = ?", [session])[0][0] \
        == original + 1
    log = query(store, "SELECT imported_by, file_name, rows_new, rows_updated, result FROM import_log "
                       "ORDER BY import_id DESC LIMIT 1")[0]
    assert log == ("datos", "sesiones_cambios.csv", 2, 3, "ok")
    after_first = snapshot(store)
    backups = list_backups(store)
    again = import_upload(store, path, "awareness_sessions", "datos")
    assert (again.rows_new, again.rows_updated) == (0, 0)
    assert snapshot(store) == after_first
    assert list_backups(store) == backups  # nothing changed, so no new backup either


def test_a_changed_record_updates_and_never_duplicates(tmp_path, store):
    changes = changes_file(tmp_path)
    import_upload(store, changes, "awareness_sessions", "datos")
    frame = pd.read_csv(changes, sep=";", encoding="latin-1", dtype=str, keep_default_na=False)
    session = frame[ID].iloc[0]
    frame.loc[0, COUNT] = "40"
    summary = import_upload(store, write_field(frame, tmp_path / "otra_vez.csv"), "awareness_sessions", "datos")
    assert (summary.rows_new, summary.rows_updated) == (0, 1)
    assert query(store, "SELECT count(*), max(female_0_17) FROM awareness_sessions WHERE session_id = ?",
                 [session])[0] == (1, 40)


def test_undo_restores_the_state_before_the_last_import(tmp_path, store):
    before = snapshot(store)
    version_before = query(store, "SELECT max(import_id) FROM import_log")[0][0]
    import_upload(store, changes_file(tmp_path), "awareness_sessions", "datos")
    version_imported = query(store, "SELECT max(import_id) FROM import_log")[0][0]
    undone = undo_last_import(store, "datos")
    assert undone.file_name == "sesiones_cambios.csv"
    after = snapshot(store)
    assert {k: v for k, v in after.items() if k != "import_log"} == \
           {k: v for k, v in before.items() if k != "import_log"}
    assert after["import_log"][:-1] == before["import_log"]  # the imported line is gone ...
    undo_line = after["import_log"][-1]  # ... and the undo is logged
    assert (undo_line[2], undo_line[4], undo_line[-1]) == ("datos", "sesiones_cambios.csv", "undo")
    # the data version moves on to a number never used, so no cache keeps the undone figures
    con = open_store(store)
    try:
        assert data_version(con) > version_imported > version_before
    finally:
        con.close()
    assert list_backups(store) == []
    # the same file can be imported again after an undo
    again = import_upload(store, changes_file(tmp_path), "awareness_sessions", "datos")
    assert (again.rows_new, again.rows_updated) == (2, 3)


def test_backups_kept_follows_the_setting(tmp_path, store, monkeypatch):
    monkeypatch.setenv("CONEXION_BACKUPS_KEPT", "2")
    frame = field_sessions()
    for value in ("41", "42", "43"):
        frame.loc[0, COUNT] = value
        import_upload(store, write_field(frame, tmp_path / f"f{value}.csv"), "awareness_sessions", "datos")
    assert [b.file_name for b in list_backups(store)] == ["f43.csv", "f42.csv"]


def test_import_history_lists_imports_and_rejections(tmp_path, store):
    import_upload(store, changes_file(tmp_path), "awareness_sessions", "datos")
    log_rejection(store, validate_upload(problems_file(tmp_path), "awareness_sessions"), "datos")
    con = open_store(store)
    try:
        history = import_history(con, store)
    finally:
        con.close()
    assert history["result"].tolist()[:2] == ["rejected", "ok"]
    assert history.loc[0, ["file_name", "problems"]].tolist() == ["sesiones_con_errores.csv", 3]
    assert history.loc[1, ["file_name", "rows_new", "rows_updated"]].tolist() == ["sesiones_cambios.csv", 2, 3]
    assert len(history) == len(DATASETS) + 2
    assert "participant_id" not in history.columns


def test_the_app_connection_reopens_and_caches_see_the_new_data(tmp_path, store, monkeypatch):
    from store import cached

    monkeypatch.setenv("CONEXION_DATA_DIR", str(store.parent))
    version = cached.current_data_version()
    scope = _leadership()
    total_before = _people_sensitized(cached, scope)
    import_upload(store, changes_file(tmp_path), "awareness_sessions", "datos")
    assert cached.current_data_version() > version
    frame = field_sessions()
    added = frame.iloc[[3, 4]][[c for c in frame.columns if c.startswith(("Mujeres", "Hombres"))]]
    expected = total_before + 3 + int(added.astype(int).to_numpy().sum())
    assert _people_sensitized(cached, scope) == expected
    undo_last_import(store, "datos")
    assert _people_sensitized(cached, scope) == total_before


def _leadership():
    from auth.roles import Role, Scope

    return Scope("liderazgo", Role.LEADERSHIP)


def _people_sensitized(cached, scope) -> int:
    import datetime as dt

    from indicators.filters import Filters

    # Every session, as the region's totals of each year with data (the periods the publication family offers).
    years = cached.data_years(cached.current_data_version())
    frames = [cached.indicator("people_sensitized", Filters(start=dt.date(y, 1, 1), end=dt.date(y, 12, 31)),
                               scope=scope) for y in years]
    return sum(int(frame["value"].iloc[0]) for frame in frames)


# --- Boundary files ---------------------------------------------------------------------------

def test_boundary_file_preview_import_and_undo(tmp_path, store):
    import geopandas as gpd

    from store.boundary_imports import import_boundary_file, preview_boundaries, validate_boundaries

    shipped = gpd.read_file(SAMPLE / "geo" / "gtm_adm1.geojson")
    edited = shipped.copy()
    edited.loc[edited["code"] == "13", "name"] = "Huehue"
    dropped = edited[edited["code"] != "12"]  # San Marcos, where the data has participants
    path = tmp_path / "gtm_departamentos.geojson"
    dropped.to_file(path, driver="GeoJSON")
    used = pd.read_csv(SAMPLE / "participants.csv", dtype=str)
    assert "12" in set(used.loc[used["country"] == "GTM", "department_code"])

    validation = validate_boundaries(path, "GTM", "department")
    assert validation.ok
    con = open_store(store)
    try:
        preview = preview_boundaries(con, validation.frame, "GTM", "department")
    finally:
        con.close()
    assert (preview.added, preview.changed, preview.missing, preview.unmatched) == ([], ["13"], ["12"], ["12"])
    assert len(preview.unchanged) == len(shipped) - 2

    before = snapshot(store)
    summary = import_boundary_file(store, path, "GTM", "department", "datos")
    assert (summary.rows_in_file, summary.rows_new, summary.rows_updated) == (len(shipped) - 1, 0, 1)
    assert query(store, "SELECT count(*) FROM boundary_units WHERE country = 'GTM'")[0][0] == len(shipped) - 1
    assert query(store, "SELECT name FROM boundary_units WHERE code = '13'")[0][0] == "Huehue"
    undo_last_import(store, "datos")
    assert {k: v for k, v in snapshot(store).items() if k != "import_log"} == \
           {k: v for k, v in before.items() if k != "import_log"}
    assert query(store, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'boundary_units'"
                 )[0][0] == 0


def test_boundary_file_errors_are_plain(tmp_path):
    from store.boundary_imports import validate_boundaries

    validation = validate_boundaries(SAMPLE / "geo" / "bol_adm3_lapaz.geojson", "GTM", "municipality")
    assert not validation.ok
    assert validation.error.message("es").startswith(
        "bol_adm3_lapaz.geojson: códigos no válidos (se esperan hasta 4 dígitos): 020101,")


def test_an_id_stored_with_other_identity_data_is_refused_at_step_1_and_at_import(tmp_path, store):
    from data_loaders.errors import LoaderError

    people = pd.read_csv(SAMPLE / "participants.csv", dtype=str, keep_default_na=False).head(2)
    people.loc[0, "sex"] = "male" if people.loc[0, "sex"] == "female" else "female"
    path = tmp_path / "otra_persona.csv"
    people.to_csv(path, index=False)
    before = snapshot(store)
    con = open_store(store)
    try:
        validation = validate_upload(path, "participants", con)
    finally:
        con.close()
    assert not validation.ok
    assert [(p.row, p.column, p.code) for p in validation.problems] == [(2, "sex", "identity_changed")]
    with pytest.raises(LoaderError):
        import_upload(store, path, "participants", "datos")
    assert snapshot(store) == before


def test_an_imported_boundary_file_reaches_the_maps_and_undo_takes_it_back(tmp_path, store, monkeypatch):
    import geopandas as gpd
    from shapely.affinity import scale

    from geo import payload
    from store import cached
    from store.boundary_imports import import_boundary_file

    monkeypatch.setenv("CONEXION_DATA_DIR", str(store.parent))
    shipped = gpd.read_file(SAMPLE / "geo" / "gtm_adm1.geojson")

    def huehuetenango_width() -> float:
        cached.get_connection()  # the app opens the store: imported layers are written for the maps
        feature = next(f for f in payload.map_geojson("GTM", "department")["features"]
                       if f["properties"]["code"] == "13")
        west, _, east, _ = gpd.GeoDataFrame.from_features([feature]).total_bounds
        return east - west

    before = huehuetenango_width()
    edited = shipped.copy()
    edited.loc[edited["code"] == "13", "geometry"] = edited.loc[edited["code"] == "13", "geometry"].map(
        lambda shape: scale(shape, xfact=0.5, yfact=1.0))
    path = tmp_path / "gtm_departamentos.geojson"
    edited.to_file(path, driver="GeoJSON")
    import_boundary_file(store, path, "GTM", "department", "datos")
    assert huehuetenango_width() == pytest.approx(before / 2, rel=0.05)
    undo_last_import(store, "datos")
    assert huehuetenango_width() == pytest.approx(before, rel=0.01)


# --- Read once per step; every workbook kind; refused files in the page's language (issue 13) ------

def test_confirm_reuses_the_validation_of_the_same_file(tmp_path, store):
    """The validated frame is imported as it is: a frame changed after validation shows it was not re-read."""
    path = changes_file(tmp_path)
    validation = validate_upload(path, "awareness_sessions")
    validation.result.frame = validation.result.frame.iloc[:-2]  # without the two new sessions
    validation.result.rows = validation.result.rows[:-2]
    summary = import_upload(store, path, "awareness_sessions", "datos", validation=validation)
    assert (summary.rows_new, summary.rows_updated) == (0, 3)
    assert query(store, "SELECT count(*) FROM awareness_sessions WHERE session_id IN ('S900001', 'S900002')"
                 )[0][0] == 0


def test_confirm_reads_the_file_again_when_it_changed_after_validation(tmp_path, store):
    path = changes_file(tmp_path)
    validation = validate_upload(path, "awareness_sessions")
    validation.result.frame = validation.result.frame.iloc[:-2]
    validation.result.rows = validation.result.rows[:-2]
    frame = pd.read_csv(path, sep=";", encoding="latin-1", dtype=str, keep_default_na=False)
    frame.loc[0, COUNT] = "40"
    write_field(frame, path)  # another checksum: the validation is not this file's
    summary = import_upload(store, path, "awareness_sessions", "datos", validation=validation)
    assert (summary.rows_new, summary.rows_updated) == (2, 3)
    assert query(store, "SELECT female_0_17 FROM awareness_sessions WHERE session_id = ?",
                 [frame[ID].iloc[0]])[0][0] == 40


def test_an_ods_file_is_validated_and_imported(tmp_path, store):
    frame = pd.read_csv(changes_file(tmp_path), sep=";", encoding="latin-1", dtype=str, keep_default_na=False)
    path = tmp_path / "sesiones_cambios.ods"
    frame.to_excel(path, sheet_name="Sesiones", index=False, engine="odf")
    validation = validate_upload(path, "awareness_sessions")
    assert validation.ok, [p.message("en") for p in validation.problems]
    summary = import_upload(store, path, "awareness_sessions", "datos", validation=validation)
    assert (summary.rows_new, summary.rows_updated, summary.rows_unchanged) == (2, 3, len(field_sessions()) - 3)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_file_of_another_kind_is_refused_in_the_language_naming_the_accepted_kinds(tmp_path, lang):
    path = tmp_path / "informe.pdf"
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    validation = validate_upload(path, "participants")
    table = problem_table(validation.problems, lang)
    assert table[["file", "message"]].values.tolist() == [["informe.pdf", {
        "es": "no es un tipo de archivo que se pueda cargar; se admiten estos tipos: «CSV», «Excel (.xlsx, .xls)» "
              "y «OpenDocument (.ods)».",
        "en": 'is not a kind of file that can be loaded; these kinds are accepted: "CSV", "Excel (.xlsx, .xls)" '
              'and "OpenDocument (.ods)".'}[lang]]]


def test_the_data_page_uploader_accepts_every_file_so_refusals_are_ours(fresh_caches):
    from tests.signed_in import run_dashboard

    app = run_dashboard("datos", lang="es", page="pages/data.py")
    assert not app.exception, app.exception
    uploader = app.get("file_uploader")[0].proto
    assert list(uploader.type) == []  # Streamlit refuses nothing (its refusal would be in English)
    assert "OpenDocument (.ods)" in app.caption[0].value


@pytest.mark.browser
def test_on_the_spanish_data_page_an_ods_loads_and_a_pdf_is_refused_in_spanish(tmp_path_factory, tmp_path,
                                                                               demo_credentials, browser):
    """A real upload: the widget takes both files; our readers answer in the page's language."""
    from tests.browser import require_chromium, sign_in, streamlit_server
    from tests.test_data_page import choose

    require_chromium()
    folder = tmp_path_factory.mktemp("ods-page")
    build_store(folder / STORE_FILE, SAMPLE, lambda file, dataset: read_dataset(file, dataset).frame)
    ods = tmp_path / "sesiones.ods"
    field_sessions().to_excel(ods, sheet_name="Sesiones", index=False, engine="odf")
    pdf = tmp_path / "informe.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    with streamlit_server(folder, tmp_path / "streamlit.log", demo_credentials) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1800})
        page.goto(f"{url}/data?lang=es")
        sign_in(page, "datos", "demo-datos", "es")
        page.get_by_role("heading", name="Datos").first.wait_for(timeout=90_000)
        choose(page, "Sesiones de sensibilización")
        page.locator('input[type="file"]').set_input_files(str(ods))
        page.get_by_text(f"El archivo es válido: {len(field_sessions())} filas listas para importar."
                         ).wait_for(timeout=90_000)
        page.locator('input[type="file"]').set_input_files(str(pdf))
        page.get_by_text("no es un tipo de archivo que se pueda cargar; se admiten estos tipos: «CSV», "
                         "«Excel (.xlsx, .xls)» y «OpenDocument (.ods)».").first.wait_for(timeout=90_000)
        assert page.get_by_text("file type", exact=False).count() == 0  # no English refusal by the widget
        page.close()
