"""read_table: every accepted encoding, separator and workbook, and files that cannot be read."""

from __future__ import annotations

import codecs
import datetime as dt

import numpy as np
import openpyxl
import pandas as pd
import pytest

from data_loaders.errors import UnreadableFileError
from data_loaders.readers import load_table, read_table

TEXT = "sexo;edad;municipio\nMujer;24;Quetzaltenango\nHombre;;Sololá\n"
EXPECTED = pd.DataFrame(
    {"sexo": ["Mujer", "Hombre"], "edad": ["24", np.nan], "municipio": ["Quetzaltenango", "Sololá"]},
    index=[2, 3], dtype="str",
)


def _write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("encoding, separator, line_end", [
    ("utf-8", ",", "\n"),
    ("utf-8-sig", ",", "\n"),
    ("utf-8", ";", "\r\n"),
    ("latin-1", ";", "\r\n"),
    ("cp1252", ",", "\r\n"),
])
def test_csv_encodings_and_separators(tmp_path, encoding, separator, line_end):
    text = TEXT.replace(";", separator).replace("\n", line_end)
    path = _write(tmp_path, "data.csv", text.encode(encoding))
    pd.testing.assert_frame_equal(read_table(path), EXPECTED)


def test_excel_separator_hint_line(tmp_path):
    path = _write(tmp_path, "data.csv", ("sep=;\r\n" + TEXT.replace("\n", "\r\n")).encode("cp1252"))
    pd.testing.assert_frame_equal(read_table(path), EXPECTED)


def test_encoding_detected():
    from tests.fixtures.loaders.expected import FIXTURES

    assert load_table(FIXTURES / "participants_utf8.csv").encoding == "utf-8"
    assert load_table(FIXTURES / "participants_es_latin1.csv").encoding == "cp1252"


def test_cp1252_punctuation_is_read(tmp_path):
    path = _write(tmp_path, "i.csv", "name;type\n“Franz Tamayo” – escuela;school\n".encode("cp1252"))
    assert read_table(path).loc[2, "name"] == "“Franz Tamayo” – escuela"


def test_quoted_separator_and_blank_lines_keep_row_numbers(tmp_path):
    text = 'name,code\n"Unidad Educativa, Desaguadero",020804\n\n  Colegio  ,210402\n'
    path = _write(tmp_path, "i.csv", text.encode())
    table = load_table(path)
    expected = pd.DataFrame({"name": ["Unidad Educativa, Desaguadero", "Colegio"], "code": ["020804", "210402"]},
                            index=[2, 4], dtype="str")
    pd.testing.assert_frame_equal(table.frame, expected)
    assert [p.message("es") for p in table.fixes] == [
        "i.csv, columna «name»: se quitaron espacios sobrantes al principio o al final (fila 4).",
    ]
    assert table.fixes[0].severity == "fixed"


def test_extra_empty_cells_at_the_end_of_a_row_are_ignored(tmp_path):
    path = _write(tmp_path, "d.csv", b"sexo;edad\nMujer;24;;\nHombre;30\n")
    expected = pd.DataFrame({"sexo": ["Mujer", "Hombre"], "edad": ["24", "30"]}, index=[2, 3], dtype="str")
    pd.testing.assert_frame_equal(read_table(path), expected)


def test_header_whitespace_stripped_and_empty_unnamed_columns_dropped(tmp_path):
    path = _write(tmp_path, "d.csv", b" sexo , edad ,\nMujer,24,\n")
    pd.testing.assert_frame_equal(read_table(path), pd.DataFrame({"sexo": ["Mujer"], "edad": ["24"]},
                                                                 index=[2], dtype="str"))


def _workbook(path, rows, title="Datos", extra_sheet=None):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if extra_sheet:
        other = workbook.create_sheet(extra_sheet[0])
        for row in extra_sheet[1]:
            other.append(row)
    workbook.save(path)
    return path


def test_xlsx_cells_read_as_text_and_dates_as_iso(tmp_path):
    path = _workbook(tmp_path / "book.xlsx", [
        ["codigo", "fecha", "edad", "puntaje", "hora", "activo"],
        [1301, dt.datetime(2024, 3, 5), 24, 0.45, dt.datetime(2024, 3, 5, 10, 30), True],
        ["020804", dt.date(2023, 12, 31), 24.0, None, None, False],
    ])
    expected = pd.DataFrame({
        "codigo": ["1301", "020804"], "fecha": ["2024-03-05", "2023-12-31"], "edad": ["24", "24"],
        "puntaje": ["0.45", np.nan], "hora": ["2024-03-05T10:30:00", np.nan], "activo": ["true", "false"],
    }, index=[2, 3], dtype="str")
    table = load_table(path)
    pd.testing.assert_frame_equal(table.frame, expected)
    assert table.sheet == "Datos"


def test_xlsx_named_sheet(tmp_path):
    path = _workbook(tmp_path / "book.xlsx", [["a"], ["1"]], extra_sheet=("Sesiones", [["b"], [None], ["2 "]]))
    table = load_table(path, sheet="Sesiones")
    pd.testing.assert_frame_equal(table.frame, pd.DataFrame({"b": ["2"]}, index=[3], dtype="str"))
    assert [p.message("en") for p in table.fixes] == [
        'book.xlsx, sheet "Sesiones", column "b": extra spaces at the start or end were removed (row 3).',
    ]


def _xlsx_bytes(tmp_path, rows):
    return _workbook(tmp_path / "tmp.xlsx", rows).read_bytes()


UNREADABLE = [
    ("utf16", "data.csv", "sexo;edad\nMujer;24\n".encode("utf-16"),
     "data.csv: el archivo está codificado en UTF-16; guárdelo como «CSV UTF-8» y vuelva a cargarlo."),
    ("utf16_without_bom", "data.csv", "sexo;edad\nMujer;24\n".encode("utf-16-le"),
     "data.csv: el byte 1 (línea 1, valor 0x00) no es texto UTF-8, Latin-1 ni Windows-1252; "
     "¿es realmente un archivo CSV?"),
    ("binary", "data.csv", b"sexo;edad\nMujer;24\n\x89PNG\x00\x01",
     "data.csv: el byte 23 (línea 3, valor 0x00) no es texto UTF-8, Latin-1 ni Windows-1252; "
     "¿es realmente un archivo CSV?"),
    ("undefined_cp1252_byte", "data.csv", b"sexo;edad\nMujer\x81;24\n",
     "data.csv: el byte 15 (línea 2, valor 0x81) no es texto UTF-8, Latin-1 ni Windows-1252; "
     "¿es realmente un archivo CSV?"),
    ("mixed_encoding", "data.csv", "municipio\nSololá\n".encode() + "Cabricán\n".encode("latin-1"),
     "data.csv: mezcla codificaciones: el byte 24 (línea 3, valor 0xE1) no es UTF-8 aunque el resto del "
     "archivo sí lo es; guárdelo de nuevo como «CSV UTF-8»."),
    ("empty", "data.csv", b"", "data.csv: el archivo está vacío."),
    ("bom_only", "data.csv", codecs.BOM_UTF8 + b"\n", "data.csv: el archivo está vacío."),
    ("blank_lines_only", "data.csv", b"\r\n  \r\n", "data.csv: el archivo está vacío."),
    ("separators_only", "data.csv", b";;;\n;;\n", "data.csv: el archivo está vacío."),
    ("too_many_cells", "data.csv", b"sexo;edad\nMujer;24\nHombre;30;extra\n",
     "data.csv, fila 3: la fila tiene 3 celdas pero el encabezado solo 2; "
     "¿hay un separador de más o un texto sin comillas?"),
    ("unclosed_quote", "data.csv", b'sexo,edad\n"Mujer,24\n',
     "data.csv: no se pudo leer como tabla CSV (cerca de la línea 2); revise que las comillas de las celdas "
     "estén cerradas."),
    ("duplicate_header", "data.csv", b"sexo;edad;sexo\nMujer;24;Mujer\n",
     "data.csv, fila 1, columna «sexo»: el encabezado aparece dos veces (columnas número 1 y 3)."),
    ("empty_header_with_data", "data.csv", b"sexo;;edad\nMujer;x;24\n",
     "data.csv, fila 1: la columna número 2 no tiene encabezado pero contiene datos."),
    ("corrupt_xlsx", "book.xlsx", bytes(range(256)) * 4,
     "book.xlsx: no es un libro de Excel (.xlsx) válido o está dañado; ábralo en Excel y guárdelo de nuevo."),
    ("zip_not_workbook", "book.xlsx", b"PK\x03\x04" + b"\x00" * 60,
     "book.xlsx: no es un libro de Excel (.xlsx) válido o está dañado; ábralo en Excel y guárdelo de nuevo."),
    ("damaged_xls", "book.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
     "book.xls: no es un libro de Excel (.xls) válido o está dañado; ábralo en Excel y guárdelo de nuevo."),
]


@pytest.mark.parametrize("name, file_name, data, message", UNREADABLE, ids=[case[0] for case in UNREADABLE])
def test_unreadable_files(tmp_path, name, file_name, data, message):
    path = _write(tmp_path, file_name, data)
    with pytest.raises(UnreadableFileError) as raised:
        read_table(path)
    assert raised.value.messages("es") == [message]
    assert str(raised.value) == message


def test_empty_xlsx_sheet(tmp_path):
    path = _write(tmp_path, "book.xlsx", _xlsx_bytes(tmp_path, []))
    with pytest.raises(UnreadableFileError) as raised:
        read_table(path)
    assert raised.value.messages("en") == ['book.xlsx, sheet "Datos": the file is empty.']


def test_missing_sheet_lists_the_sheets(tmp_path):
    path = _write(tmp_path, "book.xlsx", _xlsx_bytes(tmp_path, [["a"], [1]]))
    with pytest.raises(UnreadableFileError) as raised:
        read_table(path, sheet="Sesiones")
    assert raised.value.messages("es") == ["book.xlsx: no tiene una hoja «Sesiones»; hojas del libro: «Datos»."]
    assert raised.value.messages("en") == ['book.xlsx: has no sheet "Sesiones"; sheets in the workbook: "Datos".']


def test_missing_file(tmp_path):
    with pytest.raises(UnreadableFileError) as raised:
        read_table(tmp_path / "nada.csv")
    assert raised.value.messages("en") == ["nada.csv: the file does not exist."]


def test_utf8_bom_is_not_part_of_the_first_header(tmp_path):
    path = _write(tmp_path, "d.csv", codecs.BOM_UTF8 + "sexo,edad\nMujer,24\n".encode())
    assert list(read_table(path).columns) == ["sexo", "edad"]


# --- Every workbook kind, read by content (issue 13) ----------------------------------------

def _ods(path, frame: pd.DataFrame, sheet: str = "Datos"):
    frame.to_excel(path, sheet_name=sheet, index=False, engine="odf")
    return path


ODS_FRAME = pd.DataFrame({"codigo": ["020804", "1301"], "fecha": [dt.date(2024, 3, 5), dt.date(2023, 12, 31)],
                          "edad": [24, 31], "puntaje": [0.45, None], "nombre": [" Sololá ", "Cabricán"]})
ODS_EXPECTED = pd.DataFrame({"codigo": ["020804", "1301"], "fecha": ["2024-03-05", "2023-12-31"],
                             "edad": ["24", "31"], "puntaje": ["0.45", np.nan], "nombre": ["Sololá", "Cabricán"]},
                            index=[2, 3], dtype="str")


def test_ods_cells_read_as_text_with_dates_as_iso_and_spaces_trimmed(tmp_path):
    table = load_table(_ods(tmp_path / "registro.ods", ODS_FRAME))
    pd.testing.assert_frame_equal(table.frame, ODS_EXPECTED)
    assert (table.sheet, table.sheets) == ("Datos", ("Datos",))
    assert [p.message("es") for p in table.fixes] == [
        "registro.ods, hoja «Datos», columna «nombre»: se quitaron espacios sobrantes al principio o al final "
        "(fila 2).",
    ]


@pytest.mark.parametrize("name", ["registro.xlsx", "registro.zip", "registro.csv", "registro"])
def test_a_renamed_ods_is_read_as_the_ods_it_is(tmp_path, name):
    data = _ods(tmp_path / "source.ods", ODS_FRAME).read_bytes()
    table = load_table(_write(tmp_path, name, data))
    pd.testing.assert_frame_equal(table.frame, ODS_EXPECTED)


def test_old_excel_xls_is_read():
    """tests/fixtures/loaders/kobo_registro_xml.xls was written by make_kobo_xls.py (xlwt) from the CSV twin."""
    from tests.fixtures.loaders.expected import FIXTURES

    xls = load_table(FIXTURES / "kobo_registro_xml.xls")
    csv_twin = load_table(FIXTURES / "kobo_registro_xml.csv")
    pd.testing.assert_frame_equal(xls.frame, csv_twin.frame)
    assert xls.sheet == "Registro MISKA"


def test_load_tables_reads_every_sheet_in_one_pass_and_keeps_why_a_sheet_is_no_table(tmp_path):
    from data_loaders.readers import load_tables

    workbook = openpyxl.Workbook()
    notes = workbook.active
    notes.title = "Notas"
    notes.append(["Exportación de KoboToolbox", None, None])
    notes.merge_cells("A1:C1")
    workbook.create_sheet("Vacía")
    data = workbook.create_sheet("Datos")
    data.append(["sexo", "edad"])
    data.append(["Mujer", 24])
    workbook.save(tmp_path / "libro.xlsx")
    tables = load_tables(tmp_path / "libro.xlsx")
    assert tables.sheets == ("Notas", "Vacía", "Datos")
    assert list(tables.tables) == ["Datos"]
    pd.testing.assert_frame_equal(tables.tables["Datos"].frame,
                                  pd.DataFrame({"sexo": ["Mujer"], "edad": ["24"]}, index=[2], dtype="str"))
    assert {sheet: error.messages("en") for sheet, error in tables.unreadable.items()} == {
        "Notas": ['libro.xlsx, sheet "Notas", row 1: the header has merged cells ("A1:C1"); keep a single header '
                  "row, with one name in each column and no merged cells."],
        "Vacía": ['libro.xlsx, sheet "Vacía": the file is empty.'],
    }
    with pytest.raises(UnreadableFileError):
        tables.first()  # the first sheet, as load_table reads it, says why it is not a table


UNSUPPORTED = [
    ("informe.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n",
     "informe.pdf: no es un tipo de archivo que se pueda cargar; se admiten estos tipos: «CSV», «Excel (.xlsx, "
     ".xls)» y «OpenDocument (.ods)».",
     'informe.pdf: is not a kind of file that can be loaded; these kinds are accepted: "CSV", "Excel (.xlsx, '
     '.xls)" and "OpenDocument (.ods)".'),
    ("carta.docx", None,
     "carta.docx: no es un tipo de archivo que se pueda cargar; se admiten estos tipos: «CSV», «Excel (.xlsx, "
     ".xls)» y «OpenDocument (.ods)».", None),
    ("dañado.ods", b"PK\x03\x04" + b"\x00" * 60,
     "dañado.ods: no es una hoja de cálculo OpenDocument (.ods) válida o está dañada; ábrala en LibreOffice y "
     "guárdela de nuevo.",
     "dañado.ods: is not a valid OpenDocument spreadsheet (.ods) or is damaged; open it in LibreOffice and save "
     "it again."),
]


@pytest.mark.parametrize("name, data, es, en", UNSUPPORTED, ids=[case[0] for case in UNSUPPORTED])
def test_files_that_are_no_table_are_refused_naming_the_accepted_kinds(tmp_path, name, data, es, en):
    if data is None:  # a Word document: a zip without a workbook inside
        import io
        import zipfile

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("word/document.xml", "<w:document/>")
        data = buffer.getvalue()
    with pytest.raises(UnreadableFileError) as raised:
        read_table(_write(tmp_path, name, data))
    assert raised.value.messages("es") == [es]
    if en is not None:
        assert raised.value.messages("en") == [en]
