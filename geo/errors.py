"""Typed errors raised while reading boundary files, each with a Spanish and English message naming the file.

The UI renders them with `error.message(lang)`; `str(error)` is the English message, for logs.
"""

from __future__ import annotations

from pathlib import Path

import i18n
from data_loaders.errors import format_megabytes

LANGUAGES = ("es", "en")
LIST_LIMIT = 10
# The Data page's input for the EPSG code of a file without CRS, named by its label in messages.
FIELD_LABEL_KEY = "data.boundary.epsg"

# Message templates by message code; {file} is the file name, the other fields come from params.
MESSAGES: dict[str, dict[str, str]] = {
    # {field} is the Data page's label of the EPSG input, in the message's language (FIELD_LABEL_KEY).
    "missing_crs_shapefile": {
        "es": "{file}: el archivo no declara su sistema de coordenadas (falta el .prj). Escriba su código EPSG "
              "en el campo «{field}» (por ejemplo 32615 para UTM zona 15 N, 4326 para longitud y latitud WGS 84) "
              "o vuelva a exportarlo con su .prj.",
        "en": "{file}: the file does not declare its coordinate reference system (the .prj is missing). Type its "
              "EPSG code in the field “{field}” (for example 32615 for UTM zone 15N, 4326 for WGS 84 longitude "
              "and latitude) or export it again with its .prj.",
    },
    "missing_crs": {
        "es": "{file}: el archivo no declara su sistema de coordenadas. Escriba su código EPSG en el campo "
              "«{field}» (por ejemplo 32615 para UTM zona 15 N) o vuelva a exportarlo con su sistema de coordenadas.",
        "en": "{file}: the file does not declare its coordinate reference system. Type its EPSG code in the field "
              "“{field}” (for example 32615 for UTM zone 15N) or export it again with its coordinate reference "
              "system.",
    },
    "unknown_crs": {
        "es": "{file}: «{crs}» no es un sistema de coordenadas reconocido. Escriba en el campo «{field}» un "
              "código EPSG válido, por ejemplo 32615 (UTM zona 15 N) o 32719 (UTM zona 19 S).",
        "en": "{file}: “{crs}” is not a recognised coordinate reference system. Type a valid EPSG code in the "
              "field “{field}”, for example 32615 (UTM zone 15N) or 32719 (UTM zone 19S).",
    },
    "not_a_map_crs": {
        "es": "{file}: «{crs}» no es un sistema de coordenadas de posiciones en un mapa (es de alturas u otro "
              "tipo). Escriba en el campo «{field}» un código EPSG geográfico o proyectado, por ejemplo 32615 "
              "(UTM zona 15 N) o 4326 (longitud y latitud WGS 84).",
        "en": "{file}: “{crs}” is not a coordinate reference system of positions on a map (it is of heights or "
              "another kind). Type a geographic or projected EPSG code in the field “{field}”, for example 32615 "
              "(UTM zone 15N) or 4326 (WGS 84 longitude and latitude).",
    },
    "unreadable_prj": {
        "es": "{file}: el .prj de {layer} no se puede leer como sistema de coordenadas. Escriba su código EPSG "
              "en el campo «{field}» o vuelva a exportar el shapefile.",
        "en": "{file}: the .prj of {layer} cannot be read as a coordinate reference system. Type its EPSG code "
              "in the field “{field}” or export the shapefile again.",
    },
    "coordinates_out_of_range": {
        "es": "{file}: leídas en {source_crs}, las coordenadas no son longitudes y latitudes válidas "
              "en {target_crs} (extensión {bounds}). Compruebe el sistema de coordenadas del archivo; "
              "si está en metros suele ser UTM (por ejemplo EPSG:32615 o EPSG:32719).",
        "en": "{file}: read as {source_crs}, the coordinates are not valid longitudes and latitudes "
              "in {target_crs} (extent {bounds}). Check the file's coordinate reference system; "
              "if it is in metres it is usually UTM (for example EPSG:32615 or EPSG:32719).",
    },
    "not_found": {
        "es": "{file}: el archivo no existe.",
        "en": "{file}: the file does not exist.",
    },
    "unsupported_format": {
        "es": "{file}: formato no admitido. Use GeoJSON, GeoPackage (.gpkg), shapefile (.shp), KML "
              "o un .zip que contenga uno de ellos.",
        "en": "{file}: unsupported format. Use GeoJSON, GeoPackage (.gpkg), shapefile (.shp), KML "
              "or a .zip holding one of them.",
    },
    "unreadable": {
        "es": "{file}: no se pudo leer como archivo de límites. Compruebe que no esté dañado "
              "y que sea GeoJSON, GeoPackage o shapefile.",
        "en": "{file}: could not be read as a boundary file. Check that it is not damaged "
              "and that it is GeoJSON, GeoPackage or a shapefile.",
    },
    "broken_archive": {
        "es": "{file}: el archivo .zip está dañado o no es un .zip.",
        "en": "{file}: the .zip file is damaged or is not a .zip.",
    },
    "empty_archive": {
        "es": "{file}: el .zip está vacío; comprima en él los archivos de la capa de límites.",
        "en": "{file}: the .zip is empty; zip the boundary layer's files into it.",
    },
    "no_layer_in_archive": {
        "es": "{file}: el .zip no contiene ninguna capa de límites (.shp, .geojson, .gpkg o .kml); contiene: "
              "{entries}. Suba un .zip con los archivos .shp, .shx, .dbf y .prj de una capa, o el GeoJSON o "
              "GeoPackage sin comprimir.",
        "en": "{file}: the .zip holds no boundary layer (.shp, .geojson, .gpkg or .kml); it holds: {entries}. "
              "Upload a .zip with the .shp, .shx, .dbf and .prj files of one layer, or the GeoJSON or GeoPackage "
              "unzipped.",
    },
    "several_layers": {
        "es": "{file}: contiene varias capas ({layers}); deje una sola capa de límites por archivo.",
        "en": "{file}: holds several layers ({layers}); keep one boundary layer per file.",
    },
    "no_polygons": {
        "es": "{file}: no contiene polígonos; un archivo de límites debe tener áreas (Polygon o MultiPolygon).",
        "en": "{file}: holds no polygons; a boundary file must hold areas (Polygon or MultiPolygon).",
    },
    "missing_column": {
        "es": "{file}: falta la columna «{column}». Columnas disponibles: {available}.",
        "en": "{file}: the column “{column}” is missing. Available columns: {available}.",
    },
    "duplicate_codes": {
        "es": "{file}: códigos repetidos: {codes}. Cada unidad territorial debe aparecer una sola vez.",
        "en": "{file}: repeated codes: {codes}. Each territorial unit must appear once.",
    },
    "invalid_codes": {
        "es": "{file}: códigos no válidos (se esperan hasta {width} dígitos): {codes}.",
        "en": "{file}: invalid codes ({width} digits at most expected): {codes}.",
    },
    "unsafe_archive": {
        "es": "{file}: el .zip contiene rutas no seguras ({entries}) y no se abrirá. "
              "Vuelva a comprimir solo los archivos del shapefile, sin rutas absolutas ni «..».",
        "en": "{file}: the .zip holds unsafe paths ({entries}) and will not be opened. "
              "Zip only the shapefile's files again, without absolute paths or “..”.",
    },
    "archive_too_large": {
        "es": "{file}: el .zip ocupa {size_mb} MB descomprimido, más del máximo de {limit_mb} MB, "
              "y no se abrirá.",
        "en": "{file}: the .zip takes {size_mb} MB unzipped, more than the maximum of {limit_mb} MB, "
              "and will not be opened.",
    },
    "archive_ratio": {
        "es": "{file}: «{entry}» se expande {ratio} veces al descomprimirse ({size_mb} MB); un shapefile "
              "real no se comprime tanto, así que el .zip no se abrirá.",
        "en": "{file}: “{entry}” expands {ratio} times when unzipped ({size_mb} MB); a real shapefile "
              "does not compress that much, so the .zip will not be opened.",
    },
    "nested_archive": {
        "es": "{file}: el .zip contiene otro archivo comprimido ({archives}) y ninguna capa de límites; "
              "descomprímalo y suba el .zip que contiene los archivos .shp, .shx, .dbf y .prj.",
        "en": "{file}: the .zip holds another compressed file ({archives}) and no boundary layer; "
              "unzip it and upload the .zip holding the .shp, .shx, .dbf and .prj files.",
    },
    "missing_shapefile_parts": {
        "es": "{file}: faltan archivos del shapefile {layer}: {parts}; comprima juntos los archivos .shp, "
              ".shx, .dbf y .prj del mismo nombre.",
        "en": "{file}: files of the shapefile {layer} are missing: {parts}; zip the .shp, .shx, .dbf and "
              ".prj files of the same name together.",
    },
    "missing_shp": {
        "es": "{file}: el .zip contiene partes de un shapefile ({parts}) pero no su archivo {layer}; comprima "
              "juntos los archivos .shp, .shx, .dbf y .prj del mismo nombre.",
        "en": "{file}: the .zip holds parts of a shapefile ({parts}) but not its {layer} file; zip the .shp, .shx, "
              ".dbf and .prj files of the same name together.",
    },
    "shapefile_parts_elsewhere": {
        "es": "{file}: las partes del shapefile {layer} están en carpetas distintas ({elsewhere}); "
              "ponga los archivos .shp, .shx, .dbf y .prj en la misma carpeta.",
        "en": "{file}: the parts of the shapefile {layer} are in different folders ({elsewhere}); "
              "put the .shp, .shx, .dbf and .prj files in the same folder.",
    },
    "file_too_large": {
        "es": "{file}: el archivo ocupa {size_mb} MB, más del máximo de {limit_mb} MB que se admite.",
        "en": "{file}: the file takes {size_mb} MB, more than the maximum of {limit_mb} MB accepted.",
    },
    "no_known_codes": {
        "es": "{file}: ninguno de sus {count} códigos ({codes}) es un {level} conocido de {country}; "
              "compruebe que el archivo sea del país y del nivel elegidos.",
        "en": "{file}: none of its {count} codes ({codes}) is a known {country} {level}; "
              "check that the file is of the chosen country and level.",
    },
    # Layers in EPSG:4326 whose coordinates do not lie in the chosen country (geo.extents).
    "axes_swapped": {
        "es": "{file}: las coordenadas parecen tener la longitud y la latitud intercambiadas: el archivo va de "
              "{bounds}, pero {country} está en {extent} (x = longitud, y = latitud), donde encaja al intercambiar "
              "x e y. Intercambie las columnas X e Y, o al exportar elija el orden de ejes longitud, latitud "
              "(x = longitud), y vuelva a subir el archivo.",
        "en": "{file}: the coordinates seem to have longitude and latitude exchanged: the file spans {bounds}, "
              "but {country} lies at {extent} (x = longitude, y = latitude), where it fits once x and y are "
              "swapped. Swap the X and Y columns, or set the axis order to longitude, latitude (x = longitude) "
              "when exporting, and upload the file again.",
    },
    "axes_swapped_out_of_range": {
        "es": "{file}: las coordenadas parecen tener la longitud y la latitud intercambiadas ({bounds}): y pasa "
              "de ±90°, lo que ninguna latitud hace, y x cabe como latitud. Intercambie las columnas X e Y, o al "
              "exportar elija el orden de ejes longitud, latitud (x = longitud), y vuelva a subir el archivo.",
        "en": "{file}: the coordinates seem to have longitude and latitude exchanged ({bounds}): y goes beyond "
              "±90°, which no latitude does, and x fits as a latitude. Swap the X and Y columns, or set the axis "
              "order to longitude, latitude (x = longitude) when exporting, and upload the file again.",
    },
    "layer_in_other_country": {
        "es": "{file}: las unidades están en {other} ({bounds}), no en {country}. Elija {other} como país "
              "o compruebe que el archivo sea el correcto.",
        "en": "{file}: the units lie in {other} ({bounds}), not in {country}. Choose {other} as the country, "
              "or check that the file is the right one.",
    },
    "layer_outside_country": {
        "es": "{file}: ninguna unidad está en {country} ({extent}); el archivo va de {bounds}. Si sus coordenadas "
              "están en metros u otro sistema, el archivo declara un sistema de coordenadas equivocado: vuelva a "
              "exportarlo con el correcto (por ejemplo EPSG:32615 o EPSG:32719); si no, compruebe que el archivo "
              "sea del país elegido.",
        "en": "{file}: no unit lies in {country} ({extent}); the file spans {bounds}. If its coordinates are in "
              "metres or another system, the file declares the wrong coordinate reference system: export it "
              "again with the right one (for example EPSG:32615 or EPSG:32719); otherwise check that the file "
              "is of the chosen country.",
    },
    "units_outside_country": {
        "es": "{file}: {count} unidades quedan fuera de {country} ({extent}): {codes}. Corrija sus coordenadas "
              "(¿longitud y latitud intercambiadas, o un signo menos perdido?) y vuelva a subir el archivo.",
        "en": "{file}: {count} units lie outside {country} ({extent}): {codes}. Correct their coordinates "
              "(longitude and latitude exchanged, or a lost minus sign?) and upload the file again.",
    },
}

# Words put into messages per language (params named "level" and "country").
LEVEL_NAMES = {"es": {"department": "departamento", "municipality": "municipio"},
               "en": {"department": "department", "municipality": "municipality"}}
COUNTRY_NAMES = {"es": {"GTM": "Guatemala", "BOL": "Bolivia", "PER": "Perú", "COL": "Colombia"},
                 "en": {"GTM": "Guatemala", "BOL": "Bolivia", "PER": "Peru", "COL": "Colombia"}}

# What `geo.boundaries.read_boundaries` fixed or dropped (its REPORT_KEY), one sentence per kind.
REPORT_MESSAGES: dict[str, dict[str, str]] = {
    "repaired": {
        "es": "{file}: geometrías no válidas reparadas (unidades {codes}).",
        "en": "{file}: invalid geometries repaired (units {codes}).",
    },
    "dropped_empty": {
        "es": "{file}: unidades sin polígono (vacías o no válidas sin reparación posible), "
              "no se cargarán: {codes}.",
        "en": "{file}: units without a polygon (empty, or invalid beyond repair), not loaded: {codes}.",
    },
    "dropped_without_code": {
        "es": "{file}: elementos sin código, no se cargarán: {codes}.",
        "en": "{file}: features without a code, not loaded: {codes}.",
    },
}


def report_messages(file: str | Path, report: dict, lang: str = "es") -> list[str]:
    """Sentences for the repairs and drops `read_boundaries` recorded (empty when nothing happened)."""
    lang = lang if lang in LANGUAGES else "es"
    return [REPORT_MESSAGES[kind][lang].format(file=Path(file).name, codes=listing(report[kind]))
            for kind in REPORT_MESSAGES if report.get(kind)]


def listing(items: list[object], limit: int = LIST_LIMIT) -> str:
    """Comma-separated items, the first `limit` only, then '… (+n)'."""
    shown = ", ".join(str(item) for item in items[:limit])
    return shown if len(items) <= limit else f"{shown}, … (+{len(items) - limit})"


class BoundaryError(Exception):
    """A boundary file that cannot be used; `message(lang)` explains why to the user."""

    message_code = "unreadable"

    def __init__(self, file: str | Path, message_code: str | None = None, **params: object) -> None:
        self.file = Path(file).name
        self.message_code = message_code or type(self).message_code
        if self.message_code not in MESSAGES:
            raise KeyError(f"No message template {self.message_code!r}")
        self.params = params
        super().__init__(self.message("en"))

    def __reduce__(self):
        # Rebuild from file, code and params (the default would call __init__ with the message).
        return _rebuild, (type(self), self.file, self.message_code, self.params)

    def message(self, lang: str = "es") -> str:
        """The message in `lang` ('es' or 'en'; anything else falls back to Spanish)."""
        lang = lang if lang in LANGUAGES else "es"
        params = dict(self.params)
        if "{field}" in MESSAGES[self.message_code][lang]:
            params["field"] = i18n.translate(FIELD_LABEL_KEY, lang)
        if "level" in params:
            params["level"] = LEVEL_NAMES[lang].get(params["level"], params["level"])
        for key in ("country", "other"):
            if key in params:
                params[key] = COUNTRY_NAMES[lang].get(params[key], params[key])
        if isinstance(params.get("limit_mb"), float):
            params["limit_mb"] = format_megabytes(self.params["limit_mb"], lang)
            if isinstance(params.get("size_mb"), float):
                params["size_mb"] = format_megabytes(self.params["size_mb"], lang, self.params["limit_mb"])
        elif isinstance(params.get("size_mb"), float):
            params["size_mb"] = format_megabytes(self.params["size_mb"], lang, 0.1)
        return MESSAGES[self.message_code][lang].format(file=self.file, **params)


def _rebuild(cls: type[BoundaryError], file: str, message_code: str, params: dict) -> BoundaryError:
    return cls(file, message_code, **params)


class MissingCrsError(BoundaryError):
    """The file declares no coordinate reference system and none was given."""

    message_code = "missing_crs"


class CrsError(BoundaryError):
    """The declared or given CRS is unknown, or does not fit the coordinates."""

    message_code = "unknown_crs"


class UnreadableBoundaryError(BoundaryError):
    """Missing, damaged, unsupported or non-polygonal file."""

    message_code = "unreadable"


class MissingColumnError(BoundaryError):
    """A required attribute column is absent."""

    message_code = "missing_column"


class MissingCodeColumnError(MissingColumnError):
    """The column holding the territorial codes is absent."""


class DuplicateCodeError(BoundaryError):
    """Several features carry the same territorial code."""

    message_code = "duplicate_codes"


class InvalidBoundaryCodeError(BoundaryError):
    """Codes that cannot be official territorial codes (letters, too many digits)."""

    message_code = "invalid_codes"


class UnknownBoundaryCodesError(BoundaryError):
    """No code of the file is a known unit of the chosen country and level."""

    message_code = "no_known_codes"


class ExtentError(BoundaryError):
    """Valid longitudes and latitudes that do not lie in the chosen country (axes swapped, another place)."""

    message_code = "axes_swapped"


class FileTooLargeError(BoundaryError):
    """The file is larger than the upload limit (setting max_upload_mb)."""

    message_code = "file_too_large"


class UnsafeArchiveError(BoundaryError):
    """A zip whose entries escape their folder (absolute paths, '..') or expand too much."""

    message_code = "unsafe_archive"
