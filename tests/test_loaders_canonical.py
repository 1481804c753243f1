"""read_dataset: accepted formats give the same canonical frame; malformed rows give exact messages."""

from __future__ import annotations

import codecs
import datetime as dt

import openpyxl
import pandas as pd
import pytest

from data_loaders.canonical import read_dataset
from data_loaders.errors import (LoaderError, MissingColumnsError, UnknownDatasetError, UnreadableFileError,
                                 ValidationError)
from data_loaders.field_sessions import read_field_sessions
from data_loaders.schemas import DATASETS
from tests.fixtures.loaders.expected import FIXTURES, field_sessions, frame, participants

P_HEADER = ("participant_id,programme,country,department_code,municipality_code,sex,age,ethnicity,"
            "migration_profile,enrolment_date,institution_id")
P_ROW = "MSK-001,miska_reintegration,GTM,13,1301,female,24,mam,returnee,2024-03-05,"


def _csv(tmp_path, text: str, name: str = "p.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# --- Accepted formats ------------------------------------------------------------------------

def test_canonical_utf8_csv():
    result = read_dataset(FIXTURES / "participants_utf8.csv", "participants")
    pd.testing.assert_frame_equal(result.frame, participants())
    assert result.fixes == []
    assert result.source == "participants_utf8.csv"


def test_canonical_utf8_bom_csv(tmp_path):
    path = tmp_path / "participants.csv"
    path.write_bytes(codecs.BOM_UTF8 + (FIXTURES / "participants_utf8.csv").read_bytes())
    pd.testing.assert_frame_equal(read_dataset(path, "participants").frame, participants())


def test_spanish_headers_names_and_words_latin1_semicolon():
    result = read_dataset(FIXTURES / "participants_es_latin1.csv", "participants")
    pd.testing.assert_frame_equal(result.frame, participants())
    assert [p.message("es") for p in result.fixes] == [
        "participants_es_latin1.csv, columna «Fecha de inscripción»: fechas leídas como día/mes/año "
        "(dd/mm/aaaa) (filas 2, 3, 4 y 5).",
        "participants_es_latin1.csv, columna «Municipio»: «Cúcuta» se reconoció como el municipio "
        "San José de Cúcuta (54001) (fila 5).",
    ]
    assert all(p.severity == "fixed" for p in result.fixes)


def test_xlsx_with_numeric_codes_and_excel_dates(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(P_HEADER.split(","))
    sheet.append(["MSK-001", "miska_reintegration", "GTM", 13, 1301, "female", 24, "mam", "returnee",
                  dt.datetime(2024, 3, 5), None])
    sheet.append(["PRV-010", "prevention_network", "BOL", 2, 20804, "male", 16, "aymara", "at_risk",
                  dt.datetime(2023, 8, 14), "INS-BOL-01"])
    sheet.append(["PRV-011", "prevention_network", "PER", 21, 210402, "female", 15, "aymara", "at_risk",
                  dt.date(2023, 9, 1), "INS-PER-02"])
    sheet.append(["REG-100", "regional_support", "COL", 54, 54001, "other", 31.0, "mestizo", "in_transit",
                  "2024-01-20", None])
    workbook.save(tmp_path / "participants.xlsx")
    result = read_dataset(tmp_path / "participants.xlsx", "participants")
    pd.testing.assert_frame_equal(result.frame, participants())


def test_cp1252_institutions_with_short_codes_and_decimal_commas():
    # 01/06/2022 is the file's only slash date: its order is asked (tests/test_loaders_cells.py)
    result = read_dataset(FIXTURES / "network_institutions_cp1252.csv", "network_institutions",
                          date_orders={"joined_date": "day_first"})
    expected = frame("network_institutions", [
        ("INS-BOL-01", "Unidad Educativa “Franz Tamayo” – Desaguadero", "school", "BOL", "020804",
         -16.5656, -69.0404, "2022-06-01"),
        ("INS-PER-02", "Municipalidad Distrital de Desaguadero", "local_authority", "PER", "210402",
         -16.566, -69.042, "2022-06-15"),
    ])
    pd.testing.assert_frame_equal(result.frame, expected)


def test_participations_yes_no_words_and_open_end_date(tmp_path):
    path = _csv(tmp_path, "Código participante,Componente,Fecha de inicio,Fecha de fin,Horas,Completado\n"
                          "MSK-001,Formación técnica,2024-03-05,2024-05-30,40,Sí\n"
                          "MSK-001,digital_skills,2024-06-01,,12.5,no\n"
                          "MSK-002,Apoyo psicosocial,01/02/2024,01/02/2024,3,1\n")
    expected = frame("participations", [
        ("MSK-001", "technical_training", "2024-03-05", "2024-05-30", 40.0, True),
        ("MSK-001", "digital_skills", "2024-06-01", None, 12.5, False),
        ("MSK-002", "psychosocial_support", "2024-02-01", "2024-02-01", 3.0, True),
    ])
    orders = {"start_date": "day_first", "end_date": "day_first"}  # 01/02/2024 alone: a question answered
    pd.testing.assert_frame_equal(read_dataset(path, "participations", date_orders=orders).frame, expected)


def test_surveys_with_spanish_headers_and_decimal_commas(tmp_path):
    path = _csv(tmp_path, "Código participante;Ronda;Fecha;Dimensión económica;Dimensión social;Psicosocial\r\n"
                          "MSK-001;Línea de base;05/03/2024;0,35;0,5;1\r\n"
                          "MSK-001;Seguimiento;2024-09-30;0.6;0,75;0\r\n", encoding="cp1252")
    expected = frame("reintegration_surveys", [
        ("MSK-001", "baseline", "2024-03-05", 0.35, 0.5, 1.0),
        ("MSK-001", "follow_up", "2024-09-30", 0.6, 0.75, 0.0),
    ])
    result = read_dataset(path, "reintegration_surveys", date_orders={"date": "day_first"})
    pd.testing.assert_frame_equal(result.frame, expected)


def test_department_code_may_be_left_out(tmp_path):
    path = _csv(tmp_path, "participant_id,programme,country,municipality_code,sex,age,ethnicity,"
                          "migration_profile,enrolment_date\n"
                          "MSK-001,miska_reintegration,GTM,1301,female,24,mam,returnee,2024-03-05\n")
    result = read_dataset(path, "participants")
    pd.testing.assert_frame_equal(result.frame, participants().iloc[:1])


def test_unknown_columns_are_not_loaded_and_reported(tmp_path):
    path = _csv(tmp_path, P_HEADER + ",nombre completo\n" + P_ROW + ",Ana Pérez\n")
    result = read_dataset(path, "participants")
    assert "nombre completo" not in result.frame.columns
    assert [p.message("en") for p in result.fixes] == [
        'p.csv, column "nombre completo": the column is not part of the "participants" data and was not loaded.',
    ]


def test_field_sessions_latin1_semicolon_names_and_words():
    result = read_field_sessions(FIXTURES / "field_sessions_latin1.csv")
    pd.testing.assert_frame_equal(result.frame, field_sessions())
    assert [p.message("es") for p in result.fixes] == [
        "field_sessions_latin1.csv, columna «Municipio»: se quitaron espacios sobrantes al principio o al final "
        "(fila 3).",
        "field_sessions_latin1.csv, columna «Fecha»: fechas leídas como día/mes/año (dd/mm/aaaa) (filas 2, 3 y 4).",
        "field_sessions_latin1.csv, columna «Municipio»: «DESAGUADERO» se reconoció como el municipio "
        "Desaguadero (210402) (fila 3).",
    ]


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_sample_csvs_load(dataset):
    path = FIXTURES.parents[2] / "sample_data" / f"{dataset}.csv"
    if not path.exists():
        pytest.skip("the sample data has not been generated")
    result = read_dataset(path, dataset)
    assert list(result.frame.columns) == list(DATASETS[dataset].columns)
    assert result.fixes == []


# --- Malformed inputs: every problem, with file, row and column ------------------------------

def _participants(*rows: str) -> str:
    return "\n".join([P_HEADER, *rows]) + "\n"


def _replace(row: str, column: str, value: str) -> str:
    cells = row.split(",")
    cells[P_HEADER.split(",").index(column)] = value
    return ",".join(cells)


PARTS_HEADER = "participant_id,component,start_date,end_date,hours,completed\n"
SURVEY_HEADER = "participant_id,round,date,economic,social,psychosocial\n"
SESSION_HEADER = ("session_id,date,country,municipality_code,institution_id,topic,audience,female_0_17,"
                  "female_18_29,female_30_plus,male_0_17,male_18_29,male_30_plus,facilitating_agents\n")
SESSION_ROW = "S1,2024-05-02,BOL,020804,INS-BOL-01,safe_migration,students,1,2,3,4,5,6,2"
ORG_HEADER = "organisation_id,name,country,municipality_code,members,capacity_baseline,capacity_follow_up\n"

MALFORMED = [
    ("unknown_municipality_code", "participants", _participants(_replace(P_ROW, "municipality_code", "1399")),
     ["p.csv, fila 2, columna «municipality_code»: el código de municipio «1399» no existe en Guatemala."]),
    ("code_with_letters", "participants", _participants(_replace(P_ROW, "municipality_code", "13A1")),
     ["p.csv, fila 2, columna «municipality_code»: «13A1» no es un código de municipio válido de Guatemala: "
      "debe tener 4 dígitos."]),
    ("code_too_long", "participants", _participants(_replace(P_ROW, "department_code", "130")),
     ["p.csv, fila 2, columna «department_code»: «130» no es un código de departamento válido de Guatemala: "
      "debe tener 2 dígitos."]),
    ("unknown_department_code", "participants", _participants(_replace(P_ROW, "department_code", "23")),
     ["p.csv, fila 2, columna «department_code»: el código de departamento «23» no existe en Guatemala."]),
    ("department_mismatch", "participants", _participants(_replace(P_ROW, "department_code", "12")),
     ["p.csv, fila 2, columna «department_code»: el municipio Huehuetenango (Huehuetenango, 1301) pertenece al "
      "departamento Huehuetenango (13), no a «12»."]),
    ("non_numeric_age", "participants", _participants(_replace(P_ROW, "age", "doce")),
     ["p.csv, fila 2, columna «age»: «doce» no es un número entero."]),
    ("fractional_age", "participants", _participants(_replace(P_ROW, "age", "24.5")),
     ["p.csv, fila 2, columna «age»: «24.5» tiene decimales, pero esta columna admite solo números enteros; "
      "escriba un número entero."]),
    ("age_out_of_range", "participants", _participants(_replace(P_ROW, "age", "-1")),
     ["p.csv, fila 2, columna «age»: «-1» está fuera del rango permitido (0 a 110)."]),
    ("unknown_sex", "participants", _participants(_replace(P_ROW, "sex", "x")),
     ["p.csv, fila 2, columna «sex»: «x» no es un valor admitido; valores admitidos: «female», «male» y «other»."]),
    ("unknown_country", "participants", _participants(_replace(P_ROW, "country", "Atlantis")),
     ["p.csv, fila 2, columna «country»: «Atlantis» no es un valor admitido; valores admitidos: «GTM», «BOL», "
      "«PER» y «COL»."]),
    ("empty_required_cell", "participants", _participants(_replace(P_ROW, "ethnicity", "")),
     ["p.csv, fila 2, columna «ethnicity»: falta el valor (la celda está vacía)."]),
    ("impossible_date", "participants", _participants(_replace(P_ROW, "enrolment_date", "31/02/2024")),
     ["p.csv, fila 2, columna «enrolment_date»: «31/02/2024» no es una fecha que exista en el calendario."]),
    ("impossible_iso_date", "participants", _participants(_replace(P_ROW, "enrolment_date", "2023-02-29")),
     ["p.csv, fila 2, columna «enrolment_date»: «2023-02-29» no es una fecha que exista en el calendario."]),
    ("date_after_range", "participants", _participants(_replace(P_ROW, "enrolment_date", "2031-01-01")),
     ["p.csv, fila 2, columna «enrolment_date»: «2031-01-01» está fuera del periodo admitido "
      "(2015-01-01 a 2030-12-31)."]),
    ("date_before_range", "participants", _participants(_replace(P_ROW, "enrolment_date", "14/08/2014")),
     ["p.csv, fila 2, columna «enrolment_date»: «14/08/2014» está fuera del periodo admitido "
      "(2015-01-01 a 2030-12-31)."]),
    ("not_a_date", "participants", _participants(_replace(P_ROW, "enrolment_date", "marzo 2024")),
     ["p.csv, fila 2, columna «enrolment_date»: «marzo 2024» no es una fecha; use aaaa-mm-dd o dd/mm/aaaa."]),
    ("duplicate_key_names_both_rows", "participants", _participants(P_ROW, P_ROW.replace("MSK-001", "MSK-002"), P_ROW),
     ["p.csv, fila 4: repite la clave de la fila 2 («participant_id = MSK-001»); cada registro debe aparecer "
      "una sola vez."]),
    ("negative_hours", "participations", PARTS_HEADER + "MSK-001,digital_skills,2024-03-05,,-4,false\n",
     ["p.csv, fila 2, columna «hours»: «-4» está fuera del rango permitido (0 a 2000)."]),
    ("end_before_start", "participations", PARTS_HEADER + "MSK-001,digital_skills,2024-03-05,29/02/2024,4,true\n",
     ["p.csv, fila 2, columna «end_date»: la fecha de fin «29/02/2024» es anterior a la fecha de inicio "
      "«2024-03-05» (columna «start_date»)."]),
    ("not_yes_no", "participations", PARTS_HEADER + "MSK-001,digital_skills,2024-03-05,,4,quizás\n",
     ["p.csv, fila 2, columna «completed»: «quizás» no es sí/no (use sí, no, 1, 0, true o false)."]),
    ("duplicate_composite_key", "participations",
     PARTS_HEADER + "MSK-001,digital_skills,2024-03-05,,4,true\nmsk-001,digital_skills,2024/03/05,,6,true\n",
     ["p.csv, fila 3: repite la clave de la fila 2 («participant_id = msk-001», «component = digital_skills» y "
      "«start_date = 2024/03/05»); cada registro debe aparecer una sola vez."]),
    ("score_above_one", "reintegration_surveys", SURVEY_HEADER + "MSK-001,baseline,2024-03-05,0.4,1.2,0.5\n",
     ["p.csv, fila 2, columna «social»: «1.2» está fuera del rango permitido (0 a 1)."]),
    ("score_not_a_number", "reintegration_surveys", SURVEY_HEADER + "MSK-001,baseline,2024-03-05,alta,0.2,0.5\n",
     ["p.csv, fila 2, columna «economic»: «alta» no es un número."]),
    ("negative_attendance", "awareness_sessions", SESSION_HEADER + SESSION_ROW.replace(",1,2,3,", ",1,-3,3,") + "\n",
     ["p.csv, fila 2, columna «female_18_29»: «-3» está fuera del rango permitido (0 a 10000)."]),
    ("agents_not_a_number", "awareness_sessions", SESSION_HEADER + SESSION_ROW[:-1] + "dos\n",
     ["p.csv, fila 2, columna «facilitating_agents»: «dos» no es un número entero."]),
    ("negative_members", "base_organisations", ORG_HEADER + "ORG-1,AMIDEGA,GTM,1301,-5,0.5,0.6\n",
     ["p.csv, fila 2, columna «members»: «-5» es menor que el mínimo permitido (0)."]),
    ("unmatched_name", "awareness_sessions",
     SESSION_HEADER.replace("municipality_code", "municipio") + SESSION_ROW.replace("020804", "Desaguaderoo") + "\n",
     ["p.csv, fila 2, columna «municipio»: no se encontró el municipio «Desaguaderoo» en Bolivia; ¿quiso decir "
      "Desaguadero (La Paz, 020804)?"]),
    ("unmatched_name_without_suggestion", "awareness_sessions",
     SESSION_HEADER.replace("municipality_code", "municipio") + SESSION_ROW.replace("020804", "Atlántida") + "\n",
     ["p.csv, fila 2, columna «municipio»: no se encontró el municipio «Atlántida» en Bolivia."]),
    ("ambiguous_name_without_department", "participants",
     P_HEADER.replace("department_code,municipality_code", "departamento,municipio") + "\n"
     + _replace(_replace(P_ROW, "department_code", ""), "municipality_code", "SAN PEDRO SACATEPEQUEZ") + "\n",
     ["p.csv, fila 2, columna «municipio»: «SAN PEDRO SACATEPEQUEZ» puede ser «San Pedro Sacatepéquez "
      "(Guatemala, 0109)» o «San Pedro Sacatepéquez (San Marcos, 1202)»; indique el departamento o el código "
      "de municipio."]),
    ("name_not_in_department", "participants",
     P_HEADER.replace("department_code,municipality_code", "departamento,municipio") + "\n"
     + _replace(_replace(P_ROW, "department_code", "Quiché"), "municipality_code", "Cuilco") + "\n",
     ["p.csv, fila 2, columna «municipio»: no hay un municipio «Cuilco» en el departamento Quiché (14); existe en "
      "«Cuilco (Huehuetenango, 1304)»."]),
    ("unknown_department_name", "participants",
     P_HEADER.replace("department_code,municipality_code", "departamento,municipio") + "\n"
     + _replace(_replace(P_ROW, "department_code", "Huehue tenango"), "municipality_code", "Cuilco") + "\n",
     ["p.csv, fila 2, columna «departamento»: no se encontró el departamento «Huehue tenango» en Guatemala."]),
    ("missing_place", "participants", _participants(_replace(_replace(P_ROW, "department_code", ""),
                                                             "municipality_code", "")),
     ["p.csv, fila 2, columna «municipality_code»: falta el valor (la celda está vacía)."]),
    ("every_problem_at_once", "participants",
     _participants(_replace(P_ROW, "age", "doce"), _replace(_replace(P_ROW, "sex", "x"), "participant_id", "B"),
                   _replace(P_ROW.replace("MSK-001", "C"), "municipality_code", "9999")),
     ["p.csv, fila 2, columna «age»: «doce» no es un número entero.",
      "p.csv, fila 3, columna «sex»: «x» no es un valor admitido; valores admitidos: «female», «male» y «other».",
      "p.csv, fila 4, columna «municipality_code»: el código de municipio «9999» no existe en Guatemala."]),
]


@pytest.mark.parametrize("name, dataset, text, messages", MALFORMED, ids=[case[0] for case in MALFORMED])
def test_malformed_rows(tmp_path, name, dataset, text, messages):
    with pytest.raises(ValidationError) as raised:
        read_dataset(_csv(tmp_path, text), dataset)
    assert raised.value.messages("es") == messages


MALFORMED_EN = [
    ("non_numeric_age", "participants", _participants(_replace(P_ROW, "age", "doce")),
     ['p.csv, row 2, column "age": "doce" is not a whole number.']),
    ("duplicate_key", "participants", _participants(P_ROW, P_ROW),
     ['p.csv, row 3: repeats the key of row 2 ("participant_id = MSK-001"); each record must appear only once.']),
    ("impossible_date", "participants", _participants(_replace(P_ROW, "enrolment_date", "31/02/2024")),
     ['p.csv, row 2, column "enrolment_date": "31/02/2024" is not a date that exists in the calendar.']),
    ("ambiguous_name", "participants",
     P_HEADER.replace("department_code,municipality_code", "departamento,municipio") + "\n"
     + _replace(_replace(P_ROW, "department_code", ""), "municipality_code", "San Pedro Sacatepéquez") + "\n",
     ['p.csv, row 2, column "municipio": "San Pedro Sacatepéquez" may be "San Pedro Sacatepéquez (Guatemala, 0109)" '
      'or "San Pedro Sacatepéquez (San Marcos, 1202)"; give the department or the municipality code.']),
    ("score_above_one", "reintegration_surveys", SURVEY_HEADER + "MSK-001,baseline,2024-03-05,0.4,1.2,0.5\n",
     ['p.csv, row 2, column "social": "1.2" is outside the allowed range (0 to 1).']),
]


@pytest.mark.parametrize("name, dataset, text, messages", MALFORMED_EN, ids=[case[0] for case in MALFORMED_EN])
def test_malformed_rows_in_english(tmp_path, name, dataset, text, messages):
    with pytest.raises(ValidationError) as raised:
        read_dataset(_csv(tmp_path, text), dataset)
    assert raised.value.messages("en") == messages


def test_missing_columns_are_listed(tmp_path):
    header = P_HEADER.replace(",sex,age", "")
    with pytest.raises(MissingColumnsError) as raised:
        read_dataset(_csv(tmp_path, header + "\n"), "participants")
    assert raised.value.messages("es") == ["p.csv: faltan columnas obligatorias: «sex (Sexo)» y «age (Edad)»."]
    assert raised.value.messages("en") == ['p.csv: required columns are missing: "sex (Sexo)" and "age (Edad)".']


def test_header_only(tmp_path):
    with pytest.raises(UnreadableFileError) as raised:
        read_dataset(_csv(tmp_path, P_HEADER + "\n"), "participants")
    assert raised.value.messages("es") == ["p.csv: tiene encabezados pero ninguna fila de datos."]


def test_same_column_twice_in_two_languages(tmp_path):
    with pytest.raises(ValidationError) as raised:
        read_dataset(_csv(tmp_path, P_HEADER + ",sexo\n" + P_ROW + ",Mujer\n"), "participants")
    assert raised.value.messages("es") == [
        "p.csv, fila 1: las columnas «sex» y «sexo» contienen el mismo dato (sex); deje solo una.",
    ]


def test_unknown_dataset(tmp_path):
    with pytest.raises(UnknownDatasetError) as raised:
        read_dataset(_csv(tmp_path, P_HEADER + "\n" + P_ROW + "\n"), "people")
    assert raised.value.messages("en") == [
        'p.csv: "people" is not a known dataset; datasets: "participants", "participations", "outcomes", '
        '"reintegration_surveys", "awareness_sessions", "network_institutions", "network_ties", '
        '"municipal_policies" and "base_organisations".',
    ]
    assert isinstance(raised.value, LoaderError)


def test_validation_error_keeps_the_fixes(tmp_path):
    text = _participants(_replace(P_ROW, "age", "doce"), P_ROW.replace("MSK-001", "B").replace("2024-03-05", "15/03/2024"))
    with pytest.raises(ValidationError) as raised:
        read_dataset(_csv(tmp_path, text), "participants")
    assert [p.message("es") for p in raised.value.fixes] == [
        "p.csv, columna «enrolment_date»: fechas leídas como día/mes/año (dd/mm/aaaa) (fila 3).",
    ]
    assert [p.severity for p in raised.value.problems] == ["error"]
    assert (raised.value.problems[0].row, raised.value.problems[0].column) == (2, "age")
