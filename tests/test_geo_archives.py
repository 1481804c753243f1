"""Boundary layers zipped the ways people zip them: any folder, any format, and exact refusals otherwise.

Every file is written for real into tmp_path (geopandas / pyogrio) and zipped with zipfile.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from geopandas.testing import assert_geodataframe_equal

from geo.boundaries import load_layer, read_boundaries
from geo.errors import BoundaryError, UnreadableBoundaryError


@pytest.fixture(scope="module")
def huehuetenango() -> gpd.GeoDataFrame:
    """The department's municipalities as the shipped layer reads them (canonical columns)."""
    layer = load_layer("GTM", "municipality")
    return layer[layer["department_code"] == "13"].reset_index(drop=True)


@pytest.fixture(scope="module")
def written(tmp_path_factory, huehuetenango) -> dict[str, Path]:
    """The same units as GeoJSON, GeoPackage, KML and shapefile parts (with the department's name, adm1_name)."""
    folder = tmp_path_factory.mktemp("layers")
    units = huehuetenango[["code", "name", "department_name", "geometry"]].rename(
        columns={"department_name": "adm1_name"})
    units.to_file(folder / "municipios.geojson")
    units.to_file(folder / "municipios.gpkg", layer="municipios")
    pyogrio.write_dataframe(units, folder / "municipios.kml", driver="LIBKML")
    units.to_file(folder / "municipios.shp", encoding="UTF-8")
    return {path.name: path for path in folder.iterdir()}


def _zip(path: Path, entries: dict[str, Path | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content if isinstance(content, bytes) else content.read_bytes())
    return path


def _read(path: Path) -> gpd.GeoDataFrame:
    return read_boundaries(path, country="GTM", level="municipality")


def _shapefile(written: dict[str, Path], folder: str) -> dict[str, Path]:
    return {f"{folder}{name}": path for name, path in written.items() if name.startswith("municipios.")
            and Path(name).suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg")}


@pytest.mark.parametrize(("zip_name", "layout"), [
    ("geojson_nested.zip", {"Descargas/Limites/Guatemala/2024/municipios.geojson": "municipios.geojson"}),
    ("gpkg.zip", {"datos/municipios.gpkg": "municipios.gpkg"}),
    ("kml.zip", {"Google Earth/municipios.kml": "municipios.kml"}),
    ("municipios.kmz", {"doc.kml": "municipios.kml"}),
    ("with_metadata.zip", {"municipios.geojson": "municipios.geojson", "metadatos.json": b'{"fuente": "INE"}',
                           "__MACOSX/._municipios.geojson": b"\x00"}),
    ("json_only.zip", {"capas/municipios.json": "municipios.geojson"}),
])
def test_one_layer_in_a_zip_is_found_in_any_folder_and_format(tmp_path, written, huehuetenango, zip_name, layout):
    entries = {name: written[source] if isinstance(source, str) else source for name, source in layout.items()}
    frame = _read(_zip(tmp_path / zip_name, entries))
    assert_geodataframe_equal(frame, huehuetenango, check_less_precise=True, normalize=True)


def test_a_shapefile_in_nested_folders_is_read(tmp_path, written, huehuetenango):
    frame = _read(_zip(tmp_path / "limites.zip", _shapefile(written, "Limites/Guatemala/Huehuetenango/")))
    assert_geodataframe_equal(frame, huehuetenango, check_less_precise=True, normalize=True)


def test_a_kml_file_reads_its_placemark_names(written, huehuetenango):
    frame = _read(written["municipios.kml"])
    assert list(frame["name"]) == list(huehuetenango["name"])
    assert_geodataframe_equal(frame, huehuetenango, check_less_precise=True, normalize=True)


@pytest.mark.parametrize(("zip_name", "layout", "spanish", "english"), [
    ("dos_capas.zip", {"a/municipios.geojson": "municipios.geojson", "b/municipios.gpkg": "municipios.gpkg"},
     "dos_capas.zip: contiene varias capas (a/municipios.geojson, b/municipios.gpkg); deje una sola capa de "
     "límites por archivo.",
     "dos_capas.zip: holds several layers (a/municipios.geojson, b/municipios.gpkg); keep one boundary layer "
     "per file."),
    ("registro.zip", {"Registro/participantes.csv": b"codigo\n", "leeme.txt": b"hola\n"},
     "registro.zip: el .zip no contiene ninguna capa de límites (.shp, .geojson, .gpkg o .kml); contiene: "
     "Registro/participantes.csv, leeme.txt. Suba un .zip con los archivos .shp, .shx, .dbf y .prj de una capa, "
     "o el GeoJSON o GeoPackage sin comprimir.",
     "registro.zip: the .zip holds no boundary layer (.shp, .geojson, .gpkg or .kml); it holds: "
     "Registro/participantes.csv, leeme.txt. Upload a .zip with the .shp, .shx, .dbf and .prj files of one layer, "
     "or the GeoJSON or GeoPackage unzipped."),
    ("vacio.zip", {},
     "vacio.zip: el .zip está vacío; comprima en él los archivos de la capa de límites.",
     "vacio.zip: the .zip is empty; zip the boundary layer's files into it."),
    ("sin_shp.zip", {"capa/municipios.dbf": "municipios.dbf", "capa/municipios.shx": "municipios.shx",
                     "capa/municipios.prj": "municipios.prj"},
     "sin_shp.zip: el .zip contiene partes de un shapefile (capa/municipios.dbf, capa/municipios.shx) pero no su "
     "archivo municipios.shp; comprima juntos los archivos .shp, .shx, .dbf y .prj del mismo nombre.",
     "sin_shp.zip: the .zip holds parts of a shapefile (capa/municipios.dbf, capa/municipios.shx) but not its "
     "municipios.shp file; zip the .shp, .shx, .dbf and .prj files of the same name together."),
])
def test_a_zip_without_exactly_one_layer_says_what_it_holds(tmp_path, written, zip_name, layout, spanish, english):
    entries = {name: written[source] if isinstance(source, str) else source for name, source in layout.items()}
    with pytest.raises(UnreadableBoundaryError) as caught:
        _read(_zip(tmp_path / zip_name, entries))
    assert (caught.value.message("es"), caught.value.message("en")) == (spanish, english)


def test_a_geopackage_with_two_layers_inside_a_zip_is_refused_by_layer_name(tmp_path, huehuetenango):
    gpkg = tmp_path / "limites.gpkg"
    huehuetenango[["code", "name", "geometry"]].to_file(gpkg, layer="municipios")
    huehuetenango[["code", "name", "geometry"]].to_file(gpkg, layer="municipios_2018")
    with pytest.raises(BoundaryError) as caught:
        _read(_zip(tmp_path / "limites.zip", {"limites.gpkg": gpkg}))
    assert caught.value.message("en") == (
        "limites.zip: holds several layers (municipios, municipios_2018); keep one boundary layer per file.")
