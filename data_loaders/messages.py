"""Message templates of every loader problem, Spanish first, then English.

Each template is the text after the location ("participants.csv, fila 7, columna «age»: ");
`{value}` is the cell as written in the file, other placeholders come from `Problem.params`.
Lists in params are quoted and joined per language; `{rows}` renders "fila 4" / "filas 4 y 7".
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # Reading the file.
    "file_not_found": {
        "es": "no se encuentra el archivo.",
        "en": "the file does not exist.",
    },
    "empty_file": {
        "es": "el archivo está vacío.",
        "en": "the file is empty.",
    },
    "no_data_rows": {
        "es": "tiene encabezados pero ninguna fila de datos.",
        "en": "has column headers but no data rows.",
    },
    "not_text": {
        "es": "el byte {offset} (línea {line}, valor {byte}) no es texto UTF-8, Latin-1 ni Windows-1252; "
              "¿es realmente un archivo CSV?",
        "en": "byte {offset} (line {line}, value {byte}) is not UTF-8, Latin-1 or Windows-1252 text; "
              "is this really a CSV file?",
    },
    "file_too_large": {
        "es": "el archivo ocupa {size_mb} MB, más del máximo de {limit_mb} MB que se admite; "
              "divídalo en archivos más pequeños.",
        "en": "the file takes {size_mb} MB, more than the maximum of {limit_mb} MB accepted; "
              "split it into smaller files.",
    },
    "zip_archive": {
        "es": "es un archivo comprimido (.zip), no una tabla; descomprímalo y cargue el archivo CSV o Excel "
              "que contiene.",
        "en": "is a compressed archive (.zip), not a table; unzip it and load the CSV or Excel file inside.",
    },
    "markup_file": {
        "es": "es una página web (HTML) o un documento XML, no una tabla CSV; ¿se guardó una página de error "
              "o de inicio de sesión? Descargue de nuevo la exportación.",
        "en": "is a web page (HTML) or an XML document, not a CSV table; was an error or sign-in page saved? "
              "Download the export again.",
    },
    "wrong_separator": {
        "es": "las columnas están separadas por «{separator}»; guarde el archivo separado por comas (,), "
              "punto y coma (;) o tabuladores.",
        "en": 'the columns are separated by "{separator}"; save the file separated by commas (,), '
              "semicolons (;) or tabs.",
    },
    "utf16_file": {
        "es": "el archivo está codificado en UTF-16; guárdelo como «CSV UTF-8» y vuelva a cargarlo.",
        "en": 'the file is encoded as UTF-16; save it as "CSV UTF-8" and load it again.',
    },
    "mixed_encoding": {
        "es": "mezcla codificaciones: el byte {offset} (línea {line}, valor {byte}) no es UTF-8 aunque "
              "el resto del archivo sí lo es; guárdelo de nuevo como «CSV UTF-8».",
        "en": "mixes encodings: byte {offset} (line {line}, value {byte}) is not UTF-8 although the "
              'rest of the file is; save it again as "CSV UTF-8".',
    },
    "corrupt_xlsx": {
        "es": "no es un libro de Excel (.xlsx) válido o está dañado; ábralo en Excel y guárdelo de nuevo.",
        "en": "is not a valid Excel workbook (.xlsx) or is damaged; open it in Excel and save it again.",
    },
    "workbook_too_large": {
        "es": "el libro ocupa {size_mb} MB descomprimido, más del máximo de {limit_mb} MB, y no se abrirá.",
        "en": "the workbook takes {size_mb} MB unzipped, more than the maximum of {limit_mb} MB, and will "
              "not be opened.",
    },
    "merged_header": {
        "es": "el encabezado tiene celdas combinadas ({ranges}); deje una sola fila de encabezado, "
              "con un nombre en cada columna y sin combinar celdas.",
        "en": "the header has merged cells ({ranges}); keep a single header row, with one name in each "
              "column and no merged cells.",
    },
    "formula_without_value": {
        "es": "la celda tiene la fórmula «{value}» sin resultado guardado; abra el libro en Excel, guárdelo "
              "y vuelva a cargarlo (o pegue solo los valores).",
        "en": 'the cell holds the formula "{value}" with no saved result; open the workbook in Excel, '
              "save it and load it again (or paste the values only).",
    },
    "several_data_sheets": {
        "es": "varias hojas tienen las columnas de «{dataset}» ({sheets}); deje los datos en una sola hoja "
              "o elija la hoja al cargar.",
        "en": 'several sheets have the columns of "{dataset}" ({sheets}); keep the data in one sheet '
              "or choose the sheet when loading.",
    },
    "sheet_not_found": {
        "es": "no tiene una hoja «{sheet_name}»; hojas del libro: {sheets}.",
        "en": 'has no sheet "{sheet_name}"; sheets in the workbook: {sheets}.',
    },
    # Workbooks of every kind, unknown files and the search for the data sheet (issue 13).
    "corrupt_xls": {
        "es": "no es un libro de Excel (.xls) válido o está dañado; ábralo en Excel y guárdelo de nuevo.",
        "en": "is not a valid Excel workbook (.xls) or is damaged; open it in Excel and save it again.",
    },
    "corrupt_ods": {
        "es": "no es una hoja de cálculo OpenDocument (.ods) válida o está dañada; ábrala en LibreOffice y "
              "guárdela de nuevo.",
        "en": "is not a valid OpenDocument spreadsheet (.ods) or is damaged; open it in LibreOffice and "
              "save it again.",
    },
    "unsupported_file": {
        "es": "no es un tipo de archivo que se pueda cargar; se admiten estos tipos: {kinds}.",
        "en": "is not a kind of file that can be loaded; these kinds are accepted: {kinds}.",
    },
    "no_data_sheet": {
        "es": "ninguna hoja del libro tiene las columnas obligatorias de «{dataset}»; se revisaron las hojas "
              "{sheets} (lo que falta en cada una se indica abajo). Deje los datos en una hoja con todas "
              "las columnas.",
        "en": 'no sheet of the workbook has the required columns of "{dataset}"; the sheets {sheets} were '
              "looked at (what each one lacks is listed below). Keep the data in one sheet with every column.",
    },
    "sheet_lacks_columns": {
        "es": "esta hoja no tiene las columnas obligatorias {columns}.",
        "en": "this sheet lacks the required columns {columns}.",
    },
    "too_many_cells": {
        "es": "la fila tiene {count} celdas pero el encabezado solo {expected}; "
              "¿hay un separador de más o un texto sin comillas?",
        "en": "the row has {count} cells but the header only {expected}; "
              "is there an extra separator or unquoted text?",
    },
    "corrupt_csv": {
        "es": "no se pudo leer como tabla CSV (cerca de la línea {line}); revise que las comillas de las "
              "celdas estén cerradas.",
        "en": "could not be read as a CSV table (near line {line}); check that quoted cells are closed.",
    },
    "empty_header": {
        "es": "la columna número {position} no tiene encabezado pero contiene datos.",
        "en": "column number {position} has no header but contains data.",
    },
    "duplicate_header": {
        "es": "el encabezado aparece dos veces (columnas número {first} y {second}).",
        "en": "the header appears twice (columns number {first} and {second}).",
    },
    # Columns.
    "missing_columns": {
        "es": "faltan columnas obligatorias: {columns}.",
        "en": "required columns are missing: {columns}.",
    },
    "duplicate_column": {
        "es": "las columnas {columns} contienen el mismo dato ({canonical}); deje solo una.",
        "en": "columns {columns} hold the same data ({canonical}); keep only one.",
    },
    # Cells.
    "empty_value": {
        "es": "falta el valor (la celda está vacía).",
        "en": "the value is missing (the cell is empty).",
    },
    "not_integer": {
        "es": "«{value}» no es un número entero.",
        "en": '"{value}" is not a whole number.',
    },
    "not_number": {
        "es": "«{value}» no es un número.",
        "en": '"{value}" is not a number.',
    },
    "not_boolean": {
        "es": "«{value}» no es sí/no (use sí, no, 1, 0, true o false).",
        "en": '"{value}" is not yes/no (use yes, no, 1, 0, true or false).',
    },
    "invalid_date": {
        "es": "«{value}» no es una fecha; use aaaa-mm-dd o dd/mm/aaaa.",
        "en": '"{value}" is not a date; use yyyy-mm-dd or dd/mm/yyyy.',
    },
    "impossible_date": {
        "es": "«{value}» no es una fecha que exista en el calendario.",
        "en": '"{value}" is not a date that exists in the calendar.',
    },
    "future_date": {
        "es": "«{value}» es posterior a hoy ({today}); solo se registran hechos que ya ocurrieron.",
        "en": '"{value}" is after today ({today}); only events that have already happened are recorded.',
    },
    "date_out_of_range": {
        "es": "«{value}» está fuera del periodo admitido ({min} a {max}).",
        "en": '"{value}" is outside the accepted period ({min} to {max}).',
    },
    "out_of_range": {
        "es": "«{value}» está fuera del rango permitido ({min} a {max}).",
        "en": '"{value}" is outside the allowed range ({min} to {max}).',
    },
    "below_minimum": {
        "es": "«{value}» es menor que el mínimo permitido ({min}).",
        "en": '"{value}" is below the allowed minimum ({min}).',
    },
    "unknown_category": {
        "es": "«{value}» no es un valor admitido; valores admitidos: {allowed}.",
        "en": '"{value}" is not an accepted value; accepted values: {allowed}.',
    },
    "invalid_value": {
        "es": "«{value}» no es un valor válido para esta columna.",
        "en": '"{value}" is not a valid value for this column.',
    },
    "duplicate_key": {
        "es": "repite la clave de la fila {first_row} ({key}); cada registro debe aparecer una sola vez.",
        "en": "repeats the key of row {first_row} ({key}); each record must appear only once.",
    },
    "identity_changed": {
        "es": "«{value}» no coincide con el registro ya guardado de {key} («{stored}»); los datos de identidad "
              "de un registro guardado no se cambian con una carga: si es otro registro, use otro código.",
        "en": '"{value}" does not match the stored record of {key} ("{stored}"); the identity data of a '
              "stored record are not changed by an upload: if it is another record, use another code.",
    },
    "end_before_start": {
        "es": "la fecha de fin «{value}» es anterior a la fecha de inicio «{start}» (columna «{start_column}»).",
        "en": 'the end date "{value}" is before the start date "{start}" (column "{start_column}").',
    },
    # Territorial codes and names.
    "invalid_municipality_code": {
        "es": "«{value}» no es un código de municipio válido de {country}: debe tener {width} dígitos.",
        "en": '"{value}" is not a valid {country} municipality code: it must have {width} digits.',
    },
    "invalid_department_code": {
        "es": "«{value}» no es un código de departamento válido de {country}: debe tener {width} dígitos.",
        "en": '"{value}" is not a valid {country} department code: it must have {width} digits.',
    },
    "unknown_municipality_code": {
        "es": "el código de municipio «{value}» no existe en {country}.",
        "en": 'the municipality code "{value}" does not exist in {country}.',
    },
    "unknown_department_code": {
        "es": "el código de departamento «{value}» no existe en {country}.",
        "en": 'the department code "{value}" does not exist in {country}.',
    },
    "department_mismatch": {
        "es": "el municipio {municipality} pertenece al departamento {expected}, no a «{value}».",
        "en": 'municipality {municipality} belongs to department {expected}, not to "{value}".',
    },
    "unknown_municipality_name": {
        "es": "no se encontró el municipio «{value}» en {country}.",
        "en": 'no municipality "{value}" was found in {country}.',
    },
    "unknown_municipality_name_suggestion": {
        "es": "no se encontró el municipio «{value}» en {country}; ¿quiso decir {suggestion}?",
        "en": 'no municipality "{value}" was found in {country}; did you mean {suggestion}?',
    },
    "ambiguous_municipality_name": {
        "es": "«{value}» puede ser {candidates}; indique el departamento o el código de municipio.",
        "en": '"{value}" may be {candidates}; give the department or the municipality code.',
    },
    "ambiguous_municipality_in_department": {
        "es": "«{value}» puede ser {candidates}, dentro del departamento {department}; use el código de municipio.",
        "en": '"{value}" may be {candidates}, within department {department}; use the municipality code.',
    },
    "municipality_not_in_department": {
        "es": "no hay un municipio «{value}» en el departamento {department}; existe en {candidates}.",
        "en": 'there is no municipality "{value}" in department {department}; it exists in {candidates}.',
    },
    "unknown_department_name": {
        "es": "no se encontró el departamento «{value}» en {country}.",
        "en": 'no department "{value}" was found in {country}.',
    },
    # Automatic corrections (severity "fixed").
    "trimmed_spaces": {
        "es": "se quitaron espacios sobrantes al principio o al final ({rows}).",
        "en": "extra spaces at the start or end were removed ({rows}).",
    },
    "date_day_first": {
        "es": "fechas leídas como día/mes/año (dd/mm/aaaa) ({rows}).",
        "en": "dates read as day/month/year (dd/mm/yyyy) ({rows}).",
    },
    "municipality_name_matched": {
        "es": "«{value}» se reconoció como el municipio {name} ({unit_code}) ({rows}).",
        "en": '"{value}" was recognised as the municipality {name} ({unit_code}) ({rows}).',
    },
    "department_name_matched": {
        "es": "«{value}» se reconoció como el departamento {name} ({unit_code}) ({rows}).",
        "en": '"{value}" was recognised as the department {name} ({unit_code}) ({rows}).',
    },
    "sheet_chosen": {
        "es": "datos leídos de la hoja «{sheet_name}»; las demás hojas ({sheets}) no tienen las columnas "
              "de «{dataset}».",
        "en": 'data read from sheet "{sheet_name}"; the other sheets ({sheets}) do not have the columns '
              'of "{dataset}".',
    },
    "column_ignored": {
        "es": "la columna no forma parte de los datos «{dataset}» y no se cargó.",
        "en": 'the column is not part of the "{dataset}" data and was not loaded.',
    },
    "free_text_dropped": {
        "es": "es texto libre y nunca se carga (protección de datos personales).",
        "en": "is free text and is never loaded (personal data protection).",
    },
    "kobo_not_approved": {
        "es": "envíos marcados como no aprobados en KoboToolbox; no se cargaron ({rows}).",
        "en": "submissions marked as not approved in KoboToolbox were not loaded ({rows}).",
    },
    # KoboToolbox select-multiple questions.
    "kobo_flag_not_listed": {
        "es": "vale «{value}» pero la opción «{choice}» no está en la respuesta de «{list_column}» («{listed}»).",
        "en": 'is "{value}" but the choice "{choice}" is not in the answer of "{list_column}" ("{listed}").',
    },
    "kobo_listed_not_flagged": {
        "es": "vale «{value}» pero la opción «{choice}» sí está en la respuesta de «{list_column}» («{listed}»).",
        "en": 'is "{value}" but the choice "{choice}" is in the answer of "{list_column}" ("{listed}").',
    },
    # Cells as field teams write them: counts, date orders, Excel day numbers, ids (issue 13).
    "decimal_in_whole_number": {
        "es": "«{value}» tiene decimales, pero esta columna admite solo números enteros; escriba un número entero.",
        "en": '"{value}" has decimals, but this column takes whole numbers only; write a whole number.',
    },
    "thousands_separator": {
        "es": "«{value}» puede llevar separador de miles ({plain}) o decimales, y esta columna admite solo "
              "números enteros: escríbalo sin separador de miles ni decimales, por ejemplo {plain}.",
        "en": '"{value}" may hold a thousands separator ({plain}) or decimals, and this column takes whole '
              "numbers only: write it without a thousands separator or decimals, e.g. {plain}.",
    },
    "date_not_day_first": {
        "es": "«{value}» solo puede ser mes/día/año, pero las fechas de esta columna están escritas como "
              "día/mes/año (por ejemplo «{proof}»); escriba todas las fechas de la columna en el mismo orden, "
              "mejor como aaaa-mm-dd.",
        "en": '"{value}" can only be month/day/year, but the dates of this column are written as day/month/year '
              '(e.g. "{proof}"); write every date of the column in the same order, preferably as yyyy-mm-dd.',
    },
    "date_not_month_first": {
        "es": "«{value}» solo puede ser día/mes/año, pero las fechas de esta columna están escritas como "
              "mes/día/año (por ejemplo «{proof}»); escriba todas las fechas de la columna en el mismo orden, "
              "mejor como aaaa-mm-dd.",
        "en": '"{value}" can only be day/month/year, but the dates of this column are written as month/day/year '
              '(e.g. "{proof}"); write every date of the column in the same order, preferably as yyyy-mm-dd.',
    },
    "date_order_question": {
        "es": "no se puede saber si las fechas están escritas como día/mes/año o como mes/día/año, porque en "
              "ninguna el día o el mes pasa de 12: «{example}» puede ser {day_first} o {month_first} ({rows}); "
              "indique el orden de esta columna al validar, o escriba las fechas como aaaa-mm-dd.",
        "en": "cannot tell whether the dates are written as day/month/year or as month/day/year, since no day "
              'or month in them is over 12: "{example}" may be {day_first} or {month_first} ({rows}); give the '
              "order of this column when validating, or write the dates as yyyy-mm-dd.",
    },
    "date_month_first": {
        "es": "fechas leídas como mes/día/año (mm/dd/aaaa) ({rows}).",
        "en": "dates read as month/day/year (mm/dd/yyyy) ({rows}).",
    },
    "excel_serial_read": {
        "es": "números de fecha de Excel (celdas sin formato de fecha) leídos como fechas, por ejemplo "
              "«{example}» = {date} ({rows}).",
        "en": 'Excel date numbers (cells without a date format) read as dates, e.g. "{example}" = {date} ({rows}).',
    },
    "identifier_cleaned": {
        "es": "se quitaron caracteres invisibles (espacios de ancho cero, marcas BOM, espacios de no separación) "
              "o se unificó la escritura de las tildes ({rows}).",
        "en": "invisible characters (zero-width spaces, BOM marks, no-break spaces) were removed or accents "
              "written one way ({rows}).",
    },
    "identifier_upper_case": {
        "es": "códigos escritos en mayúsculas, su única forma de escritura ({rows}).",
        "en": "codes written in upper case, their one spelling ({rows}).",
    },
    # Programming errors surfaced to the user.
    "unknown_dataset": {
        "es": "«{value}» no es un conjunto de datos conocido; conjuntos: {datasets}.",
        "en": '"{value}" is not a known dataset; datasets: {datasets}.',
    },
    # Sync from a KoboToolbox server (data_loaders/kobo_api.py); the location is "KoboToolbox <uid>".
    "kobo_unreachable": {
        "es": "no se pudo conectar con el servidor {server}; revise la dirección (CONEXION_KOBO_SERVER_URL) y la "
              "conexión a internet, y vuelva a intentarlo.",
        "en": "could not connect to the server {server}; check its address (CONEXION_KOBO_SERVER_URL) and the "
              "internet connection, and try again.",
    },
    "kobo_timeout": {
        "es": "el servidor {server} no respondió en {seconds} segundos; vuelva a intentarlo más tarde o aumente "
              "el tiempo de espera (CONEXION_KOBO_TIMEOUT_SECONDS).",
        "en": "the server {server} did not answer within {seconds} seconds; try again later or raise the "
              "waiting time (CONEXION_KOBO_TIMEOUT_SECONDS).",
    },
    "kobo_truncated": {
        "es": "la respuesta del servidor {server} llegó incompleta (la conexión se cortó); vuelva a intentarlo.",
        "en": "the answer of the server {server} arrived incomplete (the connection was cut); try again.",
    },
    "kobo_unauthorized": {
        "es": "el servidor {server} no aceptó el token de la API (401); copie de nuevo el token de su cuenta de "
              "KoboToolbox en la configuración (kobo_api_token).",
        "en": "the server {server} did not accept the API token (401); copy the token of your KoboToolbox "
              "account into the settings again (kobo_api_token).",
    },
    "kobo_forbidden": {
        "es": "la cuenta del token no tiene permiso para ver los envíos de este formulario en {server} (403); "
              "pida a quien administra el proyecto en KoboToolbox que le dé permiso de ver envíos, o use el "
              "token de otra cuenta.",
        "en": "the token's account may not view this form's submissions on {server} (403); ask whoever manages "
              "the project in KoboToolbox for the permission to view submissions, or use another account's token.",
    },
    "kobo_not_found": {
        "es": "el servidor {server} no tiene un formulario con el identificador «{uid}» (404); copie el "
              "identificador (asset uid) de la dirección del formulario en KoboToolbox a CONEXION_KOBO_FORMS.",
        "en": 'the server {server} has no form with the identifier "{uid}" (404); copy the identifier (asset '
              "uid) from the form's address in KoboToolbox into CONEXION_KOBO_FORMS.",
    },
    "kobo_server_error": {
        "es": "el servidor {server} tuvo un error ({status}); no se cambió nada, vuelva a intentarlo más tarde.",
        "en": "the server {server} had an error ({status}); nothing was changed, try again later.",
    },
    "kobo_http_error": {
        "es": "el servidor {server} respondió con el código {status} en lugar de los envíos; revise la dirección "
              "del servidor.",
        "en": "the server {server} answered with code {status} instead of the submissions; check the server's "
              "address.",
    },
    "kobo_bad_json": {
        "es": "la respuesta del servidor {server} no son envíos de KoboToolbox en JSON válido; revise que la "
              "dirección sea la del servidor de KoboToolbox (kpi) y vuelva a intentarlo.",
        "en": "the answer of the server {server} is not KoboToolbox submissions in valid JSON; check that the "
              "address is the KoboToolbox (kpi) server's and try again.",
    },
    "kobo_form_changed": {
        "es": "el formulario «{uid}» ya no tiene las preguntas {questions} (¿se renombraron o cambiaron de "
              "grupo?); restablezca sus nombres en el formulario o actualice data_loaders/kobo_form.py.",
        "en": 'the form "{uid}" no longer has the questions {questions} (were they renamed or moved to another '
              "group?); restore their names in the form or update data_loaders/kobo_form.py.",
    },
}
