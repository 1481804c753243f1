"""Boundary layers whose coordinates are valid degrees but not in the chosen country, and .prj axis orders.

Real files written into tmp_path with geopandas / pyogrio, read through the same validation
the Data page uses (`store.boundary_imports.validate_boundaries`).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pyproj
import pytest
import shapely

from geo.boundaries import load_layer
from geo.errors import ExtentError
from geo.extents import COUNTRY_EXTENTS, allowed_extent, check_extent
from geo.reading import SOURCE_CRS_KEY, read_vector
from store.boundary_imports import validate_boundaries
from tests.conftest import SAMPLE
from tests.data.make_bad_inputs import swap_axes

GEO = SAMPLE / "geo"


def _refusal(path, country: str, level: str) -> ExtentError:
    validation = validate_boundaries(path, country, level)
    assert not validation.ok
    assert isinstance(validation.error, ExtentError), validation.error
    return validation.error


@pytest.mark.parametrize(("country", "file_name"), [
    ("GTM", "gtm_adm1.geojson"), ("BOL", "bol_adm1.geojson"), ("PER", "per_adm1.geojson"),
    ("COL", "col_adm1.geojson"),
])
def test_declared_extents_hold_the_shipped_departments_and_little_more(country, file_name):
    bounds = gpd.read_file(GEO / file_name).total_bounds
    west, south, east, north = COUNTRY_EXTENTS[country]
    assert west <= bounds[0] and south <= bounds[1] and bounds[2] <= east and bounds[3] <= north
    slack = np.array([bounds[0] - west, bounds[1] - south, east - bounds[2], north - bounds[3]])
    allowed = np.array([0.15, 0.15, 0.15, 2.5 if country == "COL" else 0.15])  # Colombia: cays up to 15.9° N
    assert (slack <= allowed).all(), slack


@pytest.mark.parametrize(("country", "level"), [
    ("GTM", "department"), ("GTM", "municipality"), ("BOL", "department"), ("BOL", "municipality"),
    ("PER", "department"), ("PER", "municipality"), ("COL", "department"),
])
def test_every_shipped_layer_lies_in_its_country(country, level):
    check_extent(load_layer(country, level), f"{country}_{level}.geojson", country)


def test_a_puno_file_with_x_and_y_exchanged_is_refused_with_the_fix(tmp_path):
    path = tmp_path / "distritos_puno.geojson"
    swap_axes(gpd.read_file(GEO / "per_adm3_puno.geojson")).to_file(path)
    error = _refusal(path, "PER", "municipality")
    assert error.message_code == "axes_swapped"
    assert error.message("es") == (
        "distritos_puno.geojson: las coordenadas parecen tener la longitud y la latitud intercambiadas: el archivo "
        "va de x -17.29 … -13.00, y -71.12 … -68.81, pero Perú está en x -81.40 … -68.60, y -18.40 … 0.00 "
        "(x = longitud, y = latitud), donde encaja al intercambiar x e y. Intercambie las columnas X e Y, o al "
        "exportar elija el orden de ejes longitud, latitud (x = longitud), y vuelva a subir el archivo.")
    assert error.message("en") == (
        "distritos_puno.geojson: the coordinates seem to have longitude and latitude exchanged: the file spans "
        "x -17.29 … -13.00, y -71.12 … -68.81, but Peru lies at x -81.40 … -68.60, y -18.40 … 0.00 "
        "(x = longitude, y = latitude), where it fits once x and y are swapped. Swap the X and Y columns, or set "
        "the axis order to longitude, latitude (x = longitude) when exporting, and upload the file again.")


def test_a_bolivian_shapefile_with_axes_exchanged_in_nested_folders_is_refused(tmp_path):
    """A zipped shapefile with a WGS 84 .prj whose coordinates are latitude, longitude (every value in range)."""
    import zipfile

    folder = tmp_path / "shp"
    folder.mkdir()
    swap_axes(gpd.read_file(GEO / "bol_adm3_lapaz.geojson")[["code", "name", "geometry"]]).to_file(
        folder / "municipios_lapaz.shp", encoding="UTF-8")
    path = tmp_path / "La_Paz.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for part in sorted(folder.iterdir()):
            archive.write(part, f"La Paz/limites/{part.name}")
    error = _refusal(path, "BOL", "municipality")
    assert error.message_code == "axes_swapped"
    assert error.message("en").startswith(
        "La_Paz.zip: the coordinates seem to have longitude and latitude exchanged: the file spans "
        "x -18.05 … -11.85, y -69.64 … -66.73, but Bolivia lies at x -69.70 … -57.40, y -23.00 … -9.60")


def test_guatemala_with_axes_exchanged_is_named_as_such_not_as_a_wrong_crs(tmp_path):
    """Guatemala's longitudes pass -90 as latitudes: out of range, and the reason is the swap, not UTM."""
    path = tmp_path / "departamentos.geojson"
    swap_axes(gpd.read_file(GEO / "gtm_adm1.geojson")).to_file(path)
    error = _refusal(path, "GTM", "department")
    assert error.message("es") == (
        "departamentos.geojson: las coordenadas parecen tener la longitud y la latitud intercambiadas "
        "(x 13.74 … 17.82, y -92.24 … -88.22): y pasa de ±90°, lo que ninguna latitud hace, y x cabe como latitud. "
        "Intercambie las columnas X e Y, o al exportar elija el orden de ejes longitud, latitud (x = longitud), "
        "y vuelva a subir el archivo.")


def test_another_countrys_departments_under_this_countrys_codes(tmp_path):
    """Peru's departments use codes 01-25, most of them Guatemalan department codes too."""
    path = tmp_path / "departamentos.geojson"
    gpd.read_file(GEO / "per_adm1.geojson").to_file(path)
    error = _refusal(path, "GTM", "department")
    assert error.message("es") == (
        "departamentos.geojson: las unidades están en Perú (x -81.33 … -68.65, y -18.35 … -0.04), no en Guatemala. "
        "Elija Perú como país o compruebe que el archivo sea el correcto.")
    assert error.message("en") == (
        "departamentos.geojson: the units lie in Peru (x -81.33 … -68.65, y -18.35 … -0.04), not in Guatemala. "
        "Choose Peru as the country, or check that the file is the right one.")


@pytest.mark.filterwarnings("ignore:'crs' was not provided")  # writing the CRS-less file on purpose
def test_projected_coordinates_read_as_degrees_are_refused(tmp_path):
    """Kilometres from a local origin fit in ±90 / ±180 but lie nowhere near Guatemala."""
    local = pyproj.CRS.from_proj4("+proj=aeqd +lat_0=15.5 +lon_0=-91.5 +datum=WGS84 +units=km")
    units = load_layer("GTM", "municipality")
    units = units[units["department_code"] == "13"][["code", "name", "geometry"]].to_crs(local)
    path = tmp_path / "huehuetenango_km.geojson"
    units.set_crs(None, allow_override=True).to_file(path)  # no crs member: read as WGS 84
    error = _refusal(path, "GTM", "municipality")
    assert error.message_code == "layer_outside_country"
    bounds = units.total_bounds
    assert error.message("en") == (
        f"huehuetenango_km.geojson: no unit lies in Guatemala (x -92.30 … -88.20, y 13.70 … 17.90); the file spans "
        f"x {bounds[0]:.2f} … {bounds[2]:.2f}, y {bounds[1]:.2f} … {bounds[3]:.2f}. If its coordinates are in "
        "metres or another system, the file declares the wrong coordinate reference system: export it again with "
        "the right one (for example EPSG:32615 or EPSG:32719); otherwise check that the file is of the chosen "
        "country.")


def test_some_units_outside_are_listed_by_code(tmp_path):
    departments = gpd.read_file(GEO / "gtm_adm1.geojson")
    wrong = departments["code"].isin(["13", "12"])
    departments.loc[wrong, "geometry"] = shapely.affinity.translate(departments.loc[wrong].union_all(), 5, 0)
    path = tmp_path / "departamentos.geojson"
    departments.to_file(path)
    error = _refusal(path, "GTM", "department")
    assert error.message("es").startswith(
        "departamentos.geojson: 2 unidades quedan fuera de Guatemala (x -92.30 … -88.20, y 13.70 … 17.90): 12, 13. "
        "Corrija sus coordenadas")


def test_a_unit_just_beyond_the_outline_passes_within_the_margin(tmp_path):
    departments = gpd.read_file(GEO / "gtm_adm1.geojson")
    west = allowed_extent("GTM")[0]
    departments.loc[0, "geometry"] = shapely.box(west + 0.05, 15.0, west + 0.2, 15.1)  # 0.95° west of the box
    path = tmp_path / "departamentos.geojson"
    departments.to_file(path)
    assert validate_boundaries(path, "GTM", "department").ok


# --- Axis order declared by a .prj -----------------------------------------------------------------

@pytest.mark.parametrize(("label", "prj"), [
    # WKT1 with an explicit latitude-first AXIS: GDAL keeps the shapefile convention (x = longitude).
    ("wkt1_lat_lon_axis", 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],'
                          'PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433],AXIS["Latitude",NORTH],'
                          'AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]'),
    # WKT2 as QGIS and pyproj write it (axis order latitude, longitude): GDAL leaves it unread, pyproj reads it.
    ("wkt2", pyproj.CRS("EPSG:4326").to_wkt()),
])
def test_a_prj_declaring_latitude_first_reads_the_shapefile_as_longitude_latitude(tmp_path, label, prj):
    units = load_layer("PER", "municipality").iloc[:3][["code", "name", "geometry"]]
    units.to_file(tmp_path / "puno.shp", encoding="UTF-8")
    (tmp_path / "puno.prj").write_text(prj)
    frame = read_vector(tmp_path / "puno.shp")
    np.testing.assert_allclose(frame.total_bounds, units.total_bounds)
    assert frame.attrs[SOURCE_CRS_KEY] == "EPSG:4326"


def test_a_wkt2_prj_in_utm_is_reprojected(tmp_path):
    units = load_layer("GTM", "municipality").iloc[:3][["code", "name", "geometry"]]
    units.to_crs("EPSG:32615").to_file(tmp_path / "gtm.shp", encoding="UTF-8")
    (tmp_path / "gtm.prj").write_text(pyproj.CRS("EPSG:32615").to_wkt())
    frame = read_vector(tmp_path / "gtm.shp")
    np.testing.assert_allclose(frame.total_bounds, units.total_bounds, atol=1e-6)
    assert frame.attrs[SOURCE_CRS_KEY] == "EPSG:32615"


def test_a_prj_nobody_can_read_asks_for_the_epsg_field(tmp_path):
    load_layer("GTM", "municipality").iloc[:1][["code", "name", "geometry"]].to_file(tmp_path / "gtm.shp")
    (tmp_path / "gtm.prj").write_text("exportado desde un GPS")
    validation = validate_boundaries(tmp_path / "gtm.shp", "GTM", "municipality")
    assert validation.error.message("es") == (
        "gtm.shp: el .prj de gtm.shp no se puede leer como sistema de coordenadas. Escriba su código EPSG en el "
        "campo «Código EPSG de las coordenadas» o vuelva a exportar el shapefile.")
