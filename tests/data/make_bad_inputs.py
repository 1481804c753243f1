"""Writes the corpus of malformed inputs in tests/data/bad/ (see tests/test_bad_inputs.py).

Run from the project root: `.venv/bin/python tests/data/make_bad_inputs.py`. The output is
byte-for-byte reproducible (fixed zip timestamps and workbook properties), so re-running it
leaves `git status` clean. Every file is small; the zip bombs are highly compressible zeros.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import re
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import openpyxl
import shapely

HERE = Path(__file__).resolve().parent
BAD = HERE / "bad"
GEO = HERE.parents[1] / "sample_data" / "geo"
SAMPLE = HERE.parents[1] / "sample_data"
FIXED_TIME = (2024, 1, 1, 0, 0, 0)
FIXED_DATETIME = dt.datetime(2024, 1, 1)
HUEHUETENANGO = ["1301", "1302", "1303"]
MB = 1024 * 1024

P_HEADER = ("participant_id,programme,country,department_code,municipality_code,sex,age,ethnicity,"
            "migration_profile,enrolment_date,institution_id")
P_ROWS = [
    "BAD-001,miska_reintegration,GTM,13,1301,female,24,mam,returnee,2024-03-05,",
    "BAD-002,miska_reintegration,GTM,12,1201,male,31,mam,host_community,2024-04-11,",
    "BAD-003,prevention_network,BOL,02,020804,female,19,aymara,at_risk,2024-05-20,",
]
S_HEADER = ("session_id,date,country,municipality_code,institution_id,topic,audience,female_0_17,"
            "female_18_29,female_30_plus,male_0_17,male_18_29,male_30_plus,facilitating_agents")
S_ROW = "BADS-01,2024-03-05,GTM,1301,INS-GTM-01,safe_migration,students,{},4,2,9,3,1,2"


def csv_text(header: str, *rows: str) -> str:
    return "\n".join([header, *rows]) + "\n"


def participants(*rows: str) -> str:
    return csv_text(P_HEADER, *rows)


def replace(row: str, column: str, value: str, header: str = P_HEADER) -> str:
    cells = row.split(",")
    cells[header.split(",").index(column)] = value
    return ",".join(cells)


# --- Tabular files -----------------------------------------------------------------------------

def text_files() -> dict[str, bytes]:
    p1, p2, p3 = P_ROWS
    utf8 = {
        "empty.csv": "",
        "blank_lines_only.csv": "\n  \n\t\n",
        "header_only.csv": P_HEADER + "\n",
        "wrong_separator_pipe.csv": participants(*P_ROWS).replace(",", "|"),
        "html_page_named.csv": "<!DOCTYPE html>\n<html><head><title>Sesión expirada</title></head>\n"
                               "<body><p>Inicie sesión de nuevo.</p></body></html>\n",
        "missing_columns.csv": csv_text("participant_id,programme,country,municipality_code,ethnicity,"
                                        "migration_profile,enrolment_date",
                                        "BAD-001,miska_reintegration,GTM,1301,mam,returnee,2024-03-05"),
        "duplicate_header.csv": csv_text(P_HEADER + ",age", p1 + ",25"),
        "same_column_twice.csv": csv_text(P_HEADER.replace("age", "Edad") + ",age", p1 + ",24"),
        "too_many_cells.csv": csv_text(
            "institution_id,name,type,country,municipality_code,lat,lon,joined_date",
            "INS-BAD-1,Municipalidad de Chiantla,local_authority,GTM,1302,15.35,-91.46,2023-02-01",
            "INS-BAD-2,Escuela Oficial Rural Mixta, Aldea El Pino,school,GTM,1301,15.3,-91.5,2023-02-01"),
        "unclosed_quote.csv": csv_text(
            "institution_id,name,type,country,municipality_code,lat,lon,joined_date",
            'INS-BAD-1,"Municipalidad de Chiantla,local_authority,GTM,1302,15.35,-91.46,2023-02-01',
            "INS-BAD-2,Escuela Oficial,school,GTM,1301,15.3,-91.5,2023-02-01"),
        "future_enrolment_date.csv": participants(p1, replace(p2, "enrolment_date", "2028-02-14")),
        "future_session_date.csv": csv_text(S_HEADER, S_ROW.format(5).replace("2024-03-05", "2029-10-01")),
        "date_before_1900.csv": participants(replace(p1, "enrolment_date", "1899-12-31"), p2),
        "date_far_future.csv": participants(p1, replace(p2, "enrolment_date", "2204-03-01")),
        "impossible_calendar_date.csv": participants(replace(p1, "enrolment_date", "30/02/2024"), p2),
        "not_a_date.csv": participants(replace(p1, "enrolment_date", "marzo 2024"), p2),
        "excel_serial_date.csv": participants(replace(p1, "enrolment_date", "45356"), p2),
        "negative_counts.csv": csv_text(S_HEADER, S_ROW.format(-3)),
        "non_numeric_counts.csv": csv_text(S_HEADER, S_ROW.format("doce"),
                                           S_ROW.format("4.5").replace("BADS-01", "BADS-02")),
        "ages_out_of_range.csv": participants(replace(p1, "age", "130"), replace(p2, "age", "-2"),
                                              replace(p3, "age", "veinte")),
        "unknown_categories.csv": participants(replace(p1, "sex", "X"),
                                               replace(p2, "programme", "miska")),
        "unknown_municipality_codes.csv": participants(
            replace(replace(p1, "municipality_code", "1399"), "department_code", ""),
            replace(p2, "municipality_code", "12011")),
        "unknown_municipality_names.csv": csv_text(
            "Código participante,Programa,País,Departamento,Municipio,Sexo,Edad,Pueblo,Perfil migratorio,"
            "Fecha de inscripción",
            "BAD-001,miska_reintegration,GTM,Huehuetenango,Chiantlaa,female,24,mam,returnee,2024-03-05",
            "BAD-002,miska_reintegration,GTM,Huehuetenango,Springfield,male,31,mam,returnee,2024-04-11"),
        "department_mismatch.csv": participants(replace(p1, "department_code", "12")),
        "duplicate_ids.csv": participants(p1, p2, replace(p1, "age", "25")),
        "end_before_start.csv": csv_text("participant_id,component,start_date,end_date,hours,completed",
                                         "P5C756DAB,technical_training,2024-05-10,2024-03-01,10,true"),
        "scores_out_of_range.csv": csv_text("participant_id,round,date,economic,social,psychosocial",
                                            "P5C756DAB,follow_up,2024-05-18,1.5,0.7,setenta"),
        "not_yes_no.csv": csv_text("participant_id,component,start_date,end_date,hours,completed",
                                   "P5C756DAB,technical_training,2024-05-10,2024-06-01,10,quizás"),
        "coordinates_swapped.csv": csv_text(
            "institution_id,name,type,country,municipality_code,lat,lon,joined_date",
            "INS-BAD-1,Municipalidad de Chiantla,local_authority,GTM,1302,-91.46,195.35,2023-02-01"),
        "empty_required_cells.csv": participants(replace(replace(p1, "sex", ""), "participant_id", "")),
        "ids_collide_with_store.csv": participants(
            "P5C756DAB,miska_reintegration,GTM,12,1201,male,24,mam,returnee,2022-10-03,",
            "P28885F17,miska_reintegration,GTM,13,1317,male,52,qanjobal,host_community,2022-10-11,"),
    }
    files = {name: text.encode("utf-8") for name, text in utf8.items()}
    latin1_in_utf8 = participants(p1, "BAD-002,miska_reintegration,GTM,,,male,31,mam,returnee,2024-04-11,")
    latin1_in_utf8 = latin1_in_utf8.replace(P_HEADER, P_HEADER + ",nota") \
        .replace("2024-03-05,\n", "2024-03-05,,atención médica\n") \
        .replace("2024-04-11,\n", "2024-04-11,,Peña\n")
    data = latin1_in_utf8.encode("utf-8")
    files["mixed_encodings.csv"] = data.replace("Peña".encode("utf-8"), "Peña".encode("latin-1"))
    files["bom_utf8_then_latin1.csv"] = codecs.BOM_UTF8 + participants(
        p1.replace("BAD-001", "BAD-ÑU01")).encode("latin-1")
    files["utf16.csv"] = codecs.BOM_UTF16_LE + participants(p1).encode("utf-16-le")
    files["binary_named.csv"] = bytes(range(256)) * 4
    files["legacy_named.xls"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    files["pdf_named.xlsx"] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
    files["zip_named.csv"] = zip_bytes({"fotos/registro.txt": b"Archivos adjuntos de KoboToolbox"})
    files["too_large.csv"] = participants(*[replace(p1, "participant_id", f"BIG-{i:05d}")
                                            for i in range(1, 801)]).encode("utf-8")
    return files


# --- Workbooks ---------------------------------------------------------------------------------

def workbook_bytes(workbook: openpyxl.Workbook) -> bytes:
    workbook.properties.created = FIXED_DATETIME
    workbook.properties.modified = FIXED_DATETIME
    workbook.properties.creator = "make_bad_inputs.py"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return normalised_zip(buffer.getvalue())


def rows_of(text: str) -> list[list[object]]:
    return [line.split(",") for line in text.strip().split("\n")]


def workbook_files() -> dict[str, bytes]:
    files = {}
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Instrucciones"
    notes.append(["Registro de participantes MISKA"])
    notes.append(["Complete la hoja «Registro» con una fila por persona."])
    data = book.create_sheet("Registro")
    for row in rows_of(participants(*P_ROWS[:2])):
        data.append(row)
    data_2023 = book.create_sheet("Registro 2023")
    for row in rows_of(participants(P_ROWS[2])):
        data_2023.append(row)
    files["several_data_sheets.xlsx"] = workbook_bytes(book)

    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Instrucciones"
    notes.append(["Registro de participantes MISKA"])
    book.create_sheet("Resumen").append(["Total", 3])
    files["sheets_without_data.xlsx"] = workbook_bytes(book)

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Registro"
    sheet.append(["Identificación", None, "Territorio", None, None, "Persona"])
    sheet.append(P_HEADER.split(","))
    sheet.merge_cells("A1:B1")
    sheet.merge_cells("C1:E1")
    sheet.merge_cells("F1:I1")
    for row in rows_of(participants(*P_ROWS[:2]))[1:]:
        sheet.append(row)
    files["merged_header_cells.xlsx"] = workbook_bytes(book)

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Registro"
    sheet.append(P_HEADER.split(","))
    first, second = rows_of(participants(*P_ROWS[:2]))[1:]
    first[6] = "=20+4"  # a formula never calculated: no cached value in the file
    second[6] = "=B2*2"
    sheet.append(first)
    sheet.append(second)
    files["formulas_without_values.xlsx"] = workbook_bytes(book)

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Registro"
    sheet.append(P_HEADER.split(","))
    for serial, row in zip((45356, 45393), rows_of(participants(*P_ROWS[:2]))[1:]):
        row[6] = int(row[6])
        row[9] = serial  # a date cell that lost its date format: Excel's day number
        sheet.append(row)
    files["dates_as_serial_numbers.xlsx"] = workbook_bytes(book)
    with zipfile.ZipFile(io.BytesIO(files["several_data_sheets.xlsx"])) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    padding = {"xl/media/relleno.bin": bytes(6 * MB)}  # ~6 KB compressed; the test lowers the limit to 5 MB
    files["workbook_bomb.xlsx"] = zip_bytes({**parts, **padding})
    return files


# --- Cells as field teams write them (issue 13) ----------------------------------------------------

def cell_variant_files() -> dict[str, bytes]:
    """Counts with a decimal comma, month/day dates, ids with invisible differences (some now load)."""
    p1, p2, p3 = P_ROWS
    stored = ("P5C756DAB,miska_reintegration,GTM,12,1201,female,24,mam,returnee,2022-10-03,",
              "P28885F17,miska_reintegration,GTM,13,1317,male,29,qanjobal,host_community,2022-10-11,")
    utf8 = {
        "counts_decimal_comma.csv": csv_text(S_HEADER, S_ROW.format('"8,0"'),
                                             S_ROW.format("8.0").replace("BADS-01", "BADS-02")),
        "counts_decimals_and_thousands.csv": csv_text(S_HEADER, S_ROW.format('"8,5"'),
                                                      S_ROW.format("1.234").replace("BADS-01", "BADS-02")),
        "dates_month_first_proven.csv": participants(replace(p1, "enrolment_date", "03/05/2024"),
                                                     replace(p2, "enrolment_date", "04/13/2024")),
        "dates_month_first_undecidable.csv": participants(replace(p1, "enrolment_date", "03/05/2024"),
                                                          replace(p2, "enrolment_date", "04/11/2024"),
                                                          replace(p3, "enrolment_date", "2024-05-20")),
        "dates_mixed_orders.csv": participants(replace(p1, "enrolment_date", "25/03/2024"),
                                               replace(p2, "enrolment_date", "26/03/2024"),
                                               replace(p3, "enrolment_date", "03/27/2024")),
        # The sample's first two people, their ids written with a zero-width space, a BOM, a no-break
        # space and in lower case: the same two people, not new ones.
        "ids_invisible_differences.csv": participants(
            stored[0].replace("P5C756DAB", "\u200bp5c756dab\u00a0"),
            stored[1].replace("P28885F17", "\ufeffP28885\u200dF17")),
    }
    return {name: text.encode("utf-8") for name, text in utf8.items()}


# --- Boundary files ----------------------------------------------------------------------------

def zip_bytes(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = compression
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return buffer.getvalue()


def normalised_zip(data: bytes) -> bytes:
    """The same archive with fixed entry timestamps (openpyxl stamps the current time)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = {info.filename: archive.read(info) for info in archive.infolist()}
    if "docProps/core.xml" in entries:  # openpyxl sets "modified" to the time of saving
        entries["docProps/core.xml"] = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-01-01T00:00:00Z",
                                              entries["docProps/core.xml"])
    return zip_bytes(entries)


def huehuetenango(crs: str = "EPSG:4326") -> gpd.GeoDataFrame:
    frame = gpd.read_file(GEO / "gtm_adm2_shp.zip")
    frame = frame[frame["code"].isin(HUEHUETENANGO)].reset_index(drop=True)[["code", "name", "geometry"]]
    frame["geometry"] = frame.geometry.simplify(0.01)
    return frame.to_crs(crs)


def shapefile_parts(frame: gpd.GeoDataFrame, stem: str = "municipios") -> dict[str, bytes]:
    with tempfile.TemporaryDirectory() as folder:
        frame.to_file(Path(folder) / f"{stem}.shp", encoding="UTF-8")
        parts = {path.suffix: path.read_bytes() for path in sorted(Path(folder).iterdir())}
    # A .dbf header records the day it was written (bytes 1-3: years since 1900, month, day): fix it.
    dbf = parts[".dbf"]
    parts[".dbf"] = dbf[:1] + bytes([FIXED_DATETIME.year - 1900, FIXED_DATETIME.month, FIXED_DATETIME.day]) + dbf[4:]
    return parts


def stream_zeros_zip(target_size: int, real: dict[str, bytes]) -> bytes:
    """A zip with the real parts and one entry of `target_size` zeros (about 1,000:1 compressed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in real.items():
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
        info = zipfile.ZipInfo("municipios_relleno.dbf", FIXED_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as handle:
            chunk = bytes(MB)
            for _ in range(target_size // MB):
                handle.write(chunk)
    return buffer.getvalue()


def geojson(features: list[dict], crs: str | None = None) -> bytes:
    collection: dict = {"type": "FeatureCollection", "features": features}
    if crs:
        collection["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(collection, ensure_ascii=False, indent=1).encode("utf-8")


def feature(code: str, name: str, geometry: dict | None) -> dict:
    return {"type": "Feature", "properties": {"code": code, "name": name}, "geometry": geometry}


def square(x: float, y: float, size: float = 0.1) -> dict:
    ring = [[x, y], [round(x + size, 6), y], [round(x + size, 6), round(y + size, 6)], [x, round(y + size, 6)], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def boundary_files() -> dict[str, bytes]:
    parts = shapefile_parts(huehuetenango())
    named = {f"municipios{suffix}": content for suffix, content in parts.items()}

    def without(*suffixes: str) -> dict[str, bytes]:
        return {name: content for name, content in named.items() if Path(name).suffix not in suffixes}

    utm_parts = shapefile_parts(huehuetenango("EPSG:32615"))
    utm_no_prj = {f"municipios{s}": c for s, c in utm_parts.items() if s != ".prj"}
    files = {
        "missing_shx_shp.zip": zip_bytes(without(".shx")),
        "missing_dbf_shp.zip": zip_bytes(without(".dbf")),
        "missing_shx_and_dbf_shp.zip": zip_bytes(without(".shx", ".dbf")),
        "utm_missing_prj_shp.zip": zip_bytes(utm_no_prj),
        "parts_in_different_folders_shp.zip": zip_bytes({
            ("limites/" if name.endswith(".shp") else "limites/atributos/") + name: content
            for name, content in named.items()}),
        "zip_inside_zip.zip": zip_bytes({"limites_huehuetenango.zip": zip_bytes(named)}),
        "zip_slip_shp.zip": zip_bytes({**named, "../../../home/conexion/.bashrc": b"echo hola\n"}),
        "absolute_path_shp.zip": zip_bytes({**{f"/tmp/{n}": c for n, c in named.items()}}),
        "zip_bomb_shp.zip": stream_zeros_zip(260 * MB, named),
        "zip_ratio_bomb_shp.zip": stream_zeros_zip(60 * MB, named),
        "empty_geometries.geojson": geojson([
            feature("1301", "Huehuetenango", None),
            feature("1302", "Chiantla", {"type": "Polygon", "coordinates": []}),
            feature("1303", "Malacatancito", {"type": "MultiPolygon", "coordinates": []}),
        ]),
        "invalid_geometries.geojson": geojson([
            feature("1301", "Huehuetenango", {"type": "Polygon", "coordinates": [
                [[-91.5, 15.3], [-91.4, 15.3], [-91.5, 15.3]]]}),  # a ring of three points
            feature("1302", "Chiantla", square(-91.4, 15.4)),
        ]),
        "utm_without_crs.geojson": geojson(json.loads(huehuetenango("EPSG:32615").to_json(drop_id=True))["features"]),
        "codes_match_nothing.geojson": geojson([
            feature("2301", "Municipio A", square(-91.6, 15.2)),
            feature("2302", "Municipio B", square(-91.4, 15.2)),
            feature("2303", "Municipio C", square(-91.2, 15.2)),
        ]),
        "wrong_country_codes.geojson": geojson([
            feature("020804", "Desaguadero", square(-69.1, -16.6)),
            feature("020801", "Guaqui", square(-68.9, -16.6)),
        ]),
        "nested_folders_shp.zip": zip_bytes({f"Limites/Guatemala/Huehuetenango/{n}": c for n, c in named.items()}),
    }
    files.update(misleading_boundary_files(named))
    return files


def swap_axes(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The same units with x and y exchanged, as an export with the wrong axis order writes them."""
    exchanged = frame.copy()
    exchanged["geometry"] = shapely.transform(frame.geometry.values, lambda xy: xy[:, ::-1])
    return exchanged


def features_of(frame: gpd.GeoDataFrame) -> list[dict]:
    return json.loads(frame.to_json(drop_id=True))["features"]


def misleading_boundary_files(named: dict[str, bytes]) -> dict[str, bytes]:
    """Files that looked right (issue 13): axes exchanged within range, layers zipped in other layouts."""
    puno = gpd.read_file(GEO / "per_adm3_puno.geojson")
    puno = puno[puno["code"].isin(["210401", "210402", "210403"])].reset_index(drop=True)[["code", "name", "geometry"]]
    puno["geometry"] = puno.geometry.simplify(0.01)
    swapped_parts = shapefile_parts(swap_axes(huehuetenango()))
    return {
        "swapped_axes_puno.geojson": geojson(features_of(swap_axes(puno))),
        "swapped_axes_huehuetenango_shp.zip": zip_bytes({f"municipios{s}": c for s, c in swapped_parts.items()}),
        "geojson_in_nested_folders.zip": zip_bytes({
            "Descargas/Limites/Huehuetenango/municipios.geojson": geojson(features_of(huehuetenango()))}),
        "no_layer_in_zip.zip": zip_bytes({"Registro/participantes.csv": b"codigo,sexo\n", "leeme.txt": b"Datos\n"}),
        "shapefile_without_shp.zip": zip_bytes({n: c for n, c in named.items() if not n.endswith(".shp")}),
        "unreadable_prj_shp.zip": zip_bytes({**named, "municipios.prj": b"Exportado desde el GPS\n"}),
        "two_layers.zip": zip_bytes({**named, "municipios.geojson": geojson(features_of(huehuetenango()))}),
    }


# --- Texts a spreadsheet would run as formulas (OWASP CSV injection; tests/test_formula_exports.py) ---

FORMULA_TEXTS = (  # one per character a spreadsheet reads as the start of a formula: = + - @ tab CR
    '=HYPERLINK("http://x","clic")',
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+2 Escuela",
    "\r=3+4 Centro",
)
FORMULA_BAD_VALUE = "=cmd|' /C calc'!A0"


def _sample_rows(name: str) -> list[dict[str, str]]:
    with open(SAMPLE / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _csv_of(rows: list[dict[str, str]]) -> bytes:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(rows[0]), lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue().encode("utf-8")


def formula_files() -> dict[str, bytes]:
    """Files that load (names and a policy of the sample renamed to formula-like texts) and one refused file
    whose bad value is a formula: each value must leave every export neutralised."""
    institutions = _sample_rows("network_institutions.csv")[:len(FORMULA_TEXTS)]
    organisations = _sample_rows("base_organisations.csv")[:len(FORMULA_TEXTS)]
    policy = _sample_rows("municipal_policies.csv")[0]
    p1, p2 = P_ROWS[:2]
    return {
        "formula_institution_names.csv": _csv_of([{**row, "name": text}
                                                  for row, text in zip(institutions, FORMULA_TEXTS)]),
        "formula_organisation_names.csv": _csv_of([{**row, "name": text}
                                                   for row, text in zip(organisations, FORMULA_TEXTS)]),
        "formula_policy_names.csv": _csv_of([{**policy, "policy_name": text} for text in FORMULA_TEXTS]),
        "formula_refused_value.csv": participants(replace(p1, "sex", FORMULA_BAD_VALUE), p2).encode("utf-8"),
    }


# --- Other kinds of file, and a Kobo workbook without a data sheet (issue 13) -----------------

KOBO_HEADERS_WITHOUT_SEX_AGE = [
    "datos_personales/codigo_participante", "datos_personales/pueblo", "situacion_migratoria/perfil",
    "ubicacion/departamento", "ubicacion/municipio", "inscripcion/fecha_inscripcion", "inscripcion/componentes",
    "_uuid",
]


def other_kind_files() -> dict[str, bytes]:
    book = openpyxl.Workbook()
    settings_sheet = book.active
    settings_sheet.title = "settings"
    settings_sheet.append(["form_title", "form_id", "version"])
    settings_sheet.append(["Registro MISKA", "registro_miska", "vQm7"])
    data = book.create_sheet("Registro MISKA")
    data.append(KOBO_HEADERS_WITHOUT_SEX_AGE)
    data.append(["BAD-001", "mam", "retornado", "Huehuetenango", "Huehuetenango", FIXED_DATETIME, "tecnica",
                 "0d6f6c8e-3f0e-4b7e-9b1a-1f2e3d4c5b6a"])
    return {
        "report_named.pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n",
        "word_document.docx": zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}),
        "damaged.ods": b"PK\x03\x04" + bytes(60),
        "kobo_no_data_sheet.xlsx": workbook_bytes(book),
    }


def main() -> None:
    BAD.mkdir(parents=True, exist_ok=True)
    files = {**text_files(), **workbook_files(), **boundary_files(), **formula_files(), **cell_variant_files(),
             **other_kind_files()}
    for old in BAD.iterdir():
        if old.name not in files:
            old.unlink()
    for name, content in sorted(files.items()):
        (BAD / name).write_bytes(content)
    total = sum(len(content) for content in files.values())
    print(f"{len(files)} files, {total / 1024:.0f} KB in {BAD}")


if __name__ == "__main__":
    main()
