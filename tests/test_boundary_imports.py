"""A boundary file without CRS: the EPSG code through validation and import, and the Data page's field for it.

The page section runs headless (AppTest) on a real file of the bad-input corpus, against a
store of its own (a copy of the session's sample store in a data folder of the test).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import shapely
from streamlit.testing.v1 import AppTest

import i18n
from geo.boundaries import load_layer
from store.boundary_imports import import_boundary_file, validate_boundaries
from tests.stores import query

BAD = Path(__file__).resolve().parent / "data" / "bad"
UTM_WITHOUT_PRJ = "utm_missing_prj_shp.zip"  # three Huehuetenango municipalities in UTM 15N, no .prj
WITH_PRJ = "nested_folders_shp.zip"  # the same in WGS 84, with its .prj


def _expected_bounds() -> np.ndarray:
    layer = load_layer("GTM", "municipality")
    return layer[layer["code"].isin(["1301", "1302", "1303"])].total_bounds


@pytest.fixture
def own_store(tmp_path, sample_store_file, monkeypatch, fresh_caches) -> Path:
    """A data folder of the test's own, holding a copy of the sample store (an import may change it)."""
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copyfile(sample_store_file, folder / sample_store_file.name)
    monkeypatch.setenv("CONEXION_DATA_DIR", str(folder))
    return folder / sample_store_file.name


def test_the_epsg_code_reads_a_shapefile_without_prj(tmp_path):
    path = BAD / UTM_WITHOUT_PRJ
    refused = validate_boundaries(path, "GTM", "municipality")
    assert refused.error.message_code == "missing_crs_shapefile"
    validation = validate_boundaries(path, "GTM", "municipality", source_crs="EPSG:32615")
    assert validation.ok and validation.source_crs == "EPSG:32615"
    assert list(validation.frame["code"]) == ["1301", "1302", "1303"]
    np.testing.assert_allclose(validation.frame.total_bounds, _expected_bounds(), atol=0.02)  # simplified at 0.01°


@pytest.mark.parametrize(("code", "message_code"), [
    ("EPSG:99999", "unknown_crs"),   # no such code
    ("EPSG:5703", "not_a_map_crs"),  # heights (NAVD88), not positions
])
def test_an_unusable_epsg_code_is_refused_by_name(code, message_code):
    validation = validate_boundaries(BAD / UTM_WITHOUT_PRJ, "GTM", "municipality", source_crs=code)
    assert validation.error.message_code == message_code
    assert f"«{code}»" in validation.error.message("es") and f"“{code}”" in validation.error.message("en")


def test_a_wrong_epsg_code_is_caught_by_the_extent(tmp_path):
    """UTM 15N metres read as UTM 19S (Bolivia's zone) land far from Guatemala: refused, never imported."""
    validation = validate_boundaries(BAD / UTM_WITHOUT_PRJ, "GTM", "municipality", source_crs="EPSG:32719")
    assert validation.error.message_code == "layer_outside_country"


def test_import_with_the_epsg_code_stores_the_units_in_wgs84(own_store):
    summary = import_boundary_file(own_store, BAD / UTM_WITHOUT_PRJ, "GTM", "municipality", "datos",
                                   source_crs="EPSG:32615")
    assert summary.rows_in_file == 3
    rows = query(own_store, "SELECT code, geometry_wkb FROM boundary_units WHERE country = 'GTM' "
                            "AND level = 'municipality' ORDER BY code")
    assert [code for code, _ in rows] == ["1301", "1302", "1303"]
    stored = shapely.from_wkb([bytes(wkb) for _, wkb in rows])
    np.testing.assert_allclose(shapely.total_bounds(stored), _expected_bounds(), atol=0.02)


# --- The Data page's field (AppTest) ----------------------------------------------------------------

def _boundary_section(path: str) -> None:
    """The boundary steps of the Data page for an already uploaded file (AppTest cannot upload)."""
    from pathlib import Path

    from ui import data_page

    data_page.boundary_steps(Path(path), "upload-1", "GTM", "municipality", "datos")


def _section_app(path: Path, lang: str) -> AppTest:
    app = AppTest.from_function(_boundary_section, args=(str(path),), default_timeout=60)
    app.query_params["lang"] = lang
    return app.run()


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_message_without_prj_names_the_field_the_page_shows(own_store, tmp_path, lang):
    path = tmp_path / UTM_WITHOUT_PRJ
    shutil.copyfile(BAD / UTM_WITHOUT_PRJ, path)
    app = _section_app(path, lang)
    assert not app.exception, app.exception
    field = app.number_input(key="data.boundary.epsg")
    label = i18n.translate("data.boundary.epsg", lang)
    assert field.label == label and field.value is None
    assert field.help == i18n.translate("data.boundary.epsg.help", lang)
    quoted = f"«{label}»" if lang == "es" else f"“{label}”"
    assert [e.value for e in app.error] == [validate_boundaries(path, "GTM", "municipality").error.message(lang)]
    assert quoted in app.error[0].value


def test_typing_the_epsg_code_validates_and_imports_the_file(own_store, tmp_path):
    path = tmp_path / UTM_WITHOUT_PRJ
    shutil.copyfile(BAD / UTM_WITHOUT_PRJ, path)
    app = _section_app(path, "es")
    app.number_input(key="data.boundary.epsg").set_value(99999).run()
    assert [e.value for e in app.error] == [
        f"{UTM_WITHOUT_PRJ}: «EPSG:99999» no es un sistema de coordenadas reconocido. Escriba en el campo «Código "
        "EPSG de las coordenadas» un código EPSG válido, por ejemplo 32615 (UTM zona 15 N) o 32719 (UTM zona 19 S)."]
    app.number_input(key="data.boundary.epsg").set_value(32615).run()
    assert not app.error
    assert [s.value for s in app.success] == ["El archivo de límites es válido: 3 unidades."]
    assert "Coordenadas leídas en EPSG:32615 y convertidas a longitud y latitud (EPSG:4326)." in [
        c.value for c in app.caption]
    app.button(key="data.confirm_boundaries").click().run()
    assert not app.exception, app.exception
    [imported] = query(own_store, "SELECT file_name, dataset, result FROM import_log ORDER BY import_id DESC LIMIT 1")
    assert imported == (UTM_WITHOUT_PRJ, "boundaries:GTM:municipality", "ok")
    assert app.session_state["data.boundary.epsg"] is None  # the next file starts with an empty field


def test_a_code_typed_for_a_file_with_its_own_crs_is_said_to_be_unused(own_store, tmp_path):
    path = tmp_path / WITH_PRJ
    shutil.copyfile(BAD / WITH_PRJ, path)
    app = _section_app(path, "en")
    app.number_input(key="data.boundary.epsg").set_value(32615).run()
    assert [s.value for s in app.success] == ["The boundary file is valid: 3 units."]
    assert "The file declares its coordinate reference system (EPSG:4326); the EPSG code typed (32615) is not used." \
        in [c.value for c in app.caption]
