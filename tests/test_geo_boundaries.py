"""Reading boundary files: every format, reprojection, repairs, and the exact message of each refusal."""

from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import box

from geo.boundaries import OUTPUT_COLUMNS, REPORT_KEY, load_layer, load_region_outlines, read_boundaries
from geo.errors import (
    BoundaryError,
    CrsError,
    DuplicateCodeError,
    InvalidBoundaryCodeError,
    MissingCodeColumnError,
    MissingCrsError,
    UnreadableBoundaryError,
    UnsafeArchiveError,
)
from geo.reading import unsafe_entries

FIXTURES = Path(__file__).parent / "fixtures" / "geo"
HUEHUETENANGO = ["1301", "1302", "1303", "1304", "1305"]
NO_REPORT = {"repaired": [], "dropped_without_code": [], "dropped_empty": []}


def _read(name: str, country: str = "GTM", level: str = "municipality", **options) -> gpd.GeoDataFrame:
    return read_boundaries(FIXTURES / name, country=country, level=level, **options)


def _huehuetenango() -> gpd.GeoDataFrame:
    layer = load_layer("GTM", "municipality")
    return layer[layer["code"].isin(HUEHUETENANGO)].reset_index(drop=True)


def _error(name: str, **options) -> BoundaryError:
    with pytest.raises(BoundaryError) as caught:
        _read(name, **options)
    return caught.value


def test_shipped_zipped_shapefile_has_canonical_columns():
    layer = load_layer("GTM", "municipality")
    departments = load_layer("GTM", "department").set_index("code")["name"]
    assert list(layer.columns) == OUTPUT_COLUMNS
    assert layer.crs == "EPSG:4326"
    assert len(layer) == 340 and layer["code"].str.fullmatch(r"\d{4}").all()
    assert (layer["department_code"] == layer["code"].str[:2]).all()
    assert (layer["department_name"] == layer["department_code"].map(departments)).all()
    assert layer.set_index("code").loc["1301", "name"] == "Huehuetenango"
    assert layer.attrs[REPORT_KEY] == NO_REPORT


@pytest.mark.parametrize(("country", "level", "count", "width"), [
    ("GTM", "department", 22, 2),
    ("BOL", "department", 9, 2),
    ("BOL", "municipality", 87, 6),
    ("PER", "department", 25, 2),
    ("PER", "municipality", 110, 6),
    ("COL", "department", 33, 2),
])
def test_shipped_geojson_layers(country, level, count, width):
    layer = load_layer(country, level)
    assert (len(layer), layer.crs, list(layer.columns)) == (count, "EPSG:4326", OUTPUT_COLUMNS)
    assert layer["code"].str.len().eq(width).all() and layer["country"].eq(country).all()
    assert layer.geometry.is_valid.all()


def test_load_layer_returns_a_copy():
    layer = load_layer("GTM", "department")
    layer.loc[0, "name"] = "changed"
    assert load_layer("GTM", "department").loc[0, "name"] == "Guatemala"


def test_load_layer_without_polygons_is_refused():
    with pytest.raises(ValueError, match="No boundary layer for COL municipality"):
        load_layer("COL", "municipality")


def test_region_outlines():
    outlines = load_region_outlines()
    assert list(outlines.columns) == ["iso3", "name", "geometry"]
    assert len(outlines) == 47 and {"GTM", "BOL", "PER", "COL", "GUF"} <= set(outlines["iso3"])


@pytest.mark.parametrize("name", [
    "huehuetenango_utm15_shp.zip",   # zipped shapefile with a UTM 15N .prj
    "huehuetenango_utm15.gpkg",      # GeoPackage in EPSG:32615
    "huehuetenango_utm15.geojson",   # GeoJSON with a legacy crs member
])
def test_projected_files_are_reprojected_to_wgs84(name):
    frame = _read(name)
    expected = _huehuetenango()
    assert frame.crs == "EPSG:4326"
    np.testing.assert_allclose(frame.total_bounds, expected.total_bounds, atol=1e-6)
    assert_geodataframe_equal(frame, expected, check_less_precise=True)


def test_shapefile_without_prj_reads_with_the_given_crs():
    frame = _read("no_prj/gtm.shp", source_crs="EPSG:4326")
    expected = _huehuetenango().iloc[:2]
    assert_geodataframe_equal(frame, expected, check_less_precise=True)


def test_the_file_crs_wins_over_source_crs():
    frame = _read("huehuetenango_utm15_shp.zip", source_crs="EPSG:4326")
    np.testing.assert_allclose(frame.total_bounds, _huehuetenango().total_bounds, atol=1e-6)


@pytest.mark.filterwarnings("ignore:'crs' was not provided")  # writing the CRS-less fixture on purpose
def test_wrong_source_crs_names_both_crs(tmp_path):
    metres = gpd.read_file(FIXTURES / "huehuetenango_utm15.gpkg").set_crs(None, allow_override=True)
    metres.iloc[:1].to_file(tmp_path / "metres.gpkg")
    with pytest.raises(CrsError) as caught:
        read_boundaries(tmp_path / "metres.gpkg", country="GTM", level="municipality", source_crs="EPSG:4269")
    assert caught.value.message("en") == (
        "metres.gpkg: read as EPSG:4269, the coordinates are not valid longitudes and latitudes in EPSG:4326 "
        "(extent x 656544 … 684501, y 1.68364e+06 … 1.70082e+06). Check the file's coordinate reference system; "
        "if it is in metres it is usually UTM (for example EPSG:32615 or EPSG:32719).")


def test_integer_codes_are_zero_padded():
    expected = gpd.GeoDataFrame({
        "country": ["BOL", "BOL"],
        "level": ["municipality", "municipality"],
        "code": ["020804", "020801"],
        "name": ["Desaguadero", "Guaqui"],
        "department_code": ["02", "02"],
        "department_name": pd.Series([None, None], dtype="str"),
    }, geometry=[box(-69.1, -16.6, -69.0, -16.5), box(-68.9, -16.6, -68.8, -16.5)], crs="EPSG:4326")
    assert_geodataframe_equal(_read("integer_codes.geojson", "BOL"), expected, normalize=True)


def test_other_column_names():
    frame = _read("custom_columns.geojson", code_column="COD_MUNI", name_column="NOMBRE")
    assert frame[["code", "name", "department_code"]].values.tolist() == [
        ["1301", "Huehuetenango", "13"], ["1302", "Chiantla", "13"]]


def test_repairs_and_drops_are_reported():
    frame = _read("mixed_geometry.geojson")
    assert list(frame["code"]) == ["1301", "1302"]
    assert frame.geometry.is_valid.all() and set(frame.geom_type) <= {"Polygon", "MultiPolygon"}
    assert frame.attrs[REPORT_KEY] == {
        "repaired": ["1302"],                         # a self-intersecting "bow tie"
        "dropped_without_code": ["Laguna", "#7"],   # by name, else by feature number
        "dropped_empty": ["1303", "1304", "1305"],    # a point, a line, no geometry
    }


@pytest.mark.parametrize(("name", "options", "error_type", "expected"), [
    ("no_prj/gtm.shp", {}, MissingCrsError,
     "gtm.shp: el archivo no declara su sistema de coordenadas (falta el .prj). Escriba su código EPSG en el "
     "campo «Código EPSG de las coordenadas» (por ejemplo 32615 para UTM zona 15 N, 4326 para longitud y latitud "
     "WGS 84) o vuelva a exportarlo con su .prj."),
    ("no_prj_shp.zip", {}, MissingCrsError,
     "no_prj_shp.zip: el archivo no declara su sistema de coordenadas (falta el .prj). Escriba su código EPSG en "
     "el campo «Código EPSG de las coordenadas» (por ejemplo 32615 para UTM zona 15 N, 4326 para longitud y "
     "latitud WGS 84) o vuelva a exportarlo con su .prj."),
    ("no_prj/gtm.shp", {"source_crs": "EPSG:99999"}, CrsError,
     "gtm.shp: «EPSG:99999» no es un sistema de coordenadas reconocido. Escriba en el campo «Código EPSG de las "
     "coordenadas» un código EPSG válido, por ejemplo 32615 (UTM zona 15 N) o 32719 (UTM zona 19 S)."),
    ("metres_without_crs.geojson", {}, CrsError,
     "metres_without_crs.geojson: leídas en EPSG:4326, las coordenadas no son longitudes y latitudes "
     "válidas en EPSG:4326 (extensión x 656544 … 689587, y 1.68364e+06 … 1.73076e+06). Compruebe el "
     "sistema de coordenadas del archivo; si está en metros suele ser UTM (por ejemplo EPSG:32615 o EPSG:32719)."),
    ("broken_shp.zip", {}, UnreadableBoundaryError,
     "broken_shp.zip: el archivo .zip está dañado o no es un .zip."),
    ("no_shapefile.zip", {}, UnreadableBoundaryError,
     "no_shapefile.zip: el .zip no contiene ninguna capa de límites (.shp, .geojson, .gpkg o .kml); contiene: "
     "readme.txt. Suba un .zip con los archivos .shp, .shx, .dbf y .prj de una capa, o el GeoJSON o GeoPackage "
     "sin comprimir."),
    ("not_a_boundary.geojson", {}, UnreadableBoundaryError,
     "not_a_boundary.geojson: no se pudo leer como archivo de límites. Compruebe que no esté dañado "
     "y que sea GeoJSON, GeoPackage o shapefile."),
    ("points_only.geojson", {}, UnreadableBoundaryError,
     "points_only.geojson: no contiene polígonos; un archivo de límites debe tener áreas (Polygon o MultiPolygon)."),
    ("make_fixtures.py", {}, UnreadableBoundaryError,
     "make_fixtures.py: formato no admitido. Use GeoJSON, GeoPackage (.gpkg), shapefile (.shp), KML "
     "o un .zip que contenga uno de ellos."),
    ("missing.geojson", {}, UnreadableBoundaryError, "missing.geojson: el archivo no existe."),
    ("unsafe_entry_shp.zip", {}, UnsafeArchiveError,
     "unsafe_entry_shp.zip: el .zip contiene rutas no seguras (../../etc/gtm.dbf) y no se abrirá. "
     "Vuelva a comprimir solo los archivos del shapefile, sin rutas absolutas ni «..»."),
    ("custom_columns.geojson", {}, MissingCodeColumnError,
     "custom_columns.geojson: falta la columna «code». Columnas disponibles: COD_MUNI, NOMBRE."),
    ("duplicate_codes.geojson", {}, DuplicateCodeError,
     "duplicate_codes.geojson: códigos repetidos: 0101. Cada unidad territorial debe aparecer una sola vez."),
    ("invalid_codes.geojson", {}, InvalidBoundaryCodeError,
     "invalid_codes.geojson: códigos no válidos (se esperan hasta 4 dígitos): 13x, 13020."),
])
def test_refusals_explain_themselves(name, options, error_type, expected):
    error = _error(name, **options)
    assert type(error) is error_type
    assert error.message("es") == expected


def test_refusals_in_english():
    assert _error("no_prj/gtm.shp").message("en") == (
        "gtm.shp: the file does not declare its coordinate reference system (the .prj is missing). Type its EPSG "
        "code in the field “EPSG code of the coordinates” (for example 32615 for UTM zone 15N, 4326 for WGS 84 "
        "longitude and latitude) or export it again with its .prj.")
    assert _error("unsafe_entry_shp.zip").message("en") == (
        "unsafe_entry_shp.zip: the .zip holds unsafe paths (../../etc/gtm.dbf) and will not be opened. "
        "Zip only the shapefile's files again, without absolute paths or “..”.")


def test_several_layers_are_refused(tmp_path):
    units = gpd.read_file(FIXTURES / "huehuetenango_utm15.gpkg")
    units.to_file(tmp_path / "two.gpkg", layer="municipios")
    units.to_file(tmp_path / "two.gpkg", layer="copia")
    with zipfile.ZipFile(tmp_path / "two_shp.zip", "w") as archive:
        archive.writestr("a/gtm.shp", b"")
        archive.writestr("b/gtm.shp", b"")
        archive.writestr("__MACOSX/a/._gtm.shp", b"")  # macOS metadata, not a layer
    messages = [_error(str(tmp_path / name)).message("es") for name in ("two.gpkg", "two_shp.zip")]
    assert messages == [
        "two.gpkg: contiene varias capas (municipios, copia); deje una sola capa de límites por archivo.",
        "two_shp.zip: contiene varias capas (a/gtm.shp, b/gtm.shp); deje una sola capa de límites por archivo.",
    ]


def test_unknown_country_or_level_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown country/level"):
        _read("integer_codes.geojson", "ECU")


@pytest.mark.parametrize(("names", "unsafe"), [
    (["gtm.shp", "gtm.dbf", "gtm/gtm.prj"], []),
    (["../gtm.shp"], ["../gtm.shp"]),
    (["gtm/../../gtm.shp"], ["gtm/../../gtm.shp"]),
    (["..\\gtm.shp"], ["..\\gtm.shp"]),
    (["/etc/passwd"], ["/etc/passwd"]),
    (["C:/Windows/gtm.shp"], ["C:/Windows/gtm.shp"]),
    (["gtm..shp", "..gtm.shp"], []),
])
def test_unsafe_entries(names, unsafe):
    assert unsafe_entries(names) == unsafe
