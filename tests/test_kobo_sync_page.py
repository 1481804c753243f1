"""The Data page's KoboToolbox section headless (AppTest), against the test server on 127.0.0.1.

The server is configured through the environment as an installation would; each test has a
data folder of its own (a copy of the session's sample store), so the shared store is never changed.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import i18n
from data_loaders.errors import Problem
from store.database import STORE_FILE, close_live
from store.imports import Preview, Validation
from store.kobo_sync import SyncPlan
from tests import kobo_server as ks
from tests.signed_in import run_dashboard
from tests.test_kobo_sync import new_submission
from ui.kobo_sync import submission_problem_table, sync_preview_table
from tests.tables import shown as shown_cells

PAGE = "pages/data.py"


def test_preview_table_adds_the_participants_removed_per_municipality():
    counts = pd.DataFrame({"country": ["GTM"], "municipality_code": ["1301"], "new": [2], "updated": [1],
                           "unchanged": [4]})
    removed = pd.DataFrame({"country": ["GTM", "GTM"], "municipality_code": ["1301", "1215"], "removed": [1, 3]})
    plan = SyncPlan("participants", "aBc", 7, Validation("KoboToolbox aBc", "participants", "x", None),
                    pd.DataFrame(), preview=Preview("participants", 2, 1, 4, counts), removed_by_municipality=removed)
    names = {("GTM", "1301"): "Huehuetenango", ("GTM", "1215"): "San Marcos"}
    expected = pd.DataFrame({
        "Country": ["Guatemala", "Guatemala"], "Municipality": ["San Marcos (1215)", "Huehuetenango (1301)"],
        "New rows": ["0", "2"], "Rows updated": ["0", "1"], "Rows unchanged": ["0", "4"],
        "Participants removed": ["3", "1"],
    })
    pd.testing.assert_frame_equal(sync_preview_table(plan, "en", names), expected)


def test_problems_name_the_submission_instead_of_a_row():
    problem = Problem("KoboToolbox aBc", 318204514, "datos_personales/sexo", "x", "empty_value")
    table = submission_problem_table([problem], "es")
    assert "Envío (_id)" in table.columns and "Hoja" not in table.columns
    assert table.iloc[0]["Envío (_id)"] == 318204514


@pytest.fixture
def own_store(tmp_path, sample_store_file, monkeypatch):
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copyfile(sample_store_file, folder / STORE_FILE)
    monkeypatch.setenv("CONEXION_DATA_DIR", str(folder))
    yield folder / STORE_FILE
    close_live(folder / STORE_FILE)


@pytest.fixture
def kobo(monkeypatch):
    server = ks.KoboTestServer(ks.sample_submissions())
    with ks.running(server):
        monkeypatch.setenv("CONEXION_KOBO_SERVER_URL", server.url)
        monkeypatch.setenv("CONEXION_KOBO_API_TOKEN", ks.TOKEN)
        monkeypatch.setenv("CONEXION_KOBO_FORMS", f"participants={ks.UID}")
        monkeypatch.setenv("CONEXION_KOBO_PAGE_SIZE", "50")
        yield server


def _texts(app, kind: str) -> list[str]:
    return [element.value for element in getattr(app, kind)]


def test_without_a_server_the_section_is_absent(fresh_caches, own_store, monkeypatch):
    monkeypatch.delenv("CONEXION_KOBO_SERVER_URL", raising=False)
    app = run_dashboard("datos", lang="es", page=PAGE)
    assert not app.exception, app.exception
    assert i18n.translate("data.kobo.title", "es") not in _texts(app, "subheader")


def test_check_preview_confirm_and_undo(fresh_caches, own_store, kobo):
    kobo.add(new_submission(kobo, "PNEW00010", 999_000_010, "2099-02-01T10:00:00"))
    app = run_dashboard("datos", lang="es", page=PAGE)
    assert i18n.translate("data.kobo.title", "es") in _texts(app, "subheader")
    assert kobo.requests == []  # nothing is asked before the person does
    app.button(key=f"data.kobo.check.{ks.UID}").click().run()
    assert not app.exception, app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Filas nuevas"] == "1" and metrics["Participantes que se eliminan"] == "0"
    assert metrics["Filas sin cambios"] == "142"
    app.button(key=f"data.kobo.confirm.{ks.UID}").click().run()
    assert not app.exception, app.exception
    done = _texts(app, "success")
    assert any(f"«KoboToolbox {ks.UID}»: 1 filas nuevas" in text for text in done), done
    log = shown_cells(app.dataframe[0])
    assert log.iloc[0]["Archivo"] == f"KoboToolbox {ks.UID}"
    # The existing undo section undoes the sync; the next check finds the submission new again.
    assert any(f"KoboToolbox {ks.UID}" in text for text in _texts(app, "markdown"))
    app.button(key="data.undo").click().run()
    app.button(key="data.undo_yes").click().run()
    assert not app.exception, app.exception
    app.button(key=f"data.kobo.check.{ks.UID}").click().run()
    assert {m.label: m.value for m in app.metric}["Filas nuevas"] == "1"


def test_a_bad_token_is_a_clear_error_in_the_page_language(fresh_caches, own_store, kobo, monkeypatch):
    monkeypatch.setenv("CONEXION_KOBO_API_TOKEN", "wrong-token")
    app = run_dashboard("datos", lang="en", page=PAGE)
    app.button(key=f"data.kobo.check.{ks.UID}").click().run()
    assert not app.exception, app.exception
    error = _texts(app, "error")[0]
    assert error.startswith(i18n.translate("data.kobo.failed", "en"))
    assert f"KoboToolbox {ks.UID}: the server {kobo.url} did not accept the API token (401)" in error
    assert "wrong-token" not in error


def test_invalid_submissions_are_listed_by_id_and_nothing_changes(fresh_caches, own_store, kobo):
    bad = kobo.submissions[7]
    kobo.edit(bad["_id"], {"datos_personales/edad": "doce"})
    app = run_dashboard("datos", lang="es", page=PAGE)
    app.button(key=f"data.kobo.check.{ks.UID}").click().run()
    assert not app.exception, app.exception
    assert any(text.startswith("Los envíos no se pueden importar") for text in _texts(app, "error"))
    table = app.table[0].value
    row = table[table["Columna"] == "datos_personales/edad"].iloc[0]
    assert str(row["Envío (_id)"]) == str(bad["_id"]) and row["Valor"] == "doce"
    assert not [b for b in app.button if b.key == f"data.kobo.confirm.{ks.UID}"]
    log = shown_cells(app.dataframe[0])
    assert (log.iloc[0]["Archivo"], log.iloc[0]["Resultado"]) == (f"KoboToolbox {ks.UID}", "Rechazado")
