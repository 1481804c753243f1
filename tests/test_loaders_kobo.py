"""read_kobo_registration: XML names with and without groups, Spanish labels, CSV and XLSX, bad answers."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest

from data_loaders import kobo_form as form
from data_loaders.errors import MissingColumnsError, ValidationError
from data_loaders.kobo import classify_headers, looks_like_kobo, read_kobo_registration, split_selection
from store.imports import is_kobo_export, read_upload
from tests.fixtures.loaders.expected import FIXTURES, NA, frame

XML_HEADERS = [
    "start", "end", "datos_personales/codigo_participante", "datos_personales/sexo", "datos_personales/edad",
    "datos_personales/pueblo", "situacion_migratoria/perfil", "ubicacion/departamento", "ubicacion/municipio",
    "inscripcion/fecha_inscripcion", "inscripcion/componentes", "inscripcion/componentes/tecnica",
    "inscripcion/componentes/digital", "inscripcion/componentes/liderazgo", "inscripcion/componentes/emprendimiento",
    "inscripcion/componentes/psicosocial", "cierre/observaciones", "meta/instanceID", "_id", "_uuid",
    "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by", "__version__", "_tags", "_index",
]
LABEL_HEADERS = [
    "start", "end", "Código de participante (seudónimo)", "Sexo de la persona participante", "Edad en años cumplidos",
    "Pueblo con el que se identifica", "Perfil migratorio de la persona", "Departamento de residencia",
    "Municipio de residencia", "Fecha de inscripción en MISKA", "Componentes en los que participa",
    "Componentes en los que participa/Formación técnica", "Componentes en los que participa/Habilidades digitales",
    "Componentes en los que participa/Liderazgo comunitario", "Componentes en los que participa/Emprendimiento",
    "Componentes en los que participa/Apoyo psicosocial", "Observaciones de la persona facilitadora", "instanceID",
    "_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by", "__version__",
    "_tags", "_index",
]
META = ["uuid:0d6f6c8e-3f0e-4b7e-9b1a-1f2e3d4c5b6a", 318204511, "0d6f6c8e-3f0e-4b7e-9b1a-1f2e3d4c5b6a",
        "2024-03-05T15:31:02", "validation_status_approved", None, "submitted_via_web", None, "vQm7", None]
XML_ROWS = [
    ["2024-03-05T09:10:00.000-06:00", "2024-03-05T09:31:00.000-06:00", "MSK-001", "mujer", 24, "mam", "retornado",
     "Huehuetenango", "Huehuetenango", dt.datetime(2024, 3, 5), "tecnica psicosocial", 1, 0, 0, 0, 1,
     "Participa los sábados", *META, 1],
    ["2024-03-06T10:00:00.000-06:00", "2024-03-06T10:20:00.000-06:00", "MSK-002", "hombre", 19, "kiche", "en_riesgo",
     "QUEZALTENANGO", "Quezaltenango", dt.datetime(2024, 3, 6), "digital", 0, 1, 0, 0, 0, None, *META, 2],
]
LABEL_ROWS = [
    [*row[:3], sex, row[4], ethnicity, profile, *row[7:10], selection, *row[11:]]
    for row, sex, ethnicity, profile, selection in zip(
        XML_ROWS, ["Mujer", "Hombre"], ["Mam", "K'iche'"], ["Persona retornada", "En riesgo de migrar"],
        ["Formación técnica Apoyo psicosocial", "Habilidades digitales"])
]


def expected() -> pd.DataFrame:
    people = frame("participants", [
        ("MSK-001", "miska_reintegration", "GTM", "13", "1301", "female", 24, "mam", "returnee", "2024-03-05", NA),
        ("MSK-002", "miska_reintegration", "GTM", "09", "0901", "male", 19, "kiche", "at_risk", "2024-03-06", NA),
    ])
    people["components"] = pd.Series([("technical_training", "psychosocial_support"), ("digital_skills",)],
                                     dtype=object)
    return people


def _workbook(path, headers, rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Registro MISKA"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_xlsx_xml_names_with_group_paths(tmp_path):
    result = read_kobo_registration(_workbook(tmp_path / "kobo.xlsx", XML_HEADERS, XML_ROWS))
    pd.testing.assert_frame_equal(result.frame, expected())
    assert [p.message("es") for p in result.fixes] == [
        "kobo.xlsx, hoja «Registro MISKA», columna «cierre/observaciones»: es texto libre y nunca se carga "
        "(protección de datos personales).",
        "kobo.xlsx, hoja «Registro MISKA», columna «ubicacion/departamento»: «QUEZALTENANGO» se reconoció como el "
        "departamento Quetzaltenango (09) (fila 3).",
        "kobo.xlsx, hoja «Registro MISKA», columna «ubicacion/municipio»: «Quezaltenango» se reconoció como el "
        "municipio Quetzaltenango (0901) (fila 3).",
    ]


def test_xlsx_spanish_labels_for_headers_and_answers(tmp_path):
    result = read_kobo_registration(_workbook(tmp_path / "kobo.xlsx", LABEL_HEADERS, LABEL_ROWS))
    pd.testing.assert_frame_equal(result.frame, expected())


def test_csv_xml_names_without_group_prefixes():
    result = read_kobo_registration(FIXTURES / "kobo_registro_xml.csv")
    pd.testing.assert_frame_equal(result.frame, expected())
    assert [p.message("en") for p in result.fixes][0] == (
        'kobo_registro_xml.csv, column "observaciones": is free text and is never loaded '
        "(personal data protection).")


def test_free_text_never_reaches_the_result(tmp_path):
    result = read_kobo_registration(_workbook(tmp_path / "kobo.xlsx", XML_HEADERS, XML_ROWS))
    assert not any("observ" in column for column in result.frame.columns)
    assert not result.frame.astype(str).apply(lambda c: c.str.contains("sábados")).any().any()


def test_submissions_not_approved_are_left_out(tmp_path):
    rows = [XML_ROWS[0], [*XML_ROWS[1][:21], "validation_status_not_approved", *XML_ROWS[1][22:]]]
    result = read_kobo_registration(_workbook(tmp_path / "kobo.xlsx", XML_HEADERS, rows))
    pd.testing.assert_frame_equal(result.frame, expected().iloc[:1])
    assert result.fixes[-1].message("es") == (
        "kobo.xlsx, hoja «Registro MISKA»: envíos marcados como no aprobados en KoboToolbox; no se cargaron (fila 3).")


def test_components_from_the_flags_when_the_list_column_is_absent(tmp_path):
    keep = [i for i, h in enumerate(XML_HEADERS) if h != "inscripcion/componentes"]
    result = read_kobo_registration(_workbook(tmp_path / "kobo.xlsx", [XML_HEADERS[i] for i in keep],
                                              [[row[i] for i in keep] for row in XML_ROWS]))
    pd.testing.assert_frame_equal(result.frame, expected())


@pytest.mark.parametrize("text, names, unknown", [
    ("tecnica psicosocial", ["tecnica", "psicosocial"], []),
    ("Formación técnica Apoyo psicosocial", ["tecnica", "psicosocial"], []),
    ("digital  liderazgo", ["digital", "liderazgo"], []),
    ("tecnica cocina", ["tecnica"], ["cocina"]),
    ("", [], []),
])
def test_split_selection(text, names, unknown):
    chosen, left = split_selection(text)
    assert ([c.name for c in chosen], left) == (names, unknown)


def _with(row_index: int, header: str, value) -> list[list]:
    rows = [list(row) for row in XML_ROWS]
    rows[row_index][XML_HEADERS.index(header)] = value
    return rows


PREFIX = "kobo.xlsx, hoja «Registro MISKA», "
MALFORMED = [
    ("flag_set_but_not_listed", _with(0, "inscripcion/componentes/digital", 1),
     [PREFIX + "fila 2, columna «inscripcion/componentes/digital»: vale «1» pero la opción «digital» no está en la "
      "respuesta de «inscripcion/componentes» («tecnica psicosocial»)."]),
    ("listed_but_flag_unset", _with(1, "inscripcion/componentes/digital", 0),
     [PREFIX + "fila 3, columna «inscripcion/componentes/digital»: vale «0» pero la opción «digital» sí está en la "
      "respuesta de «inscripcion/componentes» («digital»)."]),
    ("flag_not_yes_no", _with(0, "inscripcion/componentes/tecnica", "x1"),
     [PREFIX + "fila 2, columna «inscripcion/componentes/tecnica»: «x1» no es sí/no (use sí, no, 1, 0, true o false)."]),
    ("unknown_component", _with(0, "inscripcion/componentes", "tecnica cocina psicosocial"),
     [PREFIX + "fila 2, columna «inscripcion/componentes»: «cocina» no es un valor admitido; valores admitidos: "
      "«tecnica», «digital», «liderazgo», «emprendimiento» y «psicosocial»."]),
    ("unknown_sex_choice", _with(1, "datos_personales/sexo", "x"),
     [PREFIX + "fila 3, columna «datos_personales/sexo»: «x» no es un valor admitido; valores admitidos: «mujer», "
      "«hombre» y «otro»."]),
    ("age_not_a_number", _with(0, "datos_personales/edad", "veinte"),
     [PREFIX + "fila 2, columna «datos_personales/edad»: «veinte» no es un número entero."]),
    ("municipality_outside_department", _with(0, "ubicacion/municipio", "Cabricán"),
     [PREFIX + "fila 2, columna «ubicacion/municipio»: no hay un municipio «Cabricán» en el departamento "
      "Huehuetenango (13); existe en «Cabricán (Quetzaltenango, 0906)»."]),
    ("duplicate_participant", _with(1, "datos_personales/codigo_participante", "MSK-001"),
     [PREFIX + "fila 3: repite la clave de la fila 2 («datos_personales/codigo_participante = MSK-001»); cada "
      "registro debe aparecer una sola vez."]),
]


@pytest.mark.parametrize("name, rows, messages", MALFORMED, ids=[case[0] for case in MALFORMED])
def test_malformed_kobo_answers(tmp_path, name, rows, messages):
    with pytest.raises(ValidationError) as raised:
        read_kobo_registration(_workbook(tmp_path / "kobo.xlsx", XML_HEADERS, rows))
    assert raised.value.messages("es") == messages


def test_flag_disagreement_in_english(tmp_path):
    with pytest.raises(ValidationError) as raised:
        read_kobo_registration(_workbook(tmp_path / "kobo.xlsx", XML_HEADERS,
                                         _with(0, "inscripcion/componentes/digital", 1)))
    assert raised.value.messages("en") == [
        'kobo.xlsx, sheet "Registro MISKA", row 2, column "inscripcion/componentes/digital": is "1" but the choice '
        '"digital" is not in the answer of "inscripcion/componentes" ("tecnica psicosocial").',
    ]


def test_missing_kobo_questions_are_listed(tmp_path):
    keep = [i for i, h in enumerate(XML_HEADERS) if not h.endswith(("/sexo", "/edad"))]
    with pytest.raises(MissingColumnsError) as raised:
        read_kobo_registration(_workbook(tmp_path / "kobo.xlsx", [XML_HEADERS[i] for i in keep],
                                         [[row[i] for i in keep] for row in XML_ROWS]))
    assert raised.value.messages("es") == [
        "kobo.xlsx, hoja «Registro MISKA»: faltan columnas obligatorias: «datos_personales/sexo» y "
        "«datos_personales/edad».",
    ]


# --- Group paths with ".", exports without Kobo's columns, data on another sheet (issue 13) ----

GROUP_LABEL = {q.label: form.GROUP_LABELS[q.group] for q in form.QUESTIONS}


def _dotted_labels(header: str) -> str:
    """'Sexo de la persona participante' -> 'Datos personales.Sexo de la persona participante'."""
    question, _, choice = header.partition("/")
    if question not in GROUP_LABEL:
        return header
    return f"{GROUP_LABEL[question]}.{question}" + (f".{choice}" if choice else "")


DOT_STYLES = {
    "xml_names": ([h.replace("/", ".") for h in XML_HEADERS], XML_ROWS),
    "labels": ([_dotted_labels(h) for h in LABEL_HEADERS], LABEL_ROWS),
}


@pytest.mark.parametrize("style", DOT_STYLES)
def test_group_paths_written_with_dots_load_like_slashes(tmp_path, style):
    headers, rows = DOT_STYLES[style]
    assert any("." in h and "/" not in h for h in headers[2:10])
    result = read_upload(_workbook(tmp_path / "kobo.xlsx", headers, rows), "participants")
    pd.testing.assert_frame_equal(result.frame, expected())
    assert [p.code for p in result.fixes][:1] == ["free_text_dropped"]


def test_a_dot_is_read_past_only_after_a_known_group():
    columns = classify_headers(["datos_personales.sexo", "Datos personales.Edad en años cumplidos",
                                "inscripcion.componentes.tecnica", "Nota.sexo", "grupo_nuevo/edad"])
    assert columns.questions == {"datos_personales.sexo": "sex", "Datos personales.Edad en años cumplidos": "age",
                                 "grupo_nuevo/edad": "age"}
    assert {h: c.name for h, c in columns.flags.items()} == {"inscripcion.componentes.tecnica": "tecnica"}
    assert columns.ignored == ["Nota.sexo"]  # "Nota" is no group of the form: the header is not a question


def _without_meta(headers, rows):
    keep = [i for i, h in enumerate(headers) if h not in META_HEADERS]
    return [headers[i] for i in keep], [[row[i] for i in keep] for row in rows]


META_HEADERS = {"start", "end", "meta/instanceID", "instanceID", "_id", "_uuid", "_submission_time",
                "_validation_status", "_notes", "_status", "_submitted_by", "__version__", "_tags", "_index"}


@pytest.mark.parametrize("headers, rows", [(XML_HEADERS, XML_ROWS), (LABEL_HEADERS, LABEL_ROWS)],
                         ids=["xml_names", "labels"])
def test_an_export_without_kobo_columns_is_recognised_by_its_questions(tmp_path, headers, rows):
    headers, rows = _without_meta(headers, rows)
    path = _workbook(tmp_path / "kobo.xlsx", headers, rows)
    assert is_kobo_export(path)
    pd.testing.assert_frame_equal(read_upload(path, "participants").frame, expected())


def test_a_canonical_file_with_spanish_headers_is_not_taken_for_kobo():
    assert not is_kobo_export(FIXTURES / "participants_es_latin1.csv")
    assert not looks_like_kobo(["Sexo", "Edad", "Pueblo", "Perfil", "Municipio"])  # no programme, no Kobo code


def _book_with_sheets(path, sheets: list[tuple[str, list, list]]):
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title)
        if headers:
            sheet.append(headers)
        for row in rows:
            sheet.append(row)
        if title == "Notas":
            sheet.merge_cells("A1:D1")
    workbook.save(path)
    return path


NOTES = ("Notas", ["Registro MISKA: exportado de KoboToolbox"], [["Versión del formulario vQm7"]])
SETTINGS = ("settings", ["form_title", "form_id", "version"], [["Registro MISKA", "registro_miska", "vQm7"]])


@pytest.mark.parametrize("first", [NOTES, SETTINGS], ids=["notes", "settings"])
def test_kobo_data_on_a_later_sheet_is_found(tmp_path, first):
    headers, rows = _without_meta(XML_HEADERS, XML_ROWS) if first is SETTINGS else (XML_HEADERS, XML_ROWS)
    path = _book_with_sheets(tmp_path / "kobo.xlsx", [first, ("Registro MISKA", headers, rows)])
    for result in (read_upload(path, "participants"), read_kobo_registration(path)):
        pd.testing.assert_frame_equal(result.frame, expected())
        assert result.sheet == "Registro MISKA"
        assert result.fixes[0].message("es") == (
            f"kobo.xlsx, hoja «Registro MISKA»: datos leídos de la hoja «Registro MISKA»; las demás hojas "
            f"(«{first[0]}») no tienen las columnas de «participants».")


def test_when_no_sheet_fits_every_sheet_is_named_with_what_it_lacks(tmp_path):
    keep = [i for i, h in enumerate(XML_HEADERS) if not h.endswith(("/sexo", "/edad"))]
    partial = ("Registro MISKA", [XML_HEADERS[i] for i in keep], [[row[i] for i in keep] for row in XML_ROWS])
    path = _book_with_sheets(tmp_path / "kobo.xlsx", [NOTES, partial])
    with pytest.raises(MissingColumnsError) as raised:
        read_upload(path, "participants")
    assert raised.value.messages("en") == [
        'kobo.xlsx: no sheet of the workbook has the required columns of "participants"; the sheets "Notas" and '
        '"Registro MISKA" were looked at (what each one lacks is listed below). Keep the data in one sheet with '
        "every column.",
        'kobo.xlsx, sheet "Notas", row 1: the header has merged cells ("A1:D1"); keep a single header row, with '
        "one name in each column and no merged cells.",
        'kobo.xlsx, sheet "Registro MISKA": this sheet lacks the required columns "datos_personales/sexo" and '
        '"datos_personales/edad".',
    ]


def test_old_excel_xls_export():
    """kobo_registro_xml.xls: the CSV export as Excel 97 saves it (written by fixtures/loaders/make_kobo_xls.py)."""
    result = read_upload(FIXTURES / "kobo_registro_xml.xls", "participants")
    pd.testing.assert_frame_equal(result.frame, expected())


def test_ods_export(tmp_path):
    path = tmp_path / "kobo.ods"
    pd.DataFrame(XML_ROWS, columns=XML_HEADERS).to_excel(path, sheet_name="Registro MISKA", index=False,
                                                          engine="odf")
    result = read_upload(path, "participants")
    pd.testing.assert_frame_equal(result.frame, expected())
    assert result.sheet == "Registro MISKA"
