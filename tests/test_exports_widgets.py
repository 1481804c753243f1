"""The download widgets (ui/exports.py) in a tiny app under AppTest: labels, deferred files, HXL box, audit log."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from PIL import Image
from streamlit.testing.v1 import AppTest

import i18n
from tests.browser import require_chromium
from tests.conftest import ROOT

APP = str(ROOT / "tests" / "apps" / "exports_app.py")
TABLE_KEY = "exports.table.people_by_municipality"


@pytest.fixture
def data_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("CONEXION_DATA_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture
def recorded(monkeypatch):
    """The files each button would make, recorded instead of made: (kind, item, lang, make)."""
    import ui.exports

    calls: list[tuple[str, str, str, object]] = []
    original = ui.exports.logged

    def record(make, kind, item, lang, username):
        calls.append((kind, item, lang, original(make, kind, item, lang, username)))
        return calls[-1][3]

    monkeypatch.setattr(ui.exports, "logged", record)
    return calls


@pytest.fixture
def renders(monkeypatch):
    """Every chart image rendered (kaleido calls), recorded."""
    from exports import images

    calls = []
    original = images._render
    monkeypatch.setattr(images, "_render", lambda *args: calls.append(args[1]) or original(*args))
    images._cached.cache_clear()
    return calls


def _run(lang: str | None = None) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    if lang:
        app.query_params["lang"] = lang
    return app.run()


def _buttons(app: AppTest):
    return [element.proto for element in app.get("download_button")]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_buttons_in_the_language_and_no_rerun_on_download(data_folder, renders, lang):
    require_chromium()
    app = _run(lang)
    assert not app.exception
    labels = [button.label for button in _buttons(app)]
    assert labels == [i18n.translate(f"exports.{key}", lang)
                      for key in ("chart.png", "chart.svg", "table.csv", "table.xlsx")]
    assert all(button.ignore_rerun for button in _buttons(app))
    assert "1920 × 1080" in _buttons(app)[0].help
    assert app.checkbox(key=f"{TABLE_KEY}.hxl").label == i18n.translate("exports.table.hxl", lang)
    assert renders == []  # running the page rendered no image: files are made on click only


def test_files_behind_the_buttons_and_the_audit_log(data_folder, recorded, renders):
    require_chromium()
    from auth.audit_log import read_events

    _run("es")
    files = {kind: (item, lang, make) for kind, item, lang, make in recorded}
    assert set(files) == {"png", "svg", "csv", "xlsx"} and renders == []
    assert Image.open(io.BytesIO(files["png"][2]())).size == (1920, 1080)
    assert b"Totonic" in files["svg"][2]()
    rows = list(csv.reader(io.StringIO(files["csv"][2]().decode("utf-8-sig"))))
    assert rows == [["País", "Municipio (código)", "Municipio", "Valor"], ["GTM", "0801", "Totonicapán", "1470"],
                    ["GTM", "0903", "San Juan Ostuncalco", i18n.hidden_mark(i18n.SMALL, "es")], ["GTM", "0904", "San Mateo", "12"]]
    book = load_workbook(io.BytesIO(files["xlsx"][2]()))
    assert book.sheetnames == ["Datos", "Notas"] and book["Datos"]["A2"].value == "GTM"
    events = [e for e in read_events() if e["event"] == "export"]
    assert [(e["username"], e["details"]["kind"], e["details"]["item"]) for e in events] == [
        ("presentador", "png", "people_by_sex"), ("presentador", "svg", "people_by_sex"),
        ("presentador", "csv", "people_by_municipality"), ("presentador", "xlsx", "people_by_municipality")]


def test_hxl_box_adds_the_tag_row_to_both_files(data_folder, recorded):
    app = _run("en")
    recorded.clear()
    app.checkbox(key=f"{TABLE_KEY}.hxl").check().run()
    assert not app.exception
    files = {kind: make for kind, _, _, make in recorded}
    tags = ["#country+code", "#adm2+code", "#adm2+name", "#reached+ind"]
    assert list(csv.reader(io.StringIO(files["csv"]().decode("utf-8-sig"))))[1] == tags
    assert [c.value for c in load_workbook(io.BytesIO(files["xlsx"]()))["Data"][2]] == tags


def test_without_chromium_the_chart_buttons_give_way_to_a_message(data_folder, monkeypatch):
    from exports import images

    monkeypatch.setattr(images, "chromium_path", lambda: None)
    app = _run("es")
    assert [b.label for b in _buttons(app)] == ["CSV", "Excel"]
    assert i18n.translate("exports.chart.unavailable", "es") in [c.value for c in app.caption]


@pytest.mark.browser
def test_downloads_in_a_real_browser(tmp_path, browser):
    """Deferred files reach the browser: a 1920 px PNG, an Excel file with the HXL row; both logged."""
    from tests.browser import copy_screenshot, streamlit_server

    with streamlit_server(tmp_path, tmp_path / "streamlit.log", app=ROOT / "tests" / "apps" / "exports_app.py") as url:
        page = browser.new_page(accept_downloads=True)
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(url + "/?lang=en", timeout=90_000)
        page.get_by_text("RUN").wait_for(timeout=90_000)
        page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=90_000)
        with page.expect_download(timeout=90_000) as download:
            page.get_by_role("button", name="PNG image").click()
        png = tmp_path / "chart.png"
        download.value.save_as(png)
        assert download.value.suggested_filename == "people_by_sex_en.png"
        assert Image.open(png).size == (1920, 1080)

        page.get_by_text("Add HXL row").click()
        page.wait_for_timeout(1500)
        with page.expect_download(timeout=90_000) as download:
            page.get_by_role("button", name="Excel").click()
        workbook = tmp_path / "table.xlsx"
        download.value.save_as(workbook)
        assert download.value.suggested_filename == "people_by_municipality_en_hxl.xlsx"
        data = load_workbook(workbook)["Data"]
        assert [c.value for c in data[2]] == ["#country+code", "#adm2+code", "#adm2+name", "#reached+ind"]
        assert data["D4"].value == i18n.hidden_mark(i18n.SMALL, "en") == "fewer than 5"
        page.screenshot(path=str(tmp_path / "widgets.png"), full_page=True)
        copy_screenshot(tmp_path / "widgets.png", "export_widgets_en.png")
        page.close()
    assert all(r.startswith("http://127.0.0.1") or r.startswith(("data:", "blob:")) for r in requests), requests
    from auth.audit_log import FILE_NAME

    lines = (tmp_path / FILE_NAME).read_text(encoding="utf-8").splitlines()
    assert [('"kind": "png"' in line, '"kind": "xlsx"' in line) for line in lines] == [(True, False), (False, True)]
