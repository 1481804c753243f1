"""The corpus of malformed inputs (tests/data/bad/, made by tests/data/make_bad_inputs.py).

Every file is attempted against a store built from the sample data, the way the Data page
does it: tabular files through `store.imports.import_file` (preceded by the identity check of
`data_loaders.identity`, see `_attempt_import`), boundary files through the boundary reader,
the known-codes check and `geo.join.join_by_code` against the codes the store's data uses.
Each attempt must fail with the exact message (file, row, column and value in it), and the
store must be exactly as before: row counts and an ordered checksum of every table, including
the import log.

Semantics of ids that already exist in the store (`ids_collide_with_store.csv`): an import
upserts by key, so a record whose ordinary attributes changed updates the stored one (never a
duplicate); a repeated key WITHIN a file is a duplicate error (`duplicate_ids.csv`); a key
that exists in the store with other IDENTITY data (participants: sex, age at enrolment,
enrolment date) is refused, each changed cell named, because overwriting would silently merge
two people who were given the same code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from data_loaders import validation
from data_loaders.canonical import read_dataset
from data_loaders.errors import (LoaderError, MissingColumnsError, UnansweredQuestionsError, UnreadableFileError,
                                 ValidationError)
from data_loaders.identity import IdentityConflictError, check_identity, identity_conflicts
from data_loaders.limits import UploadTooLargeError, check_upload_size
from geo.boundaries import REPORT_KEY, check_known_codes, read_boundaries
from geo.errors import (BoundaryError, CrsError, ExtentError, FileTooLargeError, InvalidBoundaryCodeError,
                        MissingCrsError, UnknownBoundaryCodesError, UnreadableBoundaryError, UnsafeArchiveError,
                        report_messages)
from geo.extents import check_extent
from geo.join import join_by_code
from store.database import build_store
from store.imports import import_file, read_upload

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "tests" / "data" / "bad"
SAMPLE = ROOT / "sample_data"
TODAY = dt.date(2026, 1, 15)  # the import day of these tests (future dates are judged against it)
BOUNDARY = "boundaries GTM municipality"
PUNO_BOUNDARY = "boundaries PER municipality"


@dataclass(frozen=True)
class Case:
    file: str
    kind: str  # a dataset name, or "boundaries <country> <level>" (BOUNDARY, PUNO_BOUNDARY)
    error: type[Exception]
    es: tuple[str, ...]  # every message, in order, in Spanish
    where: tuple | None = None  # (row, column, value) of the first problem, where the file has one
    en: tuple[str, ...] | None = None  # the same in English, for some
    settings: tuple[tuple[str, str], ...] = ()


P = "participants"
CASES: tuple[Case, ...] = (
    # --- Reading the file ---------------------------------------------------------------------
    Case("empty.csv", P, UnreadableFileError, ("empty.csv: el archivo está vacío.",),
         en=("empty.csv: the file is empty.",)),
    Case("blank_lines_only.csv", P, UnreadableFileError, ("blank_lines_only.csv: el archivo está vacío.",)),
    Case("header_only.csv", P, UnreadableFileError,
         ("header_only.csv: tiene encabezados pero ninguna fila de datos.",),
         en=("header_only.csv: has column headers but no data rows.",)),
    Case("binary_named.csv", P, UnreadableFileError,
         ("binary_named.csv: el byte 0 (línea 1, valor 0x00) no es texto UTF-8, Latin-1 ni Windows-1252; "
          "¿es realmente un archivo CSV?",),
         en=("binary_named.csv: byte 0 (line 1, value 0x00) is not UTF-8, Latin-1 or Windows-1252 text; "
             "is this really a CSV file?",)),
    Case("zip_named.csv", P, UnreadableFileError,
         ("zip_named.csv: es un archivo comprimido (.zip), no una tabla; descomprímalo y cargue el archivo "
          "CSV o Excel que contiene.",)),
    Case("html_page_named.csv", P, UnreadableFileError,
         ("html_page_named.csv: es una página web (HTML) o un documento XML, no una tabla CSV; ¿se guardó "
          "una página de error o de inicio de sesión? Descargue de nuevo la exportación.",),
         en=("html_page_named.csv: is a web page (HTML) or an XML document, not a CSV table; was an error or "
             "sign-in page saved? Download the export again.",)),
    Case("legacy_named.xls", P, UnreadableFileError,  # an .xls header and nothing else: a damaged .xls
         ("legacy_named.xls: no es un libro de Excel (.xls) válido o está dañado; ábralo en Excel y guárdelo "
          "de nuevo.",),
         en=("legacy_named.xls: is not a valid Excel workbook (.xls) or is damaged; open it in Excel and save "
             "it again.",)),
    Case("pdf_named.xlsx", P, UnreadableFileError,
         ("pdf_named.xlsx: no es un libro de Excel (.xlsx) válido o está dañado; ábralo en Excel y guárdelo "
          "de nuevo.",)),
    Case("wrong_separator_pipe.csv", P, UnreadableFileError,
         ("wrong_separator_pipe.csv, fila 1: las columnas están separadas por «|»; guarde el archivo "
          "separado por comas (,), punto y coma (;) o tabuladores.",), where=(1, None, None),
         en=('wrong_separator_pipe.csv, row 1: the columns are separated by "|"; save the file separated by '
             "commas (,), semicolons (;) or tabs.",)),
    Case("mixed_encodings.csv", P, UnreadableFileError,
         ("mixed_encodings.csv: mezcla codificaciones: el byte 300 (línea 3, valor 0xF1) no es UTF-8 aunque "
          "el resto del archivo sí lo es; guárdelo de nuevo como «CSV UTF-8».",)),
    Case("bom_utf8_then_latin1.csv", P, UnreadableFileError,
         ("bom_utf8_then_latin1.csv: mezcla codificaciones: el byte 140 (línea 2, valor 0xD1) no es UTF-8 "
          "aunque el resto del archivo sí lo es; guárdelo de nuevo como «CSV UTF-8».",),
         en=("bom_utf8_then_latin1.csv: mixes encodings: byte 140 (line 2, value 0xD1) is not UTF-8 although "
             'the rest of the file is; save it again as "CSV UTF-8".',)),
    Case("utf16.csv", P, UnreadableFileError,
         ("utf16.csv: el archivo está codificado en UTF-16; guárdelo como «CSV UTF-8» y vuelva a cargarlo.",)),
    Case("too_many_cells.csv", "network_institutions", UnreadableFileError,
         ("too_many_cells.csv, fila 3: la fila tiene 9 celdas pero el encabezado solo 8; ¿hay un separador "
          "de más o un texto sin comillas?",), where=(3, None, None)),
    Case("unclosed_quote.csv", "network_institutions", UnreadableFileError,
         ("unclosed_quote.csv: no se pudo leer como tabla CSV (cerca de la línea 3); revise que las comillas "
          "de las celdas estén cerradas.",)),
    Case("duplicate_header.csv", P, UnreadableFileError,
         ("duplicate_header.csv, fila 1, columna «age»: el encabezado aparece dos veces (columnas número 7 "
          "y 12).",), where=(1, "age", None)),
    Case("too_large.csv", P, UploadTooLargeError,
         ("too_large.csv: el archivo ocupa 0,06 MB, más del máximo de 0,05 MB que se admite; divídalo en "
          "archivos más pequeños.",),
         en=("too_large.csv: the file takes 0.06 MB, more than the maximum of 0.05 MB accepted; split it into "
             "smaller files.",),
         settings=(("CONEXION_MAX_UPLOAD_MB", "0.05"),)),
    # --- Workbooks ----------------------------------------------------------------------------
    Case("several_data_sheets.xlsx", P, UnreadableFileError,
         ("several_data_sheets.xlsx: varias hojas tienen las columnas de «participants» («Registro» y "
          "«Registro 2023»); deje los datos en una sola hoja o elija la hoja al cargar.",),
         en=('several_data_sheets.xlsx: several sheets have the columns of "participants" ("Registro" and '
             '"Registro 2023"); keep the data in one sheet or choose the sheet when loading.',)),
    Case("sheets_without_data.xlsx", P, MissingColumnsError,  # every sheet looked at, and what each lacks
         ("sheets_without_data.xlsx: ninguna hoja del libro tiene las columnas obligatorias de «participants»; "
          "se revisaron las hojas «Instrucciones» y «Resumen» (lo que falta en cada una se indica abajo). Deje "
          "los datos en una hoja con todas las columnas.",
          *(f"sheets_without_data.xlsx, hoja «{sheet}»: esta hoja no tiene las columnas obligatorias "
            "«participant_id (Código participante)», «programme (Programa)», «country (País)», «department_code "
            "(Código departamento)», «municipality_code (Código municipio)», «sex (Sexo)», «age (Edad)», "
            "«ethnicity (Pueblo)», «migration_profile (Perfil migratorio)» y «enrolment_date (Fecha de "
            "inscripción)»." for sheet in ("Instrucciones", "Resumen")))),
    Case("merged_header_cells.xlsx", P, UnreadableFileError,
         ("merged_header_cells.xlsx, hoja «Registro», fila 1: el encabezado tiene celdas combinadas («A1:B1», "
          "«C1:E1» y «F1:I1»); deje una sola fila de encabezado, con un nombre en cada columna y sin combinar "
          "celdas.",), where=(1, None, None),
         en=('merged_header_cells.xlsx, sheet "Registro", row 1: the header has merged cells ("A1:B1", "C1:E1" '
             'and "F1:I1"); keep a single header row, with one name in each column and no merged cells.',)),
    Case("formulas_without_values.xlsx", P, UnreadableFileError,
         ("formulas_without_values.xlsx, hoja «Registro», fila 2, columna «age»: la celda tiene la fórmula "
          "«=20+4» sin resultado guardado; abra el libro en Excel, guárdelo y vuelva a cargarlo (o pegue solo "
          "los valores).",
          "formulas_without_values.xlsx, hoja «Registro», fila 3, columna «age»: la celda tiene la fórmula "
          "«=B2*2» sin resultado guardado; abra el libro en Excel, guárdelo y vuelva a cargarlo (o pegue solo "
          "los valores)."), where=(2, "age", "=20+4")),
    Case("workbook_bomb.xlsx", P, UnreadableFileError,
         ("workbook_bomb.xlsx: el libro ocupa 6 MB descomprimido, más del máximo de 5 MB, y no se abrirá.",),
         en=("workbook_bomb.xlsx: the workbook takes 6 MB unzipped, more than the maximum of 5 MB, and will not "
             "be opened.",),
         settings=(("CONEXION_MAX_UNZIPPED_MB", "5"),)),
    # --- Columns ------------------------------------------------------------------------------
    Case("missing_columns.csv", P, MissingColumnsError,
         ("missing_columns.csv: faltan columnas obligatorias: «sex (Sexo)» y «age (Edad)».",),
         en=('missing_columns.csv: required columns are missing: "sex (Sexo)" and "age (Edad)".',)),
    Case("same_column_twice.csv", P, ValidationError,
         ("same_column_twice.csv, fila 1: las columnas «Edad» y «age» contienen el mismo dato (age); deje "
          "solo una.",), where=(1, None, None)),
    # --- Dates --------------------------------------------------------------------------------
    Case("future_enrolment_date.csv", P, ValidationError,
         ("future_enrolment_date.csv, fila 3, columna «enrolment_date»: «2028-02-14» es posterior a hoy "
          "(2026-01-15); solo se registran hechos que ya ocurrieron.",), where=(3, "enrolment_date", "2028-02-14"),
         en=('future_enrolment_date.csv, row 3, column "enrolment_date": "2028-02-14" is after today '
             "(2026-01-15); only events that have already happened are recorded.",)),
    Case("future_session_date.csv", "awareness_sessions", ValidationError,
         ("future_session_date.csv, fila 2, columna «date»: «2029-10-01» es posterior a hoy (2026-01-15); "
          "solo se registran hechos que ya ocurrieron.",), where=(2, "date", "2029-10-01")),
    Case("date_before_1900.csv", P, ValidationError,
         ("date_before_1900.csv, fila 2, columna «enrolment_date»: «1899-12-31» está fuera del periodo "
          "admitido (2015-01-01 a 2030-12-31).",), where=(2, "enrolment_date", "1899-12-31")),
    Case("date_far_future.csv", P, ValidationError,
         ("date_far_future.csv, fila 3, columna «enrolment_date»: «2204-03-01» está fuera del periodo "
          "admitido (2015-01-01 a 2030-12-31).",), where=(3, "enrolment_date", "2204-03-01")),
    Case("impossible_calendar_date.csv", P, ValidationError,
         ("impossible_calendar_date.csv, fila 2, columna «enrolment_date»: «30/02/2024» no es una fecha que "
          "exista en el calendario.",), where=(2, "enrolment_date", "30/02/2024")),
    Case("not_a_date.csv", P, ValidationError,
         ("not_a_date.csv, fila 2, columna «enrolment_date»: «marzo 2024» no es una fecha; use aaaa-mm-dd "
          "o dd/mm/aaaa.",), where=(2, "enrolment_date", "marzo 2024")),
    Case("end_before_start.csv", "participations", ValidationError,
         ("end_before_start.csv, fila 2, columna «end_date»: la fecha de fin «2024-03-01» es anterior a la "
          "fecha de inicio «2024-05-10» (columna «start_date»).",), where=(2, "end_date", "2024-03-01")),
    # --- Numbers, categories, yes/no -------------------------------------------------------------
    Case("negative_counts.csv", "awareness_sessions", ValidationError,
         ("negative_counts.csv, fila 2, columna «female_0_17»: «-3» está fuera del rango permitido "
          "(0 a 10000).",), where=(2, "female_0_17", "-3"),
         en=('negative_counts.csv, row 2, column "female_0_17": "-3" is outside the allowed range '
             "(0 to 10000).",)),
    Case("non_numeric_counts.csv", "awareness_sessions", ValidationError,
         ("non_numeric_counts.csv, fila 2, columna «female_0_17»: «doce» no es un número entero.",
          "non_numeric_counts.csv, fila 3, columna «female_0_17»: «4.5» tiene decimales, pero esta columna "
          "admite solo números enteros; escriba un número entero."),
         where=(2, "female_0_17", "doce")),
    Case("ages_out_of_range.csv", P, ValidationError,
         ("ages_out_of_range.csv, fila 2, columna «age»: «130» está fuera del rango permitido (0 a 110).",
          "ages_out_of_range.csv, fila 3, columna «age»: «-2» está fuera del rango permitido (0 a 110).",
          "ages_out_of_range.csv, fila 4, columna «age»: «veinte» no es un número entero."),
         where=(2, "age", "130")),
    Case("scores_out_of_range.csv", "reintegration_surveys", ValidationError,
         ("scores_out_of_range.csv, fila 2, columna «economic»: «1.5» está fuera del rango permitido (0 a 1).",
          "scores_out_of_range.csv, fila 2, columna «psychosocial»: «setenta» no es un número."),
         where=(2, "economic", "1.5")),
    Case("coordinates_swapped.csv", "network_institutions", ValidationError,
         ("coordinates_swapped.csv, fila 2, columna «lat»: «-91.46» está fuera del rango permitido (-90 a 90).",
          "coordinates_swapped.csv, fila 2, columna «lon»: «195.35» está fuera del rango permitido "
          "(-180 a 180)."), where=(2, "lat", "-91.46")),
    Case("unknown_categories.csv", P, ValidationError,
         ("unknown_categories.csv, fila 2, columna «sex»: «X» no es un valor admitido; valores admitidos: "
          "«female», «male» y «other».",), where=(2, "sex", "X"),
         en=('unknown_categories.csv, row 2, column "sex": "X" is not an accepted value; accepted values: '
             '"female", "male" and "other".',)),
    Case("not_yes_no.csv", "participations", ValidationError,
         ("not_yes_no.csv, fila 2, columna «completed»: «quizás» no es sí/no (use sí, no, 1, 0, true o "
          "false).",),
         where=(2, "completed", "quizás")),
    Case("empty_required_cells.csv", P, ValidationError,
         ("empty_required_cells.csv, fila 2, columna «participant_id»: falta el valor (la celda está vacía).",
          "empty_required_cells.csv, fila 2, columna «sex»: falta el valor (la celda está vacía)."),
         where=(2, "participant_id", None)),
    # --- Places -------------------------------------------------------------------------------
    Case("unknown_municipality_codes.csv", P, ValidationError,
         ("unknown_municipality_codes.csv, fila 2, columna «municipality_code»: el código de municipio «1399» "
          "no existe en Guatemala.",
          "unknown_municipality_codes.csv, fila 3, columna «municipality_code»: «12011» no es un código de "
          "municipio válido de Guatemala: debe tener 4 dígitos."), where=(2, "municipality_code", "1399")),
    Case("unknown_municipality_names.csv", P, ValidationError,
         ("unknown_municipality_names.csv, fila 2, columna «Municipio»: no se encontró el municipio "
          "«Chiantlaa» en Guatemala; ¿quiso decir Chiantla (Huehuetenango, 1302)?",
          "unknown_municipality_names.csv, fila 3, columna «Municipio»: no se encontró el municipio "
          "«Springfield» en Guatemala."), where=(2, "Municipio", "Chiantlaa"),
         en=('unknown_municipality_names.csv, row 2, column "Municipio": no municipality "Chiantlaa" was found '
             "in Guatemala; did you mean Chiantla (Huehuetenango, 1302)?",
             'unknown_municipality_names.csv, row 3, column "Municipio": no municipality "Springfield" was '
             "found in Guatemala.")),
    Case("department_mismatch.csv", P, ValidationError,
         ("department_mismatch.csv, fila 2, columna «department_code»: el municipio Huehuetenango "
          "(Huehuetenango, 1301) pertenece al departamento Huehuetenango (13), no a «12».",),
         where=(2, "department_code", "12")),
    # --- Keys ---------------------------------------------------------------------------------
    Case("duplicate_ids.csv", P, ValidationError,
         ("duplicate_ids.csv, fila 4: repite la clave de la fila 2 («participant_id = BAD-001»); cada registro "
          "debe aparecer una sola vez.",), where=(4, None, None),
         en=('duplicate_ids.csv, row 4: repeats the key of row 2 ("participant_id = BAD-001"); each record '
             "must appear only once.",)),
    Case("ids_collide_with_store.csv", P, IdentityConflictError,
         ("ids_collide_with_store.csv, fila 2, columna «sex»: «male» no coincide con el registro ya guardado "
          "de participant_id = P5C756DAB («female»); los datos de identidad de un registro guardado no se "
          "cambian con una carga: si es otro registro, use otro código.",
          "ids_collide_with_store.csv, fila 3, columna «age»: «52» no coincide con el registro ya guardado "
          "de participant_id = P28885F17 («29»); los datos de identidad de un registro guardado no se "
          "cambian con una carga: si es otro registro, use otro código."), where=(2, "sex", "male"),
         en=('ids_collide_with_store.csv, row 2, column "sex": "male" does not match the stored record of '
             'participant_id = P5C756DAB ("female"); the identity data of a stored record are not changed by '
             "an upload: if it is another record, use another code.",
             'ids_collide_with_store.csv, row 3, column "age": "52" does not match the stored record of '
             'participant_id = P28885F17 ("29"); the identity data of a stored record are not changed by '
             "an upload: if it is another record, use another code.")),
    # --- Cells as field teams write them (issue 13): refused or asked; see LOADED for those that load
    Case("counts_decimals_and_thousands.csv", "awareness_sessions", ValidationError,
         ("counts_decimals_and_thousands.csv, fila 2, columna «female_0_17»: «8,5» tiene decimales, pero esta "
          "columna admite solo números enteros; escriba un número entero.",
          "counts_decimals_and_thousands.csv, fila 3, columna «female_0_17»: «1.234» puede llevar separador de "
          "miles (1234) o decimales, y esta columna admite solo números enteros: escríbalo sin separador de miles "
          "ni decimales, por ejemplo 1234."), where=(2, "female_0_17", "8,5"),
         en=('counts_decimals_and_thousands.csv, row 2, column "female_0_17": "8,5" has decimals, but this column '
             "takes whole numbers only; write a whole number.",
             'counts_decimals_and_thousands.csv, row 3, column "female_0_17": "1.234" may hold a thousands '
             "separator (1234) or decimals, and this column takes whole numbers only: write it without a "
             "thousands separator or decimals, e.g. 1234.")),
    Case("dates_month_first_undecidable.csv", P, UnansweredQuestionsError,
         ("dates_month_first_undecidable.csv, columna «enrolment_date»: no se puede saber si las fechas están "
          "escritas como día/mes/año o como mes/día/año, porque en ninguna el día o el mes pasa de 12: "
          "«03/05/2024» puede ser 2024-05-03 o 2024-03-05 (filas 2 y 3); indique el orden de esta columna al "
          "validar, o escriba las fechas como aaaa-mm-dd.",), where=(None, "enrolment_date", None),
         en=('dates_month_first_undecidable.csv, column "enrolment_date": cannot tell whether the dates are '
             "written as day/month/year or as month/day/year, since no day or month in them is over 12: "
             '"03/05/2024" may be 2024-05-03 or 2024-03-05 (rows 2 and 3); give the order of this column when '
             "validating, or write the dates as yyyy-mm-dd.",)),
    Case("dates_mixed_orders.csv", P, ValidationError,
         ("dates_mixed_orders.csv, fila 4, columna «enrolment_date»: «03/27/2024» solo puede ser mes/día/año, "
          "pero las fechas de esta columna están escritas como día/mes/año (por ejemplo «25/03/2024»); escriba "
          "todas las fechas de la columna en el mismo orden, mejor como aaaa-mm-dd.",),
         where=(4, "enrolment_date", "03/27/2024"),
         en=('dates_mixed_orders.csv, row 4, column "enrolment_date": "03/27/2024" can only be month/day/year, '
             'but the dates of this column are written as day/month/year (e.g. "25/03/2024"); write every date '
             "of the column in the same order, preferably as yyyy-mm-dd.",)),
    # --- Boundary files -----------------------------------------------------------------------
    Case("missing_shx_shp.zip", BOUNDARY, UnreadableBoundaryError,
         ("missing_shx_shp.zip: faltan archivos del shapefile municipios.shp: municipios.shx; comprima juntos "
          "los archivos .shp, .shx, .dbf y .prj del mismo nombre.",),
         en=("missing_shx_shp.zip: files of the shapefile municipios.shp are missing: municipios.shx; zip the "
             ".shp, .shx, .dbf and .prj files of the same name together.",)),
    Case("missing_dbf_shp.zip", BOUNDARY, UnreadableBoundaryError,
         ("missing_dbf_shp.zip: faltan archivos del shapefile municipios.shp: municipios.dbf; comprima juntos "
          "los archivos .shp, .shx, .dbf y .prj del mismo nombre.",)),
    Case("missing_shx_and_dbf_shp.zip", BOUNDARY, UnreadableBoundaryError,
         ("missing_shx_and_dbf_shp.zip: faltan archivos del shapefile municipios.shp: municipios.shx, "
          "municipios.dbf; comprima juntos los archivos .shp, .shx, .dbf y .prj del mismo nombre.",)),
    Case("utm_missing_prj_shp.zip", BOUNDARY, MissingCrsError,
         ("utm_missing_prj_shp.zip: el archivo no declara su sistema de coordenadas (falta el .prj). Escriba su "
          "código EPSG en el campo «Código EPSG de las coordenadas» (por ejemplo 32615 para UTM zona 15 N, 4326 "
          "para longitud y latitud WGS 84) o vuelva a exportarlo con su .prj.",),
         en=("utm_missing_prj_shp.zip: the file does not declare its coordinate reference system (the .prj is "
             "missing). Type its EPSG code in the field “EPSG code of the coordinates” (for example 32615 for UTM "
             "zone 15N, 4326 for WGS 84 longitude and latitude) or export it again with its .prj.",)),
    Case("parts_in_different_folders_shp.zip", BOUNDARY, UnreadableBoundaryError,
         ("parts_in_different_folders_shp.zip: las partes del shapefile municipios.shp están en carpetas "
          "distintas (limites/municipios.shp, limites/atributos/municipios.dbf, "
          "limites/atributos/municipios.shx); ponga los archivos .shp, .shx, .dbf y .prj en la misma carpeta.",),
         en=("parts_in_different_folders_shp.zip: the parts of the shapefile municipios.shp are in different "
             "folders (limites/municipios.shp, limites/atributos/municipios.dbf, limites/atributos/municipios.shx); "
             "put the .shp, .shx, .dbf and .prj files in the same folder.",)),
    Case("zip_inside_zip.zip", BOUNDARY, UnreadableBoundaryError,
         ("zip_inside_zip.zip: el .zip contiene otro archivo comprimido (limites_huehuetenango.zip) y ninguna "
          "capa de límites; descomprímalo y suba el .zip que contiene los archivos .shp, .shx, .dbf y .prj.",)),
    Case("zip_slip_shp.zip", BOUNDARY, UnsafeArchiveError,
         ("zip_slip_shp.zip: el .zip contiene rutas no seguras (../../../home/conexion/.bashrc) y no se abrirá. "
          "Vuelva a comprimir solo los archivos del shapefile, sin rutas absolutas ni «..».",),
         en=("zip_slip_shp.zip: the .zip holds unsafe paths (../../../home/conexion/.bashrc) and will not be "
             "opened. Zip only the shapefile's files again, without absolute paths or “..”.",)),
    Case("absolute_path_shp.zip", BOUNDARY, UnsafeArchiveError,
         ("absolute_path_shp.zip: el .zip contiene rutas no seguras (/tmp/municipios.cpg, /tmp/municipios.dbf, "
          "/tmp/municipios.prj, /tmp/municipios.shp, /tmp/municipios.shx) y no se abrirá. Vuelva a comprimir "
          "solo los archivos del shapefile, sin rutas absolutas ni «..».",)),
    Case("zip_bomb_shp.zip", BOUNDARY, UnsafeArchiveError,
         ("zip_bomb_shp.zip: el .zip ocupa 260 MB descomprimido, más del máximo de 200 MB, y no se abrirá.",),
         en=("zip_bomb_shp.zip: the .zip takes 260 MB unzipped, more than the maximum of 200 MB, and will not "
             "be opened.",)),
    Case("zip_ratio_bomb_shp.zip", BOUNDARY, UnsafeArchiveError,
         ("zip_ratio_bomb_shp.zip: «municipios_relleno.dbf» se expande 1029 veces al descomprimirse (60 MB); "
          "un shapefile real no se comprime tanto, así que el .zip no se abrirá.",),
         en=("zip_ratio_bomb_shp.zip: “municipios_relleno.dbf” expands 1029 times when unzipped (60 MB); a real "
             "shapefile does not compress that much, so the .zip will not be opened.",)),
    Case("empty_geometries.geojson", BOUNDARY, UnreadableBoundaryError,
         ("empty_geometries.geojson: no contiene polígonos; un archivo de límites debe tener áreas (Polygon o "
          "MultiPolygon).",)),
    Case("utm_without_crs.geojson", BOUNDARY, CrsError,
         ("utm_without_crs.geojson: leídas en EPSG:4326, las coordenadas no son longitudes y latitudes válidas "
          "en EPSG:4326 (extensión x 647158 … 689587, y 1.67455e+06 … 1.73069e+06). Compruebe el sistema de "
          "coordenadas del archivo; si está en metros suele ser UTM (por ejemplo EPSG:32615 o EPSG:32719).",)),
    Case("codes_match_nothing.geojson", BOUNDARY, UnknownBoundaryCodesError,
         ("codes_match_nothing.geojson: ninguno de sus 3 códigos (2301, 2302, 2303) es un municipio conocido "
          "de Guatemala; compruebe que el archivo sea del país y del nivel elegidos.",),
         en=("codes_match_nothing.geojson: none of its 3 codes (2301, 2302, 2303) is a known Guatemala "
             "municipality; check that the file is of the chosen country and level.",)),
    Case("wrong_country_codes.geojson", BOUNDARY, InvalidBoundaryCodeError,
         ("wrong_country_codes.geojson: códigos no válidos (se esperan hasta 4 dígitos): 020804, 020801.",)),
    # Boundary files that looked right (issue 13)
    Case("swapped_axes_puno.geojson", PUNO_BOUNDARY, ExtentError,
         ("swapped_axes_puno.geojson: las coordenadas parecen tener la longitud y la latitud intercambiadas: el "
          "archivo va de x -16.76 … -16.17, y -69.68 … -69.00, pero Perú está en x -81.40 … -68.60, y -18.40 … 0.00 "
          "(x = longitud, y = latitud), donde encaja al intercambiar x e y. Intercambie las columnas X e Y, o al "
          "exportar elija el orden de ejes longitud, latitud (x = longitud), y vuelva a subir el archivo.",),
         en=("swapped_axes_puno.geojson: the coordinates seem to have longitude and latitude exchanged: the file "
             "spans x -16.76 … -16.17, y -69.68 … -69.00, but Peru lies at x -81.40 … -68.60, y -18.40 … 0.00 "
             "(x = longitude, y = latitude), where it fits once x and y are swapped. Swap the X and Y columns, or "
             "set the axis order to longitude, latitude (x = longitude) when exporting, and upload the file "
             "again.",)),
    Case("swapped_axes_huehuetenango_shp.zip", BOUNDARY, ExtentError,
         ("swapped_axes_huehuetenango_shp.zip: las coordenadas parecen tener la longitud y la latitud "
          "intercambiadas (x 15.14 … 15.65, y -91.63 … -91.23): y pasa de ±90°, lo que ninguna latitud hace, y x "
          "cabe como latitud. Intercambie las columnas X e Y, o al exportar elija el orden de ejes longitud, "
          "latitud (x = longitud), y vuelva a subir el archivo.",)),
    Case("no_layer_in_zip.zip", BOUNDARY, UnreadableBoundaryError,
         ("no_layer_in_zip.zip: el .zip no contiene ninguna capa de límites (.shp, .geojson, .gpkg o .kml); "
          "contiene: Registro/participantes.csv, leeme.txt. Suba un .zip con los archivos .shp, .shx, .dbf y .prj "
          "de una capa, o el GeoJSON o GeoPackage sin comprimir.",),
         en=("no_layer_in_zip.zip: the .zip holds no boundary layer (.shp, .geojson, .gpkg or .kml); it holds: "
             "Registro/participantes.csv, leeme.txt. Upload a .zip with the .shp, .shx, .dbf and .prj files of one "
             "layer, or the GeoJSON or GeoPackage unzipped.",)),
    Case("shapefile_without_shp.zip", BOUNDARY, UnreadableBoundaryError,
         ("shapefile_without_shp.zip: el .zip contiene partes de un shapefile (municipios.dbf, municipios.shx) "
          "pero no su archivo municipios.shp; comprima juntos los archivos .shp, .shx, .dbf y .prj del mismo "
          "nombre.",)),
    Case("unreadable_prj_shp.zip", BOUNDARY, CrsError,
         ("unreadable_prj_shp.zip: el .prj de municipios.shp no se puede leer como sistema de coordenadas. "
          "Escriba su código EPSG en el campo «Código EPSG de las coordenadas» o vuelva a exportar el "
          "shapefile.",)),
    Case("two_layers.zip", BOUNDARY, UnreadableBoundaryError,
         ("two_layers.zip: contiene varias capas (municipios.shp, municipios.geojson); deje una sola capa de "
          "límites por archivo.",)),
    # --- Other kinds of file, and a Kobo workbook without a data sheet (issue 13) ----------------
    Case("report_named.pdf", P, UnreadableFileError,
         ("report_named.pdf: no es un tipo de archivo que se pueda cargar; se admiten estos tipos: «CSV», "
          "«Excel (.xlsx, .xls)» y «OpenDocument (.ods)».",),
         en=('report_named.pdf: is not a kind of file that can be loaded; these kinds are accepted: "CSV", '
             '"Excel (.xlsx, .xls)" and "OpenDocument (.ods)".',)),
    Case("word_document.docx", P, UnreadableFileError,  # a zip, but no "unzip it" advice
         ("word_document.docx: no es un tipo de archivo que se pueda cargar; se admiten estos tipos: «CSV», "
          "«Excel (.xlsx, .xls)» y «OpenDocument (.ods)».",)),
    Case("damaged.ods", P, UnreadableFileError,
         ("damaged.ods: no es una hoja de cálculo OpenDocument (.ods) válida o está dañada; ábrala en LibreOffice "
          "y guárdela de nuevo.",)),
    Case("kobo_no_data_sheet.xlsx", P, MissingColumnsError,
         ("kobo_no_data_sheet.xlsx: ninguna hoja del libro tiene las columnas obligatorias de «participants»; se "
          "revisaron las hojas «settings» y «Registro MISKA» (lo que falta en cada una se indica abajo). Deje los "
          "datos en una hoja con todas las columnas.",
          "kobo_no_data_sheet.xlsx, hoja «settings»: esta hoja no tiene las columnas obligatorias "
          "«participant_id (Código participante)», «programme (Programa)», «country (País)», «department_code "
          "(Código departamento)», «municipality_code (Código municipio)», «sex (Sexo)», «age (Edad)», "
          "«ethnicity (Pueblo)», «migration_profile (Perfil migratorio)» y «enrolment_date (Fecha de "
          "inscripción)».",
          "kobo_no_data_sheet.xlsx, hoja «Registro MISKA»: esta hoja no tiene las columnas obligatorias "
          "«datos_personales/sexo» y «datos_personales/edad».")),
)

# Bad inputs that are accepted with every repair or drop said plainly (not errors).
HANDLED = ("invalid_geometries.geojson", "nested_folders_shp.zip", "geojson_in_nested_folders.zip")
# Formula-like texts (OWASP CSV injection): loaded or refused, then checked in every export file that
# can carry them, in tests/test_formula_exports.py.
HANDLED += ("formula_institution_names.csv", "formula_organisation_names.csv", "formula_policy_names.csv",
            "formula_refused_value.csv")


@dataclass(frozen=True)
class Loaded:
    """A variant as field teams write it that loads: the values read and the corrections reported."""

    file: str
    kind: str
    column: str
    values: tuple
    fixes: tuple[str, ...]  # message codes of the corrections, in order


LOADED: tuple[Loaded, ...] = (
    Loaded("excel_serial_date.csv", P, "enrolment_date", ("2024-03-05", "2024-04-11"), ("excel_serial_read",)),
    Loaded("dates_as_serial_numbers.xlsx", P, "enrolment_date", ("2024-03-05", "2024-04-11"),
           ("excel_serial_read",)),
    Loaded("counts_decimal_comma.csv", "awareness_sessions", "female_0_17", (8, 8), ()),
    Loaded("dates_month_first_proven.csv", P, "enrolment_date", ("2024-03-05", "2024-04-13"),
           ("date_month_first",)),
    Loaded("ids_invisible_differences.csv", P, "participant_id", ("P5C756DAB", "P28885F17"),
           ("trimmed_spaces", "identifier_cleaned", "identifier_upper_case")),
)


# --- The store and its snapshot ------------------------------------------------------------------

@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("bad-inputs") / "conexion.duckdb"
    build_store(path, SAMPLE, lambda file, dataset: read_dataset(file, dataset).frame)
    return path


@pytest.fixture
def con(store):
    connection = duckdb.connect(str(store))
    yield connection
    connection.close()


def snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, str]]:
    """Row count and a checksum of the ordered rows of every table (import_log included)."""
    tables = [row[0] for row in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1").fetchall()]
    state = {}
    for table in tables:
        rows = con.execute(f'SELECT * FROM "{table}"').fetchall()
        text = "\n".join(sorted(repr(row) for row in rows))
        state[table] = (len(rows), hashlib.sha256(text.encode("utf-8")).hexdigest())
    return state


def _attempt_import(con: duckdb.DuckDBPyConnection, path: Path, dataset: str) -> None:
    """What the Data page does with a tabular upload: identity check against the store, then import_file."""
    result = read_upload(path, dataset)  # raises first for every unreadable / invalid file (Kobo exports too)
    check_identity(result, con.execute(f'SELECT * FROM "{dataset}"').df(), dataset)
    import_file(con, path, dataset, "test")


def _attempt_boundaries(con: duckdb.DuckDBPyConnection, path: Path, country: str = "GTM",
                        level: str = "municipality") -> None:
    """Read the boundary file, check its codes are known and where it lies, join the data's codes to its units."""
    units = read_boundaries(path, country=country, level=level)
    check_known_codes(units, path, country, level)
    check_extent(units, path, country)
    values = con.execute("SELECT country, municipality_code AS code, count(*) AS people FROM participants "
                         "WHERE country = ? GROUP BY ALL", [country]).df()
    join_by_code(units[["country", "code", "name"]], values)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(validation, "today", lambda: TODAY)


def _attempt(case: Case, con, monkeypatch) -> Exception:
    for name, value in case.settings:
        monkeypatch.setenv(name, value)
    path = BAD / case.file
    with pytest.raises((LoaderError, BoundaryError)) as caught:
        if case.kind.startswith("boundaries "):
            _attempt_boundaries(con, path, *case.kind.split()[1:])
        else:
            _attempt_import(con, path, case.kind)
    return caught.value


def _messages(error: Exception, lang: str) -> tuple[str, ...]:
    if isinstance(error, LoaderError):
        return tuple(error.messages(lang))
    return (error.message(lang),)


# --- The corpus ------------------------------------------------------------------------------

def test_the_corpus_has_at_least_40_bad_inputs_and_every_file_is_listed():
    files = {path.name for path in BAD.iterdir()}
    listed = {case.file for case in CASES}
    assert len(CASES) >= 40 and len(listed) == len(CASES)
    assert files == listed | set(HANDLED) | {loaded.file for loaded in LOADED}
    assert sum(path.stat().st_size for path in BAD.iterdir()) < 1024 * 1024


@pytest.mark.parametrize("case", CASES, ids=[case.file for case in CASES])
def test_bad_input_is_refused_with_its_message_and_the_store_is_unchanged(case, con, monkeypatch):
    before = snapshot(con)
    error = _attempt(case, con, monkeypatch)
    assert type(error) is case.error
    assert _messages(error, "es") == case.es
    if case.en is not None:
        assert _messages(error, "en") == case.en
    if case.where is not None:
        first = error.problems[0]
        assert (first.row, first.column, first.value) == case.where
    assert snapshot(con) == before


def test_every_message_exists_in_both_languages(con, monkeypatch):
    for case in CASES:
        error = _attempt(case, con, monkeypatch)
        spanish, english = _messages(error, "es"), _messages(error, "en")
        assert len(spanish) == len(english) and spanish != english, case.file
        assert all(message.startswith(case.file) for message in spanish + english), case.file


# --- Limits at their configured defaults ----------------------------------------------------------

def test_a_file_above_the_default_upload_limit_is_refused_unread(tmp_path):
    path = tmp_path / "participants_2024.csv"
    with open(path, "wb") as handle:  # sparse: 26.3 MB on paper, nothing on disk
        handle.truncate(26 * 1024 * 1024 + 300 * 1024)
    with pytest.raises(UploadTooLargeError) as caught:
        read_dataset(path, "participants")
    assert caught.value.messages("es") == [
        "participants_2024.csv: el archivo ocupa 26,3 MB, más del máximo de 25 MB que se admite; divídalo en "
        "archivos más pequeños."]
    check_upload_size(BAD / "too_large.csv")  # 60 KB is fine at the default 25 MB


def test_a_boundary_file_above_the_upload_limit_is_refused_unread(tmp_path, monkeypatch):
    monkeypatch.setenv("CONEXION_MAX_UPLOAD_MB", "1")
    path = tmp_path / "municipios.geojson"
    with open(path, "wb") as handle:
        handle.truncate(3 * 1024 * 1024 // 2)
    with pytest.raises(FileTooLargeError) as caught:
        read_boundaries(path, country="GTM", level="municipality")
    assert caught.value.message("en") == (
        "municipios.geojson: the file takes 1.5 MB, more than the maximum of 1 MB accepted.")


def test_the_unzipped_limit_follows_its_setting(monkeypatch):
    monkeypatch.setenv("CONEXION_MAX_UNZIPPED_MB", "0.001")  # 1 KB; the shapefile's parts take 1.8 KB
    with pytest.raises(UnsafeArchiveError) as caught:
        read_boundaries(BAD / "nested_folders_shp.zip", country="GTM", level="municipality")
    assert caught.value.message("es") == (
        "nested_folders_shp.zip: el .zip ocupa 0,002 MB descomprimido, más del máximo de 0,001 MB, y no se abrirá.")


def test_an_entry_lying_about_its_size_is_refused(tmp_path):
    """A zip whose headers declare less than an entry really holds fails the CRC check before GDAL reads it."""
    data = bytearray((BAD / "nested_folders_shp.zip").read_bytes())
    with zipfile.ZipFile(BAD / "nested_folders_shp.zip") as archive:
        info = next(i for i in archive.infolist() if i.filename.endswith(".dbf"))
    declared = (10).to_bytes(4, "little")
    data[info.header_offset + 22:info.header_offset + 26] = declared  # local header: uncompressed size
    record = data.find(b"PK\x01\x02")
    while data[record + 46:record + 46 + len(info.filename)] != info.filename.encode():
        record = data.find(b"PK\x01\x02", record + 4)
    data[record + 24:record + 28] = declared  # central directory: uncompressed size
    path = tmp_path / "lying_shp.zip"
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo(info.filename).file_size == 10
    with pytest.raises(UnreadableBoundaryError) as caught:
        read_boundaries(path, country="GTM", level="municipality")
    assert caught.value.message("es") == "lying_shp.zip: el archivo .zip está dañado o no es un .zip."


# --- Accepted with a plain report ----------------------------------------------------------------

def test_invalid_geometries_are_repaired_or_dropped_and_said_so(con):
    before = snapshot(con)
    units = read_boundaries(BAD / "invalid_geometries.geojson", country="GTM", level="municipality")
    assert list(units["code"]) == ["1302"]
    report = units.attrs[REPORT_KEY]
    assert report == {"repaired": [], "dropped_without_code": [], "dropped_empty": ["1301"]}
    assert report_messages("invalid_geometries.geojson", report, "es") == [
        "invalid_geometries.geojson: unidades sin polígono (vacías o no válidas sin reparación posible), "
        "no se cargarán: 1301."]
    assert report_messages("invalid_geometries.geojson", report, "en") == [
        "invalid_geometries.geojson: units without a polygon (empty, or invalid beyond repair), not loaded: 1301."]
    assert snapshot(con) == before


def test_a_shapefile_in_nested_folders_is_read():
    units = read_boundaries(BAD / "nested_folders_shp.zip", country="GTM", level="municipality")
    assert list(units["code"]) == ["1301", "1302", "1303"]
    assert check_known_codes(units, "nested_folders_shp.zip", "GTM", "municipality") == []


def test_a_geojson_in_nested_zip_folders_is_read(con):
    """Not 'holds no shapefile': the one layer of the zip is found in its folder, whatever its format."""
    _attempt_boundaries(con, BAD / "geojson_in_nested_folders.zip")
    units = read_boundaries(BAD / "geojson_in_nested_folders.zip", country="GTM", level="municipality")
    assert list(units["code"]) == ["1301", "1302", "1303"]
    assert units.attrs[REPORT_KEY] == {"repaired": [], "dropped_without_code": [], "dropped_empty": []}


def test_codes_matching_nothing_leave_every_unit_and_every_data_code_unmatched(con):
    units = read_boundaries(BAD / "codes_match_nothing.geojson", country="GTM", level="municipality")
    values = con.execute("SELECT country, municipality_code AS code, count(*) AS people FROM participants "
                         "WHERE country = 'GTM' GROUP BY ALL").df()
    joined = join_by_code(units[["country", "code", "name"]], values)
    assert joined.units_without_values == ["GTM-2301", "GTM-2302", "GTM-2303"]
    assert len(joined.unmatched_value_codes) == len(values) > 0


def test_workbook_with_instructions_first_reads_the_data_sheet(tmp_path):
    """Several sheets, one of them with the data: read from it, and said so."""
    import openpyxl

    book = openpyxl.load_workbook(BAD / "several_data_sheets.xlsx")
    del book["Registro 2023"]
    book.save(tmp_path / "registro.xlsx")
    result = read_dataset(tmp_path / "registro.xlsx", "participants")
    assert list(result.frame["participant_id"]) == ["BAD-001", "BAD-002"]
    assert result.rows == [2, 3] and result.sheet == "Registro"
    assert [p.message("es") for p in result.fixes] == [
        "registro.xlsx, hoja «Registro»: datos leídos de la hoja «Registro»; las demás hojas («Instrucciones») "
        "no tienen las columnas de «participants»."]


@pytest.mark.parametrize("loaded", LOADED, ids=[loaded.file for loaded in LOADED])
def test_field_variant_loads_with_its_values_and_corrections(loaded):
    result = read_dataset(BAD / loaded.file, loaded.kind)
    values = [v.date().isoformat() if hasattr(v, "date") else v for v in result.frame[loaded.column]]
    assert tuple(values) == loaded.values
    assert tuple(p.code for p in result.fixes) == loaded.fixes
    assert all(p.severity == "fixed" for p in result.fixes)


def test_ids_with_invisible_differences_are_the_stored_people_not_new_ones(store, tmp_path):
    copy = _store_copy(store, tmp_path)
    try:
        count = copy.execute("SELECT count(*) FROM participants").fetchone()[0]
        _attempt_import(copy, BAD / "ids_invisible_differences.csv", "participants")
        assert copy.execute("SELECT count(*) FROM participants").fetchone()[0] == count
        assert copy.execute("SELECT rows_new, rows_updated, rows_unchanged FROM import_log "
                            "ORDER BY import_id DESC LIMIT 1").fetchone() == (0, 0, 2)
    finally:
        copy.close()


# --- Ids already in the store ----------------------------------------------------------------------

def _store_copy(store: Path, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(store, copy)
    return duckdb.connect(str(copy))


def test_changed_ordinary_attributes_update_without_duplicating(store, tmp_path):
    """The other half of the key semantics: same id and identity, another municipality → one update."""
    path = tmp_path / "moved.csv"
    path.write_text(
        "participant_id,programme,country,department_code,municipality_code,sex,age,ethnicity,migration_profile,"
        "enrolment_date,institution_id\n"
        "P5C756DAB,miska_reintegration,GTM,12,1202,female,24,mam,returnee,2022-10-03,\n", encoding="utf-8")
    copy = _store_copy(store, tmp_path)
    try:
        count = copy.execute("SELECT count(*) FROM participants").fetchone()[0]
        _attempt_import(copy, path, "participants")  # no identity conflict: imported
        assert copy.execute("SELECT count(*) FROM participants").fetchone()[0] == count
        assert copy.execute("SELECT municipality_code FROM participants WHERE participant_id = 'P5C756DAB'"
                            ).fetchone()[0] == "1202"
        assert copy.execute("SELECT rows_new, rows_updated FROM import_log ORDER BY import_id DESC LIMIT 1"
                            ).fetchone() == (0, 1)
    finally:
        copy.close()


def test_import_file_itself_refuses_identity_conflicts(store, tmp_path):
    copy = _store_copy(store, tmp_path)
    try:
        with pytest.raises(IdentityConflictError):
            import_file(copy, BAD / "ids_collide_with_store.csv", "participants", "test")
    finally:
        copy.close()
