"""The Data page: its tables (pure functions), the page headless as `datos` (with an upload), and in a real browser.

AppTest uploads a file (`file_uploader(...).set_value`) to drive the date-order question up to
the preview; the upload → validate → preview → confirm → log path runs in Chromium against a
server with a data folder of its own (the session's shared store is never changed).
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import i18n
from data_loaders.canonical import read_dataset
from data_loaders.limits import max_upload_bytes
from data_loaders.schemas import DATASETS
from store.database import STORE_FILE, build_store
from store.imports import Preview
from tests.conftest import SAMPLE
from tests.signed_in import run_dashboard
from tests.stores import query
from ui.data_page import dataset_label, history_table, preview_table, uploader_style
from tests.tables import shown as shown_cells

FIELD_FILE = SAMPLE / "raw" / "sesiones_sensibilizacion_campo.csv"
BAD_BOUNDARY = SAMPLE.parent / "tests" / "data" / "bad" / "utm_missing_prj_shp.zip"  # UTM 15N, no .prj


def test_dataset_labels():
    assert dataset_label("awareness_sessions", "es") == "Sesiones de sensibilización"
    assert dataset_label("participants", "en") == "Participants"
    assert dataset_label("boundaries:GTM:municipality", "es") == "Límites territoriales · Guatemala · Municipios"
    assert dataset_label("", "en") == "—"


def test_preview_table_names_municipalities_in_the_language():
    counts = pd.DataFrame({"country": ["BOL", "PER", None], "municipality_code": ["020804", "210402", None],
                           "new": [1, 0, 2], "updated": [0, 3, 0], "unchanged": [5, 6, 0]})
    preview = Preview("awareness_sessions", 3, 3, 11, counts)
    names = {("BOL", "020804"): "Desaguadero", ("PER", "210402"): "Desaguadero"}
    expected = pd.DataFrame({
        "Country": ["Bolivia", "Peru", ""],
        "Municipality": ["Desaguadero (020804)", "Desaguadero (210402)", "No known municipality"],
        "New rows": ["1", "0", "2"], "Rows updated": ["0", "3", "0"], "Rows unchanged": ["5", "6", "0"],
    })
    pd.testing.assert_frame_equal(preview_table(preview, "en", names), expected)


def test_history_table_has_no_row_content_and_translates_results():
    history = pd.DataFrame({
        "imported_at": pd.to_datetime(["2024-05-02 10:30", "2024-05-01 09:00"]),
        "imported_by": ["datos", "datos"], "dataset": ["awareness_sessions", "participants"],
        "file_name": ["s.csv", "p.csv"], "checksum": ["a", "b"],
        "rows_in_file": pd.array([10, pd.NA], dtype="Int64"), "rows_new": pd.array([2, pd.NA], dtype="Int64"),
        "rows_updated": pd.array([1, pd.NA], dtype="Int64"), "rows_unchanged": pd.array([7, pd.NA], dtype="Int64"),
        "problems": pd.array([0, 4], dtype="Int64"), "result": ["ok", "rejected"],
    })
    table = history_table(history, "es")
    assert list(table.columns) == ["Fecha (UTC)", "Usuario", "Datos", "Archivo", "Resultado", "Nuevas",
                                   "Actualizadas", "Sin cambios", "Filas en el archivo", "Problemas"]
    assert table.iloc[0].tolist()[:5] == ["2 may 2024 10:30", "datos", "Sesiones de sensibilización", "s.csv",
                                          "Importado"]
    assert table.iloc[1]["Resultado"] == "Rechazado" and table.iloc[1]["Problemas"] == "4"
    assert table.iloc[1]["Nuevas"] == "–"  # a rejected file has no row counts


def test_history_and_preview_counts_are_written_in_the_language():
    """Issue 14: the import log showed 12345 on both pages, without the language's thousands separator."""
    history = pd.DataFrame({
        "imported_at": pd.to_datetime(["2024-05-02 10:30"]), "imported_by": ["datos"], "dataset": ["participants"],
        "file_name": ["p.csv"], "checksum": ["a"], "rows_in_file": pd.array([12345], dtype="Int64"),
        "rows_new": pd.array([12000], dtype="Int64"), "rows_updated": pd.array([345], dtype="Int64"),
        "rows_unchanged": pd.array([0], dtype="Int64"), "problems": pd.array([1500], dtype="Int64"), "result": ["ok"],
    })
    assert history_table(history, "es").iloc[0].tolist()[5:] == ["12.000", "345", "0", "12.345", "1.500"]
    assert history_table(history, "en").iloc[0].tolist() == ["May 2, 2024 10:30", "datos", "Participants", "p.csv",
                                                             "Imported", "12,000", "345", "0", "12,345", "1,500"]
    counts = pd.DataFrame({"country": ["BOL"], "municipality_code": ["020804"], "new": [1400], "updated": [0],
                           "unchanged": [2500]})
    preview = Preview("participants", 1400, 0, 2500, counts)
    assert preview_table(preview, "es", {}).iloc[0].tolist()[2:] == ["1.400", "0", "2.500"]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_uploader_is_redrawn_in_the_language(lang):
    """Streamlit's uploader says "Upload" and "200MB per file" in English: its texts are hidden and the
    catalogue's drawn in their place, scoped to the Data page's uploader."""
    style = uploader_style(lang, "25")
    assert f'content:"{i18n.translate("data.upload.button", lang)}"' in style
    assert f'content:"{i18n.translate("data.upload.instructions", lang, limit="25")}"' in style
    assert style.count("font-size:0}") == 2 and style.count(".st-key-data-upload ") == 4
    assert "25 MB" in i18n.translate("data.upload.instructions", lang, limit="25")


@pytest.mark.parametrize("lang", ["es", "en"])
def test_data_page_headless_as_data_manager(fresh_caches, lang):
    app = run_dashboard("datos", lang=lang, page="pages/data.py")
    assert not app.exception, app.exception
    assert app.title[0].value == i18n.translate("data.title", lang)
    choice = app.selectbox(key="data.dataset")
    assert choice.options == [i18n.translate(f"data.dataset.{d}", lang) for d in (*DATASETS, "boundaries")]
    assert [s.value for s in app.subheader] == [i18n.translate("public.data.title", lang),
                                                i18n.translate("data.undo.title", lang),
                                                i18n.translate("data.log.title", lang)]
    log = shown_cells(app.dataframe[0])
    assert len(log) >= len(DATASETS)
    assert "participant_id" not in log.columns
    uploader = app.get("file_uploader")[0].proto
    # The widget lets a file above the limit through: the readers refuse it in the page's language
    # (the widget's own refusal, "File must be 25.0MB or smaller.", is in English).
    assert uploader.max_upload_size_mb * 1024 * 1024 > max_upload_bytes()
    choice.set_value("boundaries").run()
    assert app.selectbox(key="data.country").value == "GTM"
    assert app.selectbox(key="data.level").value == "department"


def test_other_roles_do_not_get_the_data_page(fresh_caches):
    app = run_dashboard("presentador")
    with pytest.raises(Exception):
        app.switch_page("pages/data.py").run()
        assert not app.selectbox(key="data.dataset")  # reached only if switching did not raise


# --- In a real browser -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def own_server(tmp_path_factory, demo_credentials):
    from tests.browser import require_chromium, streamlit_server

    require_chromium()
    folder = tmp_path_factory.mktemp("data-page")
    build_store(folder / STORE_FILE, SAMPLE, lambda file, dataset: read_dataset(file, dataset).frame)
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    with streamlit_server(folder, log, demo_credentials) as url:
        yield url, folder


def choose(page, label: str) -> None:
    """Pick an option of the dataset select box (again if a late rerun closed the list)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    from tests.browser import _wait_until_idle

    _wait_until_idle(page)
    for _ in range(3):
        page.locator('[data-testid="stSelectbox"]').first.click()
        try:
            page.get_by_role("option", name=label).click(timeout=10_000)
            return
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"could not choose {label!r}")


@pytest.mark.browser
def test_upload_validate_preview_confirm_and_log(own_server, browser, tmp_path):
    from tests.browser import copy_screenshot, sign_in

    url, folder = own_server
    page = browser.new_page(viewport={"width": 1400, "height": 2200})
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{url}/data?lang=es")
    sign_in(page, "datos", "demo-datos", "es")
    page.get_by_role("heading", name="Datos").first.wait_for(timeout=90_000)
    choose(page, "Sesiones de sensibilización")
    page.locator('input[type="file"]').set_input_files(str(FIELD_FILE))
    # Step 1: valid, with the automatic corrections listed
    page.get_by_text("El archivo es válido: 103 filas listas para importar.").wait_for(timeout=90_000)
    page.get_by_text("Correcciones automáticas").first.wait_for()
    # Step 2: the same sessions as the sample: nothing new, nothing updated
    page.get_by_text("Paso 2 · Vista previa de los cambios").wait_for()
    page.locator('[data-testid="stMetricValue"]').nth(2).wait_for(timeout=60_000)
    metrics = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    assert metrics == ["0", "0", "103"]
    page.screenshot(path=str(tmp_path / "data_page_preview.png"), full_page=True)
    copy_screenshot(tmp_path / "data_page_preview.png", "data_page_preview.png")
    # Step 3: confirm, then the log shows the line
    page.get_by_role("button", name="Importar 103 filas de «sesiones_sensibilizacion_campo.csv»").click()
    page.get_by_text("Importado «sesiones_sensibilizacion_campo.csv»: 0 filas nuevas, 0 actualizadas, "
                     "103 sin cambios.").wait_for(timeout=90_000)
    page.get_by_text("Deshacer esa importación").wait_for(timeout=30_000)
    log_grid = page.locator('[data-testid="stDataFrame"]').last
    log_grid.wait_for()
    page.screenshot(path=str(tmp_path / "data_page_imported.png"), full_page=True)
    copy_screenshot(tmp_path / "data_page_imported.png", "data_page_imported.png")
    copy = tmp_path / "copy.duckdb"  # the server holds the store: read a copy of the file
    shutil.copy(folder / STORE_FILE, copy)
    [last] = query(copy, "SELECT imported_by, file_name, rows_unchanged, result FROM import_log "
                         "ORDER BY import_id DESC LIMIT 1")
    assert last == ("datos", "sesiones_sensibilizacion_campo.csv", 103, "ok")
    assert all(r.startswith(("http://127.0.0.1", "data:", "blob:")) for r in requests), \
        [r for r in requests if not r.startswith("http://127.0.0.1")]
    page.close()


def choose_in(page, index: int, label: str) -> None:
    """Pick an option of the index-th select box of the page."""
    from tests.browser import _wait_until_idle

    _wait_until_idle(page)
    page.locator('[data-testid="stSelectbox"]').nth(index).click()
    page.get_by_role("option", name=label, exact=True).click(timeout=10_000)


@pytest.mark.browser
def test_a_shapefile_without_prj_is_read_with_the_epsg_code_typed_in_its_field(own_server, browser):
    """The message names the field by the label a person sees; typing the code there makes the file valid."""
    from tests.browser import sign_in

    url, _ = own_server
    page = browser.new_page(viewport={"width": 1400, "height": 2200})
    page.goto(f"{url}/data?lang=es")
    sign_in(page, "datos", "demo-datos", "es")
    page.get_by_role("heading", name="Datos").first.wait_for(timeout=90_000)
    choose(page, "Límites territoriales")
    choose_in(page, 2, "Municipios")
    page.locator('input[type="file"]').set_input_files(str(BAD_BOUNDARY))
    page.get_by_text("utm_missing_prj_shp.zip: el archivo no declara su sistema de coordenadas (falta el .prj). "
                     "Escriba su código EPSG en el campo «Código EPSG de las coordenadas»").wait_for(timeout=90_000)
    field = page.get_by_role("spinbutton", name="Código EPSG de las coordenadas")
    field.fill("32615")
    field.press("Enter")
    page.get_by_text("El archivo de límites es válido: 3 unidades.").wait_for(timeout=90_000)
    page.get_by_text("Coordenadas leídas en EPSG:32615 y convertidas a longitud y latitud (EPSG:4326).").wait_for()
    page.close()
# --- The date-order question, headless (AppTest uploads the file) ------------------------------------

P_HEADER = ("participant_id,programme,country,department_code,municipality_code,sex,age,ethnicity,"
            "migration_profile,enrolment_date,institution_id")
MONTH_FIRST_FILE = "\n".join([  # mm/dd/yyyy, every day <= 12: the file cannot tell
    P_HEADER,
    "ORD-001,miska_reintegration,GTM,13,1301,female,24,mam,returnee,03/05/2024,",
    "ORD-002,miska_reintegration,GTM,13,1301,male,31,mam,returnee,04/11/2024,",
    "ORD-003,miska_reintegration,GTM,13,1301,female,19,mam,returnee,2024-06-01,",
]) + "\n"


def _upload(app, name: str, text: str):
    app.selectbox(key="data.dataset").set_value("participants").run()
    app.file_uploader(key="data.upload.0").set_value((name, text.encode("utf-8"), "text/csv")).run()
    return app


def _order_choice(app):
    return next(r for r in app.radio if (r.key or "").startswith("data.date_order."))


@pytest.mark.parametrize("lang, question, examples, month_first", [
    ("es", "¿En qué orden están escritas las fechas de la columna «enrolment_date»? Ningún día ni mes pasa de "
           "12, así que 2 fechas pueden leerse de dos maneras; el archivo no dice cuál es la buena.",
     "- 03/05/2024 → 3 de mayo de 2024 o 5 de marzo de 2024\n- 04/11/2024 → 4 de noviembre de 2024 o 11 de abril "
     "de 2024", "Mes/día/año (03/05/2024 = 5 de marzo de 2024)"),
    ("en", 'In which order are the dates of column "enrolment_date" written? No day or month is over 12, so 2 dates '
           "can be read two ways; the file does not say which one is right.",
     "- 03/05/2024 → May 3, 2024 or March 5, 2024\n- 04/11/2024 → November 4, 2024 or April 11, 2024",
     "Month/day/year (03/05/2024 = March 5, 2024)"),
])
def test_an_undecidable_date_order_is_asked_on_the_page_then_validated_again(fresh_caches, lang, question,
                                                                               examples, month_first):
    app = _upload(run_dashboard("datos", lang=lang, page="pages/data.py"), "fechas.csv", MONTH_FIRST_FILE)
    assert not app.exception, app.exception
    markdown = [m.value for m in app.markdown]
    assert question in markdown and examples in markdown
    choice = _order_choice(app)
    assert choice.value is None
    assert month_first in choice.options
    assert app.info[0].value == i18n.translate("data.date_order.waiting", lang)
    assert not app.button or all(b.key != "data.confirm" for b in app.button)  # nothing to import yet
    assert not app.metric
    choice.set_value("month_first").run()
    assert not app.exception, app.exception
    assert app.success[0].value == i18n.translate("data.valid", lang, rows="3")
    assert [m.value for m in app.metric] == ["3", "0", "0"]  # three new people
    assert app.button(key="data.confirm").label == i18n.translate("data.confirm.button", lang, rows="3",
                                                                  file="fechas.csv")
    assert app.radio(key=choice.key).value == "month_first"  # the choice stays on the page, and can change


def test_answering_the_question_reads_the_dates_in_that_order(fresh_caches):
    """What the page validates after the choice: the dates read month first (the page's own Validation)."""
    app = _upload(run_dashboard("datos", lang="es", page="pages/data.py"), "fechas.csv", MONTH_FIRST_FILE)
    choice = _order_choice(app)
    choice.set_value("month_first").run()
    validation = app.session_state["data.validation"][1]
    assert [d.date().isoformat() for d in validation.result.frame["enrolment_date"]] == [
        "2024-03-05", "2024-04-11", "2024-06-01"]
    choice.set_value("day_first").run()
    validation = app.session_state["data.validation"][1]
    assert [d.date().isoformat() for d in validation.result.frame["enrolment_date"]] == [
        "2024-05-03", "2024-11-04", "2024-06-01"]


def test_the_page_keeps_its_positions_when_the_last_imports_message_goes(fresh_caches):
    """The message of the last import is shown once; the uploader stays where it was on the run after."""
    from tests.signed_in import run_dashboard

    app = run_dashboard("datos", lang="es", page="pages/data.py")
    app.session_state["data.message"] = "Importado: sesiones.ods"
    app.run()
    assert [s.value for s in app.success] == ["Importado: sesiones.ods"]
    with_message = _uploader_position(app)
    app.run()
    assert app.success == [] and _uploader_position(app) == with_message


def _uploader_position(app) -> int:
    return next(index for index, node in app.main.children.items()
                if any(getattr(child, "type", "") == "file_uploader" for child in _descendants(node)))


def _descendants(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _descendants(child)
