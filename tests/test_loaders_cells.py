"""Cells as field teams write them (issue 13): Excel day numbers, decimal commas in counts,
month/day dates (decided by the column, or asked), invisible differences in ids.

Real files through the real readers: `read_dataset`, the Kobo reader and `store.imports`.
"""

from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
import pandas as pd
import pytest

from data_loaders import dates
from data_loaders.canonical import read_dataset
from data_loaders.errors import UnansweredQuestionsError, ValidationError
from data_loaders.identity import identity_conflicts
from data_loaders.kobo import read_kobo_registration
from data_loaders.text import identifier
from store.imports import import_upload, stored_rows, validate_upload
from tests.fixtures.loaders.expected import FIXTURES
from tests.stores import query

P_HEADER = ("participant_id,programme,country,department_code,municipality_code,sex,age,ethnicity,"
            "migration_profile,enrolment_date,institution_id")
S_HEADER = ("session_id,date,country,municipality_code,institution_id,topic,audience,female_0_17,"
            "female_18_29,female_30_plus,male_0_17,male_18_29,male_30_plus,facilitating_agents")


def _person(pid: str, date: str, age: str = "24", institution: str = "") -> str:
    return f"{pid},miska_reintegration,GTM,13,1301,female,{age},mam,returnee,{date},{institution}"


def _session(sid: str, female_0_17: str, date: str = "2024-05-02", institution: str = "INS-BOL-01") -> str:
    return f"{sid},{date},BOL,020804,{institution},safe_migration,students,{female_0_17},2,3,4,5,6,2"


def _csv(tmp_path, header: str, *rows: str, name: str = "p.csv"):
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _dates(result, column: str = "enrolment_date") -> list[str]:
    return [d.date().isoformat() for d in result.frame[column]]


def _fixes(error_or_result, lang: str = "es") -> list[str]:
    return [p.message(lang) for p in error_or_result.fixes]


# --- Excel day numbers -------------------------------------------------------------------------

def test_excel_day_numbers_in_a_csv_are_dates_and_reported_as_a_correction(tmp_path):
    path = _csv(tmp_path, P_HEADER, _person("MSK-001", "45356"), _person("MSK-002", "2024-04-11"),
                _person("MSK-003", "45393.0"))
    result = read_dataset(path, "participants")
    assert _dates(result) == ["2024-03-05", "2024-04-11", "2024-04-11"]
    assert _fixes(result) == [
        "p.csv, columna «enrolment_date»: números de fecha de Excel (celdas sin formato de fecha) leídos como "
        "fechas, por ejemplo «45356» = 2024-03-05 (filas 2 y 4).",
    ]
    assert all(p.severity == "fixed" for p in result.fixes)


def test_excel_day_numbers_in_a_workbook_general_cell(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(P_HEADER.split(","))
    sheet.append(_person("MSK-001", "x").split(",")[:9] + [45356, None])  # a number: General format
    sheet.append(_person("MSK-002", "x").split(",")[:9] + [45356.375, None])  # with a time of day
    book.save(tmp_path / "p.xlsx")
    result = read_dataset(tmp_path / "p.xlsx", "participants")
    assert _dates(result) == ["2024-03-05", "2024-03-05"]
    assert [p.code for p in result.fixes] == ["excel_serial_read"]


@pytest.mark.parametrize("value, message", [
    ("12345", "«12345» no es una fecha; use aaaa-mm-dd o dd/mm/aaaa."),  # 1933: outside the plausible range
    ("60000", "«60000» no es una fecha; use aaaa-mm-dd o dd/mm/aaaa."),  # 2064
    ("41000", "«41000» está fuera del periodo admitido (2015-01-01 a 2030-12-31)."),  # 2012-04-01
])
def test_numbers_outside_the_plausible_range_stay_errors(tmp_path, value, message):
    with pytest.raises(ValidationError) as raised:
        read_dataset(_csv(tmp_path, P_HEADER, _person("MSK-001", value)), "participants")
    assert raised.value.messages("es") == [f"p.csv, fila 2, columna «enrolment_date»: {message}"]


# --- Whole numbers with a decimal mark; thousands separators ------------------------------------

def test_counts_with_a_decimal_comma_or_point_load_as_whole_numbers(tmp_path):
    path = _csv(tmp_path, S_HEADER, _session("S1", '"8,0"'), _session("S2", "8.0"), _session("S3", '"8,00"'),
                _session("S4", "8"), name="s.csv")
    frame = read_dataset(path, "awareness_sessions").frame
    assert frame["female_0_17"].tolist() == [8, 8, 8, 8]
    assert str(frame["female_0_17"].dtype) == "int64"


@pytest.mark.parametrize("value, es, en", [
    ('"8,5"', "«8,5» tiene decimales, pero esta columna admite solo números enteros; escriba un número entero.",
     '"8,5" has decimals, but this column takes whole numbers only; write a whole number.'),
    ("8.5", "«8.5» tiene decimales, pero esta columna admite solo números enteros; escriba un número entero.",
     '"8.5" has decimals, but this column takes whole numbers only; write a whole number.'),
    ("1.234", "«1.234» puede llevar separador de miles (1234) o decimales, y esta columna admite solo números "
              "enteros: escríbalo sin separador de miles ni decimales, por ejemplo 1234.",
     '"1.234" may hold a thousands separator (1234) or decimals, and this column takes whole numbers only: '
     "write it without a thousands separator or decimals, e.g. 1234."),
    ('"1,234"', "«1,234» puede llevar separador de miles (1234) o decimales, y esta columna admite solo números "
                "enteros: escríbalo sin separador de miles ni decimales, por ejemplo 1234.",
     '"1,234" may hold a thousands separator (1234) or decimals, and this column takes whole numbers only: '
     "write it without a thousands separator or decimals, e.g. 1234."),
    ("8.000", "«8.000» puede llevar separador de miles (8000) o decimales, y esta columna admite solo números "
              "enteros: escríbalo sin separador de miles ni decimales, por ejemplo 8000.",
     '"8.000" may hold a thousands separator (8000) or decimals, and this column takes whole numbers only: '
     "write it without a thousands separator or decimals, e.g. 8000."),
])
def test_decimals_and_thousands_separators_in_counts_are_refused(tmp_path, value, es, en):
    path = _csv(tmp_path, S_HEADER, _session("S1", value), name="s.csv")
    with pytest.raises(ValidationError) as raised:
        read_dataset(path, "awareness_sessions")
    assert raised.value.messages("es") == [f"s.csv, fila 2, columna «female_0_17»: {es}"]
    assert raised.value.messages("en") == [f's.csv, row 2, column "female_0_17": {en}']


def test_thousands_groups_are_never_read(tmp_path):
    path = _csv(tmp_path, "organisation_id,name,country,municipality_code,members,capacity_baseline,"
                          "capacity_follow_up", 'ORG-1,AMIDEGA,GTM,1301,"1,234,567",0.5,0.6', name="o.csv")
    with pytest.raises(ValidationError) as raised:
        read_dataset(path, "base_organisations")
    assert [p.code for p in raised.value.problems] == ["thousands_separator"]
    assert raised.value.problems[0].params == {"plain": "1234567"}


# --- Month/day dates ---------------------------------------------------------------------------

@pytest.mark.parametrize("texts, order, proof", [
    (["03/05/2024", "25/03/2024"], dates.DAY_FIRST, "25/03/2024"),
    (["03/05/2024", "03/25/2024"], dates.MONTH_FIRST, "03/25/2024"),
    (["05/05/2024", "2024-03-01"], dates.DAY_FIRST, None),  # reads the same either way
    (["2024-03-05", "45356"], dates.DAY_FIRST, None),  # no slash date
    (["03/05/2024", "01/02/2024", "2024-06-01"], None, None),  # undecidable: a question
    (["13/01/2024", "14/01/2024", "01/13/2024"], dates.DAY_FIRST, "13/01/2024"),  # the order proven by more
    (["13/01/2024", "01/13/2024", "01/14/2024"], dates.MONTH_FIRST, "01/13/2024"),
])
def test_a_column_order_is_decided_by_its_values(texts, order, proof):
    decided = dates.decide_order(texts)
    assert (decided.order, decided.proof) == (order, proof)


def test_a_choice_applies_only_where_the_file_does_not_decide():
    assert dates.decide_order(["03/05/2024"], dates.MONTH_FIRST) == dates.DateOrder(dates.MONTH_FIRST)
    assert dates.decide_order(["03/05/2024", "25/03/2024"], dates.MONTH_FIRST).order == dates.DAY_FIRST
    with pytest.raises(ValueError):
        dates.decide_order(["03/05/2024"], "year_first")


def test_month_first_column_proven_by_one_value_is_read_month_first(tmp_path):
    path = _csv(tmp_path, P_HEADER, _person("MSK-001", "03/05/2024"), _person("MSK-002", "04/13/2024"),
                _person("MSK-003", "2024-06-01"))
    result = read_dataset(path, "participants")
    assert _dates(result) == ["2024-03-05", "2024-04-13", "2024-06-01"]
    assert _fixes(result, "en") == ['p.csv, column "enrolment_date": dates read as month/day/year (mm/dd/yyyy) '
                                    "(rows 2 and 3)."]


def test_day_first_column_proven_by_one_value_is_read_day_first(tmp_path):
    path = _csv(tmp_path, P_HEADER, _person("MSK-001", "03/05/2024"), _person("MSK-002", "13/04/2024"))
    result = read_dataset(path, "participants")
    assert _dates(result) == ["2024-05-03", "2024-04-13"]
    assert [p.code for p in result.fixes] == ["date_day_first"]


def test_a_date_written_in_the_other_order_is_an_error_naming_the_proof(tmp_path):
    path = _csv(tmp_path, P_HEADER, _person("MSK-001", "25/03/2024"), _person("MSK-002", "26/03/2024"),
                _person("MSK-003", "03/27/2024"))
    with pytest.raises(ValidationError) as raised:
        read_dataset(path, "participants")
    assert raised.value.messages("es") == [
        "p.csv, fila 4, columna «enrolment_date»: «03/27/2024» solo puede ser mes/día/año, pero las fechas de "
        "esta columna están escritas como día/mes/año (por ejemplo «25/03/2024»); escriba todas las fechas de "
        "la columna en el mismo orden, mejor como aaaa-mm-dd.",
    ]


MM_DD = ("03/05/2024", "04/11/2024", "12/01/2023", "2024-06-01")  # mm/dd/yyyy, every day <= 12


def test_an_undecidable_column_is_a_question_not_a_guess(tmp_path):
    path = _csv(tmp_path, P_HEADER, *(_person(f"MSK-00{i}", d) for i, d in enumerate(MM_DD, start=1)))
    with pytest.raises(UnansweredQuestionsError) as raised:
        read_dataset(path, "participants")
    [question] = raised.value.problems
    assert (question.severity, question.code, question.column, question.row) == \
        ("question", "date_order_question", "enrolment_date", None)
    assert question.params["column_key"] == "enrolment_date"
    assert question.params["examples"] == ["03/05/2024", "04/11/2024", "12/01/2023"]
    assert question.params["rows"] == [2, 3, 4]
    assert question.message("es") == (
        "p.csv, columna «enrolment_date»: no se puede saber si las fechas están escritas como día/mes/año o como "
        "mes/día/año, porque en ninguna el día o el mes pasa de 12: «03/05/2024» puede ser 2024-05-03 o "
        "2024-03-05 (filas 2, 3 y 4); indique el orden de esta columna al validar, o escriba las fechas como "
        "aaaa-mm-dd.")
    assert not question.is_error


@pytest.mark.parametrize("order, expected", [
    ("month_first", ["2024-03-05", "2024-04-11", "2023-12-01", "2024-06-01"]),
    ("day_first", ["2024-05-03", "2024-11-04", "2023-01-12", "2024-06-01"]),
])
def test_the_answer_reads_the_column_in_the_chosen_order(tmp_path, order, expected):
    path = _csv(tmp_path, P_HEADER, *(_person(f"MSK-00{i}", d) for i, d in enumerate(MM_DD, start=1)))
    result = read_dataset(path, "participants", date_orders={"enrolment_date": order})
    assert _dates(result) == expected


def test_a_question_comes_with_the_errors_of_the_file(tmp_path):
    path = _csv(tmp_path, P_HEADER, _person("MSK-001", "03/05/2024", age="doce"))
    with pytest.raises(ValidationError) as raised:
        read_dataset(path, "participants")
    assert [(p.code, p.severity) for p in raised.value.problems] == [("not_integer", "error"),
                                                                     ("date_order_question", "question")]


def test_each_date_column_is_decided_on_its_own(tmp_path):
    path = _csv(tmp_path, "participant_id,component,start_date,end_date,hours,completed",
                "MSK-001,digital_skills,25/03/2024,04/05/2024,4,true")
    with pytest.raises(UnansweredQuestionsError) as raised:
        read_dataset(path, "participations")
    assert [p.params["column_key"] for p in raised.value.problems] == ["end_date"]


def test_kobo_export_in_month_first_is_asked_then_read(tmp_path):
    text = (FIXTURES / "kobo_registro_xml.csv").read_text(encoding="utf-8")
    text = text.replace(";2024-03-05;tecnica", ";03/05/2024;tecnica").replace(";2024-03-06;digital",
                                                                               ";03/06/2024;digital")
    path = tmp_path / "kobo.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UnansweredQuestionsError) as raised:
        read_kobo_registration(path)
    [question] = raised.value.problems
    assert (question.column, question.params["column_key"]) == ("fecha_inscripcion", "enrolment_date")
    result = read_kobo_registration(path, date_orders={"enrolment_date": "month_first"})
    assert _dates(result)[:2] == ["2024-03-05", "2024-03-06"]


# --- Identifiers -------------------------------------------------------------------------------

@pytest.mark.parametrize("written", [
    "MSK-001", "msk-001", "Msk-001", "\u200bMSK-001", "MSK\u200c-001", "MSK-\u200d001", "MSK-001\u2060",
    "\ufeffMSK-001", "MSK-001\u00a0", " MSK-001 ", "\u00a0msk-001\u200b",
])
def test_invisible_differences_give_one_id(written):
    assert identifier(written) == "MSK-001"


def test_decomposed_accents_give_one_id():
    assert identifier("PEN\u0303A-1") == identifier("PE\u00d1A-1") == "PE\u00d1A-1"


def test_ids_are_normalised_in_every_id_column_and_the_rows_reported(tmp_path):
    path = _csv(tmp_path, "source_id,target_id,tie_type,since_date",
                "ins-bol-01,INS-BOL-02,coordination,2023-06-20",
                "INS-BOL-01\u200b,INS-BOL-03\u00a0,referral,2023-06-21",
                "\ufeffINS-BOL-02,ins-bol-0\u200d3,training,2023-06-22", name="t.csv")
    result = read_dataset(path, "network_ties")
    assert result.frame["source_id"].tolist() == ["INS-BOL-01", "INS-BOL-01", "INS-BOL-02"]
    assert result.frame["target_id"].tolist() == ["INS-BOL-02", "INS-BOL-03", "INS-BOL-03"]
    assert _fixes(result, "en") == [
        't.csv, column "target_id": extra spaces at the start or end were removed (row 3).',
        't.csv, column "source_id": invisible characters (zero-width spaces, BOM marks, no-break spaces) were '
        "removed or accents written one way (rows 3 and 4).",
        't.csv, column "source_id": codes written in upper case, their one spelling (row 2).',
        't.csv, column "target_id": invisible characters (zero-width spaces, BOM marks, no-break spaces) were '
        "removed or accents written one way (row 4).",
        't.csv, column "target_id": codes written in upper case, their one spelling (row 4).',
    ]


def test_the_same_person_written_twice_invisibly_differently_is_a_repeated_key(tmp_path):
    path = _csv(tmp_path, P_HEADER, _person("MSK-001", "2024-03-05"), _person("msk-001\u200b", "2024-03-05"))
    with pytest.raises(ValidationError) as raised:
        read_dataset(path, "participants")
    assert [(p.code, p.row, p.params["first_row"]) for p in raised.value.problems] == [("duplicate_key", 3, 2)]


def test_sample_ids_are_already_in_their_one_spelling():
    from tests.conftest import SAMPLE

    for file in SAMPLE.glob("*.csv"):
        frame = pd.read_csv(file, dtype=str)
        for column in (c for c in frame.columns if c.endswith("_id")):
            values = frame[column].dropna()
            assert values.map(identifier).equals(values), (file.name, column)


def test_a_stored_person_is_found_whatever_the_invisible_spelling(tmp_path, sample_store_file):
    """The identity check sees the normalised id: a changed sex for P5C756DAB is refused, not a new person."""
    from store.database import open_store

    store = tmp_path / sample_store_file.name
    shutil.copyfile(sample_store_file, store)
    path = _csv(tmp_path, P_HEADER,
                "\u200bp5c756dab\u00a0,miska_reintegration,GTM,12,1201,male,24,mam,returnee,2022-10-03,")
    con = open_store(store)
    try:
        validation = validate_upload(path, "participants", con)
        assert [(p.code, p.row, p.column, p.value) for p in validation.problems] == [
            ("identity_changed", 2, "sex", "male")]
        assert "P5C756DAB" in validation.problems[0].params["key"]
        stored = con.execute("SELECT * FROM participants").df()
    finally:
        con.close()
    # a legacy spelling in the store is matched too
    stored.loc[stored["participant_id"] == "P5C756DAB", "participant_id"] = "p5c756dab"
    result = read_dataset(path, "participants")
    assert [p.code for p in identity_conflicts(result, stored, "participants")] == ["identity_changed"]


def test_import_needs_the_answer_and_uses_it(tmp_path, sample_store_file):
    store = tmp_path / sample_store_file.name
    shutil.copyfile(sample_store_file, store)
    path = _csv(tmp_path, P_HEADER, *(_person(f"NEW-00{i}", d) for i, d in enumerate(MM_DD, start=1)))
    with pytest.raises(UnansweredQuestionsError):
        import_upload(store, path, "participants", "datos")
    summary = import_upload(store, path, "participants", "datos", date_orders={"enrolment_date": "month_first"})
    assert summary.rows_new == 4
    stored = query(store, "SELECT enrolment_date FROM participants WHERE participant_id LIKE 'NEW-%' "
                          "ORDER BY participant_id")
    assert [row[0] for row in stored] == [dt.date(2024, 3, 5), dt.date(2024, 4, 11), dt.date(2023, 12, 1),
                                          dt.date(2024, 6, 1)]


def test_kobo_export_with_excel_day_numbers_reads_dates(tmp_path):
    text = (FIXTURES / "kobo_registro_xml.csv").read_text(encoding="utf-8")
    path = tmp_path / "kobo.csv"
    path.write_text(text.replace(";2024-03-05;tecnica", ";45356;tecnica"), encoding="utf-8")
    result = read_kobo_registration(path)
    assert _dates(result)[0] == "2024-03-05"
    assert "excel_serial_read" in [p.code for p in result.fixes]
